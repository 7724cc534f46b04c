import { Injectable, Logger } from '@nestjs/common';
import { DaySelection, OwnerChangeRow } from 'src/core/database/day-selection';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { DayMessages, StoredMessageRow } from 'src/modules/chat-audit/chat-audit.fragments';
import { RelationKpiCounts } from 'src/modules/customers/customers.fragments';
import { MomentTaskKpiCounts } from 'src/modules/moments/moments.fragments';
import { TransferKpiCounts } from 'src/modules/reassignment/reassignment.fragments';
import {
  KpiDb,
  KpiRollupsRepository,
  KpiSource,
} from 'src/modules/kpi/repositories/kpi-rollups.repository';
import { datesBetween } from './kpi-math';
import { TeamDeltaSet } from './kpi-team-deltas';

/** Changes listed in Node (a hook that has them at hand), as the SQL rows employeeDaysOf reads. */
class ListedChanges extends SqlFragment<OwnerChangeRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, changes: ReadonlyArray<{ employeeId: string; at: Date }>): ListedChanges {
    return new ListedChanges(
      `SELECT $1::uuid AS org_id, u.owner_id, u.at FROM unnest($2::uuid[], $3::timestamptz[]) u(owner_id, at)`,
      [orgId, changes.map((c) => c.employeeId), changes.map((c) => c.at.toISOString())],
    );
  }
}

/** Someone told of the (employee) rollups a committed change touched (live updates). */
export type RollupsChangedListener = (orgId: string, employeeIds: readonly string[]) => void;

/** Days per transaction of a rebuild: bounds one transaction's work at a few weeks of messages. */
const REBUILD_CHUNK_DAYS = 7;
/** The longest range a rebuild takes in one call. */
export const MAX_REBUILD_DAYS = 3_660;

/**
 * Keeps KPI rollups (DOMAIN.md "KPI") in step with the owners' rows: the owners' hooks run in the transaction
 * of each change, add new messages to their conversation-days and recompute only the (employee, day)s touched, so
 * the numbers commit with the change (and are read at once). `rebuild` recomputes a range from the same
 * rows by the same rules: a rebuild and the incremental updates give the same rows.
 */
