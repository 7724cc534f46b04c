import { Inject, Injectable } from '@nestjs/common';
import type { TimelineEventSource } from 'src/modules/customers/services/timeline.service';
import { TransferEvents } from './transfer-events';
import { DataSource, EntityManager } from 'typeorm';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { ActiveRelations } from 'src/modules/customers/customers.fragments';
import type { ScopeEmployees } from 'src/modules/org/org.fragments';
import type { RelationMoveRow } from 'src/modules/customers/services/customers.service';
import type { NotificationSourceRow } from 'src/modules/notifications/services/notifications.service';
import {
  DistributionStrategyValue,
  HandoverEntity,
  TransferKindValue,
} from 'src/modules/reassignment/entities/handover.entity';
import { TransferEntity, TransferStatusValue } from 'src/modules/reassignment/entities/transfer.entity';

/** The timeline's INSERT of a source's events (TimelineService.insertFrom), handed in by the service. */
export type TimelineWriter = (source: SqlFragment<TimelineEventSource>) => SqlFragment<object>;

export interface PlanInput {
  orgId: string;
  kind: TransferKindValue;
  fromEmployeeId: string;
  /** ON_JOB: the chosen customers; DEPARTURE: null (every active relation). */
  customerIds: string[] | null;
  strategy: DistributionStrategyValue;
  takeoverEmployeeIds: string[];
  /**
   * Free capacity of each takeover, in takeoverEmployeeIds' order (org's capacity rule, waiting transfers reserved).
   */
  free: number[];
  limit: number;
  windowDays: number;
}

const TRANSFER_COLUMNS = `id, org_id AS "orgId", handover_id AS "handoverId", kind, customer_id AS "customerId",
  from_employee_id AS "fromEmployeeId", to_employee_id AS "toEmployeeId", from_relation_id AS "fromRelationId",
  status, takeover_at AS "takeoverAt", resolved_at AS "resolvedAt", created_at AS "createdAt"`;

/** The columns of `completed_transfers`, in its order. */
const COMPLETED_COLUMNS =
  'id, org_id, handover_id, kind, customer_id, from_employee_id, to_employee_id, from_relation_id';

/** The distinct takeovers of completed rows `rows`, as JSON [{orgId, id}] (NULL when none). */
const takeoversOf = (rows: string) =>
  `(SELECT json_agg(json_build_object('orgId', org_id, 'id', to_employee_id)) FROM (SELECT DISTINCT org_id, to_employee_id FROM ${rows}) d)`;

/** A takeover of transfers just completed. */
export interface TakeoverRef {
  orgId: string;
  id: string;
}

/**
 * The relation moves of the transfers just completed in this transaction
 * (this module's `completed_transfers`, which no other module names), to the
 * takeovers given: what CustomersService.moveRelations reads as its source,
 * inside its statement. Made only here; the transfer's id is the move's ref.
 */
export class CompletedTransferMoves extends SqlFragment<RelationMoveRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static toTakeovers(takeovers: readonly TakeoverRef[]): CompletedTransferMoves {
    return new CompletedTransferMoves(
      `SELECT c.org_id, c.id AS ref, c.from_relation_id, c.to_employee_id
         FROM completed_transfers c
         JOIN unnest($1::uuid[], $2::uuid[]) AS k(org_id, id) ON k.org_id = c.org_id AND k.id = c.to_employee_id`,
      [takeovers.map((t) => t.orgId), takeovers.map((t) => t.id)],
    );
  }
}

/** A hand-over no transfer of which is WAITING any more: `h` is its row. */
const FINISHED = `h.requested_by_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM transfers w WHERE w.org_id = h.org_id AND w.handover_id = h.id AND w.status = 'WAITING')`;
const FINISHED_COLUMNS = `h.org_id, h.requested_by_id AS employee_id, 'handover:' || h.id || ':finished' AS event_key,
  NULL::uuid AS moment_id, NULL::uuid AS moment_task_id, h.id AS handover_id,
  (SELECT count(*)::int FROM transfers c WHERE c.org_id = h.org_id AND c.handover_id = h.id AND c.status = 'COMPLETED') AS count,
  NULL::uuid AS customer_id, NULL::uuid AS about_employee_id`;

/**
 * The notices of hand-overs, for NotificationsService.addFrom to insert in its
 * statement (this module's `handovers` and `transfers`, which no other module
 * names), keyed by the event so running twice adds nothing.
 */
