import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyword rules and their alerts (issue 19, DOMAIN.md "Chat audit").
 *
 * - `chat_keyword_rules`: a rule's keywords, semantic detectors, sender types, departments (with
 *   sub-departments; empty: the whole organization) and notify list, as arrays of the rule (read whole, written
 *   whole). Deleting a rule marks it `deleted_at` so its alerts keep naming it.
 * - `chat_keyword_rule_versions`: one counter per organization, bumped in the transaction of every rule
 *   change. Each process compares it with the version of its compiled automaton before an ingest batch (one
 *   primary-key read) and rebuilds only when it moved.
 * - `chat_audit_alerts`: one per (rule, message) (`uq_chat_audit_alerts_org_id_rule_id_message_id`), written in
 *   the ingest transaction. No foreign key to the message: chat_messages is partitioned and retention drops
 *   its partitions; the alert keeps `message_sent_at` to find it and is purged with it.
 * - `notifications` (module notifications) gains the kind AUDIT_ALERT and the alert's id.
 */
export class ChatKeywordRules1765100000000 implements MigrationInterface {
  name = 'ChatKeywordRules1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "chat_keyword_rules" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "keywords" text array NOT NULL DEFAULT '{}', "semantics" character varying(16) array NOT NULL DEFAULT '{}', "applies_to" character varying(16) array NOT NULL, "department_ids" uuid array NOT NULL DEFAULT '{}', "severity" character varying(8) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "notify_employee_ids" uuid array NOT NULL DEFAULT '{}', "created_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "chk_chat_keyword_rules_severity" CHECK ("severity" IN ('LOW', 'MEDIUM', 'HIGH')), CONSTRAINT "pk_chat_keyword_rules" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_chat_keyword_rules_org_id_created_at_id" ON "chat_keyword_rules"("org_id", "created_at", "id")`);
    await q.query(`ALTER TABLE "chat_keyword_rules" ADD CONSTRAINT "fk_chat_keyword_rules_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "chat_keyword_rule_versions" ("org_id" uuid NOT NULL, "version" bigint NOT NULL DEFAULT '0', CONSTRAINT "pk_chat_keyword_rule_versions" PRIMARY KEY ("org_id"))`);
    await q.query(`ALTER TABLE "chat_keyword_rule_versions" ADD CONSTRAINT "fk_chat_keyword_rule_versions_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "chat_audit_alerts" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "rule_id" uuid NOT NULL, "message_id" uuid NOT NULL, "message_sent_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "conversation_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "matched" text array NOT NULL, "severity" character varying(8) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'OPEN', "acknowledged_by_id" uuid, "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE, "resolved_by_id" uuid, "resolved_at" TIMESTAMP(3) WITH TIME ZONE, "acknowledged_note" character varying(2000), "resolved_note" character varying(2000), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_chat_audit_alerts_status" CHECK ("status" IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')), CONSTRAINT "pk_chat_audit_alerts" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_chat_audit_alerts_org_id_rule_id_message_id" ON "chat_audit_alerts"("org_id", "rule_id", "message_id")`);
    await q.query(
      `CREATE INDEX "idx_chat_audit_alerts_org_id_created_at_id" ON "chat_audit_alerts"("org_id", "created_at", "id")`,
    );
    await q.query(
      `CREATE INDEX "idx_chat_audit_alerts_org_id_message_id" ON "chat_audit_alerts"("org_id", "message_id")`,
    );
    await q.query(
      `CREATE INDEX "idx_chat_audit_alerts_org_id_message_sent_at" ON "chat_audit_alerts"("org_id", "message_sent_at")`,
    );
    await q.query(`ALTER TABLE "chat_audit_alerts" ADD CONSTRAINT "fk_chat_audit_alerts_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "chat_audit_alerts" ADD CONSTRAINT "fk_chat_audit_alerts_rule_id" FOREIGN KEY ("rule_id") REFERENCES "chat_keyword_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "chk_notifications_kind"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "chk_notifications_kind" CHECK ("kind" IN ('MOMENT_TASK_ASSIGNED', 'MOMENT_REMINDER', 'TRANSFER_WAITING', 'HANDOVER_FINISHED', 'AUDIT_ALERT'))`);
    await q.query(`ALTER TABLE "notifications" ADD "audit_alert_id" uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "notifications" WHERE "kind" = 'AUDIT_ALERT'`);
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "audit_alert_id"`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "chk_notifications_kind"`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "chk_notifications_kind" CHECK ("kind" IN ('MOMENT_TASK_ASSIGNED', 'MOMENT_REMINDER', 'TRANSFER_WAITING', 'HANDOVER_FINISHED'))`);
    await q.query(`DROP TABLE "chat_audit_alerts"`);
    await q.query(`DROP TABLE "chat_keyword_rule_versions"`);
    await q.query(`DROP TABLE "chat_keyword_rules"`);
  }
}
