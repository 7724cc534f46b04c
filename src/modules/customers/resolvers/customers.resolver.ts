import { Args, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { DirectFieldResolvers } from 'src/core/graphql/direct-fields';
import { GqlContext } from 'src/core/graphql/gql-context';
import { argumentsOf, PREFETCHED, selectedBelow, WithPrefetched } from 'src/core/graphql/look-ahead';
import { employeeLoader } from 'src/modules/org/resolvers/org.loaders';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Employee } from 'src/modules/org/types/org.types';
import {
  CreateCustomerInput,
  CustomerFilter,
  CustomerOrder,
  RecordCustomerAddedInput,
  RecordRelationEndedInput,
  UpdateCustomerInput,
} from 'src/modules/customers/dto/customer.inputs';
import { TagsRepository } from 'src/modules/customers/repositories/tags.repository';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { maskPhone } from 'src/modules/customers/services/phone';
import { TimelineService } from 'src/modules/customers/services/timeline.service';
import {
  COUNT_MATCHES,
  CountPrecision,
  Customer,
  CustomerConnection,
  CustomerRelation,
  Tag,
  TimelineEventConnection,
} from 'src/modules/customers/types/customer.types';
import { customerLoader, customerTagsLoader, relationsLoader } from './customer.loaders';
import { toCustomer, toRelation, toTag, toTimelineEvent } from './mappers';
import { IdArg } from 'src/core/graphql/id-arg';
import { knownInScope, ScopedTypes } from 'src/core/graphql/scoped-types';
import { ViewerScope } from 'src/modules/org/services/viewer-scope.service';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

/**
 * A customer's phone as the viewer may see it: masked (138****5678) outside
 * their `customer:contact` scope (docs/rules.md). Synchronous when the request
 * already has the answer (a list asks first), so a page of customers
 * completes without a promise per row.
 */
export function visiblePhone(
  c: Customer,
  ctx: GqlContext,
  viewer: ViewerScope,
): string | null | Promise<string | null> {
  if (!c.phone) return c.phone;
  const phone = c.phone;
  const shown = viewer.reaches(ctx, 'customer', 'contact', c.activeEmployeeIds);
  if (shown === true || shown === false) return shown ? phone : maskPhone(phone);
  return shown.then((ok) => (ok ? phone : maskPhone(phone)));
}

/** What anyone in the organization sees of a customer outside their scope (docs/rules.md). */
export const CUSTOMER_PUBLIC_FIELDS = ['id', 'name'] as const;

/**
 * Whether the caller's customer:read scope covers a customer, for the rules of
 * the types a customer owns (relations, notes, timeline): already known when
 * they were reached through the customer (no statement), else read once per
 * batch through the customer loader.
 */
export function customerInScope(
  ctx: GqlContext,
  orgId: string,
  customerId: string,
  customers: CustomersService,
  viewer: ViewerScope,
): boolean | Promise<boolean> {
  if (knownInScope(ctx, 'Customer', customerId)) return true;
  return customerLoader(ctx, orgId, customers)
    .load(customerId)
    .then((c) => !!c && viewer.reaches(ctx, 'customer', 'read', c.activeEmployeeIds));
}

/** What `customers` loaded ahead for one customer of its page (see `prefetch`). */
interface CustomerPrefetch {
  tags?: Tag[];
  relations?: { includeEnded: boolean; rows: CustomerRelation[] };
}
type PrefetchedCustomer = WithPrefetched<Customer, CustomerPrefetch>;
type PrefetchedRelation = WithPrefetched<CustomerRelation, { employee?: Employee }>;

@Resolver(() => Customer)
export class CustomersResolver {
  constructor(
    private readonly customers: CustomersService,
    private readonly timelines: TimelineService,
    private readonly tagRows: TagsRepository,
    private readonly employees: EmployeesService,
    private readonly viewer: ViewerScope,
    direct: DirectFieldResolvers,
    scoped: ScopedTypes,
  ) {
    scoped.register<Customer>('Customer', {
      publicFields: CUSTOMER_PUBLIC_FIELDS,
      covers: (c, ctx) => viewer.reaches(ctx, 'customer', 'read', c.activeEmployeeIds),
    });
    // Once per customer of a page: called by graphql-js directly
    // (see DirectFieldResolvers), with what the page loaded ahead.
    direct.register<Customer>('Customer', 'phone', (c, _args, ctx) => visiblePhone(c, ctx, viewer));
    direct.register<PrefetchedCustomer>(
      'Customer',
      'tags',
      (c, _args, ctx) => c[PREFETCHED]?.tags ?? this.tags(c, ctx),
    );
    direct.register<PrefetchedCustomer, { includeEnded?: boolean }>('Customer', 'relations', (c, args, ctx) => {
      const ahead = c[PREFETCHED]?.relations;
      return ahead && ahead.includeEnded === !!args.includeEnded
        ? ahead.rows
        : this.relations(c, ctx, !!args.includeEnded);
    });
  }

  @Query(() => Customer)
  @RequirePermission('customer', 'read')
  async customer(@CurrentActor() actor: Actor, @IdArg('a customer') id: string): Promise<Customer> {
    return toCustomer(await this.customers.get(actor, id));
  }

