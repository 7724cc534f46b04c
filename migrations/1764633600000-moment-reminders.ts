import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a moment's PENDING tasks were last reminded (remindMomentTasks): the
 * most recent ones only, enough to allow at most 3 reminders per moment in
 * any 24 hours.
 */
export class MomentReminders1764633600000 implements MigrationInterface {
  name = 'MomentReminders1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "moments" ADD "reminded_at" TIMESTAMP WITH TIME ZONE array NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "moments" DROP COLUMN "reminded_at"`);
  }
}
