import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlFragment } from 'src/core/database/sql-fragment';
import type { NotificationSourceRow } from 'src/modules/notifications/services/notifications.service';
import { MomentAttachmentValue, MomentEntity, MomentStatusValue } from 'src/modules/moments/entities/moment.entity';
import { MomentTaskEntity, MomentTaskStatusValue } from 'src/modules/moments/entities/moment-task.entity';
import type { OrganizationRows } from 'src/modules/org/org.fragments';
import type { MomentAudienceSql } from 'src/modules/moments/services/moment-audience';
import { InteractionKindValue } from 'src/modules/moments/entities/moment-interaction.entity';

const COLUMNS = `m.id, m.org_id AS "orgId", m.text, m.attachments, m.audience_employee_ids AS "audienceEmployeeIds",
  m.audience_department_ids AS "audienceDepartmentIds", m.audience_tag_ids AS "audienceTagIds", m.status,
  m.scheduled_at AS "scheduledAt", m.published_at AS "publishedAt", m.version, m.created_by_id AS "createdById",
  m.reminded_at AS "remindedAt", m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;

const TASK_COLUMNS = `t.id, t.org_id AS "orgId", t.moment_id AS "momentId", t.employee_id AS "employeeId", t.status,
  t.visible_customer_count AS "visibleCustomerCount", t.published_at AS "publishedAt", t.reminded_count AS "remindedCount",
  t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

/**
 * The audience as CTEs `audience` (id) and `visible` (employee_id, n), and the
 * condition on `a` (audience) and `v` (visible) for an employee to get a task;
 * the fragments' parameters are appended to `params`.
 */
function audienceSql(a: MomentAudienceSql, params: unknown[]): { ctes: string; gets: string } {
  return {
    ctes: `audience AS (${a.employees.bind(params)}), visible AS (${a.visible.bind(params)})`,
    gets: a.tagged ? 'v.n > 0' : 'TRUE',
  };
}

/**
 * The notices of a moment's tasks, for NotificationsService.addFrom to insert
 * in its statement (this module's `moment_tasks`, which no other module
 * names): one per task, keyed by the event so a retried write adds nothing.
 */
export class MomentTaskNotices extends SqlFragment<NotificationSourceRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  private static of(
    orgId: string,
    momentId: string,
    eventKey: string,
    pendingOnly: boolean,
    employeeIds: readonly string[] | null = null,
  ): MomentTaskNotices {
    return new MomentTaskNotices(
      `SELECT t.org_id, t.employee_id, $3::varchar AS event_key, t.moment_id, t.id AS moment_task_id,
              NULL::uuid AS handover_id, NULL::int AS count
         FROM moment_tasks t
        WHERE t.org_id = $1 AND t.moment_id = $2 AND (NOT $4::boolean OR t.status = 'PENDING')
          AND ($5::uuid[] IS NULL OR t.employee_id = ANY($5::uuid[]))`,
      [orgId, momentId, eventKey, pendingOnly, employeeIds],
    );
  }

  /** The tasks of the moment just fired for `employeeIds` (one slice of the firing): "you have a task". */
  static assigned(orgId: string, momentId: string, employeeIds: readonly string[]): MomentTaskNotices {
    return MomentTaskNotices.of(orgId, momentId, `moment:${momentId}:assigned`, false, employeeIds);
  }

  /** The tasks still PENDING, reminded at `at` (each reminder is its own notice). */
  static reminded(orgId: string, momentId: string, at: Date): MomentTaskNotices {
    return MomentTaskNotices.of(orgId, momentId, `moment:${momentId}:reminder:${at.toISOString()}`, true);
  }
}

/** momentReach: employees who would get a task, and the customers their posts would reach (summed per employee). */
export interface MomentReachRow {
  employees: number;
  customers: number;
}

export interface NewMoment {
  orgId: string;
  text: string;
  attachments: MomentAttachmentValue[];
  audienceEmployeeIds: string[];
  audienceDepartmentIds: string[];
  audienceTagIds: string[];
  status: MomentStatusValue;
  scheduledAt: Date | null;
  createdById: string | null;
}

export interface MomentPatch {
  text?: string;
  attachments?: MomentAttachmentValue[];
  audience?: { employeeIds: string[]; departmentIds: string[]; tagIds: string[] };
}

export interface MomentPageQuery {
  status?: string[];
  scheduledFrom?: Date;
  scheduledTo?: Date;
  /** Keyset after (created_at, id), newest first. */
  after: [string, string] | null;
  limit: number;
}

