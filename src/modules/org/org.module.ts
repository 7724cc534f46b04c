import { Module } from '@nestjs/common';
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
import { RolesService } from './services/roles.service';
import { ViewerScope } from './services/viewer-scope.service';

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
