import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext } from 'src/core/graphql/gql-context';
import { employeeLoader } from 'src/modules/org/resolvers/org.loaders';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Employee } from 'src/modules/org/types/org.types';
import { AddCustomerNoteInput } from 'src/modules/customers/dto/customer.inputs';
import { NotesService } from 'src/modules/customers/services/notes.service';
import {
  Customer,
  CustomerNote,
  CustomerNoteConnection,
  TimelineEvent,
} from 'src/modules/customers/types/customer.types';
import { toCustomer, toNote } from './mappers';
import { customerLoader } from './customer.loaders';
import { IdArg } from 'src/core/graphql/id-arg';
import { ScopedTypes } from 'src/core/graphql/scoped-types';
import { ViewerScope } from 'src/modules/org/services/viewer-scope.service';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { customerInScope } from './customers.resolver';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

@Resolver(() => CustomerNote)
export class NotesResolver {
  constructor(
    private readonly notes: NotesService,
    private readonly employees: EmployeesService,
    private readonly customers: CustomersService,
    viewer: ViewerScope,
    scoped: ScopedTypes,
  ) {
    // Notes and timeline events belong to their customer's record.
    scoped.register<CustomerNote>('CustomerNote', {
      publicFields: ['id'],
      covers: (n, ctx) => customerInScope(ctx, n.orgId, n.customerId, customers, viewer),
    });
    scoped.register<TimelineEvent>('TimelineEvent', {
      publicFields: ['id'],
      covers: (e, ctx) => customerInScope(ctx, e.orgId, e.customerId, customers, viewer),
    });
  }

  @Query(() => CustomerNoteConnection, {
    description:
      'The caller’s follow-up tasks: TASK notes on the customers they follow (whoever wrote them) and those they wrote ' +
      'on customers still in their scope. Due first (earliest due date first, no due date last), then oldest first. ' +
      'API keys: FORBIDDEN.',
  })
  @RequirePermission('customer', 'read')
  async myCustomerTasks(
    @CurrentActor() actor: Actor,
    @Args('done', {
      type: () => Boolean,
      nullable: true,
      description: 'Only open (false) or only done (true) tasks; both when omitted.',
    })
    done?: boolean,
    @Args('dueBefore', {
      type: () => Date,
      nullable: true,
      description: 'Only tasks due before this time (tasks without a due date are left out).',
    })
    dueBefore?: Date,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<CustomerNoteConnection> {
    const page = await this.notes.myTasks(actor, { done, dueBefore }, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toNote(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => CustomerNote)
  @RequirePermission('customer', 'note')
  async addCustomerNote(
    @CurrentActor() actor: Actor,
    @Args('input') input: AddCustomerNoteInput,
  ): Promise<CustomerNote> {
    return toNote(await this.notes.add(actor, input));
  }

  @Mutation(() => CustomerNote, { description: 'Marks a follow-up task done; completing it again changes nothing.' })
  @RequirePermission('customer', 'note')
  async completeCustomerTask(@CurrentActor() actor: Actor, @IdArg('a task') id: string): Promise<CustomerNote> {
    return toNote(await this.notes.complete(actor, id));
  }

  @ResolveField(() => Customer, { description: 'The customer the note is about.' })
  async customer(@Parent() n: CustomerNote, @Ctx() ctx: GqlContext): Promise<Customer> {
    return toCustomer((await customerLoader(ctx, n.orgId, this.customers).load(n.customerId))!);
  }

  @ResolveField(() => Employee)
  async author(@Parent() n: CustomerNote, @Ctx() ctx: GqlContext): Promise<Employee> {
    return toEmployee((await employeeLoader(ctx, n.orgId, this.employees).load(n.authorId))!);
  }
}

@Resolver(() => Customer)
export class CustomerNotesFieldResolver {
  constructor(private readonly notes: NotesService) {}

  @ResolveField('notes', () => CustomerNoteConnection)
  async customerNotes(
    @Parent() c: Customer,
    @FirstArg() first: number,
    @AfterArg() after?: string,
  ): Promise<CustomerNoteConnection> {
    const page = await this.notes.page(c.orgId, c.id, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toNote(e.node), cursor: e.cursor })) };
  }
}

@Resolver(() => TimelineEvent)
export class TimelineEventResolver {
  constructor(private readonly employees: EmployeesService) {}

  @ResolveField(() => Employee, { nullable: true })
  async employee(@Parent() e: TimelineEvent, @Ctx() ctx: GqlContext): Promise<Employee | null> {
    if (!e.employeeId) return null;
    const emp = await employeeLoader(ctx, e.orgId, this.employees).load(e.employeeId);
    return emp ? toEmployee(emp) : null;
  }
}
