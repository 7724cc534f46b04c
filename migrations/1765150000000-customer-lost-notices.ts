import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Loss alerts (KPI): a CUSTOMER_LOST notice names the customer and the
 * employee who lost them; the lost-customers report reads relations ended by
 * the customer by time, on a partial index holding only those.
 */
export class CustomerLostNotices1765150000000 implements MigrationInterface {
  name = 'CustomerLostNotices1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" ADD "customer_id" uuid, ADD "about_employee_id" uuid`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "chk_notifications_kind"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "chk_notifications_kind" CHECK ("kind" IN ('MOMENT_TASK_ASSIGNED', 'MOMENT_REMINDER', 'TRANSFER_WAITING', 'HANDOVER_FINISHED', 'CUSTOMER_LOST'))`,
    );
    await q.query(
      `CREATE INDEX "idx_customer_relations_lost" ON "customer_relations"("org_id", "ended_at", "id") WHERE "status" = 'DELETED_BY_CUSTOMER'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_customer_relations_lost"`);
    await q.query(`DELETE FROM "notifications" WHERE "kind" = 'CUSTOMER_LOST'`);
    await q.query(`ALTER TABLE "notifications" DROP CONSTRAINT "chk_notifications_kind"`);
    await q.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "chk_notifications_kind" CHECK ("kind" IN ('MOMENT_TASK_ASSIGNED', 'MOMENT_REMINDER', 'TRANSFER_WAITING', 'HANDOVER_FINISHED'))`,
    );
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "about_employee_id", DROP COLUMN "customer_id"`);
  }
}
