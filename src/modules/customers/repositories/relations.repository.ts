import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AddWayValue, CustomerRelationEntity, RelationStatusValue } from '../entities/customer-relation.entity';

const COLUMNS = `id, org_id AS "orgId", customer_id AS "customerId", employee_id AS "employeeId", status, add_way AS "addWay",
  state, remark, added_at AS "addedAt", ended_at AS "endedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class RelationsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

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

  /** Relations of many customers (one statement), active first then newest. */
  async forCustomers(orgId: string, customerIds: readonly string[], includeEnded: boolean): Promise<CustomerRelationEntity[]> {
    if (!customerIds.length) return [];
    return this.db.query(
      `SELECT ${COLUMNS} FROM customer_relations
        WHERE org_id = $1 AND customer_id = ANY($2::uuid[]) ${includeEnded ? '' : `AND status = 'ACTIVE'`}
        ORDER BY (status = 'ACTIVE') DESC, added_at DESC, id`,
      [orgId, customerIds],
    );
  }
}
