import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fills the firsts of the conversation-days from the archive's counted messages (DOMAIN.md "KPI": not AGREE,
 * DISAGREE, REVOKE), days in each organization's time zone, as the rollups order them (exported for its test).
 */
export const FIRSTS_BACKFILL = `
  WITH m AS (SELECT m.org_id, m.employee_id, m.customer_id, (m.sent_at AT TIME ZONE o.timezone)::date AS day,
                    m.sender_type, m.sent_at, m.id
               FROM chat_messages m JOIN organizations o ON o.id = m.org_id
              WHERE m.type NOT IN ('AGREE', 'DISAGREE', 'REVOKE')),
       f AS (SELECT DISTINCT ON (org_id, employee_id, customer_id, day) org_id, employee_id, customer_id, day,
                    sent_at, id
               FROM m ORDER BY org_id, employee_id, customer_id, day, sent_at, id),
       e AS (SELECT org_id, employee_id, customer_id, day, min(sent_at) AS at
               FROM m WHERE sender_type = 'EMPLOYEE' GROUP BY 1, 2, 3, 4)
  UPDATE kpi_conversation_days d SET first_at = f.sent_at, first_message_id = f.id, first_employee_at = e.at
    FROM f LEFT JOIN e USING (org_id, employee_id, customer_id, day)
   WHERE d.org_id = f.org_id AND d.employee_id = f.employee_id AND d.day = f.day AND d.customer_id = f.customer_id`;

/**
 * What a conversation-day needs to take a batch's new messages as a delta instead of being recounted from all its
 * messages at every batch (issue 19: the GraphQL ingest's KPI hook): its first counted message (`first_at`, and
 * `first_message_id` for ties, as the rollups order messages by (sent_at, id)) and its employee's first counted
 * message (`first_employee_at`). With them, customer_initiated and first_response_ms follow from the old row and the
 * batch's own messages. Filled from the archive for the rows there are; left null where the messages are gone
 * (purged by retention): such a day takes no new message, as ingest refuses messages older than the retention.
 */
export class KpiConversationDayFirsts1765270000000 implements MigrationInterface {
  name = 'KpiConversationDayFirsts1765270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "kpi_conversation_days" ADD "first_at" TIMESTAMP(3) WITH TIME ZONE,
         ADD "first_message_id" uuid, ADD "first_employee_at" TIMESTAMP(3) WITH TIME ZONE`,
    );
    await q.query(FIRSTS_BACKFILL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "kpi_conversation_days" DROP COLUMN "first_employee_at", DROP COLUMN "first_message_id",
         DROP COLUMN "first_at"`,
    );
  }
}
