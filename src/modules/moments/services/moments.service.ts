import { Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import DataLoader from 'dataloader';
import { Actor } from 'src/core/authz/actor';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { AppError, FieldProblem } from 'src/core/errors/app-error';
import { memoIn } from 'src/core/graphql/gql-context';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { QueueService } from 'src/core/queue';
import { EventBus } from 'src/core/realtime/event-bus';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { TimelineService } from 'src/modules/customers/services/timeline.service';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { OrganizationRows } from 'src/modules/org/org.fragments';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import {
  CreateMomentInput,
  MomentAttachmentInput,
  MomentAudienceInput,
  MomentFilter,
  RecordMomentInteractionInput,
  ScheduleMomentInput,
  UpdateMomentInput,
} from 'src/modules/moments/dto/moment.inputs';
import { MomentEntity } from 'src/modules/moments/entities/moment.entity';
import { MomentTaskEntity, MomentTaskStatusValue } from 'src/modules/moments/entities/moment-task.entity';
import {
  PUBLISH_MOMENT,
  PublishMomentPayload,
  publishJobId,
  publishPriority,
} from 'src/modules/moments/jobs/job-names';
import { NotificationBatch, NotificationsService } from 'src/modules/notifications/services/notifications.service';
import {
  MomentReachRow,
  MomentsRepository,
  MomentStatsRow,
  MomentTaskNotices,
} from 'src/modules/moments/repositories/moments.repository';
import { MomentTaskChanges } from 'src/modules/moments/moments.fragments';
import { MomentAudience, momentAudienceSql, momentSliceSql } from './moment-audience';
import { attachmentProblems, toStoredAttachments } from './moment-rules';

/** Statuses a moment may still be edited, scheduled or cancelled in. */
const OPEN = new Set(['DRAFT', 'SCHEDULED']);
/** Moments due this long ago without having fired are re-enqueued by the sweep. */
const SWEEP_GRACE_MS = 2_000;
const SWEEP_BATCH = 500;
/**
 * Audience employees per transaction of a firing: a small first slice, whose tasks commit (and reach their
 * subscribers) within a fraction of a second even at 1,000,000 customers, then slices of FIRE_SLICE. Each
 * slice's statement reads all the tagged customers again, so after the first the slices are large: at 1,000,000
 * customers 4,900 employees took 1.2 s in one statement, 1,000 took 0.9 s (bench/RESULTS.md, due-time firing).
 */
export const FIRST_FIRE_SLICE = 100;
export const FIRE_SLICE = 5_000;
const EXPIRE_BATCH = 5_000;
/** remindMomentTasks: at most this many reminders per moment in any 24 hours (WeCom). */
export const REMINDERS_PER_DAY = 3;
const DAY_MS = 24 * 3600_000;
/** The live event of a fired moment (ids only: each subscriber looks up its own task). */
export const MOMENT_TASK_ASSIGNED = 'momentTaskAssigned';
/** Subscribers' look-ups of one event gathered this long into one statement per moment (and at most this many). */
const ASSIGNED_BATCH_MS = 5;
const ASSIGNED_BATCH_MAX = 1_000;
/** momentCalendar: at most this many days per call (a month grid is at most 42), and moments per day. */
export const MAX_CALENDAR_DAYS = 62;
export const MAX_CALENDAR_PER_DAY = 200;
/** recordMomentInteraction: a channel's clock may run this far ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** One day of the moments calendar. */
export interface CalendarDay {
  date: string;
  total: number;
  moments: MomentEntity[];
}

/** A (timestamp, id) keyset cursor, checked before any SQL sees it. */
function timeIdCursor(after: string | null | undefined): [string, string] | null {
  const c = decodeCursor(after, 2);
  if (!c) return null;
  const [at, id] = c;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !isUUID(id, 'all')) {
    throw AppError.badInput('after', 'is not a valid cursor');
  }
  return [at, id];
}

