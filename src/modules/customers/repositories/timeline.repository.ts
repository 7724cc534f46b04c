import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlFragment } from 'src/core/database/sql-fragment';
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
 * The columns of the timeline events a writer derives from its own rows, in
 * this order and with these names: the writer's module makes the SELECT (a
 * SqlFragment of its own, over its own rows), this module inserts from it.
 */
export interface TimelineEventSource {
  org_id: string;
  customer_id: string;
  /** varchar: the event type, e.g. 'transfer.requested'. */
  type: string;
  occurred_at: Date;
  employee_id: string | null;
  /** varchar; cut at 500 characters as every event's summary. */
  summary: string;
  /** jsonb */
  data: Record<string, unknown> | null;
}

/**
 * The INSERT of one timeline event per row of a writer's source, for the
 * writer to run as a data-modifying CTE of its own statement (so a hand-over of
 * thousands of customers records its events without reading its rows back).
 * Only this module makes one (TimelineService.insertFrom); the writer binds it.
 */
export class TimelineInsert extends SqlFragment<Record<string, never>> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static from(source: SqlFragment<TimelineEventSource>): TimelineInsert {
    const params: unknown[] = [];
    return new TimelineInsert(
      `INSERT INTO timeline_events (org_id, customer_id, type, occurred_at, employee_id, summary, data)
       SELECT s.org_id, s.customer_id, s.type, s.occurred_at, s.employee_id, left(s.summary, 500), s.data
         FROM (${source.bind(params)}) AS s`,
      params,
    );
  }
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
