import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscription sockets' leases (core/realtime/connection-leases.ts): one row per open socket of an employee or
 * API key on any API process, so the per-principal socket limit holds across processes. A process renews its
 * rows' expiry with one heartbeat; a crashed process's rows stop counting once they expire.
 */
export class SubscriptionLeases1765220000000 implements MigrationInterface {
  name = 'SubscriptionLeases1765220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "subscription_leases" ("id" uuid NOT NULL, "subject" character varying(80) NOT NULL, "process_id" uuid NOT NULL, "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "pk_subscription_leases" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "idx_subscription_leases_subject_expires_at" ON "subscription_leases"("subject", "expires_at") `,
    );
    await q.query(`CREATE INDEX "idx_subscription_leases_process_id" ON "subscription_leases"("process_id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_subscription_leases_process_id"`);
    await q.query(`DROP INDEX "idx_subscription_leases_subject_expires_at"`);
    await q.query(`DROP TABLE "subscription_leases"`);
  }
}
