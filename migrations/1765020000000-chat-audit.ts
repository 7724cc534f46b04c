import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chat archive (issue 19, DOMAIN.md "Chat audit").
 *
 * - `chat_messages` is partitioned by month of `sent_at` (declarative range
 *   partitioning) so that retention drops whole months instead of deleting
 *   rows. Partitions are created by the application ahead of need (at ingest
 *   for the months a batch touches, and by the daily retention job for the
 *   coming months), never here: a partitioned table's unique index must contain
 *   the partition key, so the primary key is (id, sent_at).
 * - For the same reason idempotency on (organization, external id) cannot be a
 *   unique index of `chat_messages` (a repeat sent in another month would land
 *   in another partition): `chat_message_keys` holds one row per external id,
 *   claimed with ON CONFLICT DO NOTHING before a message is written.
 * - `search_grams`: every character and every pair of adjacent characters of
 *   the lower-cased text, GIN-indexed, so 1- and 2-character Chinese queries
 *   and English words find candidates by index; the text is then checked with
 *   a plain substring test. `chat_search_grams` is the one formula (used when
 *   writing; `chat_query_grams` when searching).
 * - `chat_access_log` is append-only: a trigger refuses UPDATE, DELETE and
 *   TRUNCATE, whoever asks.
 */
export class ChatAudit1765020000000 implements MigrationInterface {
  name = 'ChatAudit1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION chat_search_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT substr(l, i, n)), '{}')
        FROM (SELECT lower(t) AS l) s, generate_series(1, length(s.l)) i, (VALUES (1), (2)) v(n)
       WHERE i + n - 1 <= length(s.l) $$`);
    // A query's grams: its bigrams (each implies its characters), or the one character of a 1-character query.
    await q.query(`CREATE FUNCTION chat_query_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN length(t) = 1 THEN ARRAY[lower(t)]
                  ELSE (SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}') FROM generate_series(1, length(t) - 1) i) END $$`);

    await q.query(`CREATE TABLE "chat_conversations" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "message_count" integer NOT NULL DEFAULT '0', "last_message_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_chat_conversations" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_chat_conversations_org_id_employee_id_customer_id" ON "chat_conversations"("org_id", "employee_id", "customer_id")`);
    await q.query(`CREATE INDEX "idx_chat_conversations_org_id_last_message_at_id" ON "chat_conversations"("org_id", "last_message_at", "id")`);
    await q.query(
      `CREATE INDEX "idx_chat_conversations_org_id_customer_id" ON "chat_conversations"("org_id", "customer_id")`,
    );
    await q.query(`ALTER TABLE "chat_conversations" ADD CONSTRAINT "fk_chat_conversations_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "chat_conversations" ADD CONSTRAINT "fk_chat_conversations_employee_id" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "chat_conversations" ADD CONSTRAINT "fk_chat_conversations_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "chat_messages" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "conversation_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "external_id" character varying(128) NOT NULL, "sender_type" character varying(16) NOT NULL, "type" character varying(16) NOT NULL, "text" text, "payload" jsonb, "content_withheld" boolean NOT NULL DEFAULT false, "search_grams" text array NOT NULL DEFAULT '{}', "sent_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_chat_messages_withheld" CHECK (NOT "content_withheld" OR ("text" IS NULL AND "payload" IS NULL AND "search_grams" = '{}')), CONSTRAINT "pk_chat_messages" PRIMARY KEY ("id", "sent_at")) PARTITION BY RANGE ("sent_at")`);
    await q.query(`CREATE INDEX "idx_chat_messages_org_id_sent_at_id" ON "chat_messages"("org_id", "sent_at", "id")`);
    await q.query(`CREATE INDEX "idx_chat_messages_org_id_conversation_id_sent_at_id" ON "chat_messages"("org_id", "conversation_id", "sent_at", "id")`);
    await q.query(`CREATE INDEX "idx_chat_messages_org_id_employee_id_sent_at_id" ON "chat_messages"("org_id", "employee_id", "sent_at", "id")`);
    await q.query(`CREATE INDEX "idx_chat_messages_search_grams" ON "chat_messages" USING gin ("search_grams")`);

    await q.query(`CREATE TABLE "chat_message_keys" ("org_id" uuid NOT NULL, "external_id" character varying(128) NOT NULL, "message_id" uuid NOT NULL, "sent_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "pk_chat_message_keys" PRIMARY KEY ("org_id", "external_id"))`);
    await q.query(`CREATE INDEX "idx_chat_message_keys_org_id_sent_at" ON "chat_message_keys"("org_id", "sent_at")`);
    await q.query(`ALTER TABLE "chat_message_keys" ADD CONSTRAINT "fk_chat_message_keys_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "chat_consents" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "employee_id" uuid, "status" character varying(16) NOT NULL, "source" character varying(16) NOT NULL, "changed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "recorded_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_chat_consents_status" CHECK ("status" IN ('AGREED', 'DISAGREED', 'UNKNOWN')), CONSTRAINT "chk_chat_consents_source" CHECK ("source" IN ('API', 'MESSAGE')), CONSTRAINT "pk_chat_consents" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_chat_consents_org_id_customer_id_changed_at" ON "chat_consents"("org_id", "customer_id", "changed_at")`);
    await q.query(`ALTER TABLE "chat_consents" ADD CONSTRAINT "fk_chat_consents_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "chat_consents" ADD CONSTRAINT "fk_chat_consents_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "chat_consents" ADD CONSTRAINT "fk_chat_consents_employee_id" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "chat_access_log" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "viewer_id" uuid, "api_key_id" uuid, "action" character varying(64) NOT NULL, "target" character varying(10000) NOT NULL, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_chat_access_log" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "idx_chat_access_log_org_id_occurred_at_id" ON "chat_access_log"("org_id", "occurred_at", "id")`,
    );
    // No cascade: the log outlives nothing it describes, and the trigger below would refuse the delete anyway.
    await q.query(`ALTER TABLE "chat_access_log" ADD CONSTRAINT "fk_chat_access_log_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`CREATE FUNCTION chat_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'chat_access_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER "trg_chat_access_log_append_only" BEFORE UPDATE OR DELETE ON "chat_access_log" FOR EACH ROW EXECUTE FUNCTION chat_access_log_append_only()`);
    await q.query(`CREATE TRIGGER "trg_chat_access_log_no_truncate" BEFORE TRUNCATE ON "chat_access_log" FOR EACH STATEMENT EXECUTE FUNCTION chat_access_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "chat_access_log"`);
    await q.query(`DROP FUNCTION chat_access_log_append_only()`);
    await q.query(`DROP TABLE "chat_consents"`);
    await q.query(`DROP TABLE "chat_message_keys"`);
    // Drops its partitions with it.
    await q.query(`DROP TABLE "chat_messages"`);
    await q.query(`DROP TABLE "chat_conversations"`);
    await q.query(`DROP FUNCTION chat_query_grams(text)`);
    await q.query(`DROP FUNCTION chat_search_grams(text)`);
  }
}