@Injectable()
export class KpiRollupsService {
  private readonly logger = new Logger('KpiRollups');
  private readonly listeners: RollupsChangedListener[] = [];
  /** Per transaction (its handle), per organization: what its changes owe the team rows at its end. */
  private readonly owed = new WeakMap<KpiDb, Map<string, TeamDeltaSet>>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly rollups: KpiRollupsRepository,
  ) {}

  /** Listens to the rollups each transaction touches (told in the transaction: the caller defers its work). */
  onChanged(listener: RollupsChangedListener): void {
    this.listeners.push(listener);
  }

  /**
   * The messages hook (ChatIngestService.onMessagesStored): adds the new messages to their conversation-days
   * (a delta: the days' earlier messages are not read again), then recomputes their (employee, day)s from those.
   */
  async messagesStored(db: KpiDb, orgId: string, stored: SqlFragment<StoredMessageRow>): Promise<void> {
    const timezone = await this.rollups.timezoneOf(db, orgId);
    const keys = await this.rollups.employeeDaysOfMessages(db, timezone, stored);
    if (!keys.length) return;
    const employeeIds = keys.map((k) => k.employeeId);
    const days = keys.map((k) => k.day);
    await this.rollups.lockEmployeeDays(db, orgId, employeeIds, days);
    await this.rollups.addConversationDays(db, orgId, timezone, stored);
    const sel = { kind: 'pairs', ownerIds: employeeIds, days } as const;
    await this.changingEmployeeDays(db, orgId, sel, () => this.rollups.recomputeMessageCounters(db, orgId, sel));
    this.tell(orgId, employeeIds);
  }

  /** The hook of relations, transfers and moment tasks: recomputes that source's counters of the changed days. */
  async ownerChanged(db: KpiDb, source: KpiSource, changes: SqlFragment<OwnerChangeRow>): Promise<void> {
    const keys = await this.rollups.employeeDaysOf(db, changes);
    const byOrg = new Map<string, { timezone: string; employeeIds: string[]; days: string[] }>();
    for (const k of keys) {
      const org = byOrg.get(k.orgId) ?? { timezone: k.timezone, employeeIds: [], days: [] };
      org.employeeIds.push(k.employeeId);
      org.days.push(k.day);
      byOrg.set(k.orgId, org);
    }
    for (const [orgId, { timezone, employeeIds, days }] of byOrg) {
      await this.rollups.lockEmployeeDays(db, orgId, employeeIds, days);
      const sel = { kind: 'pairs', ownerIds: employeeIds, days } as const;
      await this.changingEmployeeDays(db, orgId, sel, async () => {
        const counts = countsOf(source, orgId, timezone, sel);
        await this.rollups.recomputeSourceCounters(db, orgId, source, sel, counts);
      });
      this.tell(orgId, employeeIds);
    }
  }

  /** The relations hook (CustomersService.onRelationsChanged). */
  relationsChanged(db: KpiDb, orgId: string, changes: ReadonlyArray<{ employeeId: string; at: Date }>) {
    return this.ownerChanged(db, 'relations', ListedChanges.of(orgId, changes));
  }

  /**
   * The department hook (EmployeesService.onDepartmentChanging), run in the move's transaction before the
   * employee's row changes: department rows count employees by their current department, so the employee's
   * whole history leaves the old department's rows and joins the new one's. It holds the organization's rollups
   * exclusively (as a rebuild): an update in flight read the old department and commits first; one after it
   * waits for the move to commit and reads the new one.
   */
  async departmentChanging(
    db: KpiDb,
    orgId: string,
    employeeId: string,
    from: string | null,
    to: string | null,
  ): Promise<void> {
    if (from === to) return;
    await this.rollups.lockOrganization(db, orgId);
    // This transaction's own changes of employee-days reach the team rows first: the recompute below reads them.
    await this.payOwed(db);
    const days = await this.rollups.daysOf(db, orgId, employeeId);
    const ids = [from, to].filter((d): d is string => d !== null);
    if (days.length && ids.length)
      await this.rollups.recomputeTeamDays(db, orgId, days, { ids }, false, { employeeId, departmentId: to });
    this.tell(orgId, [employeeId]);
  }

  /**
   * Recomputes the rollups of days `from` to `to` (dates of the organization's time zone) from raw rows, a
   * week per transaction; each week's transaction holds the organization's rollups, so no update interleaves.
   */
  async rebuild(orgId: string, from: string, to: string): Promise<{ days: number }> {
    const days = datesBetween(from, to);
    if (!days.length) throw AppError.badInput('to', 'must not be before from');
    if (days.length > MAX_REBUILD_DAYS)
      throw AppError.badInput('to', `a rebuild covers at most ${MAX_REBUILD_DAYS} days`);
    for (let i = 0; i < days.length; i += REBUILD_CHUNK_DAYS) {
      const chunk = days.slice(i, i + REBUILD_CHUNK_DAYS);
      await this.uow.run((tx) => this.rebuildRange(tx, orgId, chunk[0], chunk[chunk.length - 1]));
    }
    this.logger.log({ msg: 'kpi rollups rebuilt', orgId, from, to });
    this.tell(orgId, []);
    return { days: days.length };
  }

  private async rebuildRange(db: KpiDb, orgId: string, from: string, to: string): Promise<void> {
    await this.rollups.lockOrganization(db, orgId);
    const timezone = await this.rollups.timezoneOf(db, orgId);
    const sel: DaySelection = { kind: 'range', from, to };
    await this.rollups.recomputeConversationDays(
      db,
      orgId,
      { sql: 'c.day BETWEEN $2::date AND $3::date', params: [from, to] },
      DayMessages.ofDays(orgId, timezone, from, to),
    );
    await this.rollups.recomputeMessageCounters(db, orgId, sel);
    for (const source of ['relations', 'transfers', 'momentTasks'] as const) {
      const counts = countsOf(source, orgId, timezone, sel);
      await this.rollups.recomputeSourceCounters(db, orgId, source, sel, counts);
    }
    await this.rollups.dropEmpty(db, orgId, sel);
    await this.employeeDaysChanged(db, orgId, sel);
  }

  /**
   * What follows a recomputation of employee-days: their weeks, and the department (by each employee's current
   * department) and organization rows of their days (a rebuild; the hooks go through changingEmployeeDays), in
   * the same transaction under the same locks.
   */
  private async employeeDaysChanged(db: KpiDb, orgId: string, sel: DaySelection): Promise<void> {
    await this.rollups.recomputeEmployeeWeeks(db, orgId, sel);
    if (sel.kind === 'range') await this.rollups.recomputeTeamDays(db, orgId, sel, 'all', true);
  }

  /**
   * A hook's recomputation of some (employee, day)s (`recompute`, under their locks), then their weeks; what it
   * changed in them is owed to the team rows of their days, paid at the end of the transaction (payOwed). A
   * team row is never recomputed from all its employee-days here: that would need every other writer of the day
   * held off until this transaction commits (issue 20: a burst of moments firing ran one transaction at a time).
   */
  private async changingEmployeeDays(
    db: KpiDb,
    orgId: string,
    sel: DaySelection & { kind: 'pairs' },
    recompute: () => Promise<void>,
  ): Promise<void> {
    const before = await this.rollups.teamDaySums(db, orgId, sel);
    await recompute();
    const after = await this.rollups.teamDaySums(db, orgId, sel);
    await this.rollups.recomputeEmployeeWeeks(db, orgId, sel);
    let owed = this.owed.get(db);
    if (!owed) {
      owed = new Map();
      this.owed.set(db, owed);
      // A transaction whose end is not known (neither a unit of work nor begun with UnitOfWork.begin): paid now.
      if (!UnitOfWork.beforeCommit(db, () => this.payOwed(db))) {
        this.owed.delete(db);
        const now = new TeamDeltaSet();
        now.add(before, after);
        const { departments, organization } = now.deltas();
        await this.rollups.applyTeamDeltas(db, orgId, departments, organization);
        return;
      }
    }
    const set = owed.get(orgId) ?? new TeamDeltaSet();
    owed.set(orgId, set);
    set.add(before, after);
  }

  /** Applies what a transaction owes the team rows (organizations in id order: a fixed order of row locks). */
  private async payOwed(db: KpiDb): Promise<void> {
    const owed = this.owed.get(db);
    this.owed.delete(db);
    if (!owed) return;
    for (const orgId of [...owed.keys()].sort()) {
      const { departments, organization } = owed.get(orgId)!.deltas();
      await this.rollups.applyTeamDeltas(db, orgId, departments, organization);
    }
  }

  private tell(orgId: string, employeeIds: readonly string[]): void {
    for (const l of this.listeners) l(orgId, [...new Set(employeeIds)]);
  }
}

/** The owner's counts of one source for a selection. */
function countsOf(source: KpiSource, orgId: string, timezone: string, sel: DaySelection) {
  switch (source) {
    case 'relations':
      return RelationKpiCounts.of(orgId, timezone, sel);
    case 'transfers':
      return TransferKpiCounts.of(orgId, timezone, sel);
    case 'momentTasks':
      return MomentTaskKpiCounts.of(orgId, timezone, sel);
  }
}
