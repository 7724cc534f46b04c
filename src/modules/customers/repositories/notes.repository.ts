import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DataScope } from 'src/core/authz/actor';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { CustomerNoteEntity, NoteKindValue } from 'src/modules/customers/entities/customer-note.entity';

/** What `tasksPage` lists (see NotesService.myTasks). */
export interface TaskPageQuery {
  employeeId: string;
  /** The caller's customer:read scope: tasks they wrote count only on customers it still reaches. */
  scope: DataScope;
  done?: boolean | null;
  dueBefore?: Date | null;
  /** [due key (ISO time, or 'infinity' for no due date), id] of the last row seen. */
  after: [string, string] | null;
  limit: number;
}

/** A task's place in "due first" order: its due date, tasks without one after every dated one. */
const DUE_KEY = `coalesce(n.due_at, 'infinity'::timestamptz)`;

const COLUMNS = `id, org_id AS "orgId", customer_id AS "customerId", author_id AS "authorId", kind, body,
  due_at AS "dueAt", done_at AS "doneAt", created_at AS "createdAt"`;
const N_COLUMNS = `n.id, n.org_id AS "orgId", n.customer_id AS "customerId", n.author_id AS "authorId", n.kind, n.body,
  n.due_at AS "dueAt", n.done_at AS "doneAt", n.created_at AS "createdAt"`;

@Injectable()
export class NotesRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async insert(
    m: EntityManager,
    v: { orgId: string; customerId: string; authorId: string; kind: NoteKindValue; body: string; dueAt: Date | null },
  ): Promise<CustomerNoteEntity> {
    const rows = await m.query(
      `INSERT INTO customer_notes (org_id, customer_id, author_id, kind, body, due_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [v.orgId, v.customerId, v.authorId, v.kind, v.body, v.dueAt?.toISOString() ?? null],
    );
    return rows[0];
  }

  async findById(orgId: string, id: string, m?: EntityManager): Promise<CustomerNoteEntity | null> {
    const rows = await (m ?? this.db).query(`SELECT ${COLUMNS} FROM customer_notes WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
    ]);
    return rows[0] ?? null;
  }

  /** Sets done_at unless it is set already; undefined when another call got there first. */
  async markDone(m: EntityManager, orgId: string, id: string, at: Date): Promise<CustomerNoteEntity | undefined> {
    const res = await m.query(
      `UPDATE customer_notes SET done_at = $3 WHERE org_id = $1 AND id = $2 AND done_at IS NULL RETURNING ${COLUMNS}`,
      [orgId, id, at.toISOString()],
    );
    return res[0][0];
  }

  /** Newest first, keyset on (created_at, id). */
  async page(
    orgId: string,
    customerId: string,
    after: [string, string] | null,
    limit: number,
  ): Promise<CustomerNoteEntity[]> {
    const params: unknown[] = [orgId, customerId, limit];
    let keyset = '';
    if (after) {
      params.push(after[0], after[1]);
      keyset = `AND (created_at, id) < ($4::timestamptz, $5::uuid)`;
    }
    return this.db.query(
      `SELECT ${COLUMNS} FROM customer_notes WHERE org_id = $1 AND customer_id = $2 ${keyset}
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      params,
    );
  }

  /**
   * An employee's follow-up tasks, due first (no due date last), keyset on
   * (due key, id): the TASK notes on the customers they follow (an ACTIVE
   * relation, whoever wrote them: a takeover inherits the open tasks) and
   * those they wrote on customers their scope still reaches. Each half reads
   * its own index (the tasks partial index per followed customer, the
   * author's index) and stops after `limit` rows; the union is cut again.
   */
  async tasksPage(orgId: string, q: TaskPageQuery): Promise<CustomerNoteEntity[]> {
    const params: unknown[] = [orgId, q.employeeId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const conds = [`n.org_id = $1::uuid`, `n.kind = 'TASK'`];
    if (q.done === true) conds.push('n.done_at IS NOT NULL');
    if (q.done === false) conds.push('n.done_at IS NULL');
    if (q.dueBefore) conds.push(`n.due_at < ${p(q.dueBefore.toISOString())}::timestamptz`);
    if (q.after) conds.push(`(${DUE_KEY}, n.id) > (${p(q.after[0])}::timestamptz, ${p(q.after[1])}::uuid)`);
    const limit = p(q.limit);
    const scope = q.scope.organization
      ? 'TRUE'
      : `c.active_employee_ids && ARRAY(${ScopeEmployees.of(q.scope, orgId)!.bind(params)})`;
    const cols = N_COLUMNS;
    const where = conds.join(' AND ');
    const sql = `SELECT * FROM (
        (SELECT ${cols} FROM customer_relations r
           JOIN customer_notes n ON n.org_id = r.org_id AND n.customer_id = r.customer_id
          WHERE r.org_id = $1::uuid AND r.employee_id = $2::uuid AND r.status = 'ACTIVE' AND ${where}
          ORDER BY ${DUE_KEY}, n.id LIMIT ${limit})
        UNION
        (SELECT ${cols} FROM customer_notes n
           JOIN customers c ON c.org_id = n.org_id AND c.id = n.customer_id
          WHERE n.author_id = $2::uuid AND ${where} AND ${scope}
          ORDER BY ${DUE_KEY}, n.id LIMIT ${limit})
      ) t ORDER BY coalesce(t."dueAt", 'infinity'::timestamptz), t.id LIMIT ${limit}`;
    return this.db.query(sql, params);
  }
}