export class HandoverNotices extends SqlFragment<NotificationSourceRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  /** To each takeover of the hand-over: how many of its customers wait for them to accept. */
  static waiting(orgId: string, handoverId: string): HandoverNotices {
    return new HandoverNotices(
      `SELECT t.org_id, t.to_employee_id AS employee_id, 'handover:' || t.handover_id || ':waiting' AS event_key,
              NULL::uuid AS moment_id, NULL::uuid AS moment_task_id, t.handover_id, count(*)::int AS count,
              NULL::uuid AS customer_id, NULL::uuid AS about_employee_id
         FROM transfers t
        WHERE t.org_id = $1 AND t.handover_id = $2 AND t.status = 'WAITING'
        GROUP BY t.org_id, t.to_employee_id, t.handover_id`,
      [orgId, handoverId],
    );
  }

  /** To the one who started it, for each hand-over of the transfers just completed that has none WAITING left. */
  static finishedOfCompleted(): HandoverNotices {
    return new HandoverNotices(
      `SELECT ${FINISHED_COLUMNS} FROM handovers h
        WHERE (h.org_id, h.id) IN (SELECT DISTINCT org_id, handover_id FROM completed_transfers) AND ${FINISHED}`,
      [],
    );
  }

  /** The same for one hand-over (a transfer of it was just refused). */
  static finished(orgId: string, handoverId: string): HandoverNotices {
    return new HandoverNotices(
      `SELECT ${FINISHED_COLUMNS} FROM handovers h WHERE h.org_id = $1 AND h.id = $2 AND ${FINISHED}`,
      [orgId, handoverId],
    );
  }
}

const handoverColumns = (a = '') => `${a}id, ${a}org_id AS "orgId", ${a}kind, ${a}from_employee_id AS "fromEmployeeId",
  ${a}requested_by_id AS "requestedById", ${a}requested_by_api_key_id AS "requestedByApiKeyId", ${a}strategy,
  ${a}takeover_employee_ids AS "takeoverEmployeeIds", ${a}message, ${a}created_at AS "createdAt"`;
const HANDOVER_COLUMNS = handoverColumns();

/**
 * Whether the customer of relation `r` is in a WAITING transfer, as one probe
 * of uq_transfers_waiting_customer per relation. Written as a LATERAL ... LIMIT 1
 * so that it stays a lookup on (org_id, customer_id) whatever the estimates:
 * as NOT EXISTS, an underestimated relation count let the planner rescan every
 * WAITING transfer of the organization for each relation (quadratic).
 */
const WAITING_PROBE = `SELECT true AS found FROM transfers t
  WHERE t.org_id = r.org_id AND t.customer_id = r.customer_id AND t.status = 'WAITING' LIMIT 1`;

/**
 * The distribution plan as one SELECT: which active relation goes to which
 * takeover with which status. Nothing is loaded into memory; departEmployee
 * inserts it with INSERT ... SELECT and previewHandover aggregates it.
 *
 * Free capacity per candidate comes with the plan (`free`: org's capacity
 * rule, transfers waiting to arrive reserved). Each candidate offers that many slots; slots are ordered
 * by the strategy (SINGLE: the first candidate's only; ROUND_ROBIN: in turn,
 * skipping full candidates; LEAST_LOADED: most remaining room first) and the
 * k-th eligible customer takes the k-th slot. Customers without a slot are
 * TAKEOVER_LIMIT_EXCEEDED; ON_JOB customers over the limit in the window are
 * TRANSFER_LIMIT_EXCEEDED; customers with a WAITING transfer are skipped.
 *
 * Linear in the number of relations whatever the planner estimates: k is a
 * running count over the relations (no self-join), the WAITING check is one
 * index probe per relation, and the ordered slots (only the first `needed`, a
 * top-N sort) and the candidates are one array each that every relation
 * indexes (`ids[k]`) instead of joining on a computed key. The arrays are
 * MATERIALIZED (built once) and read through uncorrelated scalar subqueries
 * (init plans), so they are not copied per relation as a joined CTE row would
 * be. (Joining those derived sets on k was planned as a nested loop when the
 * relation count was underestimated, e.g. right after a bulk load: 20,000
 * customers meant 400 million comparisons and the statement hit
 * statement_timeout.)
 */
