import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline's primary key becomes the key it is read by, (org_id,
 * customer_id, occurred_at, id), instead of a separate index on `id` beside
 * that one: every event is one index insertion instead of two. Nothing looks
 * an event up by id alone (a customer's timeline is paged on (occurred_at,
 * id)), and `id` stays in the key, so it is still unique.
 *
 * A departure writes one event per customer (20,000 for a large book); the
 * random-uuid index on `id` touched a different leaf page for almost every
 * one. Measured on 600,000 events: 20,000 inserted in 0.44-0.86 s instead of
 * 0.48-1.23 s (bench/README.md, "Reassignment").
 *
 * The new key is built as a unique index first and attached with USING INDEX;
 * on a large table this is one pass over the table, as any index build.
 */
export class TimelineKey1764201600000 implements MigrationInterface {
  name = 'TimelineKey1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX "pk_timeline_events_new" ON "timeline_events" ("org_id", "customer_id", "occurred_at", "id")`);
    await q.query(`ALTER TABLE "timeline_events" DROP CONSTRAINT "pk_timeline_events"`);
    await q.query(`DROP INDEX "idx_timeline_events_org_id_customer_id_occurred_at_id"`);
    await q.query(`ALTER INDEX "pk_timeline_events_new" RENAME TO "pk_timeline_events"`);
    await q.query(
      `ALTER TABLE "timeline_events" ADD CONSTRAINT "pk_timeline_events" PRIMARY KEY USING INDEX "pk_timeline_events"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "timeline_events" DROP CONSTRAINT "pk_timeline_events"`);
    await q.query(`ALTER TABLE "timeline_events" ADD CONSTRAINT "pk_timeline_events" PRIMARY KEY ("id")`);
    await q.query(`CREATE INDEX "idx_timeline_events_org_id_customer_id_occurred_at_id" ON "timeline_events" ("org_id", "customer_id", "occurred_at", "id")`);
  }
}
