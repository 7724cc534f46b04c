/**
 * Reassignment benchmark: departing an employee with 20,000 customers (one
 * atomic transaction), with and without an acceptance window, on an idle
 * database and under saturating read load, and the sweep completing 100,000
 * due transfers across organizations. Every figure is printed with a baseline
 * measured in the same run:
 *
 * - departures: the floor, the bare set-based SQL of the same rows in one
 *   rolled-back transaction on the same organization just before (INSERT ...
 *   SELECT of the transfers; with no window also ending the old relations and
 *   inserting the new ones). No timeline, counters, locks or checks. The
 *   floor's dead rows are vacuumed away before the departure runs, and one
 *   uncounted 2,000-customer departure of each kind warms the code paths up.
 * - departure under read load: the same departure on an idle database (1.).
 * - reads during a departure: the same readers on an idle database.
 * - the sweep: the floor, completing the same due transfers with one
 *   set-based statement (after a setting that lets it keep the customers'
 *   active employees itself) in one rolled-back transaction.
 * - memory: the process's RSS and heap just before, sampled every 25 ms
 *   during, and after.
 *
 * Each departure is also checked: the expected rows exist, and the hand-over,
 * its transfers, its timeline rows, the departed employee (and with no window
 * the moved relations) carry one transaction id (xmin), i.e. one transaction.
 *
 *   npm run build && npm run build:bench
 *   node dist/bench/bench/reassignment.bench.js [--customers 20000] [--runs 5] [--load-runs 3]
 *        [--readers 8] [--sweep 100000] [--orgs 100] [--sweeps 1]
 *
 * BENCH_DATABASE_URL (a server URL) uses an external PostgreSQL (a scratch
 * database bench_reassign_<pid>, dropped at the end); otherwise an
 * embedded one runs in a temporary directory with the suite's `run` settings
 * (bench/lib/postgres.ts) and is removed at the end
 * (BENCH_PG_LOG=<file> keeps its log there; BENCH_PG_LOG_MIN_MS=<ms> logs
 * statements slower than that, BENCH_PG_AUTO_EXPLAIN_MS=<ms> their plans). Any error is printed with its message, SQL
 * error fields, query and stack, plus the tail of the embedded server's log,
 * and the process exits 1.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createServer, migrate } from 'src/bootstrap';
import { Actor } from 'src/core/authz/actor';
import { AppConfig } from 'src/core/config/app-config';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { ensureDatabase, startEmbeddedPostgres } from 'src/core/dev-services/embedded-postgres';
import { PasswordService } from 'src/core/security/password.service';
import { ACTIVE_EMPLOYEES_BY_CALLER } from 'src/modules/customers/repositories/relations.repository';
import { searchTextSql } from 'src/modules/customers/repositories/search-text';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { CustomerOrderField, OrderDirection } from 'src/modules/customers/types/customer.types';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { ReassignmentService } from 'src/modules/reassignment/services/reassignment.service';
import { DistributionStrategy } from 'src/modules/reassignment/types/reassignment.types';
import { PG_SETTINGS } from './lib/postgres';
import { fmt, quantile } from './support/stats';

interface Options {
  customers: number;
  runs: number;
  loadRuns: number;
  readers: number;
  sweep: number;
  orgs: number;
  /** Sweeps measured, each over its own freshly departed organizations. */
  sweeps: number;
}

