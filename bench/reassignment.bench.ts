/**
 * Reassignment benchmark: departing an employee with 20,000 customers (one
 * atomic transaction), with and without an acceptance window, on an idle
 * machine and under saturating read load, and the sweep completing 100,000 due
 * transfers across organizations. Every figure is printed with a baseline
 * measured in the same run: the floor is one plain INSERT ... SELECT of the
 * same 20,000 transfer rows; read latency under load is compared with the same
 * readers on an idle database.
 *
 *   npx tsc -p tsconfig.build.json && npx tsc -p bench/tsconfig.json
 *   node dist/bench/bench/reassignment.bench.js [--customers 20000] [--runs 5] [--sweep 100000] [--orgs 100]
 *
 * BENCH_DATABASE_URL (a server URL) uses an external PostgreSQL; otherwise an
 * embedded one runs in a temporary directory and is removed at the end.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createServer, migrate } from '../src/bootstrap';
import { Actor } from '../src/core/authz/actor';
import { AppConfig } from '../src/core/config/app-config';
import { DatabaseConnectionInfo } from '../src/core/database/database-connection';
import { ensureDatabase, startEmbeddedPostgres } from '../src/core/dev-services/embedded-postgres';
import { PasswordService } from '../src/core/security/password.service';
import { CustomersService } from '../src/modules/customers/services/customers.service';
import { CustomerOrderField, OrderDirection } from '../src/modules/customers/types/customer.types';
import { EmployeesService } from '../src/modules/org/services/employees.service';
import { OrganizationsService } from '../src/modules/org/services/organizations.service';
import { ReassignmentService } from '../src/modules/reassignment/services/reassignment.service';
import { DistributionStrategy } from '../src/modules/reassignment/types/reassignment.types';
import { fmt, quantile } from './support/stats';

interface Options {
  customers: number;
  runs: number;
  sweep: number;
  orgs: number;
  readers: number;
}

function options(argv: string[]): Options {
  const get = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return { customers: get('customers', 20_000), runs: get('runs', 5), sweep: get('sweep', 100_000), orgs: get('orgs', 100), readers: get('readers', 8) };
}

const ms = (ns: bigint) => Number(ns) / 1e6;

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
    const { organization, admin } = await this.orgs.create({ name: slug, slug, admin: { name: 'Admin', email: `admin@${slug}.test`, passwordHash } });
    await this.db.query(`UPDATE organizations SET transfer_acceptance_minutes = $2 WHERE id = $1`, [organization.id, acceptanceMinutes]);
    const actor: Actor = { kind: 'employee', orgId: organization.id, subject: `emp:${admin.id}`, employeeId: admin.id, departmentId: admin.departmentId, policyVersion: 0 };
    return { orgId: organization.id, admin: actor };
  }

  async employee(org: OrgHandle, capacity = 1_000_000): Promise<string> {
    const e = await this.employees.create(org.admin, { name: `E${this.seq++}`, email: `e${this.seq++}@bench.test`, roles: ['sales'], customerCapacity: capacity });
    return e.id;
  }

  /** n customers with an ACTIVE relation to the employee, set-based; the counter follows. */
  async giveCustomers(org: OrgHandle, employeeId: string, n: number): Promise<void> {
    await this.db.query(
      `WITH c AS (
         INSERT INTO customers (org_id, name, company, search_text)
         SELECT $1, 'Customer ' || g || ' 客户', 'Company ' || (g % 97), lower('customer ' || g || ' 客户 company ' || (g % 97))
           FROM generate_series(1, $3::int) AS g
         RETURNING id)
       INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at)
       SELECT $1, id, $2, 'ACTIVE', 'IMPORT', now() - interval '30 days' FROM c`,
      [org.orgId, employeeId, n],
    );
    await this.db.query(`UPDATE employees SET active_customer_count = active_customer_count + $2 WHERE id = $1`, [employeeId, n]);
  }

  async depart(org: OrgHandle, leaver: string, takeovers: string[]): Promise<number> {
    const t0 = process.hrtime.bigint();
    await this.reassignment.depart(org.admin, {
      employeeId: leaver,
      takeover: { strategy: DistributionStrategy.ROUND_ROBIN, takeoverEmployeeIds: takeovers },
    });
    return ms(process.hrtime.bigint() - t0);
  }

  /** The floor: one INSERT ... SELECT of the same rows into transfers (rolled back). */
  async floorInsert(org: OrgHandle, leaver: string, takeover: string): Promise<number> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const h = await client.query(
        `INSERT INTO handovers (org_id, kind, from_employee_id, strategy, takeover_employee_ids) VALUES ($1, 'DEPARTURE', $2, 'SINGLE', ARRAY[$3]::uuid[]) RETURNING id`,
        [org.orgId, leaver, takeover],
      );
      const t0 = process.hrtime.bigint();
      await client.query(
        `INSERT INTO transfers (org_id, handover_id, kind, customer_id, from_employee_id, to_employee_id, from_relation_id, status, takeover_at)
         SELECT r.org_id, $3, 'DEPARTURE', r.customer_id, r.employee_id, $4, r.id, 'WAITING', now() + interval '1 day'
           FROM customer_relations r WHERE r.org_id = $1 AND r.employee_id = $2 AND r.status = 'ACTIVE'`,
        [org.orgId, leaver, h.rows[0].id, takeover],
      );
      return ms(process.hrtime.bigint() - t0);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }
}

