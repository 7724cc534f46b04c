import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two B-trees fewer for every archived message (issue 19, bulk import at 20,000 messages/s: each index is one more
 * write per row).
 *
 * - `chat_messages`: the primary key was (id, sent_at) beside an index on (org_id, sent_at, id). Every look-up of a
 *   message by id also gives its organization and time (messagesByKeys, the alerts' LATERAL, the purge), so the
 *   wider key answers all of them and the organization's newest-first walks too: it becomes the primary key and the
 *   separate index goes. Still unique, still holding the partition key, as PostgreSQL requires.
 * - `chat_message_keys`: the (org_id, sent_at) index served only the daily purge's forgetting of purged keys. That
 *   statement now reads the organization's keys through the primary key's (org_id, ...) prefix once a day, instead
 *   of every ingest maintaining a second index on the claiming path.
 */
export class ChatArchiveLeanIndexes1765260000000 implements MigrationInterface {
  name = 'ChatArchiveLeanIndexes1765260000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "pk_chat_messages"`);
    await q.query(`DROP INDEX "idx_chat_messages_org_id_sent_at_id"`);
    await q.query(
      `ALTER TABLE "chat_messages" ADD CONSTRAINT "pk_chat_messages" PRIMARY KEY ("org_id", "sent_at", "id")`,
    );
    await q.query(`DROP INDEX "idx_chat_message_keys_org_id_sent_at"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_chat_message_keys_org_id_sent_at" ON "chat_message_keys"("org_id", "sent_at")`);
    await q.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "pk_chat_messages"`);
    await q.query(`CREATE INDEX "idx_chat_messages_org_id_sent_at_id" ON "chat_messages"("org_id", "sent_at", "id")`);
    await q.query(`ALTER TABLE "chat_messages" ADD CONSTRAINT "pk_chat_messages" PRIMARY KEY ("id", "sent_at")`);
  }
}
