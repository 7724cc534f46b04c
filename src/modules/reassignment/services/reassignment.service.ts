import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Actor, DataScope } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { QueueService } from 'src/core/queue';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { TimelineService } from 'src/modules/customers/services/timeline.service';
import { RelationEndedBy } from 'src/modules/customers/types/customer.types';
import { EmployeeEntity, EmployeesService } from 'src/modules/org/services/employees.service';
import { OrganizationEntity, OrganizationsService } from 'src/modules/org/services/organizations.service';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { freeCapacity } from 'src/modules/org/services/capacity';
import {
  DepartEmployeeInput,
  HandoverFilter,
  PreviewHandoverInput,
  RecordTransferResponseInput,
  TakeoverInput,
  TransferCustomersInput,
} from 'src/modules/reassignment/dto/reassignment.inputs';
import { HandoverEntity, TransferKindValue } from 'src/modules/reassignment/entities/handover.entity';
import { TransferEntity } from 'src/modules/reassignment/entities/transfer.entity';
import { COMPLETE_HANDOVER } from 'src/modules/reassignment/jobs/job-names';
import { NotificationBatch, NotificationsService } from 'src/modules/notifications/services/notifications.service';
import {
  CompletedTransferMoves,
  HandoverNotices,
  PlanInput,
  TakeoverRef,
  TransfersRepository,
} from 'src/modules/reassignment/repositories/transfers.repository';
import { HandoverPreview, TransferKind } from 'src/modules/reassignment/types/reassignment.types';
import { CompletedTransferParticipants } from 'src/modules/reassignment/reassignment.fragments';

/** Due transfers completed per transaction by jobs and sweeps. */
export const COMPLETION_BATCH = 5000;

/**
 * Departures and on-the-job transfers as a reconciled state machine: a
 * hand-over and all its transfers are created in one transaction with
 * set-based SQL; WAITING transfers complete at takeoverAt through a delayed
 * job per hand-over, and a periodic sweep completes anything overdue, so a lost
 * job or a worker that was down still completes each transfer exactly once
 * (rows are claimed with FOR UPDATE SKIP LOCKED and only WAITING rows move).
 */
/**
 * Runs in the transaction that completed transfers, after they are settled (KPI rollups recount the days of
 * both employees of each, committing with the completion).
 */
export type TransfersCompletedHook = (tx: Tx, completed: CompletedTransferParticipants) => Promise<void>;

