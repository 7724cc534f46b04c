import { Injectable } from '@nestjs/common';
import { Actor, DataScope } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { freeCapacity } from 'src/modules/org/services/capacity';
import { EmployeeEntity, EmployeesService } from 'src/modules/org/services/employees.service';
import {
  CreateCustomerInput,
  CustomerFilter,
  CustomerInput,
  CustomerOrder,
  RecordCustomerAddedInput,
  RecordRelationEndedInput,
  UpdateCustomerInput,
} from 'src/modules/customers/dto/customer.inputs';
import { CustomerRelationEntity, AddWayValue } from 'src/modules/customers/entities/customer-relation.entity';
import { CustomerEntity } from 'src/modules/customers/entities/customer.entity';
import {
  CustomerFilterQuery,
  CustomerRow,
  CustomerSortField,
  CustomersRepository,
  PhoneSearch,
} from 'src/modules/customers/repositories/customers.repository';
import {
  LossNotices,
  RelationMoveRow,
  RelationMoveSource,
  RelationsRepository,
} from 'src/modules/customers/repositories/relations.repository';
import { TagsRepository } from 'src/modules/customers/repositories/tags.repository';
import { NotificationBatch, NotificationsService } from 'src/modules/notifications/services/notifications.service';
import { CustomerOrderField, OrderDirection, RelationEndedBy } from 'src/modules/customers/types/customer.types';
import { normalizePhone } from './phone';
import { TimelineService } from './timeline.service';

/** What CustomersService returns about a relation. */
export type { CustomerRelationEntity, RelationMoveRow, RelationMoveSource };

const SORT: Record<CustomerOrderField, CustomerSortField> = {
  CREATED_AT: 'created_at',
  UPDATED_AT: 'updated_at',
  NAME: 'name',
  LAST_CONTACT_AT: 'last_contact_at',
};

/** Customer counts are exact up to this many; beyond, this many as a floor ("10,000+"). */
export const CUSTOMER_COUNT_CAP = 10_000;

/** Counts capacity that is promised but not yet held (e.g. transfers waiting to arrive). */
export type ReservationSource = (tx: Tx, orgId: string, employeeId: string) => Promise<number>;

/** What happens after a relation is added, inside its transaction (channels tag it and greet). */
export type RelationAddedHook = (
  tx: Tx,
  relation: CustomerRelationEntity,
) => Promise<{ welcomeMessage?: string | null } | void>;

/**
 * What happens after relations are added or ended, inside their transaction, with each change's employee and
 * time (KPI rollups recount those employees' days, committing with the change).
 */
export type RelationsChangedHook = (
  tx: Tx,
  orgId: string,
  changes: ReadonlyArray<{ employeeId: string; at: Date }>,
) => Promise<void>;

export interface AddedRelation {
  relation: CustomerRelationEntity;
  customer: CustomerEntity;
  /** False when the pair was already ACTIVE: nothing changed, nothing counted. */
  created: boolean;
  welcomeMessage: string | null;
}

