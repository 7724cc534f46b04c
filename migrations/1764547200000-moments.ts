import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moments (brand posts) and their per-employee tasks. `moments.version` is
 * carried by the delayed publish job (`moment:<id>:<version>`): rescheduling
 * or cancelling bumps it, so a job already queued for the old version finds a
 * mismatch and does nothing. Tasks are unique per (moment, employee), so
 * firing twice cannot create a second task.
 */
export class Moments1764547200000 implements MigrationInterface {
  name = 'Moments1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "moments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "text" character varying(2000) NOT NULL, "attachments" jsonb NOT NULL DEFAULT '[]', "audience_employee_ids" uuid array NOT NULL DEFAULT '{}', "audience_department_ids" uuid array NOT NULL DEFAULT '{}', "audience_tag_ids" uuid array NOT NULL DEFAULT '{}', "status" character varying(16) NOT NULL, "scheduled_at" TIMESTAMP(3) WITH TIME ZONE, "published_at" TIMESTAMP(3) WITH TIME ZONE, "version" integer NOT NULL DEFAULT '0', "created_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_moments_scheduled_at" CHECK ("status" <> 'SCHEDULED' OR "scheduled_at" IS NOT NULL), CONSTRAINT "chk_moments_status" CHECK ("status" IN ('DRAFT', 'SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'CANCELED', 'FAILED')), CONSTRAINT "pk_moments" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_moments_org_id_created_at_id" ON "moments"("org_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_moments_due_scheduled_at" ON "moments"("scheduled_at") WHERE "status" IN ('SCHEDULED', 'PUBLISHING')`);
    await q.query(`CREATE TABLE "moment_tasks" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "moment_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'PENDING', "visible_customer_count" integer NOT NULL DEFAULT '0', "published_at" TIMESTAMP(3) WITH TIME ZONE, "reminded_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_moment_tasks_visible_customer_count" CHECK ("visible_customer_count" >= 0), CONSTRAINT "chk_moment_tasks_status" CHECK ("status" IN ('PENDING', 'PUBLISHED', 'EXPIRED')), CONSTRAINT "pk_moment_tasks" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_moment_tasks_moment_id_employee_id" ON "moment_tasks"("moment_id", "employee_id")`,
    );
    await q.query(`CREATE INDEX "idx_moment_tasks_org_id_moment_id_id" ON "moment_tasks"("org_id", "moment_id", "id")`);
    await q.query(`CREATE INDEX "idx_moment_tasks_org_id_employee_id_created_at_id" ON "moment_tasks"("org_id", "employee_id", "created_at", "id")`);
    await q.query(`ALTER TABLE "moments" ADD CONSTRAINT "fk_moments_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "moments" ADD CONSTRAINT "fk_moments_created_by_id" FOREIGN KEY ("created_by_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "moment_tasks" ADD CONSTRAINT "fk_moment_tasks_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "moment_tasks" ADD CONSTRAINT "fk_moment_tasks_moment_id" FOREIGN KEY ("moment_id") REFERENCES "moments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "moment_tasks" ADD CONSTRAINT "fk_moment_tasks_employee_id" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "moment_tasks"`);
    await q.query(`DROP TABLE "moments"`);
  }
}
