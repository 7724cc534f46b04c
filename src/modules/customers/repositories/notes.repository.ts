import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerNoteEntity, NoteKindValue } from '../entities/customer-note.entity';

const COLUMNS = `id, org_id AS "orgId", customer_id AS "customerId", author_id AS "authorId", kind, body,
  due_at AS "dueAt", done_at AS "doneAt", created_at AS "createdAt"`;

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
    const rows = await (m ?? this.db).query(`SELECT ${COLUMNS} FROM customer_notes WHERE org_id = $1 AND id = $2`, [orgId, id]);
    return rows[0] ?? null;
  }

  /** Sets done_at unless it is set already; undefined when another call got there first. */
  async markDone(m: EntityManager, orgId: string, id: string, at: Date): Promise<CustomerNoteEntity | undefined> {
    const res = await m.query(`UPDATE customer_notes SET done_at = $3 WHERE org_id = $1 AND id = $2 AND done_at IS NULL RETURNING ${COLUMNS}`, [
      orgId,
      id,
      at.toISOString(),
    ]);
    return res[0][0];
  }

  /** Newest first, keyset on (created_at, id). */
  async page(orgId: string, customerId: string, after: [string, string] | null, limit: number): Promise<CustomerNoteEntity[]> {
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
}
