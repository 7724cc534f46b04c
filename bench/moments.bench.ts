/**
 * Moments benchmark: firing a moment into its tasks on the suite's generated
 * data (1,000,000 customers at --scale 1), in the large organization. Each
 * run inserts a moment with the given audience and calls the server's own
 * `MomentsRepository.createTasks` (the one statement the publish job runs:
 * audience, per-employee visible customer counts, the task rows) inside a
 * transaction that is rolled back, so the data never changes.
 *
 * Baseline (kept apart from the product on purpose: it is the other way to
 * count), in the same run, on the same audience: counting the same visible
 * customers per employee another way, writing nothing: a LEFT JOIN of the
 * audience to its ACTIVE relations grouped by employee, with the tags read
 * from each customer's `tag_ids` copy (one customers probe per relation)
 * instead of ours, which reads the tagged customers once and semi-joins them.
 * Every run's task count and visible-customer total are checked against the
 * baseline's, so both formulations must agree. (The first formulation of
 * ours, a correlated count per employee, did not finish within 60 s with a
 * tag filter at this size: PostgreSQL rebuilt the tagged set per employee.)
 *
 *   npm run build && npm run build:bench
 *   node dist/bench/bench/moments.bench.js [--runs 7] [--data bench/data/pg-1] [--database wecrm_bench_1]
 *
 * The data directory must hold the generated bench database (npm run bench
 * once, which generates it); pending migrations (the moments tables) are
 * applied to it first. BENCH_DB_URL (a database URL) uses a running server's
 * database instead, as the suite's runner does (bench/run.ts). Writes
 * bench/results/moments-<time>.json and prints a table.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool, PoolClient } from 'pg';
import { runMigrations } from 'src/core/database/migrate';
import { MIGRATIONS } from 'migrations';
import { MomentsRepository } from 'src/modules/moments/repositories/moments.repository';
import { momentAudienceSql } from 'src/modules/moments/services/moment-audience';
import { startBenchPostgres } from './lib/postgres';
import { fmt, quantile } from './support/stats';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '7'));
const DATA = opt('data', join(__dirname, '..', '..', '..', 'bench', 'data', 'pg-1'));
const DATABASE = opt('database', 'wecrm_bench_1');

interface Audience {
  label: string;
  employeeIds: string[];
  departmentIds: string[];
  tagIds: string[];
}

interface Counted {
  tasks: number;
  visible: number;
}

const log = (m: string) => console.log(`[moments] ${m}`);

/** The baseline: the same per-employee counts, no rows written. */
async function countOnly(c: PoolClient, orgId: string, a: Audience): Promise<Counted> {
  const r = await c.query(
    `WITH roots AS (SELECT path FROM departments WHERE org_id = $1 AND id = ANY($3::uuid[])),
          audience AS (
            SELECT e.id FROM employees e
             WHERE e.org_id = $1 AND e.status = 'ACTIVE'
               AND ((cardinality($2::uuid[]) = 0 AND cardinality($3::uuid[]) = 0) OR e.id = ANY($2::uuid[])
                    OR e.department_id IN (SELECT d.id FROM departments d JOIN roots r ON d.path LIKE r.path || '%' WHERE d.org_id = $1))),
          counted AS (
            SELECT a.id, count(cr.customer_id) AS n
              FROM audience a
              LEFT JOIN customer_relations cr ON cr.org_id = $1 AND cr.employee_id = a.id AND cr.status = 'ACTIVE'
                   AND (cardinality($4::uuid[]) = 0
                        OR EXISTS (SELECT 1 FROM customers cu WHERE cu.org_id = $1 AND cu.id = cr.customer_id AND cu.tag_ids && $4::uuid[]))
             GROUP BY a.id)
     SELECT count(*) FILTER (WHERE cardinality($4::uuid[]) = 0 OR n > 0)::int AS tasks, coalesce(sum(n), 0)::int AS visible FROM counted`,
    [orgId, a.employeeIds, a.departmentIds, a.tagIds],
  );
  return r.rows[0];
}

/** Ours: the publish job's statement, on a moment inserted in the same (rolled-back) transaction. */
async function fireOnce(
  c: PoolClient,
  repo: MomentsRepository,
  orgId: string,
  a: Audience,
): Promise<{ ms: number } & Counted> {
  const m = await c.query(
    `INSERT INTO moments (org_id, text, status, scheduled_at, audience_employee_ids, audience_department_ids, audience_tag_ids)
     VALUES ($1, 'bench', 'PUBLISHING', now(), $2, $3, $4) RETURNING id`,
    [orgId, a.employeeIds, a.departmentIds, a.tagIds],
  );
  const momentId = m.rows[0].id as string;
  const tx = { query: async (sql: string, params?: unknown[]) => (await c.query(sql, params as unknown[])).rows };
  const t0 = process.hrtime.bigint();
  const tasks = (await repo.createTasks(tx as never, orgId, momentId, momentAudienceSql(orgId, a))).length;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const v = await c.query(
    `SELECT coalesce(sum(visible_customer_count), 0)::int AS visible FROM moment_tasks WHERE moment_id = $1`,
    [momentId],
  );
  return { ms, tasks, visible: v.rows[0].visible };
}

