import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../../../core/authz/actor';
import { Ctx, CurrentActor } from '../../../core/authz/current-actor.decorator';
import { RequirePermission } from '../../../core/authz/permission.decorator';
import { DirectFieldResolvers } from '../../../core/graphql/direct-fields';
import { GqlContext } from '../../../core/graphql/gql-context';
import { employeeLoader } from '../../org/resolvers/org.loaders';
import { toEmployee } from '../../org/resolvers/employees.resolver';
import { EmployeesService } from '../../org/services/employees.service';
import { Employee } from '../../org/types/org.types';
import {
  CreateCustomerInput,
  CustomerFilter,
  CustomerOrder,
  RecordCustomerAddedInput,
  RecordRelationEndedInput,
  UpdateCustomerInput,
} from '../dto/customer.inputs';
import { TagsRepository } from '../repositories/tags.repository';
import { CustomersService } from '../services/customers.service';
import { TimelineService } from '../services/timeline.service';
import { Customer, CustomerConnection, CustomerRelation, Tag, TimelineEventConnection } from '../types/customer.types';
import { customerLoader, customerTagsLoader, relationsLoader } from './customer.loaders';
import { toCustomer, toRelation, toTag, toTimelineEvent } from './mappers';

@Resolver(() => Customer)
export class CustomersResolver {
  constructor(
    private readonly customers: CustomersService,
    private readonly timelines: TimelineService,
    private readonly tagRows: TagsRepository,
    direct: DirectFieldResolvers,
  ) {
    // Once per customer of a page: called by graphql-js directly (see DirectFieldResolvers).
    direct.register<Customer>('Customer', 'tags', (c, _args, ctx) => this.tags(c, ctx));
    direct.register<Customer, { includeEnded?: boolean }>('Customer', 'relations', (c, args, ctx) => this.relations(c, ctx, !!args.includeEnded));
  }

  @Query(() => Customer)
  @RequirePermission('customer', 'read')
  async customer(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<Customer> {
    return toCustomer(await this.customers.get(actor, id));
  }

  @Query(() => CustomerConnection, { name: 'customers' })
  @RequirePermission('customer', 'read')
  async listCustomers(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => CustomerFilter, nullable: true }) filter?: CustomerFilter,
    @Args('orderBy', { type: () => CustomerOrder, nullable: true }) orderBy?: CustomerOrder,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<CustomerConnection> {
    const page = await this.customers.list(actor, filter, orderBy, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toCustomer(e.node), cursor: e.cursor })) };
  }

  @Mutation(() => Customer)
  @RequirePermission('customer', 'create')
  async createCustomer(@CurrentActor() actor: Actor, @Args('input') input: CreateCustomerInput): Promise<Customer> {
    return toCustomer(await this.customers.create(actor, input));
  }

  @Mutation(() => Customer)
  @RequirePermission('customer', 'update')
  async updateCustomer(@CurrentActor() actor: Actor, @Args('input') input: UpdateCustomerInput): Promise<Customer> {
    return toCustomer(await this.customers.update(actor, input));
  }

  @Mutation(() => CustomerRelation, { description: 'Idempotent: repeating it for an ACTIVE pair changes and counts nothing.' })
  @RequirePermission('customer', 'record')
  async recordCustomerAdded(@CurrentActor() actor: Actor, @Args('input') input: RecordCustomerAddedInput): Promise<CustomerRelation> {
    const added = await this.customers.recordAdded(actor, input);
    return { ...toRelation(added.relation), welcomeMessage: added.welcomeMessage };
  }

  @Mutation(() => CustomerRelation)
  @RequirePermission('customer', 'record')
  async recordRelationEnded(@CurrentActor() actor: Actor, @Args('input') input: RecordRelationEndedInput): Promise<CustomerRelation> {
    return toRelation(await this.customers.recordEnded(actor, input));
  }

  @ResolveField(() => [Tag])
  async tags(@Parent() c: Customer, @Ctx() ctx: GqlContext): Promise<Tag[]> {
    return (await customerTagsLoader(ctx, c.orgId, this.tagRows).load(c.id)).map(toTag);
  }

  @ResolveField(() => [CustomerRelation])
  async relations(
    @Parent() c: Customer,
    @Ctx() ctx: GqlContext,
    @Args('includeEnded', { type: () => Boolean, nullable: true, defaultValue: false }) includeEnded: boolean,
  ): Promise<CustomerRelation[]> {
    return (await relationsLoader(ctx, c.orgId, !!includeEnded, this.customers).load(c.id)).map(toRelation);
  }

  @ResolveField(() => TimelineEventConnection)
  async timeline(
    @Parent() c: Customer,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<TimelineEventConnection> {
    const page = await this.timelines.page(c.orgId, c.id, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toTimelineEvent(e.node), cursor: e.cursor })) };
  }
}

@Resolver(() => CustomerRelation)
export class CustomerRelationResolver {
  constructor(
    private readonly customers: CustomersService,
    private readonly employees: EmployeesService,
    direct: DirectFieldResolvers,
  ) {
    // Once per relation of a page: called by graphql-js directly (see DirectFieldResolvers).
    direct.register<CustomerRelation>('CustomerRelation', 'customer', (r, _args, ctx) => this.customer(r, ctx));
    direct.register<CustomerRelation>('CustomerRelation', 'employee', (r, _args, ctx) => this.employee(r, ctx));
  }

  @ResolveField(() => Customer)
  async customer(@Parent() r: CustomerRelation, @Ctx() ctx: GqlContext): Promise<Customer> {
    return toCustomer((await customerLoader(ctx, r.orgId, this.customers).load(r.customerId))!);
  }

  @ResolveField(() => Employee)
  async employee(@Parent() r: CustomerRelation, @Ctx() ctx: GqlContext): Promise<Employee> {
    return toEmployee((await employeeLoader(ctx, r.orgId, this.employees).load(r.employeeId))!);
  }
}
