/**
 * What scenarios share during a run: the database, the fixtures (who the
 * virtual users are), the server processes and the result rows.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'pg';
import { EmbeddedPostgresHandle, freePort } from 'src/core/dev-services/embedded-postgres';
import type { DriverResult } from 'bench/load/driver';
import { fmt, LatencySummary } from 'bench/support/stats';
import { log, repoRoot, sleep } from './common';
import { Child, LiveHeapWatcher, RssSampler, spawnChild, waitForHttp } from './processes';

export interface RunOptions {
  scale: number;
  seed: number;
  queue: 'postgres' | 'redis';
  /** Seconds of each measured load run (customers, baselines, platform). */
  runSec: number;
  warmupSec: number;
  /** Seconds of the mixed workload. */
  mixedSec: number;
  casbin: 'full' | 'smoke' | 'skip';
  /** API_PROCESSES of the server under test (node:cluster on one port); RSS figures add the processes up. */
  apiProcesses: number;
  only: Set<string> | null;
  skip: Set<string>;
}

export type System = 'ours' | 'raw-sql' | 'postgraphile';

/** One measured row of the results table. */
export interface ResultRow {
  scenario: string;
  label: string;
  system: System;
  load: string;
  durationSec: number;
  requests: number;
  throughput: number;
  latency: LatencySummary;
  errors: number;
  /** Of the errors: requests left unanswered 20 s after the run ended (overload), aborted by the driver. */
  unanswered?: number;
  sqlPerRequest: string | null;
  peakRssMb: number | null;
  target?: string;
  verdict?: 'pass' | 'MISS' | 'n/a';
  note?: string;
}

export interface Fixtures {
  orgId: string;
  orgSlug: string;
  salesReps: Array<{ id: string; active: number }>;
  managers: Array<{ id: string; departmentId: string; teamSize: number }>;
  admins: string[];
  tagIds: string[];
  popularTagId: string;
  popularTagShare: number;
  stage: string;
  stageShare: number;
  smallOrgEmployees: Array<{ id: string; orgId: string }>;
}

export interface ServerHandle {
  url: string;
  api: Child;
  worker: Child | null;
  sampler: RssSampler;
  /** Set when started with `traceGc`: the API's live heap after each full GC. */
  liveHeap: LiveHeapWatcher | null;
  stop(): Promise<void>;
}

export class RunContext {
  readonly secret = randomBytes(32).toString('base64url');
  readonly rows: ResultRow[] = [];
  readonly notes: string[] = [];
  readonly extra: Record<string, unknown> = {};
  redisUrl: string | undefined;
  fixtures!: Fixtures;
  private pool: Pool | null = null;

  constructor(
    readonly opts: RunOptions,
    readonly pg: EmbeddedPostgresHandle,
    readonly dbName: string,
  ) {}

  get dbUrl(): string {
    return this.pg.urlFor(this.dbName);
  }

  db(): Pool {
    if (!this.pool)
      this.pool = new Pool({ connectionString: this.dbUrl, max: 4, application_name: 'wecrm-bench-runner' });
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = null;
  }

  wants(id: string): boolean {
    if (this.opts.skip.has(id) || [...this.opts.skip].some((s) => id.startsWith(`${s}.`))) return false;
    if (!this.opts.only) return true;
    return [...this.opts.only].some((s) => id === s || id.startsWith(`${s}.`));
  }

  /** Environment of the server processes. */
  serverEnv(databaseUrl: string, port: number): Record<string, string | undefined> {
    return {
      DATABASE_URL: databaseUrl,
      REDIS_URL: this.opts.queue === 'redis' ? this.redisUrl : undefined,
      PORT: String(port),
      JWT_SECRET: this.secret,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      EXPOSE_SQL_COUNT: 'true',
      API_PROCESSES: String(this.opts.apiProcesses),
      QUEUE_PREFIX: 'bench',
      DATA_DIR: join(repoRoot(), 'bench', 'data', 'server'),
    };
  }