export function planSql(p: PlanInput): { sql: string; params: unknown[] } {
  const params: unknown[] = [
    p.orgId,
    p.fromEmployeeId,
    p.takeoverEmployeeIds,
    p.strategy,
    p.kind,
    p.limit,
    p.windowDays,
    p.free,
  ];
  const relations = ActiveRelations.of(p.orgId, p.fromEmployeeId, p.customerIds).bind(params);
  const sql = `
    WITH cand AS (
      SELECT c.id, c.ord, c.free
        FROM unnest($3::uuid[], $8::int[]) WITH ORDINALITY AS c(id, free, ord)
       WHERE $4 <> 'SINGLE' OR c.ord = 1
    ),
    rel AS (
      SELECT q.relation_id, q.customer_id, q.over_limit,
             row_number() OVER w AS rn,
             CASE WHEN NOT q.over_limit THEN count(*) FILTER (WHERE NOT q.over_limit) OVER w END AS k
        FROM (
          SELECT r.id AS relation_id, r.customer_id, r.added_at,
                 ($5 = 'ON_JOB' AND (
                   SELECT count(*) FROM transfers t
                    WHERE t.org_id = $1 AND t.customer_id = r.customer_id AND t.kind = 'ON_JOB'
                      AND t.status IN ('WAITING', 'COMPLETED') AND t.created_at > now() - make_interval(days => $7::int)
                 ) >= $6::int) AS over_limit
            FROM (${relations}) r
            LEFT JOIN LATERAL (${WAITING_PROBE}) w ON true
           WHERE w.found IS NULL
        ) q
      WINDOW w AS (ORDER BY q.added_at, q.relation_id)
    ),
    needed AS (SELECT count(*) FILTER (WHERE NOT over_limit)::int AS n FROM rel),
    takeovers AS MATERIALIZED (SELECT array_agg(id ORDER BY ord) AS ids, nullif(count(*), 0) AS n, min(free) AS least_free FROM cand),
    -- In turn (SINGLE: one candidate) with room for an equal share each: the k-th slot is candidate ((k - 1) mod n) + 1,
    -- the same order the slot list below gives, without building and sorting a slot per customer and candidate.
    in_turn AS MATERIALIZED (
      SELECT $4 <> 'LEAST_LOADED' AND t.n IS NOT NULL AND t.least_free >= ceil((SELECT n FROM needed)::numeric / t.n) AS yes FROM takeovers t
    ),
    slots AS MATERIALIZED (
      SELECT CASE WHEN (SELECT yes FROM in_turn) THEN NULL ELSE ARRAY(
        SELECT cand.id
          FROM cand
          CROSS JOIN LATERAL generate_series(1, least(cand.free, (SELECT n FROM needed))) AS s(j)
         ORDER BY CASE WHEN $4 = 'LEAST_LOADED' THEN cand.free - s.j ELSE 0 END DESC, s.j, cand.ord
         LIMIT (SELECT n FROM needed)) END AS ids
    )
    SELECT $1::uuid AS org_id, $2::uuid AS from_employee_id, x.relation_id, x.customer_id,
           CASE WHEN x.over_limit THEN 'TRANSFER_LIMIT_EXCEEDED'
                WHEN x.slot IS NULL THEN 'TAKEOVER_LIMIT_EXCEEDED'
                ELSE 'WAITING' END AS status,
           coalesce(x.slot, x.fallback) AS to_employee_id
      FROM (
        SELECT rel.relation_id, rel.customer_id, rel.over_limit,
               CASE WHEN (SELECT yes FROM in_turn) THEN (SELECT ids FROM takeovers)[(((rel.k - 1) % (SELECT n FROM takeovers)) + 1)::int]
                    ELSE (SELECT ids FROM slots)[rel.k::int] END AS slot,
               (SELECT ids FROM takeovers)[(CASE WHEN $4 = 'SINGLE' THEN 1 ELSE ((rel.rn - 1) % (SELECT n FROM takeovers)) + 1 END)::int] AS fallback
          FROM rel
      ) AS x`;
  return { sql, params };
}

