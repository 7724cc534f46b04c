import { SqlFragment } from 'src/core/database/sql-fragment';

/**
 * This module's rows as other modules' statements read them: typed SQL
 * fragments made only here (core/database/sql-fragment.ts), so set-based work
 * stays one statement without another module naming this module's tables.
 */

/** One stored message as the KPI rollups read it; `day` is its day in the time zone asked for. */
export interface DayMessageRow {
  employee_id: string;
  customer_id: string;
  day: string;
  sender_type: string;
  type: string;
  sent_at: Date;
  id: string;
}

/** The messages of a range of days, each with its day in a time zone (a KPI rebuild reads them). */
export class DayMessages extends SqlFragment<DayMessageRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  /** Every message sent on the days `from` to `to` (inclusive) of `timezone`. */
  static ofDays(orgId: string, timezone: string, from: string, to: string): DayMessages {
    return new DayMessages(
      `SELECT m.employee_id, m.customer_id, (m.sent_at AT TIME ZONE $4)::date::text AS day, m.sender_type, m.type,
              m.sent_at, m.id
         FROM chat_messages m
        WHERE m.org_id = $1 AND m.sent_at >= ($2::date::timestamp AT TIME ZONE $4)
          AND m.sent_at < (($3::date + 1)::timestamp AT TIME ZONE $4)`,
      [orgId, from, to, timezone],
    );
  }
}

/** One message a transaction has just stored, as a stored-messages hook reads it. */
export interface StoredMessageRow {
  employee_id: string;
  customer_id: string;
  sender_type: string;
  type: string;
  sent_at: Date;
  id: string;
}

/**
 * The messages the current transaction's ingest or bulk import has just stored (its staging tables, dropped
 * at commit; only the new ones: a repeated external id is not claimed): what a ChatIngestService.onMessagesStored
 * hook reads in that transaction.
 */
export class StoredMessages extends SqlFragment<StoredMessageRow> {
  private constructor(text: string) {
    super(text, []);
  }

  static ofThisTransaction(): StoredMessages {
    return new StoredMessages(
      `SELECT s.employee_id, s.customer_id, s.sender_type, s.type, s.sent_at, k.message_id AS id
         FROM chat_ingest_stage s JOIN chat_ingest_claimed k USING (line)`,
    );
  }
}