async function rolledBack<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    return await fn(c);
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
    c.release();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const external = process.env.BENCH_DB_URL;
  const pg = external ? null : await startBenchPostgres(DATA, 'run', log);
  const url = external ?? pg!.urlFor(DATABASE);
  const pool = new Pool({ connectionString: url, max: 2, options: '-c max_parallel_workers_per_gather=0' });
  // Idle connections are cut when the embedded server stops at the end; nothing is pending then.
  pool.on('error', () => undefined);
  try {
    const applied = await runMigrations(url, MIGRATIONS);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    const org = (await pool.query(`SELECT id FROM organizations ORDER BY (SELECT count(*) FROM employees e WHERE e.org_id = organizations.id) DESC LIMIT 1`)).rows[0].id as string;
    const sizes = (
      await pool.query(
        `SELECT (SELECT count(*) FROM employees WHERE org_id = $1 AND status = 'ACTIVE')::int AS employees,
                (SELECT count(*) FROM customer_relations WHERE org_id = $1 AND status = 'ACTIVE')::int AS relations`,
        [org],
      )
    ).rows[0];
    const tags = (
      await pool.query(`SELECT tag_id FROM customer_tags WHERE org_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 2`, [
        org,
      ])
    ).rows.map((r) => r.tag_id as string);
    // A top-level department with the most employees below it, and one employee outside it.
    const dept = (
      await pool.query(
        `SELECT d.id, count(e.id)::int AS n FROM departments d
           JOIN departments sub ON sub.org_id = d.org_id AND sub.path LIKE d.path || '%'
           JOIN employees e ON e.org_id = d.org_id AND e.department_id = sub.id AND e.status = 'ACTIVE'
          WHERE d.org_id = $1 AND d.parent_id IS NOT NULL
          GROUP BY d.id ORDER BY n DESC LIMIT 1`,
        [org],
      )
    ).rows[0] as { id: string; n: number };
    log(`organization ${org}: ${sizes.employees} ACTIVE employees, ${sizes.relations} ACTIVE relations; department ${dept.id} with ${dept.n} employees`);
    const audiences: Audience[] = [
      { label: 'every ACTIVE employee, no tag filter', employeeIds: [], departmentIds: [], tagIds: [] },
      {
        label: 'every ACTIVE employee, the most used tag',
        employeeIds: [],
        departmentIds: [],
        tagIds: tags.slice(0, 1),
      },
      {
        label: `a department tree (${dept.n} employees), two tags`,
        employeeIds: [],
        departmentIds: [dept.id],
        tagIds: tags,
      },
    ];
    const repo = new MomentsRepository(undefined as never);
    const results = [];
    for (const a of audiences) {
      const expected = await rolledBack(pool, (c) => countOnly(c, org, a));
      // One uncounted run of each warms the caches and the plans.
      await rolledBack(pool, (c) => fireOnce(c, repo, org, a));
      const ours: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await rolledBack(pool, (c) => fireOnce(c, repo, org, a));
        if (r.tasks !== expected.tasks || r.visible !== expected.visible) {
          throw new Error(`${a.label}: ${r.tasks} tasks / ${r.visible} visible, the baseline counts ${expected.tasks} / ${expected.visible}`);
        }
        ours.push(r.ms);
        const t0 = process.hrtime.bigint();
        await rolledBack(pool, (c) => countOnly(c, org, a));
        base.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const row = {
        scenario: a.label,
        tasks: expected.tasks,
        visibleCustomers: expected.visible,
        oursMs: { median: quantile(ours, 0.5), p95: quantile(ours, 0.95) },
        baselineMs: { median: quantile(base, 0.5), p95: quantile(base, 0.95) },
      };
      results.push(row);
      log(
        `${a.label}: ${row.tasks} tasks, ${row.visibleCustomers} visible customers; ours median ${fmt(row.oursMs.median)} p95 ${fmt(row.oursMs.p95)} ms; ` +
          `count-only baseline ${fmt(row.baselineMs.median)} / ${fmt(row.baselineMs.p95)} ms; ${fmt(row.oursMs.median / row.baselineMs.median)}× median, ${fmt(row.oursMs.p95 / row.baselineMs.p95)}× p95`,
      );
    }
    const out = {
      startedAt: startedAt.toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memGb: Math.round(totalmem() / 2 ** 30),
        loadavg: loadavg(),
        node: process.version,
      },
      runs: RUNS,
      organization: { employees: sizes.employees, activeRelations: sizes.relations },
      results,
    };
    const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `moments-${startedAt.toISOString().replace(/[-:]/g, '').slice(0, 13)}Z.json`);
    writeFileSync(file, JSON.stringify(out, null, 2));
    const rows = results.map((r) =>
      `| ${r.scenario} | ${r.tasks} | ${r.visibleCustomers} | ${fmt(r.oursMs.median)} | ${fmt(r.oursMs.p95)} | ${fmt(r.oursMs.median / r.baselineMs.median)}× | ${fmt(r.oursMs.p95 / r.baselineMs.p95)}× | ${fmt(r.baselineMs.median)} / ${fmt(r.baselineMs.p95)} ms |`,
    );
    console.log(
      [
        '',
        `| scenario (${sizes.employees} employees, ${sizes.relations} ACTIVE relations) | tasks | visible customers | median ms | p95 ms | median vs baseline | p95 vs baseline | baseline: count via customers.tag_ids, nothing written (median / p95) |`,
        '|---|---:|---:|---:|---:|---:|---:|---|',
        ...rows,
        '',
      ].join('\n'),
    );
    log(`results: ${file}`);
  } finally {
    await pool.end();
    await pg?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
