import { Injectable } from '@nestjs/common';
import { Tx } from 'src/core/database/unit-of-work';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { TimelineEventEntity } from 'src/modules/customers/entities/timeline-event.entity';
import { SqlFragment } from 'src/core/database/sql-fragment';
import {
  NewTimelineEvent,
  TimelineEventSource,
  TimelineInsert,
  TimelineRepository,
} from 'src/modules/customers/repositories/timeline.repository';

export type { NewTimelineEvent, TimelineEventSource, TimelineInsert };

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
   * `source`, a fragment of the writer's own making over its own rows, to run
   * as a data-modifying CTE (`WITH ins AS (INSERT ... RETURNING ...), events
   * AS (<this>) ...`), which spares reading those rows back. The timeline's
   * table and columns stay this module's; neither side edits the other's SQL.
   */
  insertFrom(source: SqlFragment<TimelineEventSource>): TimelineInsert {
    return TimelineInsert.from(source);
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
