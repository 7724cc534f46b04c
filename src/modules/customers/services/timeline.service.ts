import { Injectable } from '@nestjs/common';
import { Tx } from '../../../core/database/unit-of-work';
import { decodeCursor, Page, pageSize, toPage } from '../../../core/graphql/pagination';
import { TimelineEventEntity } from '../entities/timeline-event.entity';
import { insertFromSelectSql, NewTimelineEvent, TimelineRepository } from '../repositories/timeline.repository';

export type { NewTimelineEvent };

/**
 * The customer 360 timeline. Every module that touches a customer (relations,
 * notes, tags, transfers, moments, chats) records what happened here, inside
 * its own transaction, so the timeline never disagrees with the data.
 */
@Injectable()
export class TimelineService {
  constructor(private readonly timeline: TimelineRepository) {}

  record(tx: Tx, ...events: NewTimelineEvent[]): Promise<void> {
    return this.timeline.insertMany(tx, events);
  }

  recordMany(tx: Tx, events: NewTimelineEvent[]): Promise<void> {
    return this.timeline.insertMany(tx, events);
  }

  /**
   * Set-based recording: `select` yields (org_id, customer_id, type,
   * occurred_at, employee_id, summary, data), one event per row.
   */
  recordSelect(tx: Tx, select: string, params: unknown[] = []): Promise<void> {
    return this.timeline.insertFromSelect(tx, select, params);
  }

  /**
   * recordSelect as SQL text, for a writer that records in the statement that
   * makes the change: a data-modifying CTE over the rows its INSERT returns
   * (`WITH ins AS (INSERT ... RETURNING ...), events AS (<this>) ...`), which
   * spares reading those rows back.
   */
  recordSelectSql(select: string): string {
    return insertFromSelectSql(select);
  }

  /** The caller has checked that the customer is visible. */
  async page(orgId: string, customerId: string, first?: number, after?: string | null): Promise<Page<TimelineEventEntity>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    const rows = await this.timeline.page(orgId, customerId, cursor, limit + 1);
    return toPage(rows, limit, (e) => [new Date(e.occurredAt).toISOString(), e.id]);
  }
}
