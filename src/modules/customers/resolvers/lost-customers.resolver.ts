import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext } from 'src/core/graphql/gql-context';
import { LostCustomersFilter } from 'src/modules/customers/dto/customer.inputs';
import { LostCustomerRow } from 'src/modules/customers/repositories/lost-customers.repository';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { LostCustomersService } from 'src/modules/customers/services/lost-customers.service';
import {
  Customer,
  CustomerStage,
  LostCustomer,
  LostCustomerConnection,
  LostCustomerNote,
  NoteKind,
} from 'src/modules/customers/types/customer.types';
import { employeeLoader } from 'src/modules/org/resolvers/org.loaders';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Employee } from 'src/modules/org/types/org.types';
import { customerLoader } from './customer.loaders';
import { toCustomer } from './mappers';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

/**
 * The row's stage and last note are part of the report the root field checked
 * (a relation of an employee in the caller's scope); the customer, who left,
 * follows its own rule (docs/rules.md): usually its public view.
 */
const toLostCustomer = (r: LostCustomerRow): LostCustomer => ({
  id: r.id,
  orgId: r.orgId,
  customerId: r.customerId,
  employeeId: r.employeeId,
  lostAt: r.lostAt,
  stage: r.stage as CustomerStage,
  lastNote: r.lastNote
    ? {
        kind: r.lastNote.kind as NoteKind,
        body: r.lastNote.body,
        createdAt: r.lastNote.createdAt,
        orgId: r.orgId,
        authorId: r.lastNote.authorId,
      }
    : null,
});

@Resolver(() => LostCustomer)
export class LostCustomersResolver {
  constructor(
    private readonly lost: LostCustomersService,
    private readonly customers: CustomersService,
    private readonly employees: EmployeesService,
  ) {}

  @Query(() => LostCustomerConnection, {
    description:
      'Customers who ended their relation with an employee in your customer:read scope (managers: their department ' +
      'tree; sales: themselves), newest first, with their stage and last note. The range spans at most 366 days.',
  })
  @RequirePermission('customer', 'read')
  async lostCustomers(
    @CurrentActor() actor: Actor,
    @Args('filter') filter: LostCustomersFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<LostCustomerConnection> {
    const page = await this.lost.page(actor, filter, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toLostCustomer(e.node), cursor: e.cursor })) };
  }

  @ResolveField(() => Customer, { description: 'Outside your scope (they left), its public view: id and name.' })
  async customer(@Parent() r: LostCustomer, @Ctx() ctx: GqlContext): Promise<Customer> {
    return toCustomer((await customerLoader(ctx, r.orgId, this.customers).load(r.customerId))!);
  }

  @ResolveField(() => Employee, { description: 'The employee the customer left.' })
  async employee(@Parent() r: LostCustomer, @Ctx() ctx: GqlContext): Promise<Employee> {
    return toEmployee((await employeeLoader(ctx, r.orgId, this.employees).load(r.employeeId))!);
  }
}

@Resolver(() => LostCustomerNote)
export class LostCustomerNoteResolver {
  constructor(private readonly employees: EmployeesService) {}

  @ResolveField(() => Employee, { description: 'Who wrote it (their public view when outside your scope).' })
  async author(@Parent() n: LostCustomerNote, @Ctx() ctx: GqlContext): Promise<Employee> {
    return toEmployee((await employeeLoader(ctx, n.orgId, this.employees).load(n.authorId))!);
  }
}
