/**
 * The one command: (re)generates the data of a scale if needed, builds and
 * starts the server against it, runs every scenario with its baselines, and
 * writes bench/results/<date>.json and bench/RESULTS.md. See bench/README.md.
 *
 *   node dist/bench/bench/run.js --scale 0.01 [--regenerate] [--queue postgres|redis]
 *        [--only customers,mixed] [--skip casbin] [--run-sec 30] [--mixed-sec 300] [--api-processes 1]
 *        [--casbin full|smoke|skip] [--no-build] [--seed N]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedPostgresHandle, freePort } from 'src/core/dev-services/embedded-postgres';
import { fileStamp, log, parseArgs, repoRoot, scaleKey, sleep } from './lib/common';
import { RunContext, RunOptions } from './lib/context';
import { PG_SETTINGS, startBenchPostgres, withClient } from './lib/postgres';
import { spawnChild, stopAll, waitForLine } from './lib/processes';
import {
  databaseName,
  dataDirFor,
  generate,
  GenerationRecord,
  migrate,
  printSummary,
  readGeneration,
} from './gen/dataset';
import { verify } from './gen/verify';
import { DEFAULT_SEED } from './generate';
import { machineOf, renderMarkdown } from './report';
import { customersScenarios } from './scenarios/customers';
import { explainScenario } from './scenarios/explain';
import { loadFixtures } from './scenarios/fixtures';
import { mixedScenario } from './scenarios/mixed';
import {
  casbinScenario,
  chatArchiveScenario,
  momentsScenario,
  reassignmentScenario,
  tenancyScenario,
} from './scenarios/platform';

function options(): RunOptions & { regenerate: boolean; build: boolean } {
  const a = parseArgs(process.argv.slice(2));
  const scale = Number(a.get('scale') ?? 0.01);
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
  const full = scale >= 1;
  const list = (k: string) =>
    typeof a.get(k) === 'string' ? new Set(String(a.get(k)).split(',').filter(Boolean)) : null;
  const queue = String(a.get('queue') ?? 'postgres');
  if (queue !== 'postgres' && queue !== 'redis') throw new Error('--queue must be postgres or redis');
  const casbin = String(a.get('casbin') ?? (full ? 'full' : 'smoke'));
  if (!['full', 'smoke', 'skip'].includes(casbin)) throw new Error('--casbin must be full, smoke or skip');
  return {
    scale,
    seed: Number(a.get('seed') ?? DEFAULT_SEED),
    queue,
    runSec: Number(a.get('run-sec') ?? (full ? 30 : 10)),
    warmupSec: Number(a.get('warmup-sec') ?? (full ? 5 : 3)),
    mixedSec: Number(a.get('mixed-sec') ?? (full ? 300 : Math.max(30, Math.round(300 * scale)))),
    casbin: casbin as RunOptions['casbin'],
    apiProcesses: Number(a.get('api-processes') ?? 1),
    only: list('only'),
    skip: list('skip') ?? new Set(),
    regenerate: a.has('regenerate'),
    build: !a.has('no-build'),
  };
}

function build(): void {
  const root = repoRoot();
  log('building the server (npm run build: tsc, then tsc-alias for the absolute src/ imports)');
  const bin = (...path: string[]) => join(root, 'node_modules', ...path);
  execFileSync(process.execPath, [bin('typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [bin('tsc-alias', 'dist', 'bin', 'index.js'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

/**
 * The generated database of this scale, (re)generated with the load
 * settings when needed; PostgreSQL left running with the run settings.
 */
async function dataset(
  o: ReturnType<typeof options>,
): Promise<{ pg: EmbeddedPostgresHandle; name: string; gen: GenerationRecord }> {
  const dir = dataDirFor(o.scale);
  const name = databaseName(o.scale, o.seed, DEFAULT_SEED);
  let pg = await startBenchPostgres(dir, 'run', log);
  let gen = o.regenerate ? null : await readGeneration(pg.adminUrl, pg.urlFor(name), name);
  if (gen) {
    log(`reusing ${name} (generated ${gen.startedAt} in ${gen.seconds} s); --regenerate to force`);
    const applied = await migrate(pg.urlFor(name));
    if (applied.length) log(`applied newer migrations to the generated data: ${applied.join(', ')}`);
    return { pg, name, gen };
  }
  await pg.stop();
  pg = await startBenchPostgres(dir, 'load', log);
  try {
    gen = await generate(pg.adminUrl, pg.urlFor(name), name, o.scale, o.seed, log);
    const bad = await verify(pg.urlFor(name));
    if (bad.length) throw new Error(`generated data breaks invariants: ${JSON.stringify(bad)}`);
    log('invariants hold');
  } finally {
    await pg.stop();
  }
  pg = await startBenchPostgres(dir, 'run', log);
  return { pg, name, gen };
}

/**
 * Vacuums the tables the list reads scan index-only, so every run starts
 * where autovacuum keeps a live database (migration
 * 1764374400000-index-only-upkeep): earlier runs' departures and writes leave
 * dead rows behind (80,000 customers once), fewer than autovacuum waits for
 * when the run starts right away, and an index-only scan then reads the table
 * pages they dirtied.
 */
