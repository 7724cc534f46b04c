import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `momentCalendar` reads one organization's moments by their scheduled time over a range of days: this index
 * makes it a range scan of those moments only (the created_at index would walk every moment of the
 * organization; the due index holds only SCHEDULED and PUBLISHING ones, of every organization).
 */
export class MomentCalendar1765130000000 implements MigrationInterface {
  name = 'MomentCalendar1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "idx_moments_org_id_scheduled_at" ON "moments"("org_id", "scheduled_at") WHERE "scheduled_at" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_moments_org_id_scheduled_at"`);
  }
}