  @Query(() => CustomerConnection, { name: 'customers' })
  @RequirePermission('customer', 'read')
  async listCustomers(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => CustomerFilter, nullable: true }) filter?: CustomerFilter,
    @Args('orderBy', { type: () => CustomerOrder, nullable: true }) orderBy?: CustomerOrder,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
    @Ctx() ctx?: GqlContext,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<CustomerConnection> {
    const page = await this.customers.list(actor, filter, orderBy, first, after);
    const edges = page.edges.map((e) => ({ node: toCustomer(e.node) as PrefetchedCustomer, cursor: e.cursor }));
    if (ctx && info)
      await this.prefetch(
        ctx,
        info,
        actor.orgId,
        edges.map((e) => e.node),
      );
    // Counted only if the operation selects the total (CustomerConnectionResolver), once for both of its fields.
    let counted: Promise<{ count: number; precision: CountPrecision }> | undefined;
    const count = () =>
      (counted ??= this.customers.count(actor, filter).then((c) => ({
        count: c.count,
        precision: c.exact ? CountPrecision.EXACT : CountPrecision.AT_LEAST,
      })));
    return { ...page, edges, [COUNT_MATCHES]: count };
  }

  /**
   * Loads the page's tags, relations and the relations' employees, and asks
   * whether the viewer may see phones, when the operation selects
   * them (the same batch statements the DataLoaders run, one
   * per type) and keeps them on the customers: graphql-js then completes the
   * page synchronously, without a promise per customer and relation (measured
   * one request at a time: 0.4-1.0 ms, 6-9 %, less server CPU for a 50-row
   * page, README "Benchmarks"). Anything not
   * loaded here (relations asked for two ways at once, a failed batch) falls
   * back to the field resolvers and their loaders.
   */
  private async prefetch(
    ctx: GqlContext,
    info: GraphQLResolveInfo,
    orgId: string,
    nodes: PrefetchedCustomer[],
  ): Promise<void> {
    if (!nodes.length) return;
    const ids = nodes.map((n) => n.id);
    const node = selectedBelow(info, ['edges', 'node']);
    const wantTags = selectedBelow(info, ['tags'], node).length > 0;
    const relationNodes = selectedBelow(info, ['relations'], node);
    const ways = new Set(relationNodes.map((n) => argumentsOf(info, 'Customer', n).includeEnded === true));
    const includeEnded = ways.size === 1 ? [...ways][0] : undefined;
    const [, tagRows, relationRows] = await Promise.all([
      // Asked once here when phones are selected, so each row's phone is answered without a promise (visiblePhone).
      selectedBelow(info, ['phone'], node).length ? this.viewer.warm(ctx, 'customer', 'contact') : undefined,
      wantTags ? customerTagsLoader(ctx, orgId, this.tagRows).loadMany(ids) : undefined,
      includeEnded === undefined ? undefined : relationsLoader(ctx, orgId, includeEnded, this.customers).loadMany(ids),
    ]);
    const relations = relationRows?.map((v) =>
      v instanceof Error ? undefined : v.map((r): PrefetchedRelation => toRelation(r)),
    );
    if (relations && selectedBelow(info, ['employee'], relationNodes).length) {
      const employeeIds = [...new Set(relations.flatMap((rs) => rs?.map((r) => r.employeeId) ?? []))];
      const rows = await employeeLoader(ctx, orgId, this.employees).loadMany(employeeIds);
      const byId = new Map<string, Employee>();
      rows.forEach((e, i) => {
        if (e && !(e instanceof Error)) byId.set(employeeIds[i], toEmployee(e));
      });
      for (const r of relations.flat()) {
        const employee = r && byId.get(r.employeeId);
        if (employee) r[PREFETCHED] = { employee };
      }
    }
    nodes.forEach((n, i) => {
      const tags = tagRows?.[i];
      const rows = relations?.[i];
      n[PREFETCHED] = {
        tags: tags && !(tags instanceof Error) ? tags.map(toTag) : undefined,
        relations: rows && includeEnded !== undefined ? { includeEnded, rows } : undefined,
      };
    });
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

  @Mutation(() => CustomerRelation, {
    description: 'Idempotent: repeating it for an ACTIVE pair changes and counts nothing.',
  })
  @RequirePermission('customer', 'record')
  async recordCustomerAdded(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordCustomerAddedInput,
  ): Promise<CustomerRelation> {
    const added = await this.customers.recordAdded(actor, input);
    return { ...toRelation(added.relation), welcomeMessage: added.welcomeMessage };
  }

  @Mutation(() => CustomerRelation)
  @RequirePermission('customer', 'record')
  async recordRelationEnded(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordRelationEndedInput,
  ): Promise<CustomerRelation> {
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
    @FirstArg() first: number,
    @AfterArg() after?: string,
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
    viewer: ViewerScope,
    direct: DirectFieldResolvers,
    scoped: ScopedTypes,
  ) {
    // A relation is part of its customer's record; its customer and employee follow their own rules.
    scoped.register<CustomerRelation>('CustomerRelation', {
      publicFields: ['id', 'customer', 'employee'],
      covers: (r, ctx) => customerInScope(ctx, r.orgId, r.customerId, customers, viewer),
    });
    // Once per relation of a page: called by graphql-js directly
    // (see DirectFieldResolvers), with what the page loaded ahead.
    direct.register<CustomerRelation>('CustomerRelation', 'customer', (r, _args, ctx) => this.customer(r, ctx));
    direct.register<PrefetchedRelation>(
      'CustomerRelation',
      'employee',
      (r, _args, ctx) => r[PREFETCHED]?.employee ?? this.employee(r, ctx),
    );
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

@Resolver(() => CustomerConnection)
export class CustomerConnectionResolver {
  @ResolveField(() => Int)
  async totalCount(@Parent() c: CustomerConnection): Promise<number> {
    return (await c[COUNT_MATCHES]!()).count;
  }

  @ResolveField(() => CountPrecision)
  async totalCountPrecision(@Parent() c: CustomerConnection): Promise<CountPrecision> {
    return (await c[COUNT_MATCHES]!()).precision;
  }
}
