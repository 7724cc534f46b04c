import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerRelationEntity } from 'src/modules/customers/entities/customer-relation.entity';
import { CustomerStageValue } from 'src/modules/customers/entities/customer.entity';
import { searchTextSql } from 'src/modules/customers/repositories/search-text';

/** A new customer's search_text: its name, company and the remark of the one relation the import opens. */
const IMPORTED_SEARCH_TEXT = searchTextSql('x.name', 'x.company', 'x.remark');

export interface ExistingCustomer {
  id: string;
  externalId: string;
  name: string;
  company: string | null;
  phone: string | null;
  /** The employee holds an ACTIVE relation with this customer already. */
  active: boolean;
}

export interface CustomerImportValues {
  externalId: string | null;
  name: string;
  company: string | null;
  phone: string | null;
  stage: CustomerStageValue;
  /**
   * The remark of the relation the row opens: part of a new customer's
   * search_text, which is then what CustomersRepository's recomputation gives
   * for a customer with this one relation.
   */
  remark: string | null;
}

export interface NewImportRelation {
  customerId: string;
  state: string | null;
  remark: string | null;
}

/**
 * Set-based SQL of the CSV import: each statement handles a whole batch
 * (arrays bound as parameters and expanded with unnest), so a batch of 1,000
 * rows costs a handful of round trips. Every method runs in the caller's
 * transaction.
 */
@Injectable()
export class CustomerImportRepository {
  /** Customers with these external ids, and whether the employee already holds each of them. */
  async findByExternalIds(
    m: EntityManager,
    orgId: string,
    employeeId: string,
    externalIds: string[],
  ): Promise<ExistingCustomer[]> {
    if (!externalIds.length) return [];
    return m.query(
      `SELECT c.id, c.external_id AS "externalId", c.name, c.company, c.phone, (h.held IS NOT NULL) AS active
         FROM customers c
         LEFT JOIN LATERAL (
           -- One index probe per customer (uq_customer_relations_active), never a scan of all the employee's relations.
           SELECT 1 AS held FROM customer_relations r
            WHERE r.org_id = c.org_id AND r.employee_id = $2 AND r.customer_id = c.id AND r.status = 'ACTIVE'
            LIMIT 1
         ) h ON true
        WHERE c.org_id = $1 AND c.external_id = ANY($3::varchar[])`,
      [orgId, employeeId, externalIds],
    );
  }

  /** Plain multi-row insert of customers without an external id; ids are chosen by the caller. */
  async insertMany(m: EntityManager, orgId: string, rows: Array<CustomerImportValues & { id: string }>): Promise<void> {
    if (!rows.length) return;
    await m.query(
      `INSERT INTO customers (id, org_id, external_id, name, company, phone, stage, search_text)
       SELECT x.id, $1, NULL, x.name, x.company, x.phone, x.stage, ${IMPORTED_SEARCH_TEXT}
         FROM unnest($8::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[])
              AS x(id, external_id, name, company, phone, stage, remark)`,
      [orgId, ...columns(rows), rows.map((r) => r.id)],
    );
  }

  /** Ids of customers by external id (for rows neither found before the upsert nor returned by it). */
  async idsByExternalId(m: EntityManager, orgId: string, externalIds: string[]): Promise<Map<string, string>> {
    if (!externalIds.length) return new Map();
    const rows: Array<{ id: string; externalId: string }> = await m.query(
      `SELECT id, external_id AS "externalId" FROM customers WHERE org_id = $1 AND external_id = ANY($2::varchar[])`,
      [orgId, externalIds],
    );
    return new Map(rows.map((r) => [r.externalId, r.id]));
  }

  /**
   * Opens an ACTIVE relation (addWay IMPORT) for each customer the employee
   * does not hold yet, and writes one `relation.added` timeline event per
   * relation opened, in one statement. Returns the relations opened.
   */
  async addRelations(
    m: EntityManager,
    orgId: string,
    employeeId: string,
    rows: NewImportRelation[],
    addedAt: Date,
  ): Promise<CustomerRelationEntity[]> {
    if (!rows.length) return [];
    return m.query(
      `WITH src AS (
         SELECT * FROM unnest($3::uuid[], $4::varchar[], $5::varchar[]) AS x(customer_id, state, remark)
       ), rel AS (
         INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, state, remark, added_at, customer_created_at)
         SELECT $1, s.customer_id, $2, 'ACTIVE', 'IMPORT', s.state, s.remark, $6, c.created_at
           FROM src s JOIN customers c ON c.org_id = $1 AND c.id = s.customer_id
         -- A pair already ACTIVE (uq_customer_relations_active) is skipped, with no timeline event.
         ON CONFLICT (org_id, employee_id, customer_id) WHERE status = 'ACTIVE' DO NOTHING
         RETURNING *
       ), events AS (
         INSERT INTO timeline_events (org_id, customer_id, type, occurred_at, employee_id, summary, data)
         SELECT rel.org_id, rel.customer_id, 'relation.added', rel.added_at, rel.employee_id, 'Imported by CSV',
                jsonb_build_object('relationId', rel.id, 'addWay', rel.add_way, 'state', rel.state)
           FROM rel
       )
       SELECT id, org_id AS "orgId", customer_id AS "customerId", employee_id AS "employeeId", status, add_way AS "addWay",
              state, remark, added_at AS "addedAt", ended_at AS "endedAt", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM rel`,
      [
        orgId,
        employeeId,
        rows.map((r) => r.customerId),
        rows.map((r) => r.state),
        rows.map((r) => r.remark),
        addedAt.toISOString(),
      ],
    );
  }
}

function columns(rows: CustomerImportValues[]): unknown[] {
  return [
    rows.map((r) => r.externalId),
    rows.map((r) => r.name),
    rows.map((r) => r.company),
    rows.map((r) => r.phone),
    rows.map((r) => r.stage),
    rows.map((r) => r.remark),
  ];
}
