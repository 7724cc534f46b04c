import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DataScope } from 'src/core/authz/actor';
import { CustomerNoteEntity } from 'src/modules/customers/entities/customer-note.entity';
import { ScopeEmployees } from 'src/modules/org/org.fragments';

/** What `page` lists: relations ended by their customer in [from, to), newest first. */
export interface LostCustomersQuery {
  /** The caller's customer:read scope: only relations of employees it reaches. */
  scope: DataScope;
  from: Date;
  to: Date;
  departmentId?: string | null;
  employeeId?: string | null;
  /** [ended_at (ISO), relation id] of the last row seen. */
  after: [string, string] | null;
  limit: number;
}

/** One lost customer: the ended relation, the customer's stage now and the last note written about them. */
export interface LostCustomerRow {
  id: string;
  orgId: string;
  customerId: string;
  employeeId: string;
  lostAt: Date;
  stage: string;
  lastNote: CustomerNoteEntity | null;
}

/**
 * The lost-customers report (KPI: "so managers can win them back"), on
 * idx_customer_relations_lost, which holds only relations ended by the
 * customer: a department's month is a range scan of that index, whatever the
 * size of the book.
 */
@Injectable()
export class LostCustomersRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async page(orgId: string, q: LostCustomersQuery): Promise<LostCustomerRow[]> {
    const params: unknown[] = [orgId, q.from.toISOString(), q.to.toISOString()];
    const conds: string[] = [];
    const inScope = ScopeEmployees.of(q.scope, orgId);
    if (inScope) conds.push(`r.employee_id IN (${inScope.bind(params)})`);
    if (q.departmentId) {
      const inDepartment = ScopeEmployees.of({ organization: false, departmentIds: [q.departmentId] }, orgId)!;
      conds.push(`r.employee_id IN (${inDepartment.bind(params)})`);
    }
    if (q.employeeId) conds.push(`r.employee_id = $${params.push(q.employeeId)}`);
    if (q.after) {
      const at = params.push(q.after[0]);
      conds.push(`(r.ended_at, r.id) < ($${at}::timestamptz, $${params.push(q.after[1])}::uuid)`);
    }
    const rows: Array<Omit<LostCustomerRow, 'lastNote'> & { note: CustomerNoteEntity | null }> = await this.db.query(
      `SELECT r.id, r.org_id AS "orgId", r.customer_id AS "customerId", r.employee_id AS "employeeId",
              r.ended_at AS "lostAt", c.stage,
              (SELECT json_build_object('id', n.id, 'orgId', n.org_id, 'customerId', n.customer_id,
                                        'authorId', n.author_id, 'kind', n.kind, 'body', n.body, 'dueAt', n.due_at,
                                        'doneAt', n.done_at, 'createdAt', n.created_at)
                 FROM customer_notes n
                WHERE n.org_id = r.org_id AND n.customer_id = r.customer_id
                ORDER BY n.created_at DESC, n.id DESC LIMIT 1) AS note
         FROM customer_relations r
         JOIN customers c ON c.org_id = r.org_id AND c.id = r.customer_id
        WHERE r.org_id = $1 AND r.status = 'DELETED_BY_CUSTOMER' AND r.ended_at >= $2 AND r.ended_at < $3
          ${conds.map((c) => `AND ${c}`).join('\n          ')}
        ORDER BY r.ended_at DESC, r.id DESC
        LIMIT $${params.push(q.limit)}`,
      params,
    );
    return rows.map(({ note, ...r }) => ({
      ...r,
      lostAt: new Date(r.lostAt),
      lastNote: note
        ? {
            ...note,
            dueAt: note.dueAt ? new Date(note.dueAt) : null,
            doneAt: note.doneAt ? new Date(note.doneAt) : null,
            createdAt: new Date(note.createdAt),
          }
        : null,
    }));
  }
}
