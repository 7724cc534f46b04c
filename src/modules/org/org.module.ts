import { Module } from '@nestjs/common';
import { POLICY_SOURCE } from 'src/core/authz/policy-source';
import { DepartmentsRepository } from './repositories/departments.repository';
import { EmployeesRepository } from './repositories/employees.repository';
import { OrganizationsRepository } from './repositories/organizations.repository';
import { RolesRepository } from './repositories/roles.repository';
import { DepartmentsResolver } from './resolvers/departments.resolver';
import { EmployeesResolver } from './resolvers/employees.resolver';
import { OrganizationResolver } from './resolvers/organization.resolver';
import { RolesResolver } from './resolvers/roles.resolver';
import { DepartmentsService } from './services/departments.service';
import { EmployeesService } from './services/employees.service';
import { OrganizationsService } from './services/organizations.service';
import { OrgPolicySource } from './services/org-policy-source';
import { RolesService } from './services/roles.service';
import { ViewerScope } from './services/viewer-scope.service';

/**
 * Core's POLICY_SOURCE (AuthzModule.forRoot imports it): apart from OrgModule,
 * whose services use Core's authorization, so that the two do not import each other.
 */
@Module({
  providers: [
    OrganizationsRepository,
    RolesRepository,
    OrgPolicySource,
    { provide: POLICY_SOURCE, useExisting: OrgPolicySource },
  ],
  exports: [POLICY_SOURCE],
})
export class OrgPolicyModule {}

/** Organizations, departments, employees and roles. Other modules use its exported services. */
@Module({
  providers: [
    OrganizationsRepository,
    DepartmentsRepository,
    EmployeesRepository,
    RolesRepository,
    OrganizationsService,
    DepartmentsService,
    EmployeesService,
    RolesService,
    ViewerScope,
    OrganizationResolver,
    DepartmentsResolver,
    EmployeesResolver,
    RolesResolver,
  ],
  exports: [OrganizationsService, DepartmentsService, EmployeesService, ViewerScope],
})
export class OrgModule {}
