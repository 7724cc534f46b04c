import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * KPI rollups (issue 20, DOMAIN.md "KPI"), owned by the kpi module and rebuilt from the owners' raw rows.
 *
 * - `kpi_conversation_days`: one row per conversation-day (employee, customer, day of the organization's
 *   time zone) with counted messages; a late message recomputes only its conversation-day.
 * - `kpi_employee_days`: the per (employee, day) counters dashboards add up, including the sum of first
 *   response times (for the mean).
 * - `kpi_response_buckets`: per (employee, day) how many replied chats fall in each logarithmic bucket of first
 *   response time (ratio 1.1), from which the p90 of any range or team is read within 5 %.
 * Each has `(org_id, day)` for organization-wide ranges beside its key for an employee's.
 */
export class Kpi1765120000000 implements MigrationInterface {
  name = 'Kpi1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "kpi_conversation_days" ("org_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "day" date NOT NULL, "customer_id" uuid NOT NULL, "messages_sent" integer NOT NULL, "messages_received" integer NOT NULL, "customer_initiated" boolean NOT NULL, "first_response_ms" bigint, CONSTRAINT "pk_kpi_conversation_days" PRIMARY KEY ("org_id", "employee_id", "day", "customer_id"))`);
    await q.query(`CREATE INDEX "idx_kpi_conversation_days_org_id_day" ON "kpi_conversation_days"("org_id", "day")`);
    await q.query(`ALTER TABLE "kpi_conversation_days" ADD CONSTRAINT "fk_kpi_conversation_days_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "kpi_employee_days" ("org_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "day" date NOT NULL, "new_customers" integer NOT NULL DEFAULT '0', "lost_customers" integer NOT NULL DEFAULT '0', "chats" integer NOT NULL DEFAULT '0', "messages_sent" integer NOT NULL DEFAULT '0', "messages_received" integer NOT NULL DEFAULT '0', "customer_initiated_chats" integer NOT NULL DEFAULT '0', "replied_chats" integer NOT NULL DEFAULT '0', "first_response_ms_sum" bigint NOT NULL DEFAULT '0', "moment_tasks_assigned" integer NOT NULL DEFAULT '0', "moment_tasks_published" integer NOT NULL DEFAULT '0', "transfers_in" integer NOT NULL DEFAULT '0', "transfers_out" integer NOT NULL DEFAULT '0', CONSTRAINT "pk_kpi_employee_days" PRIMARY KEY ("org_id", "employee_id", "day"))`);
    await q.query(`CREATE INDEX "idx_kpi_employee_days_org_id_day" ON "kpi_employee_days"("org_id", "day")`);
    await q.query(`ALTER TABLE "kpi_employee_days" ADD CONSTRAINT "fk_kpi_employee_days_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "kpi_response_buckets" ("org_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "day" date NOT NULL, "bucket" smallint NOT NULL, "chats" integer NOT NULL, CONSTRAINT "pk_kpi_response_buckets" PRIMARY KEY ("org_id", "employee_id", "day", "bucket"))`);
    await q.query(`CREATE INDEX "idx_kpi_response_buckets_org_id_day" ON "kpi_response_buckets"("org_id", "day")`);
    await q.query(`ALTER TABLE "kpi_response_buckets" ADD CONSTRAINT "fk_kpi_response_buckets_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "kpi_response_buckets"`);
    await q.query(`DROP TABLE "kpi_employee_days"`);
    await q.query(`DROP TABLE "kpi_conversation_days"`);
  }
}