@Injectable()
export class CustomersService {
  private readonly reservations: ReservationSource[] = [];
  private readonly relationAddedHooks: RelationAddedHook[] = [];
  private readonly relationsChangedHooks: RelationsChangedHook[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly customers: CustomersRepository,
    private readonly relations: RelationsRepository,
    private readonly tags: TagsRepository,
    private readonly employees: EmployeesService,
    private readonly timeline: TimelineService,
    private readonly authz: AuthzService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Other modules register capacity reservations and relation hooks at start. */
  addReservationSource(source: ReservationSource): void {
    this.reservations.push(source);
  }

  onRelationAdded(hook: RelationAddedHook): void {
    this.relationAddedHooks.push(hook);
  }

  onRelationsChanged(hook: RelationsChangedHook): void {
    this.relationsChangedHooks.push(hook);
  }

  private async relationsChanged(
    tx: Tx,
    orgId: string,
    changes: ReadonlyArray<{ employeeId: string; at: Date }>,
  ): Promise<void> {
    if (!changes.length) return;
    for (const hook of this.relationsChangedHooks) await hook(tx, orgId, changes);
  }

  scope(actor: Actor, action: string): Promise<DataScope> {
    return this.authz.requireScope(actor, 'customer', action);
  }

  /**
   * A customer of the caller's organization within their data
   * scope: NOT_FOUND across organizations, FORBIDDEN out of scope.
   */
  async get(actor: Actor, id: string, action = 'read', field = 'id'): Promise<CustomerEntity> {
    const scope = await this.scope(actor, action);
    const c = await this.customers.findById(actor.orgId, id);
    if (!c) throw new AppError('NOT_FOUND', `${field}: customer ${id} not found`, { field });
    if (!scope.organization && !(await this.customers.visible(actor.orgId, [id], scope)).has(id)) {
      throw AppError.forbidden(`${field}: customer ${id} is outside your data scope`);
    }
    return c;
  }

  /**
   * Checks every id before anything is done (bulk operations act on all or none):
   * unknown ids are NOT_FOUND, ids out of scope FORBIDDEN, each naming the field.
   */
  async assertAll(actor: Actor, ids: string[], action: string, field: string): Promise<void> {
    const scope = await this.scope(actor, action);
    const unique = [...new Set(ids)];
    const existing = await this.customers.existing(actor.orgId, unique);
    const missing = unique.filter((id) => !existing.has(id));
    if (missing.length) throw AppError.notFoundIds(field, 'customer', missing);
    if (scope.organization) return;
    const visible = await this.customers.visible(actor.orgId, unique, scope);
    const hidden = unique.filter((id) => !visible.has(id));
    if (hidden.length) throw AppError.forbidden(`${field}: customer(s) outside your data scope: ${hidden.join(', ')}`);
  }

  findByIds(orgId: string, ids: readonly string[]): Promise<CustomerRow[]> {
    return this.customers.findByIds(orgId, ids);
  }

  /**
   * Whether a post of the employee reaches the customer: the employee holds
   * the customer ACTIVE and, when `tagIds` is not empty, the customer has any
   * of them (a moment's audience rule, see MomentsRepository's AUDIENCE_CTES).
   */
  reaches(orgId: string, employeeId: string, customerId: string, tagIds: readonly string[]): Promise<boolean> {
    return this.relations.reaches(orgId, employeeId, customerId, tagIds);
  }

  /**
   * Ids of the customers with these external ids (unknown ones are absent); no scope check (connectors, chat ingest).
   */
  findIdsByExternalIds(
    orgId: string,
    externalIds: readonly string[],
  ): Promise<Array<{ id: string; externalId: string }>> {
    return this.customers.findIdsByExternalIds(orgId, externalIds);
  }

  relationsOf(orgId: string, customerIds: readonly string[], includeEnded: boolean): Promise<CustomerRelationEntity[]> {
    return this.relations.forCustomers(orgId, customerIds, includeEnded);
  }

  async list(
    actor: Actor,
    filter: CustomerFilter | undefined,
    order: CustomerOrder | undefined,
    first?: number,
    after?: string | null,
  ) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string | null, string] | null;
    const sort = SORT[order?.field ?? CustomerOrderField.CREATED_AT];
    const desc = (order?.direction ?? OrderDirection.DESC) === OrderDirection.DESC;
    const { query, scope } = await this.filterQuery(actor, filter);
    const page = { ...query, sort, desc, after: cursor, limit: limit + 1 };
    const rows = await this.customers.page(actor.orgId, page, scope);
    return toPage(rows, limit, (c) => [sortValue(c, sort), c.id]) as Page<CustomerRow>;
  }

  /**
   * How many customers `list` would reach with this filter: exact up to
   * CUSTOMER_COUNT_CAP, beyond it the cap as a floor (counting stops there, so
   * the count stays cheap on a million customers).
   */
  async count(actor: Actor, filter: CustomerFilter | undefined): Promise<{ count: number; exact: boolean }> {
    const { query, scope } = await this.filterQuery(actor, filter);
    const n = await this.customers.count(actor.orgId, query, scope, CUSTOMER_COUNT_CAP + 1);
    return n > CUSTOMER_COUNT_CAP ? { count: CUSTOMER_COUNT_CAP, exact: false } : { count: n, exact: true };
  }

  /** The caller's customer:read scope and the filter as the repository takes it (one rule for lists and counts). */
  private async filterQuery(actor: Actor, filter: CustomerFilter | undefined) {
    const scope = await this.scope(actor, 'read');
    if (filter?.departmentId)
      await this.employees.assertDepartment(actor.orgId, filter.departmentId, 'filter.departmentId');
    const phoneSearch = filter?.search?.trim() ? await this.phoneSearch(actor, scope) : 'none';
    return { query: { ...filter, phoneSearch } as CustomerFilterQuery, scope };
  }

  /**
   * Whose phones a search may match: only those the caller sees unmasked
   * (their customer:contact scope), so a masked phone never decides whether a
   * customer is found. When that scope covers what they read (admins, sales)
   * every row read may match on its phone.
   */
  private async phoneSearch(actor: Actor, read: DataScope): Promise<PhoneSearch> {
    const contact = await this.authz.scopeFor(actor, 'customer', 'contact');
    if (!contact) return 'none';
    return contact.organization || covers(contact, read) ? 'all' : contact;
  }

  /** Whether the caller sees the customer's phone unmasked (within their customer:contact scope). */
  private async seesPhone(actor: Actor, customerId: string): Promise<boolean> {
    const contact = await this.authz.scopeFor(actor, 'customer', 'contact');
    if (!contact) return false;
    return contact.organization || (await this.customers.visible(actor.orgId, [customerId], contact)).has(customerId);
  }

  /** A sales rep (or an admin for anyone) adds a customer by hand for an employee. */
  async create(actor: Actor, input: CreateCustomerInput): Promise<CustomerEntity> {
    const employee = await this.employeeInScope(actor, input.employeeId, 'create', 'input.employeeId');
    const tagIds = [...new Set(input.tagIds ?? [])];
    if (tagIds.length) await this.assertTags(actor.orgId, tagIds, 'input.tagIds');
    const values = this.values(input.customer, 'input.customer');
    const taken = () =>
      AppError.conflict(`A customer with externalId ${values.externalId} exists already`, {
        field: 'input.customer.externalId',
      });
    const { customer } = await this.uow.run(async (tx) => {
      // The stored (trimmed) external id is the one that must be free.
      if (values.externalId && (await this.customers.findByExternalId(actor.orgId, values.externalId, tx))) {
        throw taken();
      }
      const customer = await this.customers.insert(tx, actor.orgId, values).catch((e: unknown) => {
        // A concurrent create with the same external id won the race to the unique index.
        if ((e as { code?: string }).code === '23505') throw taken();
        throw e;
      });
      const added = await this.addRelation(tx, actor, employee.id, customer, {
        addWay: (input.addWay ?? 'OTHER') as AddWayValue,
        state: input.state,
        remark: input.remark,
        addedAt: new Date(),
      });
      if (tagIds.length) {
        await this.tags.add(tx, actor.orgId, [customer.id], tagIds);
        await this.timeline.record(tx, {
          orgId: actor.orgId,
          customerId: customer.id,
          type: 'tags.added',
          employeeId: actor.employeeId ?? null,
          summary: `Tagged with ${tagIds.length} tag(s)`,
          data: { tagIds },
        });
      }
      return added;
    });
    return (await this.customers.findById(actor.orgId, customer.id))!;
  }

  async update(actor: Actor, input: UpdateCustomerInput): Promise<CustomerEntity> {
    const current = await this.get(actor, input.id, 'update', 'input.id');
    const patch: Partial<CustomerInput> = {};
    if (input.name !== undefined && input.name !== null) patch.name = input.name.trim();
    if (input.company !== undefined) patch.company = input.company?.trim() || undefined;
    if (input.phone !== undefined) patch.phone = input.phone ? normalizePhone(input.phone, 'input.phone') : undefined;
    if (input.stage) patch.stage = input.stage;
    // Whether the phone changed would tell a caller who sees it masked whether their guess was right.
    const phoneHidden = input.phone !== undefined && !(await this.seesPhone(actor, current.id));
    await this.uow.run(async (tx) => {
      await this.customers.update(tx, actor.orgId, current.id, {
        name: patch.name,
        company: input.company === undefined ? undefined : (patch.company ?? null),
        phone: input.phone === undefined ? undefined : (patch.phone ?? null),
        stage: patch.stage,
      });
      const changed = (['name', 'company', 'phone'] as const).filter(
        (k) =>
          input[k] !== undefined &&
          ((k === 'phone' && phoneHidden) || (current[k] ?? null) !== ((patch[k] as string | undefined) ?? null)),
      );
      const events = [];
      if (patch.stage && patch.stage !== current.stage) {
        events.push({
          orgId: actor.orgId,
          customerId: current.id,
          type: 'stage.changed',
          employeeId: actor.employeeId ?? null,
          summary: `Stage ${current.stage} → ${patch.stage}`,
          data: { from: current.stage, to: patch.stage },
        });
      }
      if (changed.length) {
        events.push({
          orgId: actor.orgId,
          customerId: current.id,
          type: 'profile.updated',
          employeeId: actor.employeeId ?? null,
          summary: `Updated ${changed.join(', ')}`,
          data: { fields: changed },
        });
      }
      await this.timeline.recordMany(tx, events);
    });
    return (await this.customers.findById(actor.orgId, current.id))!;
  }

  /**
   * A channel reports that a customer added an employee: upsert the customer on
   * externalId, open an ACTIVE relation, count it. Repeating it for a pair that
   * is already ACTIVE changes and counts nothing.
   */
  async recordAdded(actor: Actor, input: RecordCustomerAddedInput): Promise<AddedRelation> {
    if (!!input.employeeId === !!input.employeeExternalId) {
      throw AppError.badInput('input.employeeId', 'give exactly one of employeeId and employeeExternalId');
    }
    const employee = input.employeeId
      ? await this.employees.findById(actor.orgId, input.employeeId)
      : await this.employees.findByExternalId(actor.orgId, input.employeeExternalId!);
    const field = input.employeeId ? 'input.employeeId' : 'input.employeeExternalId';
    if (!employee) throw new AppError('NOT_FOUND', `${field}: employee not found`, { field });
    if (input.addedAt && input.addedAt.getTime() > Date.now() + 5 * 60_000) {
      throw AppError.badInput('input.addedAt', 'must not be in the future');
    }
    const values = this.values(input.customer, 'input.customer');
    // A connector that cannot see phones must not learn from updatedAt whether the stored one equals the one it sent.
    const phoneBlind = !!values.phone && !(await this.authz.scopeFor(actor, 'customer', 'contact'))?.organization;
    return this.uow.run(async (tx) => {
      const customer = values.externalId
        ? (await this.customers.upsertOne(tx, actor.orgId, { ...values, externalId: values.externalId }, phoneBlind))
            .customer
        : await this.customers.insert(tx, actor.orgId, values);
      return this.addRelation(tx, actor, employee.id, customer, {
        addWay: input.addWay as AddWayValue,
        state: input.state,
        remark: input.remark,
        addedAt: input.addedAt ?? new Date(),
      });
    });
  }

  /** Ends an ACTIVE relation; ended by the customer it counts as a lost customer. */
  async recordEnded(actor: Actor, input: RecordRelationEndedInput): Promise<CustomerRelationEntity> {
    const endedAt = input.endedAt ?? new Date();
    const { ended, notices } = await this.uow.run(async (tx) => {
      const found = await this.relations.findById(actor.orgId, input.relationId, tx);
      if (!found)
        throw new AppError('NOT_FOUND', `input.relationId: relation ${input.relationId} not found`, {
          field: 'input.relationId',
        });
      const employee = await this.employees.lockForUpdate(tx, actor.orgId, found.employeeId);
      const rel = (await this.relations.findById(actor.orgId, input.relationId, tx, true))!;
      if (rel.status !== 'ACTIVE') throw AppError.conflict(`The relation has ended already (${rel.status})`);
      if (endedAt.getTime() > Date.now() + 5 * 60_000)
        throw AppError.badInput('input.endedAt', 'must not be in the future');
      if (endedAt.getTime() < new Date(rel.addedAt).getTime())
        throw AppError.badInput('input.endedAt', 'must not be before the relation was added');
      const byCustomer = input.endedBy === RelationEndedBy.CUSTOMER;
      const ended = await this.relations.end(
        tx,
        actor.orgId,
        rel.id,
        byCustomer ? 'DELETED_BY_CUSTOMER' : 'DELETED_BY_EMPLOYEE',
        endedAt,
      );
      await this.employees.adjustActiveCustomerCount(tx, actor.orgId, rel.employeeId, -1);
      await this.customers.touch(tx, actor.orgId, [rel.customerId]);
      await this.timeline.record(tx, {
        orgId: actor.orgId,
        customerId: rel.customerId,
        type: 'relation.ended',
        occurredAt: endedAt,
        employeeId: rel.employeeId,
        summary: byCustomer ? 'The customer deleted the employee' : 'The employee deleted the customer',
        data: { relationId: rel.id, endedBy: input.endedBy },
      });
      await this.relationsChanged(tx, actor.orgId, [{ employeeId: rel.employeeId, at: endedAt }]);
      const notices = byCustomer ? await this.noticeLoss(tx, actor.orgId, rel, employee) : new NotificationBatch();
      return { ended, notices };
    });
    await this.notifications.announce(notices);
    return ended;
  }

  /**
   * Loss alerts (docs/rules.md "Notifications"): a relation ended by its
   * customer tells the employee (while ACTIVE) and their managers, in the
   * caller's transaction; the caller announces the batch after commit.
   */
  private async noticeLoss(
    tx: Tx,
    orgId: string,
    rel: { id: string; employeeId: string },
    employee: { status: string } | null,
  ): Promise<NotificationBatch> {
    const addressees = await this.employees.managersOf(tx, orgId, rel.employeeId, 'customer', 'read');
    if (employee?.status === 'ACTIVE') addressees.unshift(rel.employeeId);
    if (!addressees.length) return new NotificationBatch();
    return this.notifications.addFrom(tx, 'CUSTOMER_LOST', LossNotices.of(orgId, rel.id, addressees));
  }

  /**
   * Bulk hand-over of relations (the reassignment module), in the caller's
   * transaction: for each row of `source` (the mover's fragment), a
   * still-ACTIVE source relation ends TRANSFERRED_AWAY and its takeover holds
   * an ACTIVE one (RelationsRepository.move); the employees' active counters
   * follow. Returns the refs of the moves that did not happen (a relation that
   * ended meanwhile does not move); the moves stay in PostgreSQL.
   */
  async moveRelations(tx: Tx, source: RelationMoveSource): Promise<Set<string>> {
    const { unmoved, lost, won } = await this.relations.move(tx, source);
    await this.employees.adjustActiveCustomerCounts(tx, lost);
    await this.employees.adjustActiveCustomerCounts(tx, won);
    return new Set(unmoved);
  }

  /** Customers among `customerIds` that have no ACTIVE relation with the employee. */
  notHeldBy(tx: Tx, orgId: string, employeeId: string, customerIds: string[]): Promise<string[]> {
    return this.relations.notHeldBy(tx, orgId, employeeId, customerIds);
  }

  /** How many ACTIVE relations the employee holds. */
  countActiveRelations(tx: Tx, orgId: string, employeeId: string): Promise<number> {
    return this.relations.countActive(tx, orgId, employeeId);
  }

  /**
   * Ends one relation inside the caller's transaction (e.g. a customer refused
   * a departure hand-over: ended by the customer, a lost customer). `ended`
   * is false when it was not ACTIVE any more; `notices` (loss alerts) are for
   * the caller to announce after its commit.
   */
  async endRelation(
    tx: Tx,
    orgId: string,
    relationId: string,
    endedBy: RelationEndedBy,
    at: Date,
    summary: string,
  ): Promise<{ ended: boolean; notices: NotificationBatch }> {
    const rel = await this.relations.findById(orgId, relationId, tx, true);
    if (!rel || rel.status !== 'ACTIVE') return { ended: false, notices: new NotificationBatch() };
    await this.relations.end(
      tx,
      orgId,
      rel.id,
      endedBy === RelationEndedBy.CUSTOMER ? 'DELETED_BY_CUSTOMER' : 'DELETED_BY_EMPLOYEE',
      at,
    );
    await this.employees.adjustActiveCustomerCount(tx, orgId, rel.employeeId, -1);
    await this.customers.touch(tx, orgId, [rel.customerId]);
    await this.timeline.record(tx, {
      orgId,
      customerId: rel.customerId,
      type: 'relation.ended',
      occurredAt: at,
      employeeId: rel.employeeId,
      summary,
      data: { relationId: rel.id, endedBy },
    });
    await this.relationsChanged(tx, orgId, [{ employeeId: rel.employeeId, at }]);
    if (endedBy !== RelationEndedBy.CUSTOMER) return { ended: true, notices: new NotificationBatch() };
    const employee = await this.employees.lockForUpdate(tx, orgId, rel.employeeId);
    return { ended: true, notices: await this.noticeLoss(tx, orgId, rel, employee) };
  }

  /**
   * Opens an ACTIVE relation inside the caller's transaction. The employee row
   * is locked so that capacity checks and departures for one employee run one
   * at a time: a relation is either added before a departure (and handed over)
   * or refused after it.
   */
  async addRelation(
    tx: Tx,
    actor: Actor,
    employeeId: string,
    customer: CustomerEntity,
    v: { addWay: AddWayValue; state?: string | null; remark?: string | null; addedAt: Date },
  ): Promise<AddedRelation> {
    const employee = await this.employees.lockForUpdate(tx, actor.orgId, employeeId);
    if (!employee) throw AppError.notFound('Employee', employeeId);
    if (employee.status !== 'ACTIVE') {
      throw AppError.conflict(`The employee is ${employee.status.toLowerCase()} and cannot take customers`, {
        field: 'employeeId',
      });
    }
    const existing = await this.relations.findActive(tx, actor.orgId, employeeId, customer.id);
    if (existing) return { relation: existing, customer, created: false, welcomeMessage: null };
    await this.assertCapacity(tx, employee, 1, actor);
    const relation = await this.relations.insert(tx, {
      orgId: actor.orgId,
      customerId: customer.id,
      employeeId,
      addWay: v.addWay,
      state: v.state ?? null,
      remark: v.remark?.trim() || null,
      addedAt: v.addedAt,
    });
    await this.employees.adjustActiveCustomerCount(tx, actor.orgId, employeeId, 1);
    if (relation.remark) await this.customers.refreshSearchText(tx, actor.orgId, [customer.id]);
    await this.timeline.record(tx, {
      orgId: actor.orgId,
      customerId: customer.id,
      type: 'relation.added',
      occurredAt: v.addedAt,
      employeeId,
      summary: `Added ${employee.name} (${v.addWay})`,
      data: { relationId: relation.id, addWay: v.addWay, state: v.state ?? null },
    });
    await this.relationsChanged(tx, actor.orgId, [{ employeeId, at: v.addedAt }]);
    let welcomeMessage: string | null = null;
    for (const hook of this.relationAddedHooks) {
      const out = await hook(tx, relation);
      if (out && out.welcomeMessage) welcomeMessage = out.welcomeMessage;
    }
    return { relation, customer, created: true, welcomeMessage };
  }

  /**
   * Runs the relation-added hooks (channel attribution) for relations opened
   * in bulk inside the caller's transaction, as addRelation does for one
   * (the CSV import). Welcome messages are dropped: nobody is there to send them.
   */
  async relationsAdded(tx: Tx, relations: readonly CustomerRelationEntity[]): Promise<void> {
    if (relations.length)
      await this.relationsChanged(
        tx,
        relations[0].orgId,
        relations.map((r) => ({ employeeId: r.employeeId, at: new Date(r.addedAt) })),
      );
    if (!this.relationAddedHooks.length) return;
    for (const relation of relations) for (const hook of this.relationAddedHooks) await hook(tx, relation);
  }

  /**
   * CONFLICT when `extra` more customers would put the employee over capacity
   * (reservations included). The counts are told only to a caller who may read
   * the employee (`actor`; none: the operator's CLI): capacity and customer
   * counts are beyond what colleagues outside one's scope see (docs/rules.md).
   */
  async assertCapacity(tx: Tx, employee: EmployeeEntity, extra: number, actor?: Actor): Promise<void> {
    const reserved = await this.reserved(tx, employee);
    if (freeCapacity(employee, reserved) < extra) {
      const scope = actor && (await this.authz.scopeFor(actor, 'employee', 'read'));
      const readable =
        scope &&
        (employee.id === actor?.employeeId || (await this.employees.inScope(employee.orgId, employee.id, scope)));
      if (actor && !readable) {
        throw AppError.conflict(`${employee.name} is at capacity`, { field: 'employeeId' });
      }
      throw AppError.conflict(
        `${employee.name} is at capacity (${employee.activeCustomerCount} held, ${reserved} arriving, capacity ${employee.customerCapacity})`,
        { field: 'employeeId', capacity: employee.customerCapacity },
      );
    }
  }

  /** How many more customers the employee can take now (org's capacity rule, reservations included). */
  async freeCapacity(tx: Tx, employee: EmployeeEntity): Promise<number> {
    return freeCapacity(employee, await this.reserved(tx, employee));
  }

  private async reserved(tx: Tx, employee: EmployeeEntity): Promise<number> {
    let reserved = 0;
    for (const source of this.reservations) reserved += await source(tx, employee.orgId, employee.id);
    return reserved;
  }

  private async employeeInScope(
    actor: Actor,
    employeeId: string,
    action: string,
    field: string,
  ): Promise<EmployeeEntity> {
    const scope = await this.scope(actor, action);
    const e = await this.employees.findById(actor.orgId, employeeId);
    if (!e) throw new AppError('NOT_FOUND', `${field}: employee ${employeeId} not found`, { field });
    if (!scope.organization && e.id !== scope.employeeId && !(await this.employees.inScope(actor.orgId, e.id, scope))) {
      throw AppError.forbidden(`${field}: employee ${employeeId} is outside your data scope`);
    }
    return e;
  }

  async assertTags(orgId: string, tagIds: string[], field: string): Promise<void> {
    const found = new Set((await this.tags.existing(orgId, tagIds)).map((t) => t.id));
    const missing = tagIds.filter((id) => !found.has(id));
    if (missing.length) throw AppError.notFoundIds(field, 'tag', missing);
  }

  private values(c: CustomerInput, field: string) {
    return {
      externalId: c.externalId?.trim() || null,
      name: c.name.trim(),
      company: c.company?.trim() || null,
      phone: c.phone ? normalizePhone(c.phone, `${field}.phone`) : null,
      stage: c.stage,
    };
  }
}

/** Whether scope `a` reaches every row scope `b` reaches (the cases that can be told without SQL). */
function covers(a: DataScope, b: DataScope): boolean {
  if (a.organization) return true;
  if (b.organization) return false;
  const depts = new Set(a.departmentIds);
  return b.departmentIds.every((d) => depts.has(d)) && (!b.employeeId || b.employeeId === a.employeeId);
}

function sortValue(c: CustomerRow, sort: CustomerSortField): string | null {
  switch (sort) {
    case 'name':
      return c.name;
    case 'updated_at':
      return new Date(c.updatedAt).toISOString();
    case 'last_contact_at':
      return c.lastContactAt ? new Date(c.lastContactAt).toISOString() : null;
    default:
      return new Date(c.createdAt).toISOString();
  }
}
