import { MigrationInterface, QueryRunner } from 'typeorm';

/** The expiry sweep reads PENDING tasks oldest first across organizations. */
export class MomentTaskExpiry1764720000000 implements MigrationInterface {
  name = 'MomentTaskExpiry1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "idx_moment_tasks_pending_created_at" ON "moment_tasks"("created_at") WHERE "status" = 'PENDING'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_moment_tasks_pending_created_at"`);
  }
}
