import { CasbinRuleEntity } from './core/authz/casbin-rule.entity';
import { ApiKeyEntity } from './modules/auth/entities/api-key.entity';
import { LoginFailureEntity } from './modules/auth/entities/login-failure.entity';
import { DepartmentEntity } from './modules/org/entities/department.entity';
import { EmployeeEntity } from './modules/org/entities/employee.entity';
import { OrganizationEntity } from './modules/org/entities/organization.entity';
import { RoleEntity } from './modules/org/entities/role.entity';

/** Every TypeORM entity of the product (the migration drift check compares against these). */
export const APP_ENTITIES = [
  OrganizationEntity,
  DepartmentEntity,
  EmployeeEntity,
  RoleEntity,
  CasbinRuleEntity,
  ApiKeyEntity,
  LoginFailureEntity,
];
