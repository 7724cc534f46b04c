/**
 * One generated database per (scale, seed): `wecrm_bench_<scale>` on the
 * bench PostgreSQL. Generated once and reused; `bench.generation` records the
 * generator version, plan, timings, counts and sizes, and a database whose
 * record is missing or stale is regenerated.
 */
import { Client } from 'pg';
import type { BuiltinRole } from 'src/core/authz/authz.model';
import { join } from 'node:path';
import { ensureDatabase } from 'src/core/dev-services/embedded-postgres';
import { repoRoot, requireBuilt, scaleKey } from 'bench/lib/common';
import { databaseExists, dropDatabase, withClient } from 'bench/lib/postgres';
import { Progress } from 'bench/lib/progress';
import { fmtInt } from 'bench/support/stats';
import { BULK_TABLES, captureDdl, GenContext, STEPS } from './generate';
import { buildPlan, GENERATOR_VERSION, Plan, Sizes } from './plan';

export interface GenerationRecord {
  version: number;
  scale: number;
  seed: number;
  sizes: Sizes;
  migrations: string[];
  startedAt: string;
  seconds: number;
  steps: Array<{ step: string; ms: number; rows: number }>;
  counts: Record<string, number>;
  sizesMb: Record<string, number>;
}

/** One PostgreSQL cluster per scale under bench/data/ (git-ignored): `rm -rf` one to reclaim its space. */
export function dataDirFor(scale: number): string {
  return join(repoRoot(), 'bench', 'data', `pg-${scaleKey(scale)}`);
}

export function databaseName(scale: number, seed: number, defaultSeed: number): string {
  return `wecrm_bench_${scaleKey(scale)}${seed === defaultSeed ? '' : `_s${seed}`}`;
}

/** The generation record of a database, or null when it is missing, incomplete or from another generator version. */
export async function readGeneration(adminUrl: string, url: string, name: string): Promise<GenerationRecord | null> {
  if (!(await databaseExists(adminUrl, name))) return null;
  return withClient(url, async (c) => {
    const t = await c.query(`SELECT to_regclass('bench.generation') AS t`);
    if (!t.rows[0].t) return null;
    const r = await c.query(`SELECT record FROM bench.generation ORDER BY id DESC LIMIT 1`);
    const rec = r.rows[0]?.record as GenerationRecord | undefined;
    return rec && rec.version === GENERATOR_VERSION ? rec : null;
  });
}

interface Migrate {
  runMigrations(url: string, migrations: unknown[]): Promise<string[]>;
}

/** Applies the real migrations of the root build (dist/). */
export async function migrate(url: string): Promise<string[]> {
  const { runMigrations } = requireBuilt<Migrate>('src/core/database/migrate.js');
  const { MIGRATIONS } = requireBuilt<{ MIGRATIONS: unknown[] }>('migrations/index.js');
  return runMigrations(url, MIGRATIONS);
}

export async function generate(
  adminUrl: string,
  url: string,
  name: string,
  scale: number,
  seed: number,
  log: (m: string) => void,
): Promise<GenerationRecord> {
  const started = Date.now();
  const plan: Plan = buildPlan(scale, seed);
  const s = plan.sizes;
  log(
    `generating ${name}: scale ${scale}, seed ${seed}: ${fmtInt(s.employees)} employees in ${plan.departments.length} departments, ` +
      `${fmtInt(s.customers)} customers, ${fmtInt(s.relations)} relations, ${fmtInt(s.smallOrgs)} small organizations`,
  );
  await dropDatabase(adminUrl, name);
  await ensureDatabase(adminUrl, name);
  await migrate(url);
  const { BUILTIN_ROLE_DEFINITIONS } = requireBuilt<{ BUILTIN_ROLE_DEFINITIONS: BuiltinRole[] }>(
    'src/modules/org/builtin-roles.js',
  );
  const db = new Client({ connectionString: url, application_name: 'wecrm-bench-generate' });
  await db.connect();
  try {
    await db.query(`SET work_mem = '256MB'; SET maintenance_work_mem = '2GB'; SET synchronous_commit = off`);
    const migrations = (await db.query(`SELECT name FROM typeorm_migrations ORDER BY id`)).rows.map(
      (r) => r.name as string,
    );
    const ddl = await captureDdl(db, BULK_TABLES);
    for (const stmt of ddl.drop) await db.query(stmt);
    const totalWeight = STEPS.reduce((a, st) => a + st.weight(plan), 0) + s.relations / 100_000 + 1;
    const progress = new Progress(totalWeight);
    const ctx: GenContext = { db, plan, roles: BUILTIN_ROLE_DEFINITIONS, progress, counts: {} };
    for (const step of STEPS) await step.run(ctx);

    progress.start('indexes, keys, foreign keys', ddl.create.length, s.relations / 100_000);
    for (const stmt of ddl.create) {
      await db.query(stmt);
      progress.tick(1, 0);
    }
    progress.end();
    progress.start('vacuum analyze', 1, 1);
    await db.query(`DROP SCHEMA bench_gen CASCADE`);
    await db.query(`VACUUM (FREEZE, ANALYZE)`);
    await db.query(`CHECKPOINT`);
    progress.tick(1, 0);
    progress.end();

    const sizes = await db.query(
      `SELECT c.relname AS t, round(pg_total_relation_size(c.oid) / 1048576.0) AS mb
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC`,
    );
    const sizesMb: Record<string, number> = {};
    for (const r of sizes.rows) if (Number(r.mb) > 0) sizesMb[r.t] = Number(r.mb);
    const record: GenerationRecord = {
      version: GENERATOR_VERSION,
      scale,
      seed,
      sizes: s,
      migrations,
      startedAt: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      steps: progress.timings,
      counts: ctx.counts,
      sizesMb,
    };
    await db.query(`CREATE SCHEMA IF NOT EXISTS bench`);
    await db.query(`CREATE TABLE IF NOT EXISTS bench.generation (id serial PRIMARY KEY, record jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await db.query(`INSERT INTO bench.generation (record) VALUES ($1)`, [JSON.stringify(record)]);
    printSummary(record, log);
    return record;
  } finally {
    await db.end();
  }
}

export function printSummary(r: GenerationRecord, log: (m: string) => void): void {
  const lines = [
    `generated in ${r.seconds} s (scale ${r.scale}, seed ${r.seed}, generator v${r.version})`,
    ...Object.entries(r.counts)
      .sort((a, b) => b[1] - a[1])
      .map(
        ([t, n]) => `  ${t.padEnd(20)} ${fmtInt(n).padStart(12)} rows  ${String(r.sizesMb[t] ?? '').padStart(6)} MB`,
      ),
    `  database total ${Object.values(r.sizesMb).reduce((a, b) => a + b, 0)} MB`,
  ];
  for (const l of lines) log(l);
}