  /** Starts the built API (and optionally a worker) against `databaseUrl`; samples their RSS. */
  async startServer(
    databaseUrl = this.dbUrl,
    withWorker = false,
    o: { traceGc?: boolean } = {},
  ): Promise<ServerHandle> {
    const port = await freePort();
    const cli = join(repoRoot(), 'dist', 'src', 'cli.js');
    // As the README runs it: a young generation large enough for
    // the requests in flight (see README, Running in production).
    // BENCH_API_NODE_FLAGS: extra node flags for the API process (e.g. --trace-gc with BENCH_CHILD_LOG_DIR).
    const extra = (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    if (o.traceGc && !extra.includes('--trace-gc')) extra.push('--trace-gc');
    const api = spawnChild(
      'api',
      process.execPath,
      ['--max-semi-space-size=128', ...extra, cli, 'api'],
      this.serverEnv(databaseUrl, port),
    );
    const liveHeap = o.traceGc ? new LiveHeapWatcher(api) : null;
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/ready`, api);
    let worker: Child | null = null;
    if (withWorker) {
      worker = spawnChild('worker', process.execPath, [cli, 'worker'], this.serverEnv(databaseUrl, 0));
      await sleep(3000);
      if (worker.proc.exitCode !== null) throw new Error(`worker exited:\n${worker.tail()}`);
    }
    const sampler = new RssSampler(worker ? { api: api.pid, worker: worker.pid } : { api: api.pid }).start();
    log(
      `server up at ${url} (pid ${api.pid}, ${this.opts.apiProcesses} API process(es)${worker ? `, worker pid ${worker.pid}` : ''}, queue ${this.opts.queue})`,
    );
    return {
      url,
      api,
      worker,
      sampler,
      liveHeap,
      async stop() {
        sampler.stop();
        await worker?.stop();
        await api.stop();
      },
    };
  }

  /**
   * Waits until no statement of the benchmark database is running (max 3 min):
   * an overloaded open-loop run leaves a backlog that the server keeps executing
   * after the driver has given up, and the next run must not measure it.
   */
  async quiesce(): Promise<void> {
    const deadline = Date.now() + 180_000;
    const t0 = Date.now();
    for (;;) {
      const r = await this.db().query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      if (r.rows[0].n === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    const waited = Date.now() - t0;
    if (waited > 1000) log(`waited ${(waited / 1000).toFixed(1)} s for the previous run's backlog to drain`);
  }

  record(row: ResultRow): ResultRow {
    this.rows.push(row);
    const l = row.latency;
    log(
      `${row.scenario} [${row.system}] ${row.load}: ${fmt(row.throughput, 1)} req/s, p50 ${fmt(l.p50, 1)} p95 ${fmt(l.p95, 1)} ` +
        `p99 ${fmt(l.p99, 1)} ms, errors ${row.errors}${row.unanswered ? ` (${row.unanswered} unanswered)` : ''}, sql ${row.sqlPerRequest ?? '-'}, peak RSS ${row.peakRssMb ?? '-'} MB` +
        (row.verdict ? ` -> ${row.verdict}` : ''),
    );
    return row;
  }
}

/** A result row from a driver result. */
export function rowOf(
  r: DriverResult,
  base: Pick<ResultRow, 'scenario' | 'label' | 'system' | 'load'> & Partial<ResultRow>,
  peakRssMb: number | null,
): ResultRow {
  const sql = r.byKind.find((k) => k.sql)?.sql ?? null;
  const num = (v: number | null) => (typeof v === 'number' ? v : NaN);
  const l = r.latency;
  const latency = {
    samples: l.samples,
    p50: num(l.p50),
    p95: num(l.p95),
    p99: num(l.p99),
    p999: num(l.p999),
    max: num(l.max),
    mean: num(l.mean),
  };
  return {
    durationSec: r.measuredSec,
    requests: r.requests,
    throughput: r.throughput,
    latency,
    errors: r.errors,
    unanswered: r.unanswered,
    sqlPerRequest: sql ? (sql.min === sql.max ? String(sql.min) : `${sql.min}-${sql.max}`) : null,
    peakRssMb: peakRssMb === null ? null : Math.round(peakRssMb),
    ...base,
  };
}
