import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AddWayValue, CustomerRelationEntity, RelationStatusValue } from '../entities/customer-relation.entity';
import { SqlReader } from '../../../core/database/sql-reader';

const COLUMNS = `id, org_id AS "orgId", customer_id AS "customerId", employee_id AS "employeeId", status, add_way AS "addWay",
  state, remark, added_at AS "addedAt", ended_at AS "endedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * While `on` in a transaction, the triggers that keep `customers.active_employee_ids`
 * leave it to the caller (migration 1764460800000-customer-active-employees, which
 * names the same setting).
 */
export const ACTIVE_EMPLOYEES_BY_CALLER = 'wecrm.active_employees_by_caller';

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

  async findActive(m: EntityManager, orgId: string, employeeId: string, customerId: string): Promise<CustomerRelationEntity | null> {
    const rows = await m.query(
      `SELECT ${COLUMNS} FROM customer_relations
        WHERE org_id = $1 AND employee_id = $2 AND customer_id = $3 AND status = 'ACTIVE'`,
      [orgId, employeeId, customerId],
    );
    return rows[0] ?? null;
  }

  async insert(
    m: EntityManager,
    v: { orgId: string; customerId: string; employeeId: string; addWay: AddWayValue; state?: string | null; remark?: string | null; addedAt: Date },
  ): Promise<CustomerRelationEntity> {
    const rows = await m.query(
      `INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, state, remark, added_at)
       VALUES ($1, $2, $3, 'ACTIVE', $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [v.orgId, v.customerId, v.employeeId, v.addWay, v.state ?? null, v.remark ?? null, v.addedAt.toISOString()],
    );
    return rows[0];
  }

  async end(m: EntityManager, orgId: string, id: string, status: RelationStatusValue, endedAt: Date): Promise<CustomerRelationEntity> {
    const rows = await m.query(
      `UPDATE customer_relations SET status = $3, ended_at = $4, updated_at = now()
        WHERE org_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [orgId, id, status, endedAt.toISOString()],
    );
    return rows[0][0] ?? rows[0];
  }

  /**
   * Moves relations in bulk. `moves` is a SELECT yielding (org_id, ref,
   * from_relation_id, to_employee_id, at). Each still-ACTIVE source relation
   * becomes TRANSFERRED_AWAY and its takeover gets an ACTIVE relation (addWay
   * TRANSFER; an existing ACTIVE one is kept); counters follow. The refs that
   * moved are left in the temporary table `moved_relations(ref)` for the caller.
   */
  async applyMoves(m: EntityManager, moves: string, params: unknown[]): Promise<number> {
    // The moved customers are updated once, at the end, with their active employees
    // (instead of once by each relation trigger and once more for updated_at).
    await m.query(
      `DROP TABLE IF EXISTS relation_moves; DROP TABLE IF EXISTS moved_relations; SELECT set_config('${ACTIVE_EMPLOYEES_BY_CALLER}', 'on', true)`,
    );
    await m.query(`CREATE TEMP TABLE relation_moves ON COMMIT DROP AS ${moves}`, params);
    await m.query(`CREATE TEMP TABLE moved_relations (ref uuid, org_id uuid, customer_id uuid, from_employee_id uuid, to_employee_id uuid, customer_created_at timestamptz) ON COMMIT DROP`);
    await m.query(
      `WITH ended AS (
         UPDATE customer_relations r SET status = 'TRANSFERRED_AWAY', ended_at = mv.at, updated_at = now()
           FROM relation_moves mv
          WHERE r.org_id = mv.org_id AND r.id = mv.from_relation_id AND r.status = 'ACTIVE'
         RETURNING mv.ref, r.org_id, r.customer_id, r.employee_id AS from_employee_id, mv.to_employee_id, r.customer_created_at)
       INSERT INTO moved_relations SELECT * FROM ended`,
    );
    const inserted: Array<{ employee_id: string; org_id: string; n: string }> = await m.query(
      `WITH ins AS (
         INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at, customer_created_at)
         SELECT mr.org_id, mr.customer_id, mr.to_employee_id, 'ACTIVE', 'TRANSFER', mv.at, mr.customer_created_at
           FROM moved_relations mr JOIN relation_moves mv ON mv.ref = mr.ref
         ON CONFLICT (org_id, employee_id, customer_id) WHERE status = 'ACTIVE' DO NOTHING
         RETURNING org_id, employee_id)
       SELECT org_id, employee_id, count(*) AS n FROM ins GROUP BY org_id, employee_id`,
    );
    await m.query(
      `UPDATE employees e SET active_customer_count = greatest(e.active_customer_count - g.n, 0)
         FROM (SELECT org_id, from_employee_id, count(*) AS n FROM moved_relations GROUP BY 1, 2) g
        WHERE e.org_id = g.org_id AND e.id = g.from_employee_id`,
    );
    if (inserted.length) {
      await m.query(
        `UPDATE employees e SET active_customer_count = e.active_customer_count + g.n
           FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS g(org_id, employee_id, n)
          WHERE e.org_id = g.org_id AND e.id = g.employee_id`,
        [inserted.map((r) => r.org_id), inserted.map((r) => r.employee_id), inserted.map((r) => Number(r.n))],
      );
    }
    // Every source relation ended; every takeover holds an ACTIVE one (inserted, or kept).
    await m.query(
      `UPDATE customers c SET updated_at = now(), active_employee_ids = ARRAY(
           SELECT u FROM unnest(c.active_employee_ids) AS u WHERE u <> ALL (mr.removed) UNION SELECT unnest(mr.added) ORDER BY 1)
         FROM (SELECT org_id, customer_id, array_agg(from_employee_id) AS removed, array_agg(to_employee_id) AS added
                 FROM moved_relations GROUP BY org_id, customer_id) mr
        WHERE c.org_id = mr.org_id AND c.id = mr.customer_id`,
    );
    const moved: Array<{ n: string }> = await m.query(
      `SELECT set_config('${ACTIVE_EMPLOYEES_BY_CALLER}', 'off', true), (SELECT count(*) FROM moved_relations) AS n`,
    );
    return Number(moved[0].n);
  }

  /** Relations of many customers (one statement), active first then newest. */
  async forCustomers(orgId: string, customerIds: readonly string[], includeEnded: boolean): Promise<CustomerRelationEntity[]> {
    if (!customerIds.length) return [];
    return this.reads.prepared(
      `SELECT ${COLUMNS} FROM customer_relations
        WHERE org_id = $1 AND customer_id = ANY($2::uuid[]) ${includeEnded ? '' : `AND status = 'ACTIVE'`}
        ORDER BY (status = 'ACTIVE') DESC, added_at DESC, id`,
      [orgId, customerIds],
    );
  }
}