/** Organizations' task expiry, as Org's statement fragment (its rows, read by expireDue's statement). */
const TASK_EXPIRY = OrganizationRows.momentTaskExpiry();

/**
 * Moments: brand posts that marketers write and schedule and that fire, once,
 * through a delayed job into one task per audience employee.
 *
 * Data scope: moments are organization-wide for holders of moment:read;
 * tasks are the caller's own (myMomentTasks, confirmMomentTask).
 */
/**
 * Runs in the transaction that created or confirmed moment tasks, after the change (KPI rollups recount the
 * days of `changed`'s employees, committing with it).
 */
export type MomentTasksChangedHook = (tx: Tx, changed: MomentTaskChanges) => Promise<void>;

@Injectable()
export class MomentsService {
  private readonly logger = new Logger('Moments');
  constructor(
    private readonly uow: UnitOfWork,
    private readonly moments: MomentsRepository,
    private readonly employees: EmployeesService,
    private readonly departments: DepartmentsService,
    private readonly customers: CustomersService,
    private readonly queue: QueueService,
    private readonly bus: EventBus,
    private readonly notifications: NotificationsService,
    private readonly timeline: TimelineService,
    private readonly organizations: OrganizationsService,
  ) {}

  private readonly tasksChangedHooks: MomentTasksChangedHook[] = [];
  /** Employees per slice of a firing (FIRST_FIRE_SLICE, FIRE_SLICE); tests make them small. */
  readonly fireSlices = { first: FIRST_FIRE_SLICE, next: FIRE_SLICE };

  /** Registers a hook run in the transaction that created or confirmed tasks (see MomentTasksChangedHook). */
  onTasksChanged(hook: MomentTasksChangedHook): void {
    this.tasksChangedHooks.push(hook);
  }

  private async tasksChanged(tx: Tx, changed: MomentTaskChanges): Promise<void> {
    for (const hook of this.tasksChangedHooks) await hook(tx, changed);
  }

  /** A moment of the caller's organization; NOT_FOUND (naming `field`) otherwise. */
  async get(actor: Actor, id: string, field = 'id'): Promise<MomentEntity> {
    if (!isUUID(id, 'all')) throw AppError.badInput(field, 'must be a moment id');
    const m = await this.moments.findById(actor.orgId, id);
    if (!m) throw new AppError('NOT_FOUND', `${field}: moment ${id} not found`, { field });
    return m;
  }

  findByIds(orgId: string, ids: readonly string[]): Promise<MomentEntity[]> {
    return this.moments.findByIds(orgId, ids);
  }

  async list(
    actor: Actor,
    filter: MomentFilter | undefined,
    first?: number,
    after?: string | null,
  ): Promise<Page<MomentEntity>> {
    const limit = pageSize(first);
    const cursor = timeIdCursor(after);
    const rows = await this.moments.page(actor.orgId, {
      status: filter?.status ?? undefined,
      scheduledFrom: filter?.scheduledFrom ?? undefined,
      scheduledTo: filter?.scheduledTo ?? undefined,
      after: cursor,
      limit: limit + 1,
    });
    return toPage(rows, limit, (m) => [new Date(m.createdAt).toISOString(), m.id]);
  }

