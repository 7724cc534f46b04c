import { DataSource, MixedList } from 'typeorm';
import { buildDataSource } from './data-source';

const MIGRATION_LOCK = 72_410_001;

/**
 * Runs pending migrations under an advisory lock, so several processes starting
 * at once (API and worker replicas) apply them exactly once.
 */
export async function runMigrations(
  url: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>,
): Promise<string[]> {
  // No statement timeout: a migration may rewrite a large table (a backfill of
  // a million customers takes about a minute here); others wait on the lock.
  const ds: DataSource = buildDataSource({
    url,
    entities: [],
    migrations,
    poolSize: 1,
    applicationName: 'wecrm-migrate',
    statementTimeoutMs: 0,
  });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await ds.destroy();
  }
}