@Injectable()
export class ReassignmentService implements OnModuleInit {
  private readonly logger = new Logger('Reassignment');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly transfers: TransfersRepository,
    private readonly customers: CustomersService,
    private readonly timeline: TimelineService,
    private readonly employees: EmployeesService,
    private readonly organizations: OrganizationsService,
    private readonly authz: AuthzService,
    private readonly queue: QueueService,
    private readonly notifications: NotificationsService,
  ) {}

  private readonly completedHooks: TransfersCompletedHook[] = [];

  /** Registers a hook run in the transaction that completed transfers (see TransfersCompletedHook). */
  onTransfersCompleted(hook: TransfersCompletedHook): void {
    this.completedHooks.push(hook);
  }

  onModuleInit(): void {
    // Transfers waiting to arrive hold capacity at their takeover.
    this.customers.addReservationSource((tx, orgId, employeeId) => this.transfers.waitingTo(tx, orgId, employeeId));
  }

  async depart(actor: Actor, input: DepartEmployeeInput): Promise<HandoverEntity> {
    const scope = await this.scope(actor, 'create');
    const { from, takeovers, org } = await this.participants(
      actor,
      scope,
      input.employeeId,
      'input.employeeId',
      input.takeover,
    );
    const { handover, waiting, notices } = await this.uow.run(async (tx) => {
      await this.transfers.lockEmployee(tx, actor.orgId, from.id);
      const locked = await this.employees.lockMany(tx, actor.orgId, [from.id, ...takeovers]);
      this.assertTakeoversActive(locked, takeovers);
      if (locked.get(from.id)?.status === 'DEPARTED') {
        // Called again: hand over only what is still unplaced; nothing unplaced returns the last hand-over.
        const unplaced =
          (await this.customers.countActiveRelations(tx, actor.orgId, from.id)) -
          (await this.transfers.countWaitingOf(actor.orgId, from.id, null));
        const last = await this.transfers.latestHandover(tx, actor.orgId, from.id, 'DEPARTURE');
        if (unplaced <= 0 && last) return { handover: last, waiting: 0, notices: new NotificationBatch() };
      } else {
        await this.employees.markDeparted(tx, actor.orgId, from.id, new Date());
      }
      const free = await this.freeOf(tx, actor.orgId, takeovers, locked);
      return this.createHandover(tx, actor, 'DEPARTURE', from, null, input.takeover, input.message, org, free);
    });
    await this.employees.departed(actor.orgId, from.id);
    await this.notifications.announce(notices);
    await this.afterCreate(handover, waiting, org.transferAcceptanceMinutes);
    return handover;
  }

  async transfer(actor: Actor, input: TransferCustomersInput): Promise<HandoverEntity> {
    const scope = await this.scope(actor, 'create');
    const { from, takeovers, org } = await this.participants(
      actor,
      scope,
      input.fromEmployeeId,
      'input.fromEmployeeId',
      input.takeover,
      (e) => {
        if (e.status !== 'ACTIVE')
          throw AppError.conflict('On-the-job transfers move customers between active employees; use departEmployee', {
            field: 'input.fromEmployeeId',
          });
      },
    );
    const customerIds = [...new Set(input.customerIds)];
    await this.customers.assertAll(actor, customerIds, 'read', 'input.customerIds');
    const { handover, waiting, notices } = await this.uow
      .run(async (tx) => {
        await this.transfers.lockEmployee(tx, actor.orgId, from.id);
        const locked = await this.employees.lockMany(tx, actor.orgId, [from.id, ...takeovers]);
        this.assertTakeoversActive(locked, takeovers);
        const notHeld = await this.customers.notHeldBy(tx, actor.orgId, from.id, customerIds);
        if (notHeld.length) {
          throw AppError.badInput('input.customerIds', `not active customers of the employee: ${notHeld.join(', ')}`);
        }
        const waitingAlready = await this.transfers.waitingCustomers(tx, actor.orgId, customerIds);
        if (waitingAlready.length) {
          throw AppError.conflict(`A transfer is already waiting for: ${waitingAlready.join(', ')}`, {
            field: 'input.customerIds',
            ids: waitingAlready,
          });
        }
        const free = await this.freeOf(tx, actor.orgId, takeovers, locked);
        return this.createHandover(tx, actor, 'ON_JOB', from, customerIds, input.takeover, input.message, org, free);
      })
      .catch((e) => {
        // Two requests racing for one customer: the unique index on WAITING transfers keeps one.
        if ((e as { code?: string }).code === '23505')
          throw AppError.conflict('A transfer is already waiting for one of these customers');
        throw e;
      });
    await this.notifications.announce(notices);
    await this.afterCreate(handover, waiting, org.transferAcceptanceMinutes);
    return handover;
  }

  /** What a hand-over would do, without changing anything (the console's departure wizard). */
  async preview(actor: Actor, input: PreviewHandoverInput): Promise<HandoverPreview> {
    const scope = await this.scope(actor, 'create');
    const { from, takeovers, org, employees } = await this.participants(
      actor,
      scope,
      input.fromEmployeeId,
      'input.fromEmployeeId',
      input.takeover,
    );
    const customerIds = input.kind === TransferKind.ON_JOB ? [...new Set(input.customerIds ?? [])] : null;
    const free = await this.freeOf(null, actor.orgId, takeovers, employees);
    const capacity = new Map(takeovers.map((id, i) => [id, free[i]]));
    const plan = this.plan(
      actor.orgId,
      input.kind as TransferKindValue,
      from.id,
      customerIds,
      input.takeover,
      org,
      free,
    );
    const [rows, alreadyWaiting] = await Promise.all([
      this.transfers.previewPlan(plan),
      this.transfers.countWaitingOf(actor.orgId, from.id, customerIds),
    ]);
    const sum = (status: string) => rows.filter((r) => r.status === status).reduce((a, r) => a + r.n, 0);
    const placed = sum('WAITING');
    return {
      customers: placed + sum('TAKEOVER_LIMIT_EXCEEDED') + sum('TRANSFER_LIMIT_EXCEEDED'),
      placed,
      takeoverLimitExceeded: sum('TAKEOVER_LIMIT_EXCEEDED'),
      transferLimitExceeded: sum('TRANSFER_LIMIT_EXCEEDED'),
      alreadyWaiting,
      takeovers: takeovers.map((id) => ({
        employeeId: id,
        orgId: actor.orgId,
        assigned: rows.filter((r) => r.status === 'WAITING' && r.toEmployeeId === id).reduce((a, r) => a + r.n, 0),
        capacityLeft: capacity.get(id) ?? 0,
      })),
    };
  }

  /**
   * The customer's answer: accepted completes the transfer now; refused ends
   * it REFUSED — ON_JOB keeps the customer with the old employee, DEPARTURE
   * ends the old relation as ended by the customer (a lost customer).
   */
  async respond(actor: Actor, input: RecordTransferResponseInput): Promise<TransferEntity> {
    const scope = await this.scope(actor, 'respond');
    const { transfer, notices } = await this.uow.run(async (tx) => {
      const found = await this.transfers.findById(actor.orgId, input.transferId, tx);
      if (!found)
        throw new AppError('NOT_FOUND', `input.transferId: transfer ${input.transferId} not found`, {
          field: 'input.transferId',
        });
      if (!scope.organization && !(await this.employees.inScope(actor.orgId, found.fromEmployeeId, scope))) {
        throw AppError.forbidden('input.transferId: the transfer is outside your data scope');
      }
      await this.employees.lockMany(tx, actor.orgId, [found.fromEmployeeId, found.toEmployeeId]);
      const t = (await this.transfers.findById(actor.orgId, found.id, tx, true))!;
      if (t.status !== 'WAITING') throw AppError.conflict(`The transfer is ${t.status}, not WAITING`);
      let notices: NotificationBatch;
      if (input.accepted) {
        notices = (await this.completeClaimed(tx, { orgId: actor.orgId, transferId: t.id, now: true })).notices;
      } else {
        await this.transfers.setStatus(tx, actor.orgId, t.id, 'REFUSED');
        await this.timeline.record(tx, {
          orgId: actor.orgId,
          customerId: t.customerId,
          type: 'transfer.refused',
          employeeId: t.toEmployeeId,
          summary:
            t.kind === 'DEPARTURE'
              ? 'The customer refused the hand-over after a departure'
              : 'The customer refused the transfer',
          data: { transferId: t.id, handoverId: t.handoverId, kind: t.kind },
        });
        let lost = new NotificationBatch();
        if (t.kind === 'DEPARTURE') {
          ({ notices: lost } = await this.customers.endRelation(
            tx,
            actor.orgId,
            t.fromRelationId,
            RelationEndedBy.CUSTOMER,
            new Date(),
            'The customer refused the hand-over',
          ));
        }
        notices = lost.concat(
          await this.notifications.addFrom(
            tx,
            'HANDOVER_FINISHED',
            HandoverNotices.finished(actor.orgId, t.handoverId),
          ),
        );
      }
      return { transfer: (await this.transfers.findById(actor.orgId, t.id, tx))!, notices };
    });
    await this.notifications.announce(notices);
    return transfer;
  }

  /**
   * Completes due WAITING transfers in batches (each its own transaction) and
   * returns how many were resolved. Safe to run concurrently and repeatedly.
   */
  async completeDue(filter: { orgId?: string; handoverId?: string } = {}, maxBatches = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const { n, notices } = await this.uow.run((tx) => this.completeClaimed(tx, filter));
      await this.notifications.announce(notices);
      total += n;
      if (n < COMPLETION_BATCH) break;
    }
    return total;
  }

  // ------------------------------------------------------------------ reads

  async getHandover(actor: Actor, id: string): Promise<HandoverEntity> {
    const scope = await this.scope(actor, 'read');
    const h = await this.transfers.findHandover(actor.orgId, id);
    if (!h) throw new AppError('NOT_FOUND', `id: handover ${id} not found`, { field: 'id' });
    if (!scope.organization && !(await this.employees.inScope(actor.orgId, h.fromEmployeeId, scope))) {
      throw AppError.forbidden('id: the handover is outside your data scope');
    }
    return h;
  }

  async listHandovers(
    actor: Actor,
    filter: HandoverFilter | undefined,
    first?: number,
    after?: string | null,
  ): Promise<Page<HandoverEntity>> {
    const scope = await this.scope(actor, 'read');
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    const rows = await this.transfers.handoverPage(
      actor.orgId,
      { kind: filter?.kind, fromEmployeeId: filter?.fromEmployeeId, after: cursor, limit: limit + 1 },
      ScopeEmployees.of(scope, actor.orgId),
    );
    return toPage(rows, limit, (h) => [new Date(h.createdAt).toISOString(), h.id]);
  }

  counts(orgId: string, handoverIds: readonly string[]) {
    return this.transfers.counts(orgId, handoverIds);
  }

  async transferPage(
    orgId: string,
    handoverId: string,
    statuses: string[] | undefined,
    first?: number,
    after?: string | null,
  ) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    const rows = await this.transfers.transferPage(orgId, handoverId, statuses, cursor, limit + 1);
    return toPage(rows, limit, (t) => [new Date(t.createdAt).toISOString(), t.id]);
  }

  // ------------------------------------------------------------------ internals

  /**
   * Free capacity of each takeover, in order, by org's capacity rule: the
   * transfers waiting to arrive are reserved. `employees` as locked (or read,
   * for a preview outside a transaction).
   */
  private async freeOf(
    tx: Tx | null,
    orgId: string,
    takeovers: string[],
    employees: ReadonlyMap<string, { customerCapacity: number; activeCustomerCount: number }>,
  ): Promise<number[]> {
    const reserved = await this.transfers.waitingToMany(tx, orgId, takeovers);
    return takeovers.map((id) => freeCapacity(employees.get(id)!, reserved.get(id) ?? 0));
  }

  private plan(
    orgId: string,
    kind: TransferKindValue,
    fromId: string,
    customerIds: string[] | null,
    takeover: TakeoverInput,
    org: { onJobTransferLimit: number; onJobTransferWindowDays: number },
    free: number[],
  ): PlanInput {
    return {
      orgId,
      kind,
      fromEmployeeId: fromId,
      customerIds,
      strategy: takeover.strategy,
      takeoverEmployeeIds: [...new Set(takeover.takeoverEmployeeIds)],
      free,
      limit: org.onJobTransferLimit,
      windowDays: org.onJobTransferWindowDays,
    };
  }

  private async createHandover(
    tx: Tx,
    actor: Actor,
    kind: TransferKindValue,
    from: EmployeeEntity,
    customerIds: string[] | null,
    takeover: TakeoverInput,
    message: string | undefined,
    org: { transferAcceptanceMinutes: number; onJobTransferLimit: number; onJobTransferWindowDays: number },
    free: number[],
  ): Promise<{ handover: HandoverEntity; waiting: number; notices: NotificationBatch }> {
    const handover = await this.transfers.insertHandover(tx, {
      orgId: actor.orgId,
      kind,
      fromEmployeeId: from.id,
      requestedById: actor.employeeId ?? null,
      requestedByApiKeyId: actor.apiKeyId ?? null,
      strategy: takeover.strategy,
      takeoverEmployeeIds: [...new Set(takeover.takeoverEmployeeIds)],
      message: message?.trim() || null,
    });
    const takeoverAt = new Date(Date.now() + org.transferAcceptanceMinutes * 60_000);
    // No acceptance window: the placed transfers are written COMPLETED and their relations move in this transaction.
    const completeNow = org.transferAcceptanceMinutes === 0;
    const plan = this.plan(actor.orgId, kind, from.id, customerIds, takeover, org, free);
    // Requested and failed transfers get their event in the same
    // statement; completed ones get theirs from finishCompleted.
    const { counts, takeovers: completedTo } = await this.transfers.insertPlan(
      tx,
      handover,
      plan,
      takeoverAt,
      completeNow,
      (source) => this.timeline.insertFrom(source),
    );
    let notices = counts.COMPLETED ? await this.finishCompleted(tx, completedTo) : new NotificationBatch();
    const waiting = counts.WAITING ?? 0;
    // Each takeover learns, in this transaction, how many customers wait for them.
    if (waiting)
      notices = notices.concat(
        await this.notifications.addFrom(tx, 'TRANSFER_WAITING', HandoverNotices.waiting(actor.orgId, handover.id)),
      );
    this.logger.log({ msg: 'handover created', handoverId: handover.id, kind, counts });
    return { handover, waiting, notices };
  }

  /** Enqueues the completion at takeoverAt; the sweep repairs it should this be lost. */
  private async afterCreate(handover: HandoverEntity, waiting: number, acceptanceMinutes: number): Promise<void> {
    if (!waiting) return;
    try {
      await this.queue.enqueue(
        COMPLETE_HANDOVER,
        { orgId: handover.orgId, handoverId: handover.id },
        { jobId: `handover:${handover.id}`, delayMs: acceptanceMinutes * 60_000 + 500 },
      );
    } catch (e) {
      this.logger.warn({
        msg: 'could not enqueue hand-over completion; the sweep will complete it',
        handoverId: handover.id,
        error: (e as Error).message,
      });
    }
  }

  /**
   * Claims due transfers and moves their relations, in the caller's
   * transaction. Returns how many were claimed and the notices to announce
   * after commit.
   */
  private async completeClaimed(
    tx: Tx,
    filter: { orgId?: string; handoverId?: string; transferId?: string; now?: boolean },
    batch = COMPLETION_BATCH,
  ): Promise<{ n: number; notices: NotificationBatch }> {
    const claimed = await this.transfers.claimDue(tx, filter, batch);
    const notices = claimed.n ? await this.finishCompleted(tx, claimed.takeovers) : new NotificationBatch();
    return { n: claimed.n, notices };
  }

  /**
   * Moves the relations of the transfers just marked COMPLETED in this
   * transaction (the repository's `completed_transfers`; `takeovers` are
   * theirs), cancels those whose relation or takeover is no longer active, and
   * writes each one's timeline event: a handful of set-based statements
   * whatever the count, and no row per transfer comes into Node (Customers
   * reads the moves from this module's fragment, CompletedTransferMoves).
   */
  private async finishCompleted(tx: Tx, takeovers: readonly TakeoverRef[]): Promise<NotificationBatch> {
    const named = await this.employees.namesOf(tx, takeovers);
    // Only to takeovers still active; a takeover who left meanwhile gets nothing (the transfer is canceled).
    const active = named.filter((e) => e.status === 'ACTIVE');
    const unmoved = active.length
      ? await this.customers.moveRelations(tx, CompletedTransferMoves.toTakeovers(active))
      : new Set<string>();
    await this.transfers.settleCompleted(tx, unmoved, named, (source) => this.timeline.insertFrom(source));
    for (const hook of this.completedHooks) await hook(tx, CompletedTransferParticipants.ofThisTransaction());
    // The one who started a hand-over learns when its last transfer is no longer waiting.
    return this.notifications.addFrom(tx, 'HANDOVER_FINISHED', HandoverNotices.finishedOfCompleted());
  }

  private scope(actor: Actor, action: string): Promise<DataScope> {
    return this.authz.requireScope(actor, 'handover', action);
  }

  /**
   * The employee handing over and the takeovers, read in one statement beside
   * the organization's settings, then checked in this order: the employee
   * exists (NOT_FOUND) and is in scope (FORBIDDEN), `checkFrom`, then the
   * takeovers: not the one handing over (BAD_USER_INPUT), in the organization
   * (NOT_FOUND), ACTIVE (BAD_USER_INPUT), in scope (FORBIDDEN).
   */
  private async participants(
    actor: Actor,
    scope: DataScope,
    fromId: string,
    fromField: string,
    takeover: TakeoverInput,
    checkFrom?: (from: EmployeeEntity) => void,
  ): Promise<{
    from: EmployeeEntity;
    takeovers: string[];
    org: OrganizationEntity;
    employees: Map<string, EmployeeEntity>;
  }> {
    const field = 'input.takeover.takeoverEmployeeIds';
    const ids = [...new Set(takeover.takeoverEmployeeIds)];
    const [rows, org] = await Promise.all([
      this.employees.findByIds(actor.orgId, [...new Set([fromId, ...ids])]),
      this.organizations.get(actor.orgId),
    ]);
    const from = rows.find((e) => e.id === fromId);
    if (!from) throw new AppError('NOT_FOUND', `${fromField}: employee ${fromId} not found`, { field: fromField });
    if (!scope.organization && !(await this.employees.inScope(actor.orgId, fromId, scope))) {
      throw AppError.forbidden(`${fromField}: employee ${fromId} is outside your data scope`);
    }
    checkFrom?.(from);
    if (ids.includes(fromId)) throw AppError.badInput(field, 'must not include the employee handing over');
    const found = rows.filter((e) => e.id !== fromId);
    const missing = ids.filter((id) => !found.some((e) => e.id === id));
    if (missing.length) throw AppError.notFoundIds(field, 'employee', missing);
    const inactive = found.filter((e) => e.status !== 'ACTIVE').map((e) => e.id);
    if (inactive.length) throw AppError.badInput(field, `takeover employees must be ACTIVE: ${inactive.join(', ')}`);
    if (!scope.organization) {
      for (const id of ids) {
        if (!(await this.employees.inScope(actor.orgId, id, scope)))
          throw AppError.forbidden(`${field}: employee ${id} is outside your data scope`);
      }
    }
    return { from, takeovers: ids, org, employees: new Map(rows.map((e) => [e.id, e])) };
  }

  /** CONFLICT unless every takeover is still ACTIVE, as locked (EmployeesService.lockMany). */
  private assertTakeoversActive(locked: ReadonlyMap<string, { status: string }>, ids: string[]): void {
    const inactive = ids.filter((id) => locked.get(id)?.status !== 'ACTIVE');
    if (inactive.length) throw AppError.conflict(`Takeover employees are no longer active: ${inactive.join(', ')}`);
  }
}
