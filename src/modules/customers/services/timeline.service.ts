import { Injectable } from '@nestjs/common';
import { Tx } from 'src/core/database/unit-of-work';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { TimelineEventEntity } from 'src/modules/customers/entities/timeline-event.entity';
import {
  insertFromRowsSql,
  NewTimelineEvent,
  TimelineEventColumns,
  TimelineRepository,
} from 'src/modules/customers/repositories/timeline.repository';

export type { NewTimelineEvent, TimelineEventColumns };

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
   * For a writer that records in the statement that makes the change (a bulk
   * hand-over of thousands of customers): the INSERT of one event per row of
   * its rows, as a data-modifying CTE over the rows its own INSERT returns
   * (`WITH ins AS (INSERT ... RETURNING ...), events AS (<this>) ...`), which
   * spares reading those rows back. The timeline's table and columns stay
   * this module's; the writer gives an expression per typed column.
   */
  recordFromRowsSql(rows: string, columns: TimelineEventColumns, where?: string): string {
    return insertFromRowsSql(rows, columns, where);
  }

  /** The caller has checked that the customer is visible. */
  async page(
    orgId: string,
    customerId: string,
    first?: number,
    after?: string | null,
  ): Promise<Page<TimelineEventEntity>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | null;
    const rows = await this.timeline.page(orgId, customerId, cursor, limit + 1);
    return toPage(rows, limit, (e) => [new Date(e.occurredAt).toISOString(), e.id]);
  }
}