  /**
   * The moments calendar: every day from `from` to `to` inclusive (YYYY-MM-DD in the organization's time
   * zone, at most MAX_CALENDAR_DAYS), each with its moments by scheduled time (any status that has a time;
   * drafts have none), at most `perDay` of them and the day's total.
   */
  async calendar(actor: Actor, from: string, to: string, perDay = 50): Promise<CalendarDay[]> {
    const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
    if (!Number.isFinite(days)) throw AppError.badInput('from', 'must be a date YYYY-MM-DD');
    if (days < 1) throw AppError.badInput('to', `must be on or after from (${from})`);
    if (days > MAX_CALENDAR_DAYS) {
      throw AppError.badInput('to', `the range may cover at most ${MAX_CALENDAR_DAYS} days (got ${days})`);
    }
    if (!Number.isInteger(perDay) || perDay < 1 || perDay > MAX_CALENDAR_PER_DAY) {
      throw AppError.badInput('perDay', `must be between 1 and ${MAX_CALENDAR_PER_DAY}`);
    }
    const { timezone } = await this.organizations.get(actor.orgId);
    const rows = await this.moments.calendar(actor.orgId, from, to, timezone, perDay);
    const start = Date.parse(`${from}T00:00:00Z`);
    const out: CalendarDay[] = Array.from({ length: days }, (_, i) => ({
      date: new Date(start + i * DAY_MS).toISOString().slice(0, 10),
      total: 0,
      moments: [],
    }));
    const byDate = new Map(out.map((d) => [d.date, d]));
    for (const { day, dayTotal, ...moment } of rows) {
      const d = byDate.get(day);
      if (!d) continue;
      d.total = dayTotal;
      d.moments.push(moment as MomentEntity);
    }
    return out;
  }

  async create(actor: Actor, input: CreateMomentInput): Promise<MomentEntity> {
    this.assertAttachments(input.attachments ?? []);
    if (input.scheduledAt) this.assertFuture(input.scheduledAt, 'input.scheduledAt');
    const audience = await this.assertAudience(actor.orgId, input.audience, 'input.audience');
    const moment = await this.uow.run((tx) =>
      this.moments.insert(tx, {
        orgId: actor.orgId,
        text: input.text,
        attachments: toStoredAttachments(input.attachments ?? []),
        audienceEmployeeIds: audience.employeeIds,
        audienceDepartmentIds: audience.departmentIds,
        audienceTagIds: audience.tagIds,
        status: input.scheduledAt ? 'SCHEDULED' : 'DRAFT',
        scheduledAt: input.scheduledAt ?? null,
        createdById: actor.employeeId ?? null,
      }),
    );
    this.logger.log({ msg: 'moment created', momentId: moment.id, orgId: actor.orgId, status: moment.status });
    if (moment.status === 'SCHEDULED') await this.enqueue(moment);
    return moment;
  }

  /**
   * Who an audience would reach if a moment fired now: the employees given a
   * task and the sum of their visible customers, by the publish statement's
   * own rules. Unknown ids are NOT_FOUND naming the field, as createMoment's.
   */
  async reach(actor: Actor, input: MomentAudienceInput): Promise<MomentReachRow> {
    const audience = await this.assertAudience(actor.orgId, input, 'audience');
    return this.moments.reach(momentAudienceSql(actor.orgId, audience));
  }

  async update(actor: Actor, input: UpdateMomentInput): Promise<MomentEntity> {
    const current = await this.get(actor, input.id, 'input.id');
    this.assertOpen(current, 'input.id');
    if (input.attachments) this.assertAttachments(input.attachments);
    const audience = input.audience
      ? await this.assertAudience(actor.orgId, input.audience, 'input.audience')
      : undefined;
    return this.uow.run(async (tx) => {
      const locked = (await this.moments.findById(actor.orgId, current.id, tx, true))!;
      this.assertOpen(locked, 'input.id');
      return this.moments.update(tx, actor.orgId, current.id, {
        text: input.text ?? undefined,
        attachments: input.attachments ? toStoredAttachments(input.attachments) : undefined,
        audience,
      });
    });
  }

  /** DRAFT or SCHEDULED -> SCHEDULED at the new time; a job queued for the old time becomes a no-op. */
  async schedule(actor: Actor, input: ScheduleMomentInput): Promise<MomentEntity> {
    this.assertFuture(input.scheduledAt, 'input.scheduledAt');
    return this.refire(actor, input.id, 'input.id', 'SCHEDULED', input.scheduledAt);
  }

