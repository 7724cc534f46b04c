import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reassignment: handovers and their transfers (departures and on-the-job transfers). */
export class Reassignment1763942400000 implements MigrationInterface {
  name = 'Reassignment1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "handovers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "from_employee_id" uuid NOT NULL, "requested_by_id" uuid, "requested_by_api_key_id" uuid, "strategy" character varying(16) NOT NULL, "takeover_employee_ids" uuid array NOT NULL, "message" character varying(500), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_handovers_strategy" CHECK ("strategy" IN ('SINGLE', 'ROUND_ROBIN', 'LEAST_LOADED')), CONSTRAINT "chk_handovers_kind" CHECK ("kind" IN ('DEPARTURE', 'ON_JOB')), CONSTRAINT "pk_handovers" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_handovers_org_id_from_employee_id" ON "handovers"("org_id", "from_employee_id")`);
    await q.query(`CREATE INDEX "idx_handovers_org_id_created_at_id" ON "handovers"("org_id", "created_at", "id")`);
    await q.query(`CREATE TABLE "transfers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "handover_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "customer_id" uuid NOT NULL, "from_employee_id" uuid NOT NULL, "to_employee_id" uuid NOT NULL, "from_relation_id" uuid NOT NULL, "status" character varying(32) NOT NULL, "takeover_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_transfers_kind" CHECK ("kind" IN ('DEPARTURE', 'ON_JOB')), CONSTRAINT "chk_transfers_status" CHECK ("status" IN ('WAITING', 'COMPLETED', 'REFUSED', 'TAKEOVER_LIMIT_EXCEEDED', 'TRANSFER_LIMIT_EXCEEDED', 'CANCELED')), CONSTRAINT "pk_transfers" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_transfers_org_id_resolved_at" ON "transfers"("org_id", "resolved_at")`);
    await q.query(
      `CREATE INDEX "idx_transfers_org_id_to_employee_id_status" ON "transfers"("org_id", "to_employee_id", "status")`,
    );
    await q.query(`CREATE INDEX "idx_transfers_org_id_customer_id_kind_created_at" ON "transfers"("org_id", "customer_id", "kind", "created_at")`);
    await q.query(
      `CREATE INDEX "idx_transfers_waiting_takeover_at" ON "transfers"("takeover_at") WHERE "status" = 'WAITING'`,
    );
    await q.query(
      `CREATE INDEX "idx_transfers_org_id_handover_id_status" ON "transfers"("org_id", "handover_id", "status")`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_transfers_waiting_customer" ON "transfers"("org_id", "customer_id") WHERE "status" = 'WAITING'`);
    await q.query(`ALTER TABLE "handovers" ADD CONSTRAINT "fk_handovers_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "handovers" ADD CONSTRAINT "fk_handovers_from_employee_id" FOREIGN KEY ("from_employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_handover_id" FOREIGN KEY ("handover_id") REFERENCES "handovers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_from_employee_id" FOREIGN KEY ("from_employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_to_employee_id" FOREIGN KEY ("to_employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "transfers"`);
    await q.query(`DROP TABLE "handovers"`);
  }
}