async function settle(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const t = Date.now();
    await c.query(`VACUUM (ANALYZE) customers, customer_relations, customer_tags`);
    log(`vacuumed the index-only-read tables in ${Date.now() - t} ms`);
    return (Date.now() - t) / 1000;
  });
}

/** Warms PostgreSQL's buffers with the tables and indexes the scenarios read (pg_prewarm when available). */
async function prewarm(url: string): Promise<void> {
  await withClient(url, async (c) => {
    try {
      await c.query(`CREATE EXTENSION IF NOT EXISTS pg_prewarm`);
      const t = Date.now();
      await c.query(
        `SELECT sum(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
            AND c.relname !~ '^(timeline_events|idx_timeline|pk_timeline|customer_notes|idx_customer_notes|pk_customer_notes)'`,
      );
      log(`prewarmed shared buffers in ${Date.now() - t} ms`);
    } catch (e) {
      log(
        `pg_prewarm unavailable (${String(e).slice(0, 80)}); the warm-up seconds of each run warm the caches instead`,
      );
    }
  });
}

let activePg: EmbeddedPostgresHandle | null = null;

async function main(): Promise<void> {
  const o = options();
  const startedAt = new Date();
  log(`run: ${JSON.stringify({ ...o, only: o.only && [...o.only], skip: [...o.skip] })}`);
  if (o.build) build();
  const { pg, name, gen } = await dataset(o);
  activePg = pg;
  printSummary(gen, log);
  const ctx = new RunContext(o, pg, name);
  const onSignal = () => {
    log('interrupted: stopping children and PostgreSQL');
    void stopAll()
      .then(() => pg.stop())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (o.queue === 'redis') {
      const port = await freePort();
      const redis = spawnChild(
        'redis',
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {},
      );
      await waitForLine(redis, /Ready to accept connections/);
      ctx.redisUrl = `redis://127.0.0.1:${port}`;
    }
    ctx.fixtures = await loadFixtures(ctx.db(), o.seed);
    const f = ctx.fixtures;
    log(
      `fixtures: ${f.salesReps.length} sales reps (active customers ${Math.min(...f.salesReps.map((r) => r.active))}-${Math.max(...f.salesReps.map((r) => r.active))}), ` +
        `${f.managers.length} managers, tag share ${(100 * f.popularTagShare).toFixed(1)} %, stage ${f.stage} share ${(100 * f.stageShare).toFixed(1)} %`,
    );
    ctx.extra.fixtures = {
      salesRepActiveCustomers: f.salesReps.map((r) => r.active).sort((a, b) => a - b),
      managerDepartmentSizes: f.managers.map((m) => m.teamSize).sort((a, b) => a - b),
      popularTagShare: f.popularTagShare,
      stage: f.stage,
      stageShare: f.stageShare,
      tenancyUsers: f.smallOrgEmployees.length,
    };
    ctx.extra.settleSeconds = await settle(ctx.dbUrl);
    await prewarm(ctx.dbUrl);

    const serverScenarios = [
      'customers.sql',
      'platform.tenancy',
      ...['manager', 'sales'].flatMap((w) => ['open', 'closed', 'deep'].map((m) => `customers.${w}.${m}`)),
    ];
    if (serverScenarios.some((id) => ctx.wants(id))) {
      const server = await ctx.startServer();
      try {
        await customersScenarios(ctx, server);
        await tenancyScenario(ctx, server);
      } finally {
        await server.stop();
      }
    }
    await explainScenario(ctx);
    await reassignmentScenario(ctx);
    await momentsScenario(ctx);
    await chatArchiveScenario(ctx);
    await mixedScenario(ctx);
    await casbinScenario(ctx);
  } finally {
    await stopAll();
    await ctx.close();
  }
  const postgres = await withClient(
    pg.adminUrl,
    async (c) => (await c.query('SELECT version()')).rows[0].version as string,
  );
  await pg.stop();
  activePg = null;
  await sleep(100);

  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const machine = machineOf(ctx, postgres, PG_SETTINGS.run);
  const md = renderMarkdown(ctx, machine, gen, startedAt.toISOString(), seconds);
  const dir = join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${fileStamp(startedAt)}-scale-${scaleKey(o.scale)}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), seconds, options: { ...o, only: o.only && [...o.only], skip: [...o.skip] }, machine, generation: gen, rows: ctx.rows, extra: ctx.extra, notes: ctx.notes }, null, 2)}\n`,
  );
  writeFileSync(
    join(repoRoot(), 'bench', 'RESULTS.md'),
    `# Benchmark results\n\nThe latest run of \`bench/run.ts\` (regenerate with \`npm --prefix bench run bench -- --scale 1\`; every run also writes \`bench/results/<date>.json\`).\n\n${md}\n`,
  );
  console.log(md);
  console.log(`\nResults: ${file}\nTable:   bench/RESULTS.md`);
}

main().catch(async (e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  await stopAll();
  await activePg?.stop().catch(() => undefined);
  process.exit(1);
});
