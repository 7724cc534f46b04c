import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * KPI monthly targets (issue 20), owned by the kpi module: one row per (organization, month, employee or
 * department) with each metric's target or null, and who set it last and when.
 */
export class KpiTargets1765160000000 implements MigrationInterface {
  name = 'KpiTargets1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "kpi_targets" ("id" uuid NOT NULL DEFAULT uuidv7(), "org_id" uuid NOT NULL, "month" date NOT NULL, "subject_kind" character varying(10) NOT NULL, "subject_id" uuid NOT NULL, "new_customers" integer, "reply_rate" double precision, "avg_first_response_seconds" double precision, "moment_completion_rate" double precision, "set_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_kpi_targets_month" CHECK (date_trunc('month', "month") = "month"), CONSTRAINT "chk_kpi_targets_subject_kind" CHECK ("subject_kind" IN ('EMPLOYEE', 'DEPARTMENT')), CONSTRAINT "pk_kpi_targets" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_kpi_targets_org_id_month_subject" ON "kpi_targets" ("org_id", "month", "subject_kind", "subject_id")`);
    await q.query(`ALTER TABLE "kpi_targets" ADD CONSTRAINT "fk_kpi_targets_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "kpi_targets"`);
  }
}
