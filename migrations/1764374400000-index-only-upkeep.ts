import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables whose list reads are index-only scans (customers by stage, tags and
 * creation time; active relations by customer and by employee; a page's tags)
 * get vacuumed after 2 % of their rows changed instead of PostgreSQL's 20 %.
 *
 * An index-only scan skips the table only for pages the visibility map marks
 * all-visible, and only VACUUM sets those marks again after rows change. With
 * the default, a million customers collect 200,000 dead rows before autovacuum
 * runs; a few departures and a day of stage changes leave half the pages of a
 * manager's list unmarked in the meantime. Measured on the bench data with
 * 80,000 dead customer rows: the manager's page read 2,074 table pages it
 * would not have (7.0 ms instead of 5.4 ms, README "Benchmarks"). A vacuum
 * of a mostly marked table only visits the unmarked pages, so running it ten
 * times as often costs little.
 *
 * `autovacuum_vacuum_insert_scale_factor` does the same for rows added
 * (relations added by a departure's takeovers, tags applied in bulk).
 */
export const INDEX_ONLY_TABLES = ['customers', 'customer_relations', 'customer_tags'] as const;
export const INDEX_ONLY_SCALE_FACTOR = '0.02';

export class IndexOnlyUpkeep1764374400000 implements MigrationInterface {
  name = 'IndexOnlyUpkeep1764374400000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of INDEX_ONLY_TABLES) {
      await q.query(
        `ALTER TABLE "${table}" SET (autovacuum_vacuum_scale_factor = ${INDEX_ONLY_SCALE_FACTOR}, autovacuum_vacuum_insert_scale_factor = ${INDEX_ONLY_SCALE_FACTOR})`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of INDEX_ONLY_TABLES) {
      await q.query(
        `ALTER TABLE "${table}" RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor)`,
      );
    }
  }
}
