/**
 * Platform scenarios (the Platform issue's targets):
 *
 * - `platform.tenancy`: `me` over HTTP for employees of all 10,000 organizations
 *   (uniform; AuthzService keeps 2,000 enforcers, so most requests miss its cache):
 *   the per-request floor of authentication, tenancy and Casbin through the whole server;
 * - `casbin`: the Casbin micro-benchmark (bench/casbin.bench.ts, another
 *   engineer's) run as a child process against this run's PostgreSQL; its
 *   target rows are copied into this run's results.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, repoRoot } from 'bench/lib/common';
import { RunContext, rowOf, ServerHandle } from 'bench/lib/context';
import { runDriver, spawnChild } from 'bench/lib/processes';
import { mintToken } from 'bench/lib/tokens';
import type { DriverResult } from 'bench/load/driver';
import { gqlBody, ME } from 'bench/load/queries';

export async function tenancyScenario(ctx: RunContext, server: ServerHandle): Promise<void> {
  const id = 'platform.tenancy';
  if (!ctx.wants(id)) return;
  const f = ctx.fixtures;
  const requests = f.smallOrgEmployees.map((e) => ({
    kind: 'me',
    headers: { authorization: `Bearer ${mintToken(ctx.secret, e.id, e.orgId)}` },
    body: gqlBody(ME),
  }));
  // Each connection walks its own slice of users: the driver hands connection c request c, c+50, ...
  await ctx.quiesce();
  server.sampler.samples.length = 0;
  const r = await runDriver<DriverResult>(
    {
      url: `${server.url}/graphql`,
      mode: 'closed',
      connections: 50,
      durationSec: ctx.opts.runSec,
      warmupSec: ctx.opts.warmupSec,
      maxRequests: 2_000 * (ctx.opts.runSec + ctx.opts.warmupSec),
      seed: ctx.opts.seed,
      workload: { type: 'fixed', requests, cycle: { clients: 50 } },
    },
    id,
  );
  const orgs = new Set(f.smallOrgEmployees.map((e) => e.orgId)).size;
  ctx.record(
    rowOf(
      r,
      {
        scenario: id,
        label: `\`me\` for ${requests.length.toLocaleString('en-US')} employees of ${orgs.toLocaleString('en-US')} organizations`,
        system: 'ours',
        load: 'closed loop, 50 connections',
        note: 'authentication + tenancy + Casbin per request; each connection cycles through its own share of the users',
      },
      server.sampler.peak('api'),
    ),
  );
}

export interface CasbinSummary {
  file: string | null;
  targets: unknown;
  rows: Array<{ id: string; label: string; p50: number; p95: number; p99: number; callsPerSecond?: number }>;
  seconds: number;
  error?: string;
}

/** Runs bench/casbin.bench.ts (compiled next to this file) with BENCH_DATABASE_URL = our PostgreSQL. */
export async function casbinScenario(ctx: RunContext): Promise<void> {
  if (!ctx.wants('casbin') || ctx.opts.casbin === 'skip') return;
  const started = Date.now();
  const smoke: Record<string, string> =
    ctx.opts.casbin === 'smoke'
      ? {
          BENCH_ORGS: '600',
          BENCH_BIG_ORG_EVERY: '300',
          BENCH_BIG_ORG_EMPLOYEES: '200',
          BENCH_WORKING_SET: '100',
          BENCH_WARM_SAMPLES: '5000',
          BENCH_COLD_SAMPLES: '50',
          BENCH_UNIFORM_SAMPLES: '500',
          BENCH_BASELINE_NS: '100,300,600',
          BENCH_BASELINE_MS: '2000',
          BENCH_SERIES_MS: '2000',
        }
      : {};
  const script = join(__dirname, '..', 'casbin.bench.js');
  log(`casbin: running ${script} (${ctx.opts.casbin})`);
  const child = spawnChild('casbin.bench', process.execPath, [script], {
    BENCH_DATABASE_URL: ctx.pg.adminUrl,
    BENCH_RESULTS_DIR: join(repoRoot(), 'bench', 'results'),
    ...smoke,
  });
  let out = '';
  child.proc.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.proc.once('exit', (c) => done(c)));
  await child.stop();
  const summary: CasbinSummary = {
    file: null,
    targets: null,
    rows: [],
    seconds: Math.round((Date.now() - started) / 1000),
  };
  const m = /Results: (\S+\.json)/.exec(out);
  if (code !== 0 || !m) {
    summary.error = `casbin.bench exited ${code}: ${child.tail().split('\n').slice(-5).join(' | ')}`;
    ctx.notes.push(summary.error);
    log(summary.error);
  } else {
    summary.file = m[1].replace(`${repoRoot()}/`, '');
    try {
      const j = JSON.parse(readFileSync(m[1], 'utf8')) as {
        targets: unknown;
        rows: Array<{
          id: string;
          label: string;
          latency: { p50: number; p95: number; p99: number };
          callsPerSecond?: number;
        }>;
      };
      summary.targets = j.targets;
      summary.rows = j.rows.map((r) => ({
        id: r.id,
        label: r.label,
        p50: r.latency.p50,
        p95: r.latency.p95,
        p99: r.latency.p99,
        callsPerSecond: r.callsPerSecond,
      }));
    } catch (e) {
      summary.error = `could not read ${m[1]}: ${String(e)}`;
    }
    log(`casbin: done in ${summary.seconds} s (${summary.file})`);
  }
  ctx.extra.casbin = summary;
}