/** Readers listing customers as fast as they can; returns their latencies (ms) while running. */
function startReaders(bench: Bench, org: OrgHandle, n: number) {
  let running = true;
  const latencies: number[] = [];
  const orders = [CustomerOrderField.CREATED_AT, CustomerOrderField.NAME, CustomerOrderField.UPDATED_AT];
  const loops = Array.from({ length: n }, async (_, i) => {
    let k = i;
    while (running) {
      const t0 = process.hrtime.bigint();
      await bench.customers.list(org.admin, k % 3 === 0 ? { search: `customer ${k % 500}` } : {}, { field: orders[k % 3], direction: OrderDirection.DESC }, 50);
      latencies.push(ms(process.hrtime.bigint() - t0));
      k++;
    }
  });
  return {
    latencies,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  let stopPg: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    tmp = mkdtempSync(join(tmpdir(), 'wecrm-bench-reassign-'));
    chmodSync(tmp, 0o755); // the postgres user (when run as root) must reach the data directory
    const pg = await startEmbeddedPostgres(join(tmp, 'pg'));
    stopPg = () => pg.stop();
    serverUrl = pg.adminUrl;
  }
  const dbName = `bench_reassign_${process.pid}`;
  await ensureDatabase(serverUrl, dbName);
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  const dbUrl = u.toString();
  const info = new DatabaseConnectionInfo(dbUrl, false);
  await migrate(info);
  const config = AppConfig.of({ DATABASE_URL: dbUrl, DATA_DIR: tmp ?? mkdtempSync(join(tmpdir(), 'wecrm-bench-')), LOG_LEVEL: 'error', SEED_DEMO: 'false', JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!' });
  const app = await createServer(config, info, { api: false, worker: false, logger: false });
  const db = new Pool({ connectionString: dbUrl, max: 4 });
  const bench = new Bench(app, db);
  const results: Record<string, unknown> = { machine: { cores: require('node:os').cpus().length, node: process.version }, options: opts };
  const rows: string[][] = [];
  try {
    const hash = await app.get(PasswordService).hash('bench-password');
    process.stderr.write(`reassignment bench: ${opts.customers} customers x ${opts.runs} runs; sweep ${opts.sweep} across ${opts.orgs} orgs\n`);

    // 1. Departure with an acceptance window (transfers WAITING), idle machine.
    const waiting: number[] = [];
    const floor: number[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    for (let i = 0; i < opts.runs; i++) {
      const org = await bench.org(hash, 1440);
      const takers = [await bench.employee(org), await bench.employee(org), await bench.employee(org)];
      const leaver = await bench.employee(org);
      await bench.giveCustomers(org, leaver, opts.customers);
      floor.push(await bench.floorInsert(org, leaver, takers[0]));
      waiting.push(await bench.depart(org, leaver, takers));
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      const n = await db.query(`SELECT count(*)::int AS n FROM transfers WHERE org_id = $1 AND status = 'WAITING'`, [org.orgId]);
      if (n.rows[0].n !== opts.customers) throw new Error(`expected ${opts.customers} WAITING transfers, got ${n.rows[0].n}`);
      process.stderr.write(`  depart (window) run ${i + 1}: ${fmt(waiting[i])} ms (floor ${fmt(floor[i])} ms)\n`);
    }
    results.departWaiting = { ms: waiting, floorMs: floor, heapGrowthMb: (heapPeak - heapBefore) / 1e6 };
    rows.push(['depart 20k, acceptance window (WAITING)', fmt(quantile(waiting, 0.5)), fmt(quantile(waiting, 0.95)), `${fmt(quantile(waiting, 0.5) / quantile(floor, 0.5))}× floor`, '≤ 1000 ms']);

    // 2. Departure with no acceptance window: fully completed in the same transaction.
    const immediate: number[] = [];
    for (let i = 0; i < Math.max(1, Math.ceil(opts.runs / 2)); i++) {
      const org = await bench.org(hash, 0);
      const takers = [await bench.employee(org), await bench.employee(org), await bench.employee(org)];
      const leaver = await bench.employee(org);
      await bench.giveCustomers(org, leaver, opts.customers);
      immediate.push(await bench.depart(org, leaver, takers));
      const n = await db.query(`SELECT count(*)::int AS n FROM customer_relations WHERE org_id = $1 AND status = 'ACTIVE' AND add_way = 'TRANSFER'`, [org.orgId]);
      if (n.rows[0].n !== opts.customers) throw new Error(`expected ${opts.customers} moved relations, got ${n.rows[0].n}`);
      process.stderr.write(`  depart (no window) run ${i + 1}: ${fmt(immediate[i])} ms\n`);
    }
    results.departImmediate = { ms: immediate };
    rows.push(['depart 20k, no window (completed)', fmt(quantile(immediate, 0.5)), fmt(quantile(immediate, 0.95)), `${fmt(quantile(immediate, 0.5) / quantile(floor, 0.5))}× floor`, '≤ 5000 ms']);

    // 3. Under saturating read load: readers list customers of the same organization throughout.
    {
      const org = await bench.org(hash, 1440);
      const takers = [await bench.employee(org), await bench.employee(org), await bench.employee(org)];
      const reader = await bench.employee(org);
      await bench.giveCustomers(org, reader, opts.customers);
      const leaver = await bench.employee(org);
      await bench.giveCustomers(org, leaver, opts.customers);
      const idle = startReaders(bench, org, opts.readers);
      await new Promise((r) => setTimeout(r, 4000));
      await idle.stop();
      const loaded = startReaders(bench, org, opts.readers);
      await new Promise((r) => setTimeout(r, 500));
      const mark = loaded.latencies.length;
      const t = await bench.depart(org, leaver, takers);
      const during = loaded.latencies.slice(mark);
      await loaded.stop();
      results.departUnderLoad = {
        ms: t,
        readers: opts.readers,
        idleReads: { n: idle.latencies.length, p50: quantile(idle.latencies, 0.5), p99: quantile(idle.latencies, 0.99) },
        readsDuringDeparture: { n: during.length, p50: quantile(during, 0.5), p99: quantile(during, 0.99), max: Math.max(...during) },
      };
      rows.push(['depart 20k under read load', fmt(t), '–', `reads during: p50 ${fmt(quantile(during, 0.5))} ms / idle ${fmt(quantile(idle.latencies, 0.5))} ms (${during.length} reads, max ${fmt(Math.max(...during))} ms)`, '≤ 5000 ms, readers never blocked']);
      process.stderr.write(`  depart under load: ${fmt(t)} ms; ${during.length} reads completed during it\n`);
    }

    // 4. The sweep completing due transfers across organizations.
    {
      const per = Math.ceil(opts.sweep / opts.orgs);
      const orgs: string[] = [];
      for (let i = 0; i < opts.orgs; i++) {
        const org = await bench.org(hash, 1440);
        const taker = await bench.employee(org);
        const leaver = await bench.employee(org);
        await bench.giveCustomers(org, leaver, per);
        await bench.depart(org, leaver, [taker]);
        orgs.push(org.orgId);
      }
      await db.query(`UPDATE transfers SET takeover_at = now() - interval '1 second' WHERE status = 'WAITING' AND org_id = ANY($1)`, [orgs]);
      const t0 = process.hrtime.bigint();
      const done = await bench.reassignment.completeDue();
      const t = ms(process.hrtime.bigint() - t0);
      const left = await db.query(`SELECT count(*)::int AS n FROM transfers WHERE status = 'WAITING' AND takeover_at <= now()`);
      results.sweep = { transfers: done, organizations: opts.orgs, ms: t, perThousandMs: t / (done / 1000), leftWaiting: left.rows[0].n };
      rows.push([`sweep ${done} due transfers (${opts.orgs} orgs)`, fmt(t), '–', `${fmt(t / (done / 1000))} ms per 1,000`, '< 30000 ms']);
      process.stderr.write(`  sweep: ${done} transfers in ${fmt(t)} ms\n`);
    }

    const table = [
      '| scenario | median ms | p95 ms | vs baseline | target |',
      '|---|---:|---:|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
    process.stdout.write(`\n${table}\n\nheap growth during the 20k departures: ${fmt((heapPeak - heapBefore) / 1e6)} MB; total ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    mkdirSync(join(__dirname, '..', '..', '..', 'bench', 'results'), { recursive: true });
    const file = join(__dirname, '..', '..', '..', 'bench', 'results', `reassignment-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}Z.json`);
    writeFileSync(file, JSON.stringify({ ...results, table }, null, 2));
    process.stdout.write(`results: ${file}\n`);
  } finally {
    await db.end();
    await app.close();
    if (stopPg) await stopPg();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
