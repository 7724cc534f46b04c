import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The in-app inbox (notifications module) and moment interactions (moments
 * module): likes and comments that channels report on a moment.
 */
export class Notifications1765010000000 implements MigrationInterface {
  name = 'Notifications1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "event_key" character varying(120) NOT NULL, "moment_id" uuid, "moment_task_id" uuid, "handover_id" uuid, "count" integer, "read_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_notifications_kind" CHECK ("kind" IN ('MOMENT_TASK_ASSIGNED', 'MOMENT_REMINDER', 'TRANSFER_WAITING', 'HANDOVER_FINISHED')), CONSTRAINT "pk_notifications" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_notifications_org_id_employee_id_event_key" ON "notifications"("org_id", "employee_id", "event_key")`);
    await q.query(`CREATE INDEX "idx_notifications_org_id_employee_id_created_at_id" ON "notifications"("org_id", "employee_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_notifications_unread" ON "notifications"("org_id", "employee_id", "created_at", "id") WHERE "read_at" IS NULL`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "fk_notifications_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "notifications" ADD CONSTRAINT "fk_notifications_employee_id" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "moment_interactions" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "moment_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "text" text, "external_id" character varying(128), "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_moment_interactions_kind" CHECK ("kind" IN ('LIKE', 'COMMENT')), CONSTRAINT "pk_moment_interactions" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_moment_interactions_external_id" ON "moment_interactions"("org_id", "moment_id", "external_id") WHERE "external_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_moment_interactions_like" ON "moment_interactions"("org_id", "moment_id", "employee_id", "customer_id") WHERE "kind" = 'LIKE'`);
    await q.query(`CREATE INDEX "idx_moment_interactions_org_id_moment_id_kind" ON "moment_interactions"("org_id", "moment_id", "kind")`);
    await q.query(`ALTER TABLE "moment_interactions" ADD CONSTRAINT "fk_moment_interactions_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "moment_interactions" ADD CONSTRAINT "fk_moment_interactions_moment_id" FOREIGN KEY ("moment_id") REFERENCES "moments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "moment_interactions" DROP CONSTRAINT "fk_moment_interactions_moment_id"`);
    await q.query(`ALTER TABLE "moment_interactions" DROP CONSTRAINT "fk_moment_interactions_org_id"`);
    await q.query(`DROP INDEX "idx_moment_interactions_org_id_moment_id_kind"`);
    await q.query(`DROP INDEX "uq_moment_interactions_like"`);
    await q.query(`DROP INDEX "uq_moment_interactions_external_id"`);
    await q.query(`DROP TABLE "moment_interactions"`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "fk_notifications_employee_id"`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "fk_notifications_org_id"`);
    await q.query(`DROP INDEX "idx_notifications_unread"`);
    await q.query(`DROP INDEX "idx_notifications_org_id_employee_id_created_at_id"`);
    await q.query(`DROP INDEX "uq_notifications_org_id_employee_id_event_key"`);
    await q.query(`DROP TABLE "notifications"`);
  }
}
