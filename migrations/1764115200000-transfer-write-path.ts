import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A departure writes one transfer per customer in one statement (20,000 rows
 * for a large book); every foreign key is a per-row trigger that looks up and
 * share-locks the parent row, and every index is one more insertion per row
 * (measured in bench/README.md, "Reassignment"):
 *
 * - The foreign keys from `transfers` to `employees` (from, to), `handovers`
 *   and `customers` go (~0.5 s per 20,000 rows). Their parents are never
 *   deleted (employees depart and stay; hand-overs are history; customers are
 *   kept) and the only writer, the reassignment module, inserts transfers
 *   inside the transaction that created the hand-over and row-locked both
 *   employees, from the ACTIVE relations it read there (whose own foreign keys
 *   vouch for the customer). The e2e suite asserts that every transfer points
 *   at its hand-over, employees, relation and customer.
 * - The foreign key from `timeline_events` to `customers` goes (~0.15 s per
 *   20,000 events: each row share-locks its customer). The timeline is an
 *   append-only log written only through TimelineService, for customers the
 *   caller has just read or written in the same transaction; customers are
 *   never deleted (an erasure would delete their events explicitly). The e2e
 *   suites assert that no event points at a missing customer.
 * - The ON_JOB limit index covers ON_JOB transfers only (the limit counts
 *   nothing else), and the resolution-time index only resolved transfers, so a
 *   departure's WAITING rows skip both.
 */
export class TransferWritePath1764115200000 implements MigrationInterface {
  name = 'TransferWritePath1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "transfers" DROP CONSTRAINT "fk_transfers_handover_id"`);
    await q.query(`ALTER TABLE "transfers" DROP CONSTRAINT "fk_transfers_from_employee_id"`);
    await q.query(`ALTER TABLE "transfers" DROP CONSTRAINT "fk_transfers_to_employee_id"`);
    await q.query(`ALTER TABLE "transfers" DROP CONSTRAINT "fk_transfers_customer_id"`);
    await q.query(`ALTER TABLE "timeline_events" DROP CONSTRAINT "fk_timeline_events_customer_id"`);
    await q.query(`DROP INDEX "idx_transfers_org_id_customer_id_kind_created_at"`);
    await q.query(`CREATE INDEX "idx_transfers_on_job_customer" ON "transfers"("org_id", "customer_id", "created_at") WHERE "kind" = 'ON_JOB'`);
    await q.query(`DROP INDEX "idx_transfers_org_id_resolved_at"`);
    await q.query(`CREATE INDEX "idx_transfers_org_id_resolved_at" ON "transfers"("org_id", "resolved_at") WHERE "resolved_at" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_transfers_org_id_resolved_at"`);
    await q.query(`CREATE INDEX "idx_transfers_org_id_resolved_at" ON "transfers"("org_id", "resolved_at")`);
    await q.query(`DROP INDEX "idx_transfers_on_job_customer"`);
    await q.query(`CREATE INDEX "idx_transfers_org_id_customer_id_kind_created_at" ON "transfers"("org_id", "customer_id", "kind", "created_at")`);
    await q.query(`ALTER TABLE "timeline_events" ADD CONSTRAINT "fk_timeline_events_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_to_employee_id" FOREIGN KEY ("to_employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_from_employee_id" FOREIGN KEY ("from_employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_handover_id" FOREIGN KEY ("handover_id") REFERENCES "handovers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }
}
