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

/** The messages of some conversation-days or of a range of days, each with its day in a time zone. */
export class DayMessages extends SqlFragment<DayMessageRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  /**
   * The messages of the conversation-days (employee, customer, day of `timezone`) given as three parallel
   * lists, through their conversation on idx_chat_messages_org_id_conversation_id_sent_at_id: a late message
   * recomputes only its day, reading that conversation-day's messages only (by the employee's index, each key
   * read all the employee's messages of the day: an employee with many chats a day made every batch slower).
   */
  static ofConversationDays(
    orgId: string,
    timezone: string,
    keys: { employeeIds: readonly string[]; customerIds: readonly string[]; days: readonly string[] },
  ): DayMessages {
    return new DayMessages(
      `SELECT m.employee_id, m.customer_id, k.day::text AS day, m.sender_type, m.type, m.sent_at, m.id
         FROM unnest($2::uuid[], $3::uuid[], $4::date[]) k(employee_id, customer_id, day)
         JOIN chat_conversations c ON c.org_id = $1 AND c.employee_id = k.employee_id AND c.customer_id = k.customer_id
         JOIN chat_messages m ON m.org_id = $1 AND m.conversation_id = c.id
                             AND m.sent_at >= (k.day::timestamp AT TIME ZONE $5)
                             AND m.sent_at < ((k.day + 1)::timestamp AT TIME ZONE $5)`,
      [orgId, keys.employeeIds, keys.customerIds, keys.days, timezone],
    );
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

/**
 * The messages the current transaction's ingest or bulk import has just stored (its staging tables, dropped
 * at commit): what a ChatIngestService.onMessagesStored hook reads in that transaction.
 */
export class StoredMessages extends SqlFragment<{ employee_id: string; customer_id: string; sent_at: Date }> {
  private constructor(text: string) {
    super(text, []);
  }

  static ofThisTransaction(): StoredMessages {
    return new StoredMessages(
      `SELECT s.employee_id, s.customer_id, s.sent_at FROM chat_ingest_stage s JOIN chat_ingest_claimed k USING (line)`,
    );
  }
}