@Injectable()
export class TransfersRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Serializes hand-overs of one employee (concurrent requests run one after the other). */
  async lockEmployee(m: EntityManager, orgId: string, employeeId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('handover:' || $1 || ':' || $2))`, [orgId, employeeId]);
  }

  async insertHandover(
    m: EntityManager,
    v: Pick<
      HandoverEntity,
      | 'orgId'
      | 'kind'
      | 'fromEmployeeId'
      | 'requestedById'
      | 'requestedByApiKeyId'
      | 'strategy'
      | 'takeoverEmployeeIds'
      | 'message'
    >,
  ): Promise<HandoverEntity> {
    const rows = await m.query(
      `INSERT INTO handovers (org_id, kind, from_employee_id, requested_by_id, requested_by_api_key_id, strategy, takeover_employee_ids, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8) RETURNING ${HANDOVER_COLUMNS}`,
      [
        v.orgId,
        v.kind,
        v.fromEmployeeId,
        v.requestedById,
        v.requestedByApiKeyId,
        v.strategy,
        v.takeoverEmployeeIds,
        v.message,
      ],
    );
    return rows[0];
  }

  /**
   * Inserts the plan's transfers in one statement; returns how many of each
   * status. With `completeNow` (no acceptance window) the placed transfers are
   * written COMPLETED at once, never WAITING then updated, and left in
   * `completed_transfers` like claimDue leaves them, for the caller to move
   * their relations in the same transaction (`takeovers`: theirs). `timeline`
   * turns the requested and failed transfers' events (TransferEvents, over the
   * inserted rows) into the timeline's INSERT, run by the same statement.
   */
  async insertPlan(
    m: EntityManager,
    handover: HandoverEntity,
    plan: PlanInput,
    takeoverAt: Date,
    completeNow: boolean,
    timeline: TimelineWriter,
  ): Promise<{ counts: Record<string, number>; takeovers: TakeoverRef[] }> {
    const { sql, params } = planSql(plan);
    const n = params.length;
    const all: unknown[] = [...params, handover.id, takeoverAt.toISOString(), completeNow];
    if (completeNow) await this.createCompletedTable(m);
    const rows: Array<{ counts: Record<string, number>; takeovers: TakeoverRef[] | null }> = await m.query(
      `WITH ins AS (
         INSERT INTO transfers (org_id, handover_id, kind, customer_id, from_employee_id, to_employee_id, from_relation_id, status, takeover_at, resolved_at)
         SELECT p.org_id, $${n + 1}::uuid, $5, p.customer_id, p.from_employee_id, p.to_employee_id, p.relation_id,
                CASE WHEN p.status = 'WAITING' AND $${n + 3}::boolean THEN 'COMPLETED' ELSE p.status END, $${n + 2}::timestamptz,
                CASE WHEN p.status = 'WAITING' AND NOT $${n + 3}::boolean THEN NULL ELSE now() END
           FROM (${sql}) AS p
         RETURNING ${COMPLETED_COLUMNS}, status, created_at)${
           completeNow
             ? `,
       done AS (
         INSERT INTO completed_transfers
         SELECT ${COMPLETED_COLUMNS} FROM ins WHERE status = 'COMPLETED')`
             : ''
         },
       events AS (${timeline(TransferEvents.requested('ins', handover.kind)).bind(all)})
       SELECT (SELECT coalesce(json_object_agg(status, n), '{}') FROM (SELECT status, count(*) AS n FROM ins GROUP BY status) g) AS counts,
              ${completeNow ? takeoversOf(`ins WHERE status = 'COMPLETED'`) : 'NULL'} AS takeovers`,
      all,
    );
    return { counts: rows[0].counts, takeovers: rows[0].takeovers ?? [] };
  }

  /** Aggregates the plan without writing: per takeover how many, and the failures. */
  async previewPlan(plan: PlanInput): Promise<Array<{ status: string; toEmployeeId: string; n: number }>> {
    const { sql, params } = planSql(plan);
    const rows: Array<{ status: string; to_employee_id: string; n: string }> = await this.db.query(
      `SELECT status, to_employee_id, count(*) AS n FROM (${sql}) AS p GROUP BY status, to_employee_id`,
      params,
    );
    return rows.map((r) => ({ status: r.status, toEmployeeId: r.to_employee_id, n: Number(r.n) }));
  }

  /**
   * Of the employee's ACTIVE relations (only with `customerIds`
   * when given), those whose customer has a WAITING transfer.
   */
  async countWaitingOf(orgId: string, fromEmployeeId: string, customerIds: string[] | null): Promise<number> {
    const params: unknown[] = [];
    const relations = ActiveRelations.of(orgId, fromEmployeeId, customerIds).bind(params);
    const rows: Array<{ n: string }> = await this.db.query(
      `SELECT count(*) AS n FROM (${relations}) r JOIN LATERAL (${WAITING_PROBE}) w ON true`,
      params,
    );
    return Number(rows[0].n);
  }

  /** Customers among `customerIds` that have a WAITING transfer already. */
  async waitingCustomers(m: EntityManager, orgId: string, customerIds: string[]): Promise<string[]> {
    const rows: Array<{ customer_id: string }> = await m.query(
      `SELECT customer_id FROM transfers WHERE org_id = $1 AND status = 'WAITING' AND customer_id = ANY($2::uuid[])`,
      [orgId, customerIds],
    );
    return rows.map((r) => r.customer_id);
  }

  /** Transfers waiting to arrive at an employee (their reserved capacity). */
  async waitingTo(m: EntityManager, orgId: string, employeeId: string): Promise<number> {
    const rows: Array<{ n: string }> = await m.query(
      `SELECT count(*) AS n FROM transfers WHERE org_id = $1 AND to_employee_id = $2 AND status = 'WAITING'`,
      [orgId, employeeId],
    );
    return Number(rows[0].n);
  }

  /**
   * Transfers waiting to arrive at each of `ids` (their reserved
   * capacity), in one statement; outside a transaction without `m`.
   */
  async waitingToMany(m: EntityManager | null, orgId: string, ids: string[]): Promise<Map<string, number>> {
    const rows: Array<{ id: string; n: string }> = await (m ?? this.db.manager).query(
      `SELECT to_employee_id AS id, count(*) AS n FROM transfers
        WHERE org_id = $1 AND status = 'WAITING' AND to_employee_id = ANY($2::uuid[]) GROUP BY 1`,
      [orgId, ids],
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }

  /**
   * Marks due WAITING transfers COMPLETED (at most `batch`, skipping rows
   * another worker holds) and leaves them in `completed_transfers` for the
   * caller's next statements. Returns how many, and their takeovers.
   */
  async claimDue(
    m: EntityManager,
    filter: { orgId?: string; handoverId?: string; transferId?: string; now?: boolean },
    batch: number,
  ): Promise<{ n: number; takeovers: TakeoverRef[] }> {
    const conds = [`status = 'WAITING'`];
    const params: unknown[] = [batch];
    if (!filter.now) conds.push('takeover_at <= now()');
    if (filter.orgId) conds.push(`org_id = $${params.push(filter.orgId)}`);
    if (filter.handoverId) conds.push(`handover_id = $${params.push(filter.handoverId)}`);
    if (filter.transferId) conds.push(`id = $${params.push(filter.transferId)}`);
    await this.createCompletedTable(m);
    const rows: Array<{ n: number; takeovers: TakeoverRef[] | null }> = await m.query(
      `WITH due AS (
         SELECT id FROM transfers WHERE ${conds.join(' AND ')}
          ORDER BY takeover_at, id LIMIT $1 FOR UPDATE SKIP LOCKED),
       done AS (
         UPDATE transfers t SET status = 'COMPLETED', resolved_at = now() FROM due WHERE t.id = due.id
         RETURNING t.id, t.org_id, t.handover_id, t.kind, t.customer_id, t.from_employee_id, t.to_employee_id, t.from_relation_id),
       kept AS (INSERT INTO completed_transfers SELECT * FROM done)
       SELECT (SELECT count(*)::int FROM done) AS n, ${takeoversOf('done')} AS takeovers`,
      params,
    );
    return { n: rows[0].n, takeovers: rows[0].takeovers ?? [] };
  }

  /** The transaction's `completed_transfers`: the transfers just completed, whose relations the caller moves next. */
  private async createCompletedTable(m: EntityManager): Promise<void> {
    await m.query(
      `DROP TABLE IF EXISTS completed_transfers;
       CREATE TEMP TABLE completed_transfers (id uuid, org_id uuid, handover_id uuid, kind varchar, customer_id uuid,
         from_employee_id uuid, to_employee_id uuid, from_relation_id uuid) ON COMMIT DROP`,
    );
  }

  /**
   * Settles `completed_transfers` in one statement: those in `unmoved`, or
   * whose takeover is not ACTIVE in `takeovers` (their relation did not move),
   * become CANCELED, and the timeline's INSERT (from `timeline`) records
   * every one (TransferEvents.settled).
   */
  async settleCompleted(
    m: EntityManager,
    unmoved: ReadonlySet<string>,
    takeovers: ReadonlyArray<TakeoverRef & { name: string; status: string }>,
    timeline: TimelineWriter,
  ): Promise<void> {
    const params: unknown[] = [
      [...unmoved],
      takeovers.map((e) => e.orgId),
      takeovers.map((e) => e.id),
      takeovers.map((e) => e.name),
      takeovers.map((e) => e.status),
    ];
    await m.query(
      `WITH f AS MATERIALIZED (
         SELECT c.id, c.org_id, c.handover_id, c.kind, c.customer_id, c.from_employee_id, c.to_employee_id,
                coalesce(k.status = 'ACTIVE', false) AND c.id <> ALL ($1::uuid[]) AS moved, k.name AS takeover_name
           FROM completed_transfers c
           LEFT JOIN unnest($2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[]) AS k(org_id, id, name, status)
             ON k.org_id = c.org_id AND k.id = c.to_employee_id
       ), canceled AS (
         UPDATE transfers t SET status = 'CANCELED' FROM f WHERE t.id = f.id AND NOT f.moved
       ), events AS (${timeline(TransferEvents.settled('f')).bind(params)})
       SELECT 1`,
      params,
    );
  }

  async findById(orgId: string, id: string, m?: EntityManager, lock = false): Promise<TransferEntity | null> {
    const rows = await (m ?? this.db.manager).query(
      `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE org_id = $1 AND id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [orgId, id],
    );
    return rows[0] ?? null;
  }

  async setStatus(m: EntityManager, orgId: string, id: string, status: TransferStatusValue): Promise<TransferEntity> {
    const res = await m.query(
      `UPDATE transfers SET status = $3, resolved_at = now() WHERE org_id = $1 AND id = $2 RETURNING ${TRANSFER_COLUMNS}`,
      [orgId, id, status],
    );
    return res[0][0];
  }

  async findHandover(orgId: string, id: string): Promise<HandoverEntity | null> {
    const rows = await this.db.query(`SELECT ${HANDOVER_COLUMNS} FROM handovers WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
    ]);
    return rows[0] ?? null;
  }

  async latestHandover(
    m: EntityManager,
    orgId: string,
    fromEmployeeId: string,
    kind: TransferKindValue,
  ): Promise<HandoverEntity | null> {
    const rows = await m.query(
      `SELECT ${HANDOVER_COLUMNS} FROM handovers WHERE org_id = $1 AND from_employee_id = $2 AND kind = $3
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [orgId, fromEmployeeId, kind],
    );
    return rows[0] ?? null;
  }

  /**
   * Handovers newest first, keyset on (created_at, id); `scope`:
   * the from-employees in the caller's data scope (null: all).
   */
  async handoverPage(
    orgId: string,
    q: { kind?: string; fromEmployeeId?: string; after: [string, string] | null; limit: number },
    scope: ScopeEmployees | null,
  ): Promise<HandoverEntity[]> {
    const params: unknown[] = [orgId];
    const where = ['h.org_id = $1::uuid'];
    if (q.kind) where.push(`h.kind = $${params.push(q.kind)}`);
    if (q.fromEmployeeId) where.push(`h.from_employee_id = $${params.push(q.fromEmployeeId)}::uuid`);
    if (q.after) {
      params.push(q.after[0], q.after[1]);
      where.push(`(h.created_at, h.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    if (scope) where.push(`h.from_employee_id IN (${scope.bind(params)})`);
    params.push(q.limit);
    return this.db.query(
      `SELECT ${handoverColumns('h.')} FROM handovers h
        WHERE ${where.join(' AND ')} ORDER BY h.created_at DESC, h.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** Status counts of many handovers (one statement). */
  async counts(orgId: string, handoverIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>(handoverIds.map((id) => [id, {}]));
    if (!handoverIds.length) return out;
    const rows: Array<{ handover_id: string; status: string; n: string }> = await this.db.query(
      `SELECT handover_id, status, count(*) AS n FROM transfers WHERE org_id = $1 AND handover_id = ANY($2::uuid[]) GROUP BY 1, 2`,
      [orgId, handoverIds],
    );
    for (const r of rows) out.get(r.handover_id)![r.status] = Number(r.n);
    return out;
  }

  /** Transfers of a handover, oldest first, keyset on (created_at, id). */
  async transferPage(
    orgId: string,
    handoverId: string,
    statuses: string[] | undefined,
    after: [string, string] | null,
    limit: number,
  ): Promise<TransferEntity[]> {
    const params: unknown[] = [orgId, handoverId];
    const where = ['org_id = $1', 'handover_id = $2'];
    if (statuses?.length) where.push(`status = ANY($${params.push(statuses)}::varchar[])`);
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit);
    return this.db.query(
      `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
  }
}
