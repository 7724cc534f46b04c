import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlFragment } from 'src/core/database/sql-fragment';
import {
  AddWayValue,
  CustomerRelationEntity,
  RelationStatusValue,
} from 'src/modules/customers/entities/customer-relation.entity';
import { SqlReader } from 'src/core/database/sql-reader';
import { NotificationSourceRow } from 'src/modules/notifications/services/notifications.service';

const COLUMNS = `id, org_id AS "orgId", customer_id AS "customerId", employee_id AS "employeeId", status, add_way AS "addWay",
  state, remark, added_at AS "addedAt", ended_at AS "endedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * While `on` in a transaction, the triggers that keep `customers.active_employee_ids`
 * leave it to the caller (migration 1764460800000-customer-active-employees, which
 * names the same setting).
 */
export const ACTIVE_EMPLOYEES_BY_CALLER = 'wecrm.active_employees_by_caller';

/**
 * CUSTOMER_LOST notices of one relation ended by its customer, for
 * NotificationsService.addFrom (this module's `customer_relations`): one per
 * addressee, keyed by the relation so a repeat adds nothing.
 */
export class LossNotices extends SqlFragment<NotificationSourceRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, relationId: string, addressees: readonly string[]): LossNotices {
    return new LossNotices(
      `SELECT r.org_id, a.id AS employee_id, 'relation:' || r.id || ':lost' AS event_key,
              NULL::uuid AS moment_id, NULL::uuid AS moment_task_id, NULL::uuid AS handover_id, NULL::int AS count,
              r.customer_id, r.employee_id AS about_employee_id
         FROM customer_relations r CROSS JOIN unnest($3::uuid[]) AS a(id)
        WHERE r.org_id = $1 AND r.id = $2 AND r.status = 'DELETED_BY_CUSTOMER'`,
      [orgId, relationId, addressees],
    );
  }
}

/** A change of an employee's active relation count (what EmployeesService.adjustActiveCustomerCounts takes). */
export interface ActiveCountDelta {
  orgId: string;
  employeeId: string;
  delta: number;
}

/**
 * One relation to move, as the rows of the mover's fragment (RelationMoveSource):
 * `ref` is the mover's id of the move (a transfer), returned for the moves that
 * did not happen.
 */
export interface RelationMoveRow {
  org_id: string;
  ref: string;
  from_relation_id: string;
  to_employee_id: string;
}

/** The relations to move: a fragment of the moving module's making, read once as the move statement's source. */
export type RelationMoveSource = SqlFragment<RelationMoveRow>;

@Injectable()
export class RelationsRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  async findById(orgId: string, id: string, m?: EntityManager, lock = false): Promise<CustomerRelationEntity | null> {
    const rows = await (m ?? this.db.manager).query(
      `SELECT ${COLUMNS} FROM customer_relations WHERE org_id = $1 AND id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [orgId, id],
    );
    return rows[0] ?? null;
  }

  /** An ACTIVE relation (employee, customer), the customer having any of `tagIds` when given. */
  async reaches(orgId: string, employeeId: string, customerId: string, tagIds: readonly string[]): Promise<boolean> {
    const rows: Array<{ ok: boolean }> = await this.db.query(
      `SELECT EXISTS (
         SELECT 1 FROM customer_relations r
          WHERE r.org_id = $1 AND r.employee_id = $2 AND r.customer_id = $3 AND r.status = 'ACTIVE'
            AND (cardinality($4::uuid[]) = 0
                 OR EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.org_id = $1 AND ct.customer_id = $3 AND ct.tag_id = ANY($4::uuid[])))
       ) AS ok`,
      [orgId, employeeId, customerId, tagIds],
    );
    return rows[0].ok;
  }

  async findActive(
    m: EntityManager,
    orgId: string,
    employeeId: string,
    customerId: string,
  ): Promise<CustomerRelationEntity | null> {
    const rows = await m.query(
      `SELECT ${COLUMNS} FROM customer_relations
        WHERE org_id = $1 AND employee_id = $2 AND customer_id = $3 AND status = 'ACTIVE'`,
      [orgId, employeeId, customerId],
    );
    return rows[0] ?? null;
  }

  async insert(
    m: EntityManager,
    v: {
      orgId: string;
      customerId: string;
      employeeId: string;
      addWay: AddWayValue;
      state?: string | null;
      remark?: string | null;
      addedAt: Date;
    },
  ): Promise<CustomerRelationEntity> {
    const rows = await m.query(
      `INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, state, remark, added_at)
       VALUES ($1, $2, $3, 'ACTIVE', $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [v.orgId, v.customerId, v.employeeId, v.addWay, v.state ?? null, v.remark ?? null, v.addedAt.toISOString()],
    );
    return rows[0];
  }

  async end(
    m: EntityManager,
    orgId: string,
    id: string,
    status: RelationStatusValue,
    endedAt: Date,
  ): Promise<CustomerRelationEntity> {
    const rows = await m.query(
      `UPDATE customer_relations SET status = $3, ended_at = $4, updated_at = now()
        WHERE org_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [orgId, id, status, endedAt.toISOString()],
    );
    return rows[0][0] ?? rows[0];
  }

  /**
   * Moves relations in bulk, in one statement over the rows of `source`: each
   * still-ACTIVE source relation becomes TRANSFERRED_AWAY and its takeover gets
   * an ACTIVE relation (addWay TRANSFER; an existing ACTIVE one is kept), and
   * each moved customer's active_employee_ids and updated_at are rewritten once
   * (the relation triggers leave it to this statement, ACTIVE_EMPLOYEES_BY_CALLER).
   * Nothing per move comes into Node: returns the refs that did not move
   * (their relation had ended meanwhile; usually none) and, per employee, the
   * active relations lost (negative) and won.
   */
  async move(
    m: EntityManager,
    source: RelationMoveSource,
  ): Promise<{ unmoved: string[]; lost: ActiveCountDelta[]; won: ActiveCountDelta[] }> {
    const params: unknown[] = [];
    const from = source.bind(params);
    await m.query(`SELECT set_config('${ACTIVE_EMPLOYEES_BY_CALLER}', 'on', true)`);
    const rows: Array<{ unmoved: string[] | null; lost: ActiveCountDelta[] | null; won: ActiveCountDelta[] | null }> =
      await m.query(
        `WITH mv AS MATERIALIZED (
         SELECT x.org_id, x.ref, x.from_relation_id, x.to_employee_id FROM (${from}) AS x
       ), ended AS (
         UPDATE customer_relations r SET status = 'TRANSFERRED_AWAY', ended_at = now(), updated_at = now()
           FROM mv
          WHERE r.org_id = mv.org_id AND r.id = mv.from_relation_id AND r.status = 'ACTIVE'
         RETURNING mv.ref, r.org_id, r.customer_id, r.employee_id AS from_employee_id, mv.to_employee_id, r.customer_created_at
       ), ins AS (
         INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at, customer_created_at)
         SELECT org_id, customer_id, to_employee_id, 'ACTIVE', 'TRANSFER', now(), customer_created_at FROM ended
         ON CONFLICT (org_id, employee_id, customer_id) WHERE status = 'ACTIVE' DO NOTHING
         RETURNING org_id, employee_id
       ), moved_customers AS (
         -- Every source relation ended; every takeover holds an ACTIVE one (inserted, or kept).
         UPDATE customers c SET updated_at = now(), active_employee_ids = ARRAY(
             SELECT u FROM unnest(c.active_employee_ids) AS u WHERE u <> ALL (g.removed) UNION SELECT unnest(g.added) ORDER BY 1)
           FROM (SELECT org_id, customer_id, array_agg(from_employee_id) AS removed, array_agg(to_employee_id) AS added
                   FROM ended GROUP BY org_id, customer_id) g
          WHERE c.org_id = g.org_id AND c.id = g.customer_id
       ), lost AS (
         SELECT org_id, from_employee_id AS employee_id, -count(*) AS delta FROM ended GROUP BY 1, 2
       ), won AS (
         SELECT org_id, employee_id, count(*) AS delta FROM ins GROUP BY 1, 2
       )
       -- EXCEPT (hashed or sorted), not NOT EXISTS: over CTEs without statistics that was planned as a nested loop.
       SELECT (SELECT array_agg(u.ref) FROM (SELECT ref FROM mv EXCEPT SELECT ref FROM ended) u) AS unmoved,
              (SELECT json_agg(json_build_object('orgId', org_id, 'employeeId', employee_id, 'delta', delta)) FROM lost) AS lost,
              (SELECT json_agg(json_build_object('orgId', org_id, 'employeeId', employee_id, 'delta', delta)) FROM won) AS won`,
        params,
      );
    await m.query(`SELECT set_config('${ACTIVE_EMPLOYEES_BY_CALLER}', 'off', true)`);
    return { unmoved: rows[0].unmoved ?? [], lost: rows[0].lost ?? [], won: rows[0].won ?? [] };
  }

  /** Customers among `customerIds` that have no ACTIVE relation with the employee. */
  async notHeldBy(m: EntityManager, orgId: string, employeeId: string, customerIds: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT c.id FROM unnest($3::uuid[]) AS c(id)
        WHERE NOT EXISTS (SELECT 1 FROM customer_relations r
                           WHERE r.org_id = $1 AND r.employee_id = $2 AND r.customer_id = c.id AND r.status = 'ACTIVE')`,
      [orgId, employeeId, customerIds],
    );
    return rows.map((r) => r.id);
  }

  async countActive(m: EntityManager, orgId: string, employeeId: string): Promise<number> {
    const rows: Array<{ n: string }> = await m.query(
      `SELECT count(*) AS n FROM customer_relations WHERE org_id = $1 AND employee_id = $2 AND status = 'ACTIVE'`,
      [orgId, employeeId],
    );
    return Number(rows[0].n);
  }

  /** Relations of many customers (one statement), active first then newest. */
  async forCustomers(
    orgId: string,
    customerIds: readonly string[],
    includeEnded: boolean,
  ): Promise<CustomerRelationEntity[]> {
    if (!customerIds.length) return [];
    return this.reads.prepared(
      `SELECT ${COLUMNS} FROM customer_relations
        WHERE org_id = $1 AND customer_id = ANY($2::uuid[]) ${includeEnded ? '' : `AND status = 'ACTIVE'`}
        ORDER BY (status = 'ACTIVE') DESC, added_at DESC, id`,
      [orgId, customerIds],
    );
  }
}
