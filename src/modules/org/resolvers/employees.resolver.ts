import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { CurrentActor, Ctx } from 'src/core/authz/current-actor.decorator';
import { Authenticated, RequirePermission } from 'src/core/authz/permission.decorator';
import { AppError } from 'src/core/errors/app-error';
import { GqlContext } from 'src/core/graphql/gql-context';
import { CreateEmployeeInput, EmployeeFilter, UpdateEmployeeInput } from 'src/modules/org/dto/org.inputs';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Department, Employee, EmployeeConnection, EmployeeStatus } from 'src/modules/org/types/org.types';
import { toDepartment } from './departments.resolver';
import { departmentLoader, employeeRolesLoader } from './org.loaders';
import { IdArg } from 'src/core/graphql/id-arg';
import { ScopedTypes } from 'src/core/graphql/scoped-types';
import { ViewerScope } from 'src/modules/org/services/viewer-scope.service';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

/** What anyone in the organization sees of a colleague outside their scope (docs/rules.md). */
export const EMPLOYEE_PUBLIC_FIELDS = ['id', 'name', 'title', 'department'] as const;

export const toEmployee = (e: EmployeeEntity): Employee => ({
  id: e.id,
  orgId: e.orgId,
  name: e.name,
  email: e.email,
  title: e.title,
  externalId: e.externalId,
  departmentId: e.departmentId,
  status: e.status as EmployeeStatus,
  customerCapacity: e.customerCapacity,
  activeCustomerCount: e.activeCustomerCount,
  departedAt: e.departedAt,
  createdAt: e.createdAt,
});

@Resolver(() => Employee)
export class EmployeesResolver {
  constructor(
    private readonly employees: EmployeesService,
    private readonly departments: DepartmentsService,
    viewer: ViewerScope,
    scoped: ScopedTypes,
  ) {
    // An employee always sees their own record; others as far as employee:read reaches.
    scoped.register<Employee>('Employee', {
      publicFields: EMPLOYEE_PUBLIC_FIELDS,
      covers: (e, ctx) => e.id === ctx.actor?.employeeId || viewer.reaches(ctx, 'employee', 'read', [e.id]),
    });
  }

  @Query(() => Employee, { description: 'The signed-in employee (API keys are not employees: FORBIDDEN).' })
  @Authenticated('every signed-in employee may read their own record')
  async me(@CurrentActor() actor: Actor): Promise<Employee> {
    if (actor.kind !== 'employee' || !actor.employeeId) throw AppError.forbidden('An API key is not an employee');
    const e = await this.employees.findById(actor.orgId, actor.employeeId);
    if (!e) throw AppError.unauthenticated();
    return toEmployee(e);
  }

  @Query(() => Employee)
  @RequirePermission('employee', 'read')
  async employee(@CurrentActor() actor: Actor, @IdArg('an employee') id: string): Promise<Employee> {
    return toEmployee(await this.employees.get(actor, id));
  }

  @Query(() => EmployeeConnection, { name: 'employees' })
  @RequirePermission('employee', 'read')
  async listEmployees(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => EmployeeFilter, nullable: true }) filter?: EmployeeFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<EmployeeConnection> {
    const page = await this.employees.list(actor, filter, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toEmployee(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => Employee)
  @RequirePermission('employee', 'create')
  async createEmployee(@CurrentActor() actor: Actor, @Args('input') input: CreateEmployeeInput): Promise<Employee> {
    return toEmployee(await this.employees.create(actor, input));
  }

  @Mutation(() => Employee, { description: 'DEPARTED cannot be set here: use departEmployee.' })
  @RequirePermission('employee', 'update')
  async updateEmployee(@CurrentActor() actor: Actor, @Args('input') input: UpdateEmployeeInput): Promise<Employee> {
    return toEmployee(await this.employees.update(actor, input));
  }

  @ResolveField(() => Department, { nullable: true })
  async department(@Parent() e: Employee, @Ctx() ctx: GqlContext): Promise<Department | null> {
    if (!e.departmentId) return null;
    const d = await departmentLoader(ctx, e.orgId, this.departments).load(e.departmentId);
    return d ? toDepartment(d) : null;
  }

  @ResolveField(() => [String], {
    description: 'Built-in roles: admin, manager, sales, marketer, auditor. Custom roles may exist.',
  })
  roles(@Parent() e: Employee, @Ctx() ctx: GqlContext): Promise<string[]> {
    return employeeRolesLoader(ctx, e.orgId, this.employees).load(e.id);
  }
}