function options(argv: string[]): Options {
  const get = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} needs a positive integer, got ${argv[i + 1]}`);
    return v;
  };
  return {
    customers: get('customers', 20_000),
    runs: get('runs', 5),
    loadRuns: get('load-runs', 3),
    readers: get('readers', 8),
    sweep: get('sweep', 100_000),
    orgs: get('orgs', 100),
    sweeps: get('sweeps', 1),
  };
}

const ms = (ns: bigint) => Number(ns) / 1e6;
const mb = (bytes: number) => bytes / 1024 / 1024;
const median = (v: number[]) => quantile(v, 0.5);
const p95 = (v: number[]) => quantile(v, 0.95);
const ratio = (a: number, b: number) => `${fmt(a / b)}×`;
const n0 = (n: number) => n.toLocaleString('en-US');
const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** Everything worth knowing about an error: message, SQL error fields, the query, the stack. */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) return `non-error thrown: ${String(e)}`;
  const x = e as Error & {
    code?: string;
    detail?: string;
    hint?: string;
    where?: string;
    query?: string;
    parameters?: unknown[];
    driverError?: Error & { code?: string; detail?: string };
  };
  const lines = [`${e.name}: ${e.message}`];
  const code = x.code ?? x.driverError?.code;
  if (code) lines.push(`  SQLSTATE / code: ${code}`);
  const detail = x.detail ?? x.driverError?.detail;
  if (detail) lines.push(`  detail: ${detail}`);
  if (x.hint) lines.push(`  hint: ${x.hint}`);
  if (x.where) lines.push(`  where: ${x.where}`);
  if (x.query) lines.push(`  query: ${x.query.replace(/\s+/g, ' ').slice(0, 600)}${x.query.length > 600 ? ' …' : ''}`);
  if (x.parameters) lines.push(`  parameters: ${x.parameters.length}`);
  lines.push(e.stack ?? '(no stack)');
  if (e.cause) lines.push(`caused by: ${describeError(e.cause)}`);
  return lines.join('\n');
}

/** Adds what the bench was doing to an error without losing the original (kept as cause and in the stack). */
async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new Error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** RSS and heap of this process sampled while `work` runs. */
class MemorySampler {
  private timer?: NodeJS.Timeout;
  rssPeak = 0;
  heapPeak = 0;
  start(): void {
    const sample = () => {
      const m = process.memoryUsage();
      this.rssPeak = Math.max(this.rssPeak, m.rss);
      this.heapPeak = Math.max(this.heapPeak, m.heapUsed);
    };
    sample();
    this.timer = setInterval(sample, 25);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    const m = process.memoryUsage();
    this.rssPeak = Math.max(this.rssPeak, m.rss);
    this.heapPeak = Math.max(this.heapPeak, m.heapUsed);
  }
}

interface MemoryFigures {
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
  heapBeforeMb: number;
  heapPeakMb: number;
  heapAfterMb: number;
}

async function measureMemory<T>(work: () => Promise<T>): Promise<{ value: T; memory: MemoryFigures }> {
  const before = process.memoryUsage();
  const sampler = new MemorySampler();
  sampler.start();
  try {
    const value = await work();
    sampler.stop();
    const after = process.memoryUsage();
    return {
      value,
      memory: {
        rssBeforeMb: mb(before.rss),
        rssPeakMb: mb(sampler.rssPeak),
        rssAfterMb: mb(after.rss),
        heapBeforeMb: mb(before.heapUsed),
        heapPeakMb: mb(sampler.heapPeak),
        heapAfterMb: mb(after.heapUsed),
      },
    };
  } finally {
    sampler.stop();
  }
}

interface OrgHandle {
  orgId: string;
  admin: Actor;
}

class Bench {
  constructor(
    readonly app: INestApplication,
    readonly db: Pool,
  ) {}

  private seq = 0;
  get orgs() {
    return this.app.get(OrganizationsService);
  }
  get employees() {
    return this.app.get(EmployeesService);
  }
  get reassignment() {
    return this.app.get(ReassignmentService);
  }
  get customers() {
    return this.app.get(CustomersService);
  }

  async org(passwordHash: string, acceptanceMinutes: number): Promise<OrgHandle> {
    const slug = `bench-${process.pid}-${this.seq++}`;
    const { organization, admin } = await this.orgs.create({
      name: slug,
      slug,
      admin: { name: 'Admin', email: `admin@${slug}.test`, passwordHash },
    });
    await this.db.query(`UPDATE organizations SET transfer_acceptance_minutes = $2 WHERE id = $1`, [
      organization.id,
      acceptanceMinutes,
    ]);
    const actor: Actor = {
      kind: 'employee',
      orgId: organization.id,
      subject: `emp:${admin.id}`,
      employeeId: admin.id,
      departmentId: admin.departmentId,
      policyVersion: 0,
    };
    return { orgId: organization.id, admin: actor };
  }

  async employee(org: OrgHandle, capacity = 1_000_000): Promise<string> {
    const e = await this.employees.create(org.admin, {
      name: `E${this.seq++}`,
      email: `e${this.seq++}@bench.test`,
      roles: ['sales'],
      customerCapacity: capacity,
    });
    return e.id;
  }

  /** n customers with an ACTIVE relation to the employee, set-based; the counter follows. */
  async giveCustomers(org: OrgHandle, employeeId: string, n: number): Promise<void> {
    await this.db.query(
      `WITH c AS (
         INSERT INTO customers (org_id, name, company, search_text)
         SELECT $1, x.name, x.company, ${searchTextSql('x.name', 'x.company', 'NULL')}
           FROM (SELECT 'Customer ' || g || ' 客户' AS name, 'Company ' || (g % 97) AS company FROM generate_series(1, $3::int) AS g) x
         RETURNING id, created_at)
       INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at, customer_created_at)
       SELECT $1, id, $2, 'ACTIVE', 'IMPORT', now() - interval '30 days', created_at FROM c`,
      [org.orgId, employeeId, n],
    );
    await this.db.query(`UPDATE employees SET active_customer_count = active_customer_count + $2 WHERE id = $1`, [
      employeeId,
      n,
    ]);
  }

  /** A fresh departure case: three takeovers and a leaver holding n customers. */
  async departureCase(org: OrgHandle, n: number): Promise<{ leaver: string; takers: string[] }> {
    const takers = [await this.employee(org), await this.employee(org), await this.employee(org)];
    const leaver = await this.employee(org);
    await this.giveCustomers(org, leaver, n);
    return { leaver, takers };
  }

  async depart(org: OrgHandle, leaver: string, takeovers: string[]): Promise<{ ms: number; handoverId: string }> {
    const t0 = process.hrtime.bigint();
    const h = await this.reassignment.depart(org.admin, {
      employeeId: leaver,
      takeover: { strategy: DistributionStrategy.ROUND_ROBIN, takeoverEmployeeIds: takeovers },
    });
    return { ms: ms(process.hrtime.bigint() - t0), handoverId: h.id };
  }

  /** Runs `sql` in a transaction that is rolled back; returns its duration. */
  private async rolledBack(
    sql: string,
    params: unknown[],
    before?: (c: import('pg').PoolClient) => Promise<unknown[]>,
  ): Promise<number> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const extra = before ? await before(client) : [];
      const t0 = process.hrtime.bigint();
      await client.query(sql, [...params, ...extra]);
      return ms(process.hrtime.bigint() - t0);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  private handoverRow = (orgId: string, leaver: string, takeover: string) => async (c: import('pg').PoolClient) => {
    const h = await c.query(
      `INSERT INTO handovers (org_id, kind, from_employee_id, strategy, takeover_employee_ids) VALUES ($1, 'DEPARTURE', $2, 'SINGLE', ARRAY[$3]::uuid[]) RETURNING id`,
      [orgId, leaver, takeover],
    );
    return [h.rows[0].id];
  };

  /** Floor of a departure with a window: one INSERT ... SELECT of the same transfer rows (rolled back). */
  /**
   * VACUUM (ANALYZE) of the tables a departure writes, between the floor and
   * the departure: the floor's rolled-back rows leave dead entries under the
   * same keys in the unique WAITING index and the relation indexes, which the
   * departure would otherwise have to step over (no production departure
   * follows a rolled-back copy of itself).
   */
  async settle(): Promise<void> {
    await this.db.query('VACUUM (ANALYZE) transfers, customer_relations, timeline_events');
  }

  floorWaiting(org: OrgHandle, leaver: string, takeover: string): Promise<number> {
    return this.rolledBack(
      `INSERT INTO transfers (org_id, handover_id, kind, customer_id, from_employee_id, to_employee_id, from_relation_id, status, takeover_at)
       SELECT r.org_id, $3, 'DEPARTURE', r.customer_id, r.employee_id, $4, r.id, 'WAITING', now() + interval '1 day'
         FROM customer_relations r WHERE r.org_id = $1 AND r.employee_id = $2 AND r.status = 'ACTIVE'`,
      [org.orgId, leaver],
      async (c) => [...(await this.handoverRow(org.orgId, leaver, takeover)(c)), takeover],
    );
  }

  /**
   * Floor of a departure with no window: the transfers, the old relations
   * ended and the new ones inserted, one statement (rolled back).
   */
  floorCompleted(org: OrgHandle, leaver: string, takeover: string): Promise<number> {
    return this.rolledBack(
      floorMoves(`INSERT INTO transfers (org_id, handover_id, kind, customer_id, from_employee_id, to_employee_id, from_relation_id, status, takeover_at, resolved_at)
         SELECT r.org_id, $3, 'DEPARTURE', r.customer_id, r.employee_id, $4, r.id, 'COMPLETED', now(), now()
           FROM customer_relations r WHERE r.org_id = $1 AND r.employee_id = $2 AND r.status = 'ACTIVE'`),
      [org.orgId, leaver],
      async (c) => {
        await c.query(FLOOR_MOVE_SETUP);
        return [...(await this.handoverRow(org.orgId, leaver, takeover)(c)), takeover];
      },
    );
  }

  /**
   * Floor of the sweep: the due transfers of these organizations completed by one set-based statement (rolled back).
   */
  floorSweep(orgIds: string[]): Promise<number> {
    return this.rolledBack(
      floorMoves(`UPDATE transfers SET status = 'COMPLETED', resolved_at = now()
          WHERE status = 'WAITING' AND takeover_at <= now() AND org_id = ANY($1::uuid[])`),
      [orgIds],
      async (c) => {
        await c.query(FLOOR_MOVE_SETUP);
        return [];
      },
    );
  }

  /**
   * Checks a departure's rows and that they were written by one transaction:
   * the hand-over, its transfers, its timeline rows and the departed employee
   * (and, when completed, the ended and the new relations) share one xmin.
   * Every lookup is an index probe per transfer (LATERAL ... OFFSET 0 keeps the
   * planner from turning it into a join it might plan as a nested loop over
   * the whole organization), so the check stays linear.
   */
  async verifyDeparture(
    org: OrgHandle,
    handoverId: string,
    leaver: string,
    n: number,
    completed: boolean,
  ): Promise<void> {
    const q = async (sql: string, withLeaver = false) =>
      (await this.db.query(sql, withLeaver ? [org.orgId, handoverId, leaver] : [org.orgId, handoverId])).rows[0];
    const head = await q(
      `SELECT (SELECT xmin::text FROM handovers WHERE org_id = $1 AND id = $2) AS handover_x,
              e.status AS leaver_status, e.xmin::text AS leaver_x
         FROM employees e WHERE e.org_id = $1 AND e.id = $3`,
      true,
    );
    const tr = await q(
      `SELECT count(*)::int AS transfers, count(*) FILTER (WHERE status = '${completed ? 'COMPLETED' : 'WAITING'}')::int AS in_status,
              array_agg(DISTINCT xmin::text) AS xs
         FROM transfers WHERE org_id = $1 AND handover_id = $2`,
    );
    const ev = await q(
      `SELECT count(*) FILTER (WHERE e.type = 'transfer.requested')::int AS requested,
              count(*) FILTER (WHERE e.type = 'transfer.completed')::int AS completed_events,
              array_agg(DISTINCT e.x) AS xs
         FROM transfers t
         CROSS JOIN LATERAL (SELECT e.type, e.xmin::text AS x FROM timeline_events e
                              WHERE e.org_id = t.org_id AND e.customer_id = t.customer_id AND e.data->>'handoverId' = t.handover_id::text
                             OFFSET 0) e
        WHERE t.org_id = $1 AND t.handover_id = $2`,
    );
    const rel = await q(
      `SELECT count(o.x)::int AS ended, count(nw.x)::int AS moved,
              array_remove(array_agg(DISTINCT o.x) || array_agg(DISTINCT nw.x), NULL) AS xs
         FROM transfers t
         LEFT JOIN LATERAL (SELECT r.xmin::text AS x FROM customer_relations r
                             WHERE r.org_id = t.org_id AND r.id = t.from_relation_id AND r.status = 'TRANSFERRED_AWAY' OFFSET 0) o ON true
         LEFT JOIN LATERAL (SELECT r.xmin::text AS x FROM customer_relations r
                             WHERE r.org_id = t.org_id AND r.employee_id = t.to_employee_id AND r.customer_id = t.customer_id
                               AND r.status = 'ACTIVE' AND r.add_way = 'TRANSFER' OFFSET 0) nw ON true
        WHERE t.org_id = $1 AND t.handover_id = $2`,
    );
    const xmins = new Set<string>([
      head.handover_x,
      head.leaver_x,
      ...(tr.xs ?? []),
      ...(ev.xs ?? []),
      ...(rel.xs ?? []),
    ]);
    const got: Record<string, unknown> = {
      ...tr,
      ...ev,
      ...rel,
      leaver_status: head.leaver_status,
      transactions: xmins.size,
    };
    const expect: Record<string, unknown> = {
      transfers: n,
      in_status: n,
      requested: completed ? 0 : n, // with no window only the completion is recorded
      completed_events: completed ? n : 0,
      ended: completed ? n : 0,
      moved: completed ? n : 0,
      leaver_status: 'DEPARTED',
      transactions: 1,
    };
    const wrong = Object.entries(expect).filter(([k, v]) => got[k] !== v);
    if (wrong.length)
      throw new Error(
        `departure ${handoverId} is not as expected: ${wrong.map(([k, v]) => `${k} = ${String(got[k])} (expected ${String(v)})`).join(', ')}`,
      );
  }
}

interface Read {
  /** process.hrtime.bigint() when the read started. */
  start: bigint;
  ms: number;
}

/** Readers listing customers of the organization back to back; any error stops them all and is rethrown by stop(). */
/**
 * The floors' relation move, as one statement (a baseline, kept apart from
 * the product's RelationsRepository.move on purpose: the bare SQL it is
 * measured against): `completing` writes the
 * COMPLETED transfers (an INSERT or UPDATE on transfers); their old relations
 * end TRANSFERRED_AWAY, the takeovers get ACTIVE ones, and each moved
 * customer's copy of its active employees (customers.active_employee_ids) is
 * rewritten once, in the same statement, with the relation triggers left out
 * as the server's move does (FLOOR_MOVE_SETUP runs first).
 */
function floorMoves(completing: string): string {
  return `WITH done AS (
       ${completing}
       RETURNING org_id, customer_id, to_employee_id, from_relation_id),
     ended AS (
       UPDATE customer_relations r SET status = 'TRANSFERRED_AWAY', ended_at = now(), updated_at = now()
         FROM done WHERE r.org_id = done.org_id AND r.id = done.from_relation_id
       RETURNING done.org_id, done.customer_id, r.employee_id AS from_employee_id, done.to_employee_id, r.customer_created_at),
     copied AS (
       UPDATE customers c SET active_employee_ids = ARRAY(
           SELECT u FROM unnest(c.active_employee_ids) AS u WHERE u <> ALL (g.removed) UNION SELECT unnest(g.added) ORDER BY 1)
         FROM (SELECT org_id, customer_id, array_agg(from_employee_id) AS removed, array_agg(to_employee_id) AS added
                 FROM ended GROUP BY org_id, customer_id) g
        WHERE c.org_id = g.org_id AND c.id = g.customer_id)
     INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at, customer_created_at)
     SELECT org_id, customer_id, to_employee_id, 'ACTIVE', 'TRANSFER', now(), customer_created_at FROM ended`;
}

const FLOOR_MOVE_SETUP = `SELECT set_config('${ACTIVE_EMPLOYEES_BY_CALLER}', 'on', true)`;

function startReaders(bench: Bench, org: OrgHandle, n: number) {
  let running = true;
  let failure: unknown = null;
  const reads: Read[] = [];
  const orders = [CustomerOrderField.CREATED_AT, CustomerOrderField.NAME, CustomerOrderField.UPDATED_AT];
  const loops = Array.from({ length: n }, async (_, i) => {
    let k = i;
    while (running) {
      const start = process.hrtime.bigint();
      try {
        await bench.customers.list(
          org.admin,
          k % 3 === 0 ? { search: `customer ${k % 500}` } : {},
          { field: orders[k % 3], direction: OrderDirection.DESC },
          50,
        );
      } catch (e) {
        failure ??= e;
        running = false;
        return;
      }
      reads.push({ start, ms: ms(process.hrtime.bigint() - start) });
      k++;
    }
  });
  return {
    reads,
    async stop() {
      running = false;
      await Promise.all(loops);
      if (failure)
        throw new Error(`a reader failed: ${failure instanceof Error ? failure.message : String(failure)}`, {
          cause: failure,
        });
    },
  };
}

/**
 * Samples sessions of the database waiting for a lock, with what holds it up:
 * a reader blocked by the departure shows here as a wait whose blocker is a
 * client session (the departure's transaction). Waits on maintenance (an
 * autovacuum truncating a table's empty end takes a short exclusive lock and
 * gives it up when anyone waits) are counted apart.
 */
function startLockWatch(db: Pool, dbName: string) {
  let running = true;
  let samples = 0;
  let maxWaiting = 0;
  let maxBlockedByClient = 0;
  const waits: string[] = [];
  const loop = (async () => {
    while (running) {
      const { rows } = await db.query<{ query: string; event: string; blockers: string | null; by_client: boolean }>(
        `SELECT left(a.query, 80) AS query, a.wait_event AS event,
                (SELECT string_agg(b.backend_type || ': ' || left(b.query, 60), ' | ') FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids(a.pid))) AS blockers,
                EXISTS (SELECT 1 FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids(a.pid)) AND b.backend_type = 'client backend') AS by_client
           FROM pg_stat_activity a
          WHERE a.datname = $1 AND a.wait_event_type = 'Lock' AND a.pid <> pg_backend_pid()`,
        [dbName],
      );
      samples++;
      maxWaiting = Math.max(maxWaiting, rows.length);
      maxBlockedByClient = Math.max(maxBlockedByClient, rows.filter((r) => r.by_client).length);
      for (const r of rows)
        if (waits.length < 10)
          waits.push(`${r.query.replace(/\s+/g, ' ')} [waits: ${r.event}; held by ${r.blockers ?? 'nobody any more'}]`);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { samples, maxWaiting, maxBlockedByClient, examples: waits };
    },
  };
}

interface Row {
  scenario: string;
  median: string;
  p95: string;
  vsMedian: string;
  vsP95: string;
  baseline: string;
  target: string;
  verdict: string;
}

const verdict = (ok: boolean, note = '') => (ok ? `met${note}` : `**missed**${note}`);

/** Runs every scenario; false when anything failed (the error is printed). */
async function main(): Promise<boolean> {
  let ok = false;
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  const loadBefore = loadavg();
  let stopPg: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  let pgLog: string | undefined;
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let app: INestApplication | undefined;
  let db: Pool | undefined;
  let dbName: string | undefined;
  const printPgLogTail = () => {
    if (!pgLog || !existsSync(pgLog)) return;
    const lines = readFileSync(pgLog, 'utf8')
      .split('\n')
      .filter((l) => /ERROR|FATAL|PANIC|WARNING|LOG:|DETAIL|STATEMENT/.test(l));
    if (lines.length)
      log(
        `--- last lines of the PostgreSQL log (${pgLog}) ---\n${lines
          .slice(-30)
          .map((l) => l.slice(0, 400))
          .join('\n')}\n---`,
      );
  };
  try {
    if (!serverUrl) {
      tmp = mkdtempSync(join(tmpdir(), 'wecrm-bench-reassign-'));
      chmodSync(tmp, 0o755); // the postgres user (when run as root) must reach the data directory
      pgLog = process.env.BENCH_PG_LOG ?? join(tmp, 'postgres.log');
      // The suite's run settings (bench/lib/postgres.ts: durable, sized for this machine), as every other scenario.
      const pg = await startEmbeddedPostgres(join(tmp, 'pg'), (m) => appendFileSync(pgLog!, `${m}\n`), {
        settings: PG_SETTINGS.run,
      });
      stopPg = () => pg.stop();
      serverUrl = pg.adminUrl;
    }
    dbName = `bench_reassign_${process.pid}`;
    await ensureDatabase(serverUrl, dbName);
    const u = new URL(serverUrl);
    u.pathname = `/${dbName}`;
    const dbUrl = u.toString();
    const info = new DatabaseConnectionInfo(dbUrl, false);
    await migrate(info);
    db = new Pool({ connectionString: dbUrl, max: 4 });
    if (process.env.BENCH_PG_LOG_MIN_MS) {
      await db.query(
        `ALTER DATABASE "${dbName}" SET log_min_duration_statement = ${Number(process.env.BENCH_PG_LOG_MIN_MS)}`,
      );
    }
    if (process.env.BENCH_PG_AUTO_EXPLAIN_MS) {
      await db.query(`ALTER DATABASE "${dbName}" SET session_preload_libraries = 'auto_explain'`);
      await db.query(`ALTER DATABASE "${dbName}" SET auto_explain.log_min_duration = ${Number(process.env.BENCH_PG_AUTO_EXPLAIN_MS)}`);
      await db.query(`ALTER DATABASE "${dbName}" SET auto_explain.log_analyze = on`);
      await db.query(`ALTER DATABASE "${dbName}" SET auto_explain.log_buffers = on`);
      await db.query(`ALTER DATABASE "${dbName}" SET auto_explain.log_wal = on`);
    }
    const config = AppConfig.of({
      DATABASE_URL: dbUrl,
      DATA_DIR: tmp ?? mkdtempSync(join(tmpdir(), 'wecrm-bench-')),
      LOG_LEVEL: 'error',
      SEED_DEMO: 'false',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!',
    });
    app = await createServer(config, info, { api: false, worker: false, logger: false });
    const bench = new Bench(app, db);
    const N = opts.customers;
    const results: Record<string, unknown> = {
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model,
        memoryGb: Math.round(totalmem() / 1024 ** 3),
        node: process.version,
        loadavgAtStart: loadBefore,
      },
      options: opts,
      postgresSettings: serverUrl === process.env.BENCH_DATABASE_URL ? 'external' : PG_SETTINGS.run,
    };
    const rows: Row[] = [];
    const hash = await app.get(PasswordService).hash('bench-password');
    log(`reassignment bench: ${n0(N)} customers; ${opts.runs} runs idle, ${opts.loadRuns} under ${opts.readers} readers; sweep ${n0(opts.sweep)} across ${opts.orgs} orgs; load average at start ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

    // 0. Warm-up, not counted: one small departure of each kind runs every code path once (JIT, the pool's
    //    backends, statement plans), as in a server that has been up for a while.
    for (const minutes of [1440, 0]) {
      const org = await bench.org(hash, minutes);
      const { leaver, takers } = await bench.departureCase(org, Math.min(N, 2_000));
      await step(`warm-up departure (${minutes ? 'window' : 'no window'})`, () => bench.depart(org, leaver, takers));
    }

    // 1. Departure with an acceptance window (transfers WAITING), idle database.
    const waiting: number[] = [];
    const floorW: number[] = [];
    const memW: MemoryFigures[] = [];
    const rssStart = mb(process.memoryUsage().rss);
    for (let i = 0; i < opts.runs; i++) {
      const org = await bench.org(hash, 1440);
      const { leaver, takers } = await bench.departureCase(org, N);
      floorW.push(await step('floor (window)', () => bench.floorWaiting(org, leaver, takers[0])));
      await step('vacuum', () => bench.settle());
      const { value, memory } = await measureMemory(() =>
        step(`depart (window) run ${i + 1}`, () => bench.depart(org, leaver, takers)),
      );
      waiting.push(value.ms);
      memW.push(memory);
      await step('verify (window)', () => bench.verifyDeparture(org, value.handoverId, leaver, N, false));
      log(`  depart (window) run ${i + 1}: ${fmt(value.ms)} ms (floor ${fmt(floorW[i])} ms); RSS ${fmt(memory.rssBeforeMb)} → peak ${fmt(memory.rssPeakMb)} MB; one transaction`);
    }
    results.departWaiting = { ms: waiting, floorMs: floorW, memory: memW };
    rows.push({
      scenario: `depart ${n0(N)}, acceptance window (WAITING), idle database`,
      median: fmt(median(waiting)),
      p95: fmt(p95(waiting)),
      vsMedian: ratio(median(waiting), median(floorW)),
      vsP95: ratio(p95(waiting), p95(floorW)),
      baseline: `floor: INSERT … SELECT of the transfers, ${fmt(median(floorW))} / ${fmt(p95(floorW))} ms`,
      target: '≤ 1000 ms idle, one transaction',
      verdict: verdict(p95(waiting) <= 1000, ' (verified one transaction each)'),
    });

    // 2. Departure with no acceptance window: fully completed in the same transaction.
    const immediate: number[] = [];
    const floorC: number[] = [];
    const memC: MemoryFigures[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const org = await bench.org(hash, 0);
      const { leaver, takers } = await bench.departureCase(org, N);
      floorC.push(await step('floor (no window)', () => bench.floorCompleted(org, leaver, takers[0])));
      await step('vacuum', () => bench.settle());
      const { value, memory } = await measureMemory(() =>
        step(`depart (no window) run ${i + 1}`, () => bench.depart(org, leaver, takers)),
      );
      immediate.push(value.ms);
      memC.push(memory);
      await step('verify (no window)', () => bench.verifyDeparture(org, value.handoverId, leaver, N, true));
      log(`  depart (no window) run ${i + 1}: ${fmt(value.ms)} ms (floor ${fmt(floorC[i])} ms); RSS ${fmt(memory.rssBeforeMb)} → peak ${fmt(memory.rssPeakMb)} MB; one transaction`);
    }
    results.departImmediate = { ms: immediate, floorMs: floorC, memory: memC };
    rows.push({
      scenario: `depart ${n0(N)}, no window (all completed)`,
      median: fmt(median(immediate)),
      p95: fmt(p95(immediate)),
      vsMedian: ratio(median(immediate), median(floorC)),
      vsP95: ratio(p95(immediate), p95(floorC)),
      baseline: `floor: transfers + relations ended + inserted in one statement, ${fmt(median(floorC))} / ${fmt(p95(floorC))} ms`,
      target: '≤ 5000 ms, one transaction',
      verdict: verdict(p95(immediate) <= 5000, ' (verified one transaction each)'),
    });

    // 3. Under saturating read load: readers list customers of the same organization throughout.
    {
      const org = await bench.org(hash, 1440);
      const reader = await bench.employee(org);
      await bench.giveCustomers(org, reader, N);
      // The baseline is the readers warm: fresh statistics and 3 s
      // of reads not counted (plans, caches), then 5 s measured.
      await db.query('ANALYZE customers, customer_relations, customer_tags');
      const warm = startReaders(bench, org, opts.readers);
      await new Promise((r) => setTimeout(r, 3000));
      await step('warm-up readers', () => warm.stop());
      const idle = startReaders(bench, org, opts.readers);
      await new Promise((r) => setTimeout(r, 5000));
      await step('idle readers', () => idle.stop());
      const loaded: number[] = [];
      const during: number[] = [];
      const duringMax: number[] = [];
      const lockWaits: Array<{ samples: number; maxWaiting: number; maxBlockedByClient: number; examples: string[] }> =
        [];
      const readsPerSecond: number[] = [];
      const memL: MemoryFigures[] = [];
      for (let i = 0; i < opts.loadRuns; i++) {
        const { leaver, takers } = await bench.departureCase(org, N);
        const readers = startReaders(bench, org, opts.readers);
        await new Promise((r) => setTimeout(r, 1000));
        const watch = startLockWatch(db, dbName);
        const t0 = process.hrtime.bigint();
        let res: { value: { ms: number; handoverId: string }; memory: MemoryFigures };
        try {
          res = await measureMemory(() =>
            step(`depart under load run ${i + 1}`, () => bench.depart(org, leaver, takers)),
          );
        } finally {
          lockWaits.push(await watch.stop());
          await new Promise((r) => setTimeout(r, 500));
          await step('readers under load', () => readers.stop());
        }
        const t1 = t0 + BigInt(Math.round(res.value.ms * 1e6));
        // Reads that overlapped the departure: started before it ended and ended after it started.
        const overl = readers.reads
          .filter((r) => r.start < t1 && r.start + BigInt(Math.round(r.ms * 1e6)) > t0)
          .map((r) => r.ms);
        loaded.push(res.value.ms);
        during.push(...overl);
        duringMax.push(Math.max(...overl));
        readsPerSecond.push(readers.reads.filter((r) => r.start >= t0 && r.start < t1).length / (res.value.ms / 1000));
        memL.push(res.memory);
        await step('verify (under load)', () => bench.verifyDeparture(org, res.value.handoverId, leaver, N, false));
        log(`  depart under load run ${i + 1}: ${fmt(res.value.ms)} ms; ${overl.length} reads overlapped it (max ${fmt(Math.max(...overl))} ms); lock waits seen: ${lockWaits[i].maxWaiting} (behind a client session: ${lockWaits[i].maxBlockedByClient})${lockWaits[i].examples.length ? `, e.g. ${lockWaits[i].examples[0]}` : ''}`);
      }
      const il = idle.reads.map((r) => r.ms);
      results.departUnderLoad = {
        ms: loaded,
        readers: opts.readers,
        idleReads: {
          n: il.length,
          perSecond: il.length / 5,
          p50: median(il),
          p95: p95(il),
          p99: quantile(il, 0.99),
          max: Math.max(...il),
        },
        readsDuringDeparture: {
          n: during.length,
          perSecond: readsPerSecond,
          p50: median(during),
          p95: p95(during),
          p99: quantile(during, 0.99),
          maxPerRun: duringMax,
        },
        lockWaits,
        memory: memL,
      };
      // Blocked means waiting behind a client session (the departure);
      // a wait behind maintenance is reported, not judged.
      const blocked = lockWaits.some((w) => w.maxBlockedByClient > 0);
      const otherWaits = lockWaits.some((w) => w.maxWaiting > w.maxBlockedByClient);
      rows.push({
        scenario: `depart ${n0(N)} (window) under ${opts.readers} readers`,
        median: fmt(median(loaded)),
        p95: fmt(p95(loaded)),
        vsMedian: ratio(median(loaded), median(waiting)),
        vsP95: ratio(p95(loaded), p95(waiting)),
        baseline: `the same departure idle (1.), ${fmt(median(waiting))} / ${fmt(p95(waiting))} ms`,
        target: '≤ 5000 ms under load',
        verdict: verdict(p95(loaded) <= 5000),
      });
      rows.push({
        scenario: `reads (customers list, 50 rows) overlapping those departures`,
        median: fmt(median(during)),
        p95: fmt(p95(during)),
        vsMedian: ratio(median(during), median(il)),
        vsP95: ratio(p95(during), p95(il)),
        baseline: `the same ${opts.readers} readers idle, ${fmt(median(il))} / ${fmt(p95(il))} ms (${n0(il.length)} reads, ${fmt(il.length / 5)}/s)`,
        target: 'readers never blocked',
        verdict: verdict(!blocked, `: ${n0(during.length)} reads overlapped, max ${fmt(Math.max(...duringMax))} ms vs departure ${fmt(Math.min(...loaded))}+ ms; lock waits behind a client session ${blocked ? 'SEEN' : 'none'} in ${n0(lockWaits.reduce((a, w) => a + w.samples, 0))} samples${otherWaits ? ' (short waits behind maintenance seen, see lockWaits in the JSON)' : ''}`),
      });
    }

    // 4. The sweep completing due transfers across organizations (--sweeps times, each over its own organizations).
    const sweeps: Array<{ ms: number; floorMs: number }> = [];
    for (let sweep = 1; sweep <= opts.sweeps; sweep++) {
      const per = Math.ceil(opts.sweep / opts.orgs);
      const orgs: string[] = [];
      const setupStarted = Date.now();
      for (let i = 0; i < opts.orgs; i++) {
        const org = await bench.org(hash, 1440);
        const taker = await bench.employee(org);
        const leaver = await bench.employee(org);
        await bench.giveCustomers(org, leaver, per);
        await step(`sweep setup: depart in org ${i + 1}`, () => bench.depart(org, leaver, [taker]));
        orgs.push(org.orgId);
        if ((i + 1) % 25 === 0)
          log(
            `  sweep setup: ${i + 1}/${opts.orgs} organizations (${((Date.now() - setupStarted) / 1000).toFixed(0)} s)`,
          );
      }
      await db.query(
        `UPDATE transfers SET takeover_at = now() - interval '1 second' WHERE status = 'WAITING' AND org_id = ANY($1)`,
        [orgs],
      );
      // Undoes the bench's own shortcut (100,000 rows just updated to be due); time passing would not leave them dead.
      await db.query(`VACUUM transfers`);
      const due = (
        await db.query(`SELECT count(*)::int AS n FROM transfers WHERE status = 'WAITING' AND takeover_at <= now()`)
      ).rows[0].n;
      const floor = await step('floor (sweep)', () => bench.floorSweep(orgs));
      const { value, memory } = await measureMemory(async () => {
        const t0 = process.hrtime.bigint();
        const done = await step('sweep (completeDue)', () => bench.reassignment.completeDue());
        return { done, ms: ms(process.hrtime.bigint() - t0) };
      });
      const check = (
        await db.query(
          `SELECT (SELECT count(*) FROM transfers WHERE status = 'WAITING' AND takeover_at <= now())::int AS left_waiting,
                  (SELECT count(*) FROM transfers WHERE org_id = ANY($1) AND status = 'COMPLETED')::int AS completed,
                  (SELECT count(*) FROM customer_relations WHERE org_id = ANY($1) AND status = 'ACTIVE' AND add_way = 'TRANSFER')::int AS moved,
                  (SELECT count(*) FROM customer_relations WHERE org_id = ANY($1) AND status = 'ACTIVE' AND add_way = 'IMPORT')::int AS not_moved`,
          [orgs],
        )
      ).rows[0];
      if (
        value.done !== due ||
        check.left_waiting !== 0 ||
        check.completed !== due ||
        check.moved !== due ||
        check.not_moved !== 0
      ) {
        throw new Error(`sweep is not as expected: ${JSON.stringify({ due, resolved: value.done, ...check })}`);
      }
      sweeps.push({ ms: value.ms, floorMs: floor });
      results.sweep = {
        due,
        transfers: value.done,
        organizations: opts.orgs,
        ms: value.ms,
        floorMs: floor,
        perThousandMs: value.ms / (value.done / 1000),
        check,
        memory,
        sweeps,
      };
      log(`  sweep ${sweep}: ${n0(value.done)} transfers in ${fmt(value.ms)} ms (floor ${fmt(floor)} ms); RSS ${fmt(memory.rssBeforeMb)} → peak ${fmt(memory.rssPeakMb)} MB`);
      if (sweep < opts.sweeps) continue;
      const ours = sweeps.map((x) => x.ms);
      const floors = sweeps.map((x) => x.floorMs);
      rows.push({
        scenario: `sweep: ${n0(value.done)} due transfers across ${opts.orgs} organizations`,
        median: fmt(median(ours)),
        p95: sweeps.length > 1 ? fmt(p95(ours)) : '– (1 run)',
        vsMedian: ratio(median(ours), median(floors)),
        vsP95: sweeps.length > 1 ? ratio(p95(ours), p95(floors)) : '–',
        baseline: `floor: one set-based statement over all of them, ${fmt(median(floors))} ms; ours ${fmt(median(ours) / (value.done / 1000))} ms per 1,000`,
        target: '< 30000 ms',
        verdict: verdict(Math.max(...ours) < 30_000, ' (all completed once, verified)'),
      });
    }

    // 5. Memory: flat across every departure (none of the N customers is loaded into the Node heap).
    {
      // Idle departures only: under load the readers' own pages are on the same heap.
      const all = [...memW, ...memC];
      const rssGrowth = all.map((m) => m.rssPeakMb - m.rssBeforeMb);
      const heapGrowth = all.map((m) => m.heapPeakMb - m.heapBeforeMb);
      const rssEnd = mb(process.memoryUsage().rss);
      const sweepMem = (results.sweep as { memory: MemoryFigures }).memory;
      results.memory = {
        rssStartMb: rssStart,
        rssEndMb: rssEnd,
        rssGrowthPerDepartureMb: rssGrowth,
        heapGrowthPerDepartureMb: heapGrowth,
        sweep: sweepMem,
      };
      // 20,000 transfer entities of ~12 fields would be some 10-20 MB of heap; the limit leaves room for GC noise.
      const flat = Math.max(...heapGrowth) < 10 && Math.max(...rssGrowth) < 25;
      rows.push({
        scenario: `memory per ${n0(N)} departure: peak − before (${all.length} idle departures)`,
        median: `RSS +${fmt(median(rssGrowth))} MB`,
        p95: `RSS +${fmt(p95(rssGrowth))} MB`,
        vsMedian: `heap +${fmt(median(heapGrowth))} MB`,
        vsP95: `heap +${fmt(p95(heapGrowth))} MB`,
        baseline: `RSS before the first ${fmt(rssStart)} MB, after all departures and the sweep ${fmt(rssEnd)} MB; sweep RSS ${fmt(sweepMem.rssBeforeMb)} → peak ${fmt(sweepMem.rssPeakMb)} → ${fmt(sweepMem.rssAfterMb)} MB`,
        target: `flat (no ${n0(N)} entities in the heap)`,
        verdict: verdict(flat),
      });
    }

    const loadAfter = loadavg();
    (results.machine as Record<string, unknown>).loadavgAtEnd = loadAfter;
    const table = [
      '| scenario | median ms | p95 ms | median vs baseline | p95 vs baseline | baseline (median / p95) | target | verdict |',
      '|---|---:|---:|---:|---:|---|---|---|',
      ...rows.map(
        (r) => `| ${[r.scenario, r.median, r.p95, r.vsMedian, r.vsP95, r.baseline, r.target, r.verdict].join(' | ')} |`,
      ),
    ].join('\n');
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `\n${table}\n\n` +
        `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} at start, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} at end; total ${seconds.toFixed(0)} s\n`,
    );
    results.table = table;
    results.seconds = seconds;
    const dir = process.env.BENCH_RESULTS_DIR ?? join(__dirname, '..', '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `reassignment-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}Z.json`);
    writeFileSync(file, JSON.stringify(results, null, 2));
    process.stdout.write(`results: ${file}\n`);
    ok = true;
  } catch (e) {
    log(`\nreassignment bench FAILED\n${describeError(e)}`);
    printPgLogTail();
  } finally {
    const teardown: Array<[string, () => Promise<unknown>]> = [
      ['pool', async () => db?.end()],
      ['app', async () => app?.close()],
      // On an external server the scratch database goes; an embedded server goes whole.
      ['scratch database', async () => {
        if (stopPg || !serverUrl || !dbName) return;
        const admin = new Pool({ connectionString: serverUrl, max: 1 });
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      }],
      ['postgres', async () => stopPg?.()],
    ];
    for (const [what, f] of teardown) {
      try {
        await f();
      } catch (e) {
        log(`teardown (${what}) failed:\n${describeError(e)}`);
        ok = false;
      }
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  return ok;
}

process.on('unhandledRejection', (e) => {
  log(`\nreassignment bench: unhandled rejection\n${describeError(e)}`);
  process.exit(1);
});

// An explicit exit code: embedded-postgres's exit hook would otherwise end the process with 0.
main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    log(describeError(e));
    process.exit(1);
  },
);
