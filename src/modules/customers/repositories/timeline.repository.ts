import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TimelineEventEntity } from 'src/modules/customers/entities/timeline-event.entity';

export interface NewTimelineEvent {
  orgId: string;
  customerId: string;
  type: string;
  occurredAt?: Date;
  employeeId?: string | null;
  summary: string;
  data?: Record<string, unknown> | null;
}

/**
 * One timeline event per row of a writer's own rows, each column an SQL
 * expression over those rows (named as the writer names them in its
 * statement). The writer never names the timeline's table or columns.
 */
export interface TimelineEventColumns {
  orgId: string;
  customerId: string;
  /** varchar: the event type, e.g. 'transfer.requested'. */
  type: string;
  occurredAt: string;
  employeeId: string;
  /** varchar; cut at 500 characters as every event's summary. */
  summary: string;
  /** jsonb */
  data: string;
}

/** The INSERT of one event per row of `rows` (a name the statement defines) passing `where`, as SQL text. */
export function insertFromRowsSql(rows: string, columns: TimelineEventColumns, where = 'TRUE'): string {
  const c = columns;
  return `INSERT INTO timeline_events (org_id, customer_id, type, occurred_at, employee_id, summary, data)
       SELECT ${c.orgId}, ${c.customerId}, ${c.type}, ${c.occurredAt}, ${c.employeeId}, left(${c.summary}, 500), ${c.data}
         FROM ${rows} WHERE ${where}`;
}

@Injectable()
export class TimelineRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Inserts events in one statement. */
  async insertMany(m: EntityManager, events: NewTimelineEvent[]): Promise<void> {
    if (!events.length) return;
    await m.query(
      `INSERT INTO timeline_events (org_id, customer_id, type, occurred_at, employee_id, summary, data)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::timestamptz[], $5::uuid[], $6::varchar[], $7::jsonb[])`,
      [
        events.map((e) => e.orgId),
        events.map((e) => e.customerId),
        events.map((e) => e.type),
        events.map((e) => (e.occurredAt ?? new Date()).toISOString()),
        events.map((e) => e.employeeId ?? null),
        events.map((e) => e.summary.slice(0, 500)),
        events.map((e) => (e.data ? JSON.stringify(e.data) : null)),
      ],
    );
  }

  /** Newest first, keyset on (occurred_at, id). */
  async page(
    orgId: string,
    customerId: string,
    after: [string, string] | null,
    limit: number,
  ): Promise<TimelineEventEntity[]> {
    const params: unknown[] = [orgId, customerId, limit];
    let keyset = '';
    if (after) {
      params.push(after[0], after[1]);
      keyset = `AND (occurred_at, id) < ($4::timestamptz, $5::uuid)`;
    }
    const rows = await this.db.query(
      `SELECT id, org_id AS "orgId", customer_id AS "customerId", type, occurred_at AS "occurredAt",
              employee_id AS "employeeId", summary, data, created_at AS "createdAt"
         FROM timeline_events
        WHERE org_id = $1 AND customer_id = $2 ${keyset}
        ORDER BY occurred_at DESC, id DESC
        LIMIT $3`,
      params,
    );
    return rows;
  }
}