export interface MomentStatsRow {
  momentId: string;
  assigned: number;
  published: number;
  reachable: number;
  likes: number;
  comments: number;
}

export interface NewMomentInteraction {
  orgId: string;
  momentId: string;
  employeeId: string;
  customerId: string;
  kind: InteractionKindValue;
  text: string | null;
  externalId: string | null;
  occurredAt: Date;
}

/** A moment the reconcile sweep re-enqueues. */
export interface DueMoment {
  id: string;
  orgId: string;
  version: number;
}

export interface CalendarRow extends MomentEntity {
  /** YYYY-MM-DD in the organization's time zone. */
  day: string;
  dayTotal: number;
}

@Injectable()
export class MomentsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async findById(orgId: string, id: string, m?: EntityManager, lock = false): Promise<MomentEntity | null> {
    const rows = await (m ?? this.db.manager).query(
      `SELECT ${COLUMNS} FROM moments m WHERE m.org_id = $1 AND m.id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [orgId, id],
    );
    return rows[0] ?? null;
  }

  findByIds(orgId: string, ids: readonly string[]): Promise<MomentEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.query(`SELECT ${COLUMNS} FROM moments m WHERE m.org_id = $1 AND m.id = ANY($2::uuid[])`, [
      orgId,
      ids,
    ]);
  }

  async insert(m: EntityManager, v: NewMoment): Promise<MomentEntity> {
    const rows = await m.query(
      `INSERT INTO moments AS m (org_id, text, attachments, audience_employee_ids, audience_department_ids, audience_tag_ids, status, scheduled_at, created_by_id)
       VALUES ($1, $2, $3::jsonb, $4::uuid[], $5::uuid[], $6::uuid[], $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        v.orgId,
        v.text,
        JSON.stringify(v.attachments),
        v.audienceEmployeeIds,
        v.audienceDepartmentIds,
        v.audienceTagIds,
        v.status,
        v.scheduledAt,
        v.createdById,
      ],
    );
    return rows[0];
  }

  async update(m: EntityManager, orgId: string, id: string, patch: MomentPatch): Promise<MomentEntity> {
    const rows = await m.query(
      `UPDATE moments AS m SET text = coalesce($3, text),
              attachments = coalesce($4::jsonb, attachments),
              audience_employee_ids = coalesce($5::uuid[], audience_employee_ids),
              audience_department_ids = coalesce($6::uuid[], audience_department_ids),
              audience_tag_ids = coalesce($7::uuid[], audience_tag_ids),
              updated_at = now()
        WHERE m.org_id = $1 AND m.id = $2 RETURNING ${COLUMNS}`,
      [
        orgId,
        id,
        patch.text ?? null,
        patch.attachments ? JSON.stringify(patch.attachments) : null,
        patch.audience?.employeeIds ?? null,
        patch.audience?.departmentIds ?? null,
        patch.audience?.tagIds ?? null,
      ],
    );
    return rows[0][0];
  }

  /**
   * Moves the moment to `status` at `scheduledAt` and bumps its version, so a
   * job enqueued for an earlier version becomes a no-op.
   */
  async setFiring(
    m: EntityManager,
    orgId: string,
    id: string,
    status: 'SCHEDULED' | 'PUBLISHING' | 'CANCELED',
    scheduledAt: Date | null | undefined,
  ): Promise<MomentEntity> {
    const rows = await m.query(
      `UPDATE moments AS m SET status = $3, scheduled_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE scheduled_at END,
              version = version + 1, updated_at = now()
        WHERE m.org_id = $1 AND m.id = $2 RETURNING ${COLUMNS}`,
      [orgId, id, status, scheduledAt !== undefined, scheduledAt ?? null],
    );
    return rows[0][0];
  }

  /**
   * Claims a moment for firing: SCHEDULED (or PUBLISHING from an earlier try)
   * with exactly this version becomes PUBLISHING. Null when the moment was
   * rescheduled, cancelled or already published: the job is stale.
   */
  async claim(m: EntityManager, orgId: string, id: string, version: number): Promise<MomentEntity | null> {
    const rows = await m.query(
      `UPDATE moments AS m SET status = 'PUBLISHING', updated_at = now()
        WHERE m.org_id = $1 AND m.id = $2 AND m.version = $3 AND m.status IN ('SCHEDULED', 'PUBLISHING')
        RETURNING ${COLUMNS}`,
      [orgId, id, version],
    );
    return rows[0][0] ?? null;
  }

  /** The audience's employees (MomentAudienceSql.employees), in id order: the firing's slices are cut from it. */
  async audienceIds(m: EntityManager, audience: MomentAudienceSql): Promise<string[]> {
    const params: unknown[] = [];
    const rows: Array<{ id: string }> = await m.query(
      `SELECT a.id FROM (${audience.employees.bind(params)}) a ORDER BY a.id`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Creates the tasks of a PUBLISHING moment for an audience (the whole of it, or a slice of its employees)
   * in one set-based statement: each task counts the employee's ACTIVE customers (with tags: those having
   * any of them; employees without such a customer then get no task). Firing again inserts nothing
   * (uq_moment_tasks_moment_id_employee_id). Returns the employees whose task this statement inserted.
   *
   * The counts are one pass over the audience's ACTIVE relations grouped by
   * employee, the tagged customers read once (a semi-join): counting per
   * employee in a correlated subquery made PostgreSQL rebuild the tagged set
   * for every employee, over a minute for 2,000 employees at 1,000,000
   * customers (bench/moments.bench.ts; now about 1.6 s).
   */
  async createTasks(
    m: EntityManager,
    orgId: string,
    momentId: string,
    audience: MomentAudienceSql,
  ): Promise<string[]> {
    const params: unknown[] = [orgId, momentId];
    const { ctes, gets } = audienceSql(audience, params);
    const rows: Array<{ employee_id: string }> = await m.query(
      `WITH ${ctes}
       INSERT INTO moment_tasks (org_id, moment_id, employee_id, visible_customer_count)
       SELECT $1, $2, a.id, coalesce(v.n, 0) FROM audience a LEFT JOIN visible v ON v.employee_id = a.id
        WHERE ${gets}
       ON CONFLICT (moment_id, employee_id) DO NOTHING
       RETURNING employee_id`,
      params,
    );
    return rows.map((r) => r.employee_id);
  }

  /**
   * What firing an audience would create, without creating it: the employees
   * who would get a task and the sum of their visible customer counts (the
   * same audience SQL as createTasks).
   */
  async reach(audience: MomentAudienceSql): Promise<MomentReachRow> {
    const params: unknown[] = [];
    const { ctes, gets } = audienceSql(audience, params);
    const rows = await this.db.query(
      `WITH ${ctes}
       SELECT count(*)::int AS employees, coalesce(sum(v.n), 0)::int AS customers
         FROM audience a LEFT JOIN visible v ON v.employee_id = a.id
        WHERE ${gets}`,
      params,
    );
    return rows[0];
  }

  /**
   * Reminds the moment's PENDING tasks (reminded_count + 1 each) and records
   * the reminder's time on the moment, keeping the last `keep`. Returns how
   * many tasks were reminded.
   */
  async remindPending(m: EntityManager, orgId: string, id: string, at: Date, keep: number): Promise<number> {
    const rows = await m.query(
      `WITH reminded AS (
         UPDATE moment_tasks SET reminded_count = reminded_count + 1, updated_at = now()
          WHERE org_id = $1 AND moment_id = $2 AND status = 'PENDING'
          RETURNING 1),
       noted AS (
         UPDATE moments SET reminded_at = (reminded_at || $3::timestamptz)[greatest(cardinality(reminded_at) + 2 - $4, 1):], updated_at = now()
          WHERE org_id = $1 AND id = $2)
       SELECT count(*)::int AS n FROM reminded`,
      [orgId, id, at.toISOString(), keep],
    );
    return rows[0].n;
  }

  async markPublished(m: EntityManager, orgId: string, id: string): Promise<void> {
    await m.query(
      `UPDATE moments SET status = 'PUBLISHED', published_at = now(), updated_at = now() WHERE org_id = $1 AND id = $2 AND status = 'PUBLISHING'`,
      [orgId, id],
    );
  }

  /** After the last attempt: FAILED, unless the moment moved on meanwhile (other version or state). */
  async markFailed(orgId: string, id: string, version: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE moments SET status = 'FAILED', updated_at = now()
        WHERE org_id = $1 AND id = $2 AND version = $3 AND status IN ('SCHEDULED', 'PUBLISHING')`,
      [orgId, id, version],
    );
    return rows[1] > 0;
  }

  /**
   * Expires up to `limit` PENDING tasks older than their organization's
   * moment_task_expiry_hours (oldest first, on idx_moment_tasks_pending_created_at,
   * whose scan stops at the shortest setting of any organization); returns how many.
   */
  async expireDue(
    limit: number,
    expiry: OrganizationRows<{ id: string; moment_task_expiry_hours: number }>,
  ): Promise<number> {
    const params: unknown[] = [limit];
    const orgs = expiry.bind(params);
    const rows = await this.db.query(
      `WITH o AS NOT MATERIALIZED (${orgs}),
       due AS (
         SELECT t.id FROM moment_tasks t JOIN o ON o.id = t.org_id
          WHERE t.status = 'PENDING' AND t.created_at < now() - make_interval(hours => o.moment_task_expiry_hours)
            AND t.created_at < now() - make_interval(hours => (SELECT min(moment_task_expiry_hours) FROM o))
          ORDER BY t.created_at LIMIT $1
          FOR UPDATE OF t SKIP LOCKED),
       expired AS (
         UPDATE moment_tasks t SET status = 'EXPIRED', updated_at = now()
           FROM due WHERE t.id = due.id AND t.status = 'PENDING'
         RETURNING 1)
       SELECT count(*)::int AS n FROM expired`,
      params,
    );
    return rows[0].n;
  }

  /**
   * Moments due before `before` that have not fired (SCHEDULED) or not
   * finished (PUBLISHING), all organizations; on idx_moments_due_scheduled_at.
   */
  findDue(before: Date, limit: number): Promise<DueMoment[]> {
    return this.db.query(
      `SELECT id, org_id AS "orgId", version FROM moments
        WHERE status IN ('SCHEDULED', 'PUBLISHING') AND scheduled_at <= $1
        ORDER BY scheduled_at LIMIT $2`,
      [before, limit],
    );
  }

  /** One keyset page, newest first, on idx_moments_org_id_created_at_id. */
  page(orgId: string, q: MomentPageQuery): Promise<MomentEntity[]> {
    const params: unknown[] = [orgId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['m.org_id = $1::uuid'];
    if (q.status?.length) where.push(`m.status = ANY(${p(q.status)}::varchar[])`);
    if (q.scheduledFrom) where.push(`m.scheduled_at >= ${p(q.scheduledFrom)}::timestamptz`);
    if (q.scheduledTo) where.push(`m.scheduled_at < ${p(q.scheduledTo)}::timestamptz`);
    if (q.after) where.push(`(m.created_at, m.id) < (${p(q.after[0])}::timestamptz, ${p(q.after[1])}::uuid)`);
    return this.db.query(
      `SELECT ${COLUMNS} FROM moments m WHERE ${where.join(' AND ')} ORDER BY m.created_at DESC, m.id DESC LIMIT ${p(q.limit)}`,
      params,
    );
  }

  /**
   * The organization's moments scheduled on the days from `from` to `to` inclusive in time zone `timezone`
   * (any status with a time), at most `perDay` per day by time, each with its day and the day's total; a
   * range scan of idx_moments_org_id_scheduled_at.
   */
  calendar(orgId: string, from: string, to: string, timezone: string, perDay: number): Promise<CalendarRow[]> {
    return this.db.query(
      `SELECT x.* FROM (
         SELECT ${COLUMNS}, to_char(m.scheduled_at AT TIME ZONE $4, 'YYYY-MM-DD') AS day,
                (count(*) OVER w)::int AS "dayTotal", row_number() OVER (w ORDER BY m.scheduled_at, m.id) AS rank
           FROM moments m
          WHERE m.org_id = $1 AND m.scheduled_at IS NOT NULL
            AND m.scheduled_at >= ($2::date::timestamp AT TIME ZONE $4)
            AND m.scheduled_at < (($3::date + 1)::timestamp AT TIME ZONE $4)
         WINDOW w AS (PARTITION BY (m.scheduled_at AT TIME ZONE $4)::date)) x
        WHERE x.rank <= $5
        ORDER BY x."scheduledAt", x.id`,
      [orgId, from, to, timezone, perDay],
    );
  }

  /**
   * Task and interaction counts of many moments (one statement;
   * interactions on idx_moment_interactions_org_id_moment_id_kind).
   */
  stats(orgId: string, momentIds: readonly string[]): Promise<MomentStatsRow[]> {
    if (!momentIds.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT mid.id AS "momentId", t.assigned, t.published, t.reachable, i.likes, i.comments
         FROM unnest($2::uuid[]) AS mid(id)
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS assigned, (count(*) FILTER (WHERE status = 'PUBLISHED'))::int AS published,
                 coalesce(sum(visible_customer_count), 0)::int AS reachable
            FROM moment_tasks WHERE org_id = $1 AND moment_id = mid.id) t
        CROSS JOIN LATERAL (
          SELECT (count(*) FILTER (WHERE kind = 'LIKE'))::int AS likes, (count(*) FILTER (WHERE kind = 'COMMENT'))::int AS comments
            FROM moment_interactions WHERE org_id = $1 AND moment_id = mid.id) i`,
      [orgId, momentIds],
    );
  }

  /** The employee's task of the moment, if it fired to them. */
  async findTaskOf(orgId: string, momentId: string, employeeId: string): Promise<MomentTaskEntity | null> {
    const rows = await this.db.query(
      `SELECT ${TASK_COLUMNS} FROM moment_tasks t WHERE t.org_id = $1 AND t.moment_id = $2 AND t.employee_id = $3`,
      [orgId, momentId, employeeId],
    );
    return rows[0] ?? null;
  }

  /**
   * Records a like or comment once: a repeated external id, or a second like
   * of the same customer on the same post, inserts nothing (the partial unique
   * indexes; concurrent repeats too). Returns the new row's id, or null.
   */
  async insertInteraction(m: EntityManager, v: NewMomentInteraction): Promise<string | null> {
    const rows = await m.query(
      `INSERT INTO moment_interactions (org_id, moment_id, employee_id, customer_id, kind, text, external_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [v.orgId, v.momentId, v.employeeId, v.customerId, v.kind, v.text, v.externalId, v.occurredAt],
    );
    return rows[0]?.id ?? null;
  }

  async findTask(orgId: string, id: string, m?: EntityManager, lock = false): Promise<MomentTaskEntity | null> {
    const rows = await (m ?? this.db.manager).query(
      `SELECT ${TASK_COLUMNS} FROM moment_tasks t WHERE t.org_id = $1 AND t.id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [orgId, id],
    );
    return rows[0] ?? null;
  }

  /** PENDING -> PUBLISHED once; returns the task as it is afterwards. */
  async confirmTask(m: EntityManager, orgId: string, id: string): Promise<MomentTaskEntity> {
    await m.query(
      `UPDATE moment_tasks SET status = 'PUBLISHED', published_at = now(), updated_at = now()
        WHERE org_id = $1 AND id = $2 AND status = 'PENDING'`,
      [orgId, id],
    );
    return (await this.findTask(orgId, id, m))!;
  }

  /**
   * One keyset page of tasks (ordered by id) for each of many moments, in one
   * statement (a lateral LIMIT per moment).
   */
  tasksOfMoments(
    orgId: string,
    momentIds: readonly string[],
    status: MomentTaskStatusValue[] | null,
    afterId: string | null,
    limit: number,
  ): Promise<MomentTaskEntity[]> {
    if (!momentIds.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT x.* FROM unnest($2::uuid[]) AS mid(id)
        CROSS JOIN LATERAL (
          SELECT ${TASK_COLUMNS} FROM moment_tasks t
           WHERE t.org_id = $1 AND t.moment_id = mid.id
             AND ($3::varchar[] IS NULL OR t.status = ANY($3::varchar[]))
             AND ($4::uuid IS NULL OR t.id > $4::uuid)
           ORDER BY t.id LIMIT $5) x`,
      [orgId, momentIds, status, afterId, limit],
    );
  }

  /**
   * The tasks of one moment held by the given employees (a
   * subscription event's look-up for this process's subscribers).
   */
  tasksOfMomentForEmployees(
    orgId: string,
    momentId: string,
    employeeIds: readonly string[],
  ): Promise<MomentTaskEntity[]> {
    return this.db.query(
      `SELECT ${TASK_COLUMNS} FROM moment_tasks t WHERE t.org_id = $1 AND t.moment_id = $2 AND t.employee_id = ANY($3::uuid[])`,
      [orgId, momentId, employeeIds],
    );
  }

  /** One keyset page of an employee's tasks, newest first, on idx_moment_tasks_org_id_employee_id_created_at_id. */
  tasksOfEmployee(
    orgId: string,
    employeeId: string,
    status: MomentTaskStatusValue[] | null,
    after: [string, string] | null,
    limit: number,
  ): Promise<MomentTaskEntity[]> {
    return this.db.query(
      `SELECT ${TASK_COLUMNS} FROM moment_tasks t
        WHERE t.org_id = $1 AND t.employee_id = $2
          AND ($3::varchar[] IS NULL OR t.status = ANY($3::varchar[]))
          AND ($4::timestamptz IS NULL OR (t.created_at, t.id) < ($4::timestamptz, $5::uuid))
        ORDER BY t.created_at DESC, t.id DESC LIMIT $6`,
      [orgId, employeeId, status, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }
}