/**
 * Reassignment (departEmployee / transferCustomers / the completion sweep): PLUG-IN POINT.
 *
 * The Reassignment module landed while this suite was written, with its own
 * micro-benchmark (bench/reassignment.bench.ts, another engineer's: departing an
 * employee with 20,000 customers in one transaction, under read load, and the
 * sweep completing 100,000 due transfers). This runner invokes it like the
 * Casbin one, against this run's PostgreSQL, and copies its table. Scenarios
 * that need the generated 1,000,000-customer organization itself (e.g. departing
 * the heaviest rep of `yuemei` under the mixed workload) plug in here: clone the
 * database as mixedScenario does (they write), drive it with the load driver,
 * and ctx.record(...) rows with the targets.
 */
export async function reassignmentScenario(ctx: RunContext): Promise<void> {
  const args = ctx.opts.scale >= 1 ? [] : ['--customers', '2000', '--runs', '2', '--sweep', '2000', '--orgs', '4'];
  await childBenchScenario(ctx, 'reassignment', 'reassignment.bench', args, { BENCH_DATABASE_URL: ctx.pg.adminUrl });
}

/** Firing moments into tasks on the generated data (bench/moments.bench.ts), on the run's own database. */
export async function momentsScenario(ctx: RunContext): Promise<void> {
  await childBenchScenario(ctx, 'moments', 'moments.bench', ctx.opts.scale >= 1 ? [] : ['--runs', '3'], {
    BENCH_DB_URL: ctx.dbUrl,
  });
}

/**
 * The chat archive (bench/chat-archive.bench.ts) on the run's own database: its
 * generated messages (BENCH_CHAT_MESSAGES, 200,000 by default; 10,000,000 for the
 * full figures) are kept there between runs; search against pg_trgm, bulk ingest against COPY.
 */
export async function chatArchiveScenario(ctx: RunContext): Promise<void> {
  await childBenchScenario(ctx, 'chat-archive', 'chat-archive.bench', [], { BENCH_DB_URL: ctx.dbUrl });
}

/**
 * Runs a benchmark script of its own (bench/<name>.ts, built) as a child
 * process and keeps the table it prints, and its results file, for the
 * report (ctx.extra[id]).
 */
async function childBenchScenario(
  ctx: RunContext,
  id: string,
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<void> {
  if (!ctx.wants(id)) return;
  const script = join(__dirname, '..', `${name}.js`);
  if (!existsSync(script)) {
    ctx.extra[id] = { status: `NOT BUILT: bench/${name}.ts` };
    log(`${id}: no bench/${name}.ts build`);
    return;
  }
  const started = Date.now();
  log(`${id}: running ${script} ${args.join(' ')}`);
  const child = spawnChild(name, process.execPath, [script, ...args], env);
  let out = '';
  child.proc.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.proc.once('exit', (c) => done(c)));
  await child.stop();
  const file = /results: (\S+\.json)/.exec(out)?.[1];
  // The first table and any that follow it directly (blank line, then a table).
  const table = /(\| scenario[\s\S]*?)\n\n(?!\|)/.exec(out)?.[1] ?? null;
  const seconds = Math.round((Date.now() - started) / 1000);
  if (code !== 0 || !table) {
    const lines = child.tail().split('\n');
    const message = lines.find((l) => /Error|error:/.test(l)) ?? lines[lines.length - 1] ?? '';
    const error = `${name} exited ${code}: ${message.trim()} (at ${lines
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 2)
      .map((l) => l.trim())
      .join(' | ')})`;
    ctx.notes.push(error);
    ctx.extra[id] = { status: error };
    log(error);
    return;
  }
  ctx.extra[id] = {
    status: `measured by bench/${name}.ts in ${seconds} s (${args.join(' ') || 'defaults'})`,
    file: file?.replace(`${repoRoot()}/`, ''),
    table,
  };
  log(`${id}: done in ${seconds} s`);
}
