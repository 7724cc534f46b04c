/**
 * The benchmark's own PostgreSQL: the embedded server of `npm start`
 * (src/core/dev-services/embedded-postgres.ts) with a persistent data directory
 * under bench/data/, so data is generated once and reused by later runs, and
 * one of two setting sets: `load` (bulk generation: no fsync, minimal WAL, no
 * autovacuum) and `run` (durable, sized for this 24 GB machine). Switching sets
 * is a stop and a start on the same directory. Every figure in the results
 * names the set.
 */
import { Client } from 'pg';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from 'src/core/dev-services/embedded-postgres';

export type PgMode = 'load' | 'run';

const COMMON = {
  max_connections: '300',
  shared_buffers: '4GB',
  effective_cache_size: '16GB',
  random_page_cost: '1.1',
  effective_io_concurrency: '64',
  work_mem: '16MB',
  maintenance_work_mem: '1GB',
  max_wal_size: '16GB',
  checkpoint_timeout: '30min',
  log_min_messages: 'warning',
};

/** postgresql.conf settings of each mode, exported so results can record them. */
export const PG_SETTINGS: Record<PgMode, Readonly<Record<string, string>>> = {
  load: {
    ...COMMON,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    wal_level: 'minimal',
    max_wal_senders: '0',
    autovacuum: 'off',
    max_parallel_maintenance_workers: '2',
  },
  run: { ...COMMON, fsync: 'on', synchronous_commit: 'on' },
};

/** `extra`: settings a bench needs on top of the mode's (e.g. track_commit_timestamp to time from commit). */
export async function startBenchPostgres(
  dir: string,
  mode: PgMode,
  log: (m: string) => void,
  extra: Readonly<Record<string, string>> = {},
): Promise<EmbeddedPostgresHandle> {
  const pg = await startEmbeddedPostgres(dir, log, {
    settings: { ...PG_SETTINGS[mode], ...extra },
    serverLog: (output) => {
      if (/FATAL|PANIC/.test(output)) log(`postgres: ${output}`);
    },
  });
  log(`PostgreSQL (${mode} settings) on ${new URL(pg.adminUrl).host}`);
  return pg;
}

export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url, application_name: 'wecrm-bench' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(
    adminUrl,
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