  /** DRAFT or SCHEDULED -> PUBLISHING now: the publish job runs at once. */
  publishNow(actor: Actor, id: string): Promise<MomentEntity> {
    return this.refire(actor, id, 'id', 'PUBLISHING', new Date());
  }

  /** DRAFT or SCHEDULED -> CANCELED; a queued job becomes a no-op. Cancelling again changes nothing. */
  async cancel(actor: Actor, id: string): Promise<MomentEntity> {
    const current = await this.get(actor, id, 'id');
    if (current.status === 'CANCELED') return current;
    return this.refire(actor, id, 'id', 'CANCELED', undefined);
  }

  /**
   * The publish job: claims the moment (status SCHEDULED or PUBLISHING and the job's version) and creates
   * its tasks set-based, a slice of audience employees (in id order) per transaction, each with its
   * KPI recount and notices, its subscribers told as soon as it commits; the last slice marks it PUBLISHED.
   * The first slice's transaction is also the claim's, so a firing that fails before any task exists leaves
   * the moment SCHEDULED; once one slice has committed the moment stays PUBLISHING (no longer cancellable)
   * until a retry completes it or the last attempt marks it FAILED. Every slice re-checks the claim, and a
   * retry re-runs every slice: tasks are unique per (moment, employee), so a slice already committed inserts
   * nothing and tells no one again. Returns false for a stale job (nothing done).
   */
  async fire(orgId: string, momentId: string, version: number): Promise<boolean> {
    // Milliseconds since the call at each step, for the log (the due-time profile).
    const t0 = performance.now();
    const ms: Record<string, number> = {};
    const lap = (step: string) => (ms[step] = Math.round(performance.now() - t0));
    let slices: string[][] = [];
    let tagIds: string[] = [];
    let created = 0;
    for (let i = 0; i === 0 || i < slices.length; i++) {
      const result = await this.uow.run(async (tx) => {
        const claimed = await this.moments.claim(tx, orgId, momentId, version);
        if (!claimed) return null;
        if (i === 0) {
          tagIds = claimed.audienceTagIds;
          const audience = momentAudienceSql(orgId, {
            employeeIds: claimed.audienceEmployeeIds,
            departmentIds: claimed.audienceDepartmentIds,
            tagIds,
          });
          const ids = await this.moments.audienceIds(tx, audience);
          const { first, next } = this.fireSlices;
          slices = ids.length ? [ids.slice(0, first)] : [];
          for (let k = first; k < ids.length; k += next) slices.push(ids.slice(k, k + next));
        }
        const slice = slices[i] ?? [];
        const employeeIds = slice.length
          ? await this.moments.createTasks(tx, orgId, momentId, momentSliceSql(orgId, slice, tagIds))
          : [];
        if (i >= slices.length - 1) await this.moments.markPublished(tx, orgId, momentId);
        if (!employeeIds.length) return { employeeIds, notices: new NotificationBatch() };
        await this.tasksChanged(tx, MomentTaskChanges.createdFor(orgId, momentId, employeeIds));
        // Each task's employee is told in the same transaction (one INSERT ... SELECT whatever the slice).
        const notices = await this.notifications.addFrom(
          tx,
          'MOMENT_TASK_ASSIGNED',
          MomentTaskNotices.assigned(orgId, momentId, employeeIds),
        );
        return { employeeIds, notices };
      });
      if (result === null) {
        this.logger.log({ msg: 'stale publish job ignored', momentId, orgId, version, slice: i });
        return false;
      }
      lap(i === 0 ? 'first' : i === slices.length - 1 ? 'last' : `slice${i}`);
      created += result.employeeIds.length;
      if (result.employeeIds.length) await this.announceTasks(orgId, momentId, result.employeeIds, result.notices);
    }
    this.logger.log({ msg: 'moment published', momentId, orgId, version, tasks: created, slices: slices.length, ms });
    return true;
  }

  /** After a slice's commit, once: a retried job's slice finds its tasks there and tells no one again. */
  private async announceTasks(
    orgId: string,
    momentId: string,
    employeeIds: string[],
    notices: NotificationBatch,
  ): Promise<void> {
    await this.notifications.announce(notices);
    await this.bus
      .publish({ topic: MOMENT_TASK_ASSIGNED, organizationId: orgId, employeeIds, payload: { momentId } })
      .catch((e: Error) =>
        this.logger.warn({
          msg: 'could not publish momentTaskAssigned (subscribers see the tasks on their next query)',
          momentId,
          error: e.message,
        }),
      );
  }

  /** After the publish job's last attempt. */
  async markFailed(orgId: string, momentId: string, version: number, error: Error): Promise<void> {
    const failed = await this.moments.markFailed(orgId, momentId, version);
    if (failed) this.logger.error({ msg: 'moment failed to publish', momentId, orgId, version, error: error.message });
  }

  /** PENDING tasks older than their organization's momentTaskExpiryHours become EXPIRED; returns how many. */
  async expireTasks(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.moments.expireDue(EXPIRE_BATCH, TASK_EXPIRY);
      total += n;
      if (n < EXPIRE_BATCH) break;
    }
    if (total) this.logger.log({ msg: 'moment tasks expired', count: total });
    return total;
  }

  /** The reconcile sweep: re-enqueues due moments that have not fired (idempotent by job id). */
  async enqueueDue(): Promise<number> {
    const due = await this.moments.findDue(new Date(Date.now() - SWEEP_GRACE_MS), SWEEP_BATCH);
    let added = 0;
    for (const m of due) {
      const job = await this.queue.enqueue<PublishMomentPayload>(
        PUBLISH_MOMENT,
        { orgId: m.orgId, momentId: m.id, version: m.version },
        { jobId: publishJobId(m.id, m.version) },
      );
      if (!job.existing) added++;
    }
    if (added) this.logger.log({ msg: 're-enqueued due moments', count: added });
    return added;
  }

  async statsOf(orgId: string, momentIds: readonly string[]): Promise<Map<string, MomentStatsRow>> {
    const rows = await this.moments.stats(orgId, momentIds);
    return new Map(rows.map((r) => [r.momentId, r]));
  }

  /** One page of tasks per moment (one statement for all of them). */
  async tasksOf(
    orgId: string,
    momentIds: readonly string[],
    status: MomentTaskStatusValue[] | null,
    first: number | undefined,
    after: string | null | undefined,
  ): Promise<Map<string, Page<MomentTaskEntity>>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 1) as [string] | null;
    if (cursor && (typeof cursor[0] !== 'string' || !isUUID(cursor[0], 'all')))
      throw AppError.badInput('after', 'is not a valid cursor');
    const rows = await this.moments.tasksOfMoments(
      orgId,
      momentIds,
      status?.length ? status : null,
      cursor?.[0] ?? null,
      limit + 1,
    );
    const by = new Map<string, MomentTaskEntity[]>();
    for (const r of rows) by.set(r.momentId, [...(by.get(r.momentId) ?? []), r]);
    return new Map(momentIds.map((id) => [id, toPage(by.get(id) ?? [], limit, (t) => [t.id])]));
  }

  /** The caller's own tasks, newest first. API keys are not employees: FORBIDDEN. */
  async myTasks(
    actor: Actor,
    status: MomentTaskStatusValue[] | null | undefined,
    first?: number,
    after?: string | null,
  ): Promise<Page<MomentTaskEntity>> {
    if (!actor.employeeId) throw AppError.forbidden('Only employees have moment tasks');
    const limit = pageSize(first);
    const cursor = timeIdCursor(after);
    const rows = await this.moments.tasksOfEmployee(
      actor.orgId,
      actor.employeeId,
      status?.length ? status : null,
      cursor,
      limit + 1,
    );
    return toPage(rows, limit, (t) => [new Date(t.createdAt).toISOString(), t.id]);
  }

  /**
   * The caller's own task of a moment, or null: the look-up of the momentTaskAssigned subscription, scoped
   * like myMomentTasks (the caller's organization and employee; API keys have none). `eventScope` is the
   * event's memo (realtime's eventScope): every subscriber of the event on this process asks through one
   * loader, so their rows come in one statement per ASSIGNED_BATCH_MAX employees, each handed only its own.
   */
  async ownTaskOf(
    actor: Actor,
    momentId: string,
    eventScope: Map<string, unknown> = new Map(),
  ): Promise<MomentTaskEntity | null> {
    if (!actor.employeeId || !isUUID(momentId, 'all')) return null;
    const tasks = memoIn(
      eventScope,
      `momentTasksByEmployee:${actor.orgId}:${momentId}`,
      () =>
        new DataLoader<string, MomentTaskEntity | null>(
          async (employeeIds) => {
            const rows = await this.moments.tasksOfMomentForEmployees(actor.orgId, momentId, employeeIds);
            const by = new Map(rows.map((t) => [t.employeeId, t]));
            return employeeIds.map((id) => by.get(id) ?? null);
          },
          { maxBatchSize: ASSIGNED_BATCH_MAX, batchScheduleFn: (run) => setTimeout(run, ASSIGNED_BATCH_MS) },
        ),
    );
    return tasks.load(actor.employeeId);
  }

  /**
   * Only the task's employee confirms it: PENDING -> PUBLISHED; confirming again changes nothing; EXPIRED is CONFLICT.
   */
  async confirmTask(actor: Actor, id: string): Promise<MomentTaskEntity> {
    const task = await this.moments.findTask(actor.orgId, id);
    if (!task) throw new AppError('NOT_FOUND', `id: moment task ${id} not found`, { field: 'id' });
    if (!actor.employeeId || actor.employeeId !== task.employeeId)
      throw AppError.forbidden('Only the task’s own employee may confirm it');
    if (task.status === 'PUBLISHED') return task;
    return this.uow.run(async (tx) => {
      const locked = (await this.moments.findTask(actor.orgId, id, tx, true))!;
      if (locked.status === 'EXPIRED') throw AppError.conflict('The task has expired', { field: 'id' });
      if (locked.status === 'PUBLISHED') return locked;
      const confirmed = await this.moments.confirmTask(tx, actor.orgId, id);
      await this.tasksChanged(tx, MomentTaskChanges.confirmed(actor.orgId, id));
      return confirmed;
    });
  }

  /**
   * Reminds the employees whose tasks of a PUBLISHED moment are still PENDING
   * and returns how many were reminded (0 when none is pending). At most
   * REMINDERS_PER_DAY per moment in any 24 hours, then RATE_LIMITED with the
   * seconds until the next one is allowed. Concurrent calls serialize on the
   * moment's row, so the limit holds under them too.
   */
  async remind(actor: Actor, momentId: string): Promise<number> {
    const current = await this.get(actor, momentId, 'momentId');
    const { n, notices } = await this.uow.run(async (tx) => {
      const locked = (await this.moments.findById(actor.orgId, current.id, tx, true))!;
      if (locked.status !== 'PUBLISHED') {
        throw AppError.conflict(`A ${locked.status} moment has no tasks to remind (only PUBLISHED ones)`, {
          field: 'momentId',
          status: locked.status,
        });
      }
      const now = Date.now();
      const recent = locked.remindedAt.map((t) => new Date(t).getTime()).filter((t) => now - t < DAY_MS);
      if (recent.length >= REMINDERS_PER_DAY) {
        const next = Math.min(...recent) + DAY_MS;
        throw AppError.rateLimited(
          `At most ${REMINDERS_PER_DAY} reminders per moment in 24 hours; the next is allowed at ${new Date(next).toISOString()}`,
          Math.ceil((next - now) / 1000),
        );
      }
      const at = new Date(now);
      const reminded = await this.moments.remindPending(tx, actor.orgId, current.id, at, REMINDERS_PER_DAY);
      // The reminder reaches each reminded employee's inbox (the same PENDING tasks, in this transaction).
      const added = reminded
        ? await this.notifications.addFrom(
            tx,
            'MOMENT_REMINDER',
            MomentTaskNotices.reminded(actor.orgId, current.id, at),
          )
        : new NotificationBatch();
      this.logger.log({ msg: 'moment tasks reminded', momentId: current.id, orgId: actor.orgId, reminded });
      return { n: reminded, notices: added };
    });
    await this.notifications.announce(notices);
    return n;
  }

  /**
   * A like or comment from a channel on an employee's post of the moment, by a
   * customer the post reached: the employee has a task for the moment (it
   * fired to them) and holds the customer ACTIVE, with any of the moment's
   * tags when it has tags. Recorded once (a repeated externalId, or a second
   * like of the customer on that post, records nothing) with a timeline event
   * on the customer in the same transaction. Returns the moment.
   */
  async recordInteraction(actor: Actor, input: RecordMomentInteractionInput): Promise<MomentEntity> {
    const text = input.text?.trim() || null;
    if (input.kind === 'COMMENT' && !text) throw AppError.badInput('input.text', 'a COMMENT needs its text');
    if (input.kind === 'LIKE' && input.text != null) throw AppError.badInput('input.text', 'a LIKE has no text');
    const occurredAt = input.occurredAt ?? new Date();
    if (occurredAt.getTime() > Date.now() + CLOCK_SKEW_MS)
      throw AppError.badInput('input.occurredAt', 'must not be in the future');
    const moment = await this.get(actor, input.momentId, 'input.momentId');
    const [employee] = await this.employees.findByIds(actor.orgId, [input.employeeId]);
    if (!employee)
      throw new AppError('NOT_FOUND', `input.employeeId: employee ${input.employeeId} not found`, {
        field: 'input.employeeId',
      });
    const [customer] = await this.customers.findByIds(actor.orgId, [input.customerId]);
    if (!customer)
      throw new AppError('NOT_FOUND', `input.customerId: customer ${input.customerId} not found`, {
        field: 'input.customerId',
      });
    if (!(await this.moments.findTaskOf(actor.orgId, moment.id, employee.id))) {
      throw AppError.badInput('input.employeeId', 'has no task for this moment (it was not published to them)');
    }
    if (!(await this.customers.reaches(actor.orgId, employee.id, customer.id, moment.audienceTagIds))) {
      throw AppError.badInput(
        'input.customerId',
        'is not among the customers this employee’s post reaches (an ACTIVE customer having any of the moment’s tags)',
      );
    }
    await this.uow.run(async (tx) => {
      const id = await this.moments.insertInteraction(tx, {
        orgId: actor.orgId,
        momentId: moment.id,
        employeeId: employee.id,
        customerId: customer.id,
        kind: input.kind,
        text,
        externalId: input.externalId ?? null,
        occurredAt,
      });
      if (!id) return;
      await this.timeline.record(tx, {
        orgId: actor.orgId,
        customerId: customer.id,
        type: input.kind === 'LIKE' ? 'moment.liked' : 'moment.commented',
        occurredAt,
        employeeId: employee.id,
        summary: input.kind === 'LIKE' ? 'Liked a moment' : 'Commented on a moment',
        data: { momentId: moment.id, interactionId: id, ...(text ? { text } : {}) },
      });
    });
    return moment;
  }

  /** Moves an open moment to SCHEDULED / PUBLISHING / CANCELED with a new version, then enqueues (or drops) its job. */
  private async refire(
    actor: Actor,
    id: string,
    field: string,
    status: 'SCHEDULED' | 'PUBLISHING' | 'CANCELED',
    at: Date | undefined,
  ): Promise<MomentEntity> {
    const current = await this.get(actor, id, field);
    this.assertOpen(current, field);
    const { before, after } = await this.uow.run(async (tx) => {
      const locked = (await this.moments.findById(actor.orgId, current.id, tx, true))!;
      if (status === 'CANCELED' && locked.status === 'CANCELED') return { before: locked, after: locked };
      this.assertOpen(locked, field);
      return { before: locked, after: await this.moments.setFiring(tx, actor.orgId, current.id, status, at) };
    });
    if (before === after) return after;
    this.logger.log({
      msg: `moment ${status.toLowerCase()}`,
      momentId: after.id,
      orgId: actor.orgId,
      version: after.version,
    });
    // The old job is a no-op anyway (its version no longer matches); removing it just saves the wake-up.
    if (before.status === 'SCHEDULED') {
      await this.queue
        .removeJob(PUBLISH_MOMENT, publishJobId(before.id, before.version))
        .catch((e: Error) =>
          this.logger.warn({
            msg: 'could not remove the old publish job (it will be a no-op)',
            momentId: before.id,
            error: e.message,
          }),
        );
    }
    if (status !== 'CANCELED') await this.enqueue(after);
    return after;
  }

  /**
   * Enqueues the publish job at scheduledAt, prioritized by that time (moments due together fire in the order
   * they are due, publishPriority); the sweep repairs it should this be lost.
   */
  private async enqueue(m: MomentEntity): Promise<void> {
    const runAt = new Date(m.scheduledAt ?? Date.now());
    try {
      await this.queue.enqueue<PublishMomentPayload>(
        PUBLISH_MOMENT,
        { orgId: m.orgId, momentId: m.id, version: m.version },
        { jobId: publishJobId(m.id, m.version), runAt, priority: publishPriority(runAt) },
      );
    } catch (e) {
      this.logger.warn({
        msg: 'could not enqueue the publish job; the sweep will',
        momentId: m.id,
        error: (e as Error).message,
      });
    }
  }

  private assertOpen(m: MomentEntity, field: string): void {
    if (!OPEN.has(m.status)) {
      throw AppError.conflict(`A ${m.status} moment cannot be changed (only DRAFT or SCHEDULED ones)`, {
        field,
        status: m.status,
      });
    }
  }

  private assertFuture(at: Date, field: string): void {
    if (at.getTime() < Date.now()) throw AppError.badInput(field, 'must not be in the past');
  }

  private assertAttachments(items: MomentAttachmentInput[]): void {
    const problems: FieldProblem[] = attachmentProblems(items);
    if (problems.length) throw AppError.invalid(problems);
  }

  /** Unique audience ids, each of the organization: unknown ones NOT_FOUND naming the field. */
  private async assertAudience(orgId: string, a: MomentAudienceInput, field: string): Promise<MomentAudience> {
    const employeeIds = [...new Set(a.employeeIds ?? [])];
    const departmentIds = [...new Set(a.departmentIds ?? [])];
    const tagIds = [...new Set(a.customerTagIds ?? [])];
    if (employeeIds.length) {
      const found = new Set((await this.employees.findByIds(orgId, employeeIds)).map((e) => e.id));
      const missing = employeeIds.filter((id) => !found.has(id));
      if (missing.length) throw AppError.notFoundIds(`${field}.employeeIds`, 'employee', missing);
    }
    if (departmentIds.length) {
      const found = new Set((await this.departments.findByIds(orgId, departmentIds)).map((d) => d.id));
      const missing = departmentIds.filter((id) => !found.has(id));
      if (missing.length) throw AppError.notFoundIds(`${field}.departmentIds`, 'department', missing);
    }
    if (tagIds.length) await this.customers.assertTags(orgId, tagIds, `${field}.customerTagIds`);
    return { employeeIds, departmentIds, tagIds };
  }
}
