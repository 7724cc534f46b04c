/**
 * Customers scenarios (the Customers issue's targets), each on our server and
 * on the two baselines measured in the same run:
 *
 * - `customers.manager.*`: a manager's first page of 50 with a tag + stage filter
 *   (data scope: their department tree);
 * - `customers.sales.*`: a sales rep's first page of 50 (scope: own relations);
 * - `.open`: 50 users each sending one request a second (open loop): p95 <= 30 ms;
 * - `.closed`: 50 connections as fast as possible (closed loop): >= 400 req/s, p99 <= 250 ms, no errors;
 * - `customers.*.deep`: a page far down the same list (keyset cursor), closed loop: as fast as the first;
 * - `customers.sql`: SQL statements per request for 10 / 50 / 200 rows and 0-3 nested types.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { freePort } from 'src/core/dev-services/embedded-postgres';
import { log, repoRoot } from 'bench/lib/common';
import { ResultRow, RunContext, rowOf, ServerHandle, System } from 'bench/lib/context';
import { Child, RssSampler, runDriver, spawnChild, waitForLine } from 'bench/lib/processes';
import { mintToken } from 'bench/lib/tokens';
import { withClient } from 'bench/lib/postgres';
import type { DriverResult, DriverSpec } from 'bench/load/driver';
import { CUSTOMERS_LIST, CUSTOMERS_LIST_FLAT, CUSTOMERS_LIST_TAGS, gqlBody } from 'bench/load/queries';
import type { FixedRequest } from 'bench/load/workloads';
import { deepCursor } from './fixtures';

export const TARGETS = { openP95Ms: 30, closedRps: 400, closedP99Ms: 250 };
const USERS = 50;

interface ListUser {
  token: string;
  variables: Record<string, unknown>;
  /** PostGraphile: the condition literal. */
  pglCondition: string;
}

function listUsers(ctx: RunContext, who: 'manager' | 'sales'): ListUser[] {
  const f = ctx.fixtures;
  const out: ListUser[] = [];
  for (let i = 0; i < USERS; i++) {
    if (who === 'sales') {
      const u = f.salesReps[i % f.salesReps.length];
      out.push({ token: mintToken(ctx.secret, u.id, f.orgId), variables: { first: 50 }, pglCondition: '' });
    } else {
      const u = f.managers[i % f.managers.length];
      out.push({
        token: mintToken(ctx.secret, u.id, f.orgId),
        variables: { first: 50, filter: { tagIds: [f.popularTagId], stages: [f.stage] } },
        pglCondition: `condition: { stage: "${f.stage}", hasTag: "${f.popularTagId}" }, `,
      });
    }
  }
  return out;
}

const pglQuery = (
  condition: string,
) => `query { allCustomers(first: 50, ${condition}orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
  edges { cursor node { id: rowId name company phone stage lastContactAt createdAt
    customerTagsByCustomerId { nodes { tagByTagId { id: rowId name } } }
    customerRelationsByCustomerId(condition: { status: "ACTIVE" }) { nodes { id: rowId status addedAt employeeByEmployeeId { id: rowId name } } } } }
  pageInfo { hasNextPage endCursor } } }`;

function requestsFor(system: System, users: ListUser[]): FixedRequest[] {
  return users.map((u) => ({
    kind: 'list',
    headers: { authorization: `Bearer ${u.token}` },
    body: system === 'postgraphile' ? gqlBody(pglQuery(u.pglCondition)) : gqlBody(CUSTOMERS_LIST, u.variables),
  }));
}

function spec(ctx: RunContext, url: string, mode: 'open' | 'closed', requests: FixedRequest[]): DriverSpec {
  const o = ctx.opts;
  return {
    url: `${url}/graphql`,
    mode,
    connections: mode === 'closed' ? USERS : 256,
    users: USERS,
    ratePerUser: 1,
    durationSec: o.runSec,
    warmupSec: o.warmupSec,
    maxRequests: 2_000 * (o.runSec + o.warmupSec),
    seed: o.seed,
    workload: { type: 'fixed', requests },
  };
}

/** A baseline server process (raw SQL floor or PostGraphile). */
interface Baseline {
  url: string;
  child: Child;
}

async function startRaw(ctx: RunContext): Promise<Baseline> {
  const port = await freePort();
  const child = spawnChild('raw-sql', process.execPath, [join(__dirname, '..', 'baselines', 'raw-sql-server.js')], {
    DATABASE_URL: ctx.dbUrl,
    JWT_SECRET: ctx.secret,
    PORT: String(port),
  });
  await waitForLine(child, /listening on \d+/);
  return { url: `http://127.0.0.1:${port}`, child };
}

const PGL_DIR = () => join(repoRoot(), 'bench', 'baselines', 'postgraphile');

/** Installs the PostGraphile baseline's own dependencies on first use (npm registry). */
export function ensurePostgraphile(): string | null {
  const dir = PGL_DIR();
  if (existsSync(join(dir, 'node_modules', 'postgraphile'))) return null;
  try {
    log('installing the PostGraphile baseline (npm ci in bench/baselines/postgraphile)');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore', timeout: 300_000 });
    return null;
  } catch (e) {
    return `npm ci in bench/baselines/postgraphile failed: ${String(e).slice(0, 200)}`;
  }
}

/**
 * Read-only role and the row-level security policy PostGraphile's list
 * runs under (idempotent; our server is the owner and bypasses RLS).
 */
export async function preparePostgraphileRole(ctx: RunContext): Promise<void> {
  await withClient(ctx.dbUrl, async (c) => {
    await c.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bench_pgl') THEN CREATE ROLE bench_pgl LOGIN PASSWORD 'bench_pgl'; END IF;
    END $$`);
    await c.query(`GRANT USAGE ON SCHEMA public TO bench_pgl`);
    await c.query(`GRANT SELECT ON customers, customer_tags, tags, tag_groups, customer_relations, employees, departments TO bench_pgl`);
    await c.query(`ALTER TABLE customers ENABLE ROW LEVEL SECURITY`);
    await c.query(`DROP POLICY IF EXISTS bench_pgl_scope ON customers`);
    await c.query(`CREATE POLICY bench_pgl_scope ON customers FOR SELECT TO bench_pgl USING (
      org_id = current_setting('bench.org', true)::uuid AND (
        current_setting('bench.scope', true) = 'ORGANIZATION'
        -- The same check as our server's (customers.active_employee_ids, in the list indexes), written
        -- for the PostGraphile baseline on purpose (a row-level security policy, not our code).
        OR customers.active_employee_ids && ARRAY(
             SELECT current_setting('bench.employee', true)::uuid
             UNION ALL
             SELECT se.id FROM employees se JOIN departments sd ON sd.id = se.department_id
              WHERE current_setting('bench.scope', true) = 'DEPARTMENT' AND se.org_id = current_setting('bench.org', true)::uuid
                AND sd.path LIKE current_setting('bench.dept_path', true) || '%')))`);
  });
}

async function startPostgraphile(ctx: RunContext): Promise<Baseline> {
  const port = await freePort();
  const u = new URL(ctx.dbUrl);
  u.username = 'bench_pgl';
  u.password = 'bench_pgl';
  const child = spawnChild(
    'postgraphile',
    process.execPath,
    [join(PGL_DIR(), 'server.mjs')],
    {
      DATABASE_URL: u.toString(),
      OWNER_DATABASE_URL: ctx.dbUrl,
      JWT_SECRET: ctx.secret,
      ORG_ID: ctx.fixtures.orgId,
      PORT: String(port),
    },
    PGL_DIR(),
  );
  await waitForLine(child, /listening on \d+/, 180_000);
  return { url: `http://127.0.0.1:${port}`, child };
}

async function oneRequest(
  url: string,
  token: string,
  body: string,
): Promise<{ status: number; sql: number | null; body: string }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const h = res.headers.get('x-sql-statements');
  return { status: res.status, sql: h === null ? null : Number(h), body: await res.text() };
}

/** Checks one answer of each baseline returns the same customers as ours before measuring it. */
async function sameAnswer(ours: string, other: string, system: System, user: ListUser): Promise<string | null> {
  let a: Awaited<ReturnType<typeof oneRequest>>;
  let b: Awaited<ReturnType<typeof oneRequest>>;
  try {
    [a, b] = await Promise.all([
      oneRequest(ours, user.token, gqlBody(CUSTOMERS_LIST, user.variables)),
      oneRequest(other, user.token, requestsFor(system, [user])[0].body),
    ]);
  } catch (e) {
    // An overloaded baseline may not answer at all; its rows then show the errors.
    return `${system}: answers not compared (${e instanceof Error ? `${e.message}${e.cause ? `: ${String(e.cause)}` : ''}` : String(e)})`;
  }
  const ids = (s: string) => {
    try {
      const j = JSON.parse(s);
      const conn = j.data?.customers ?? j.data?.allCustomers;
      return (conn?.edges ?? []).map((e: { node: { id: string } }) => e.node.id).join(',');
    } catch {
      return `unparseable: ${s.slice(0, 200)}`;
    }
  };
  const x = ids(a.body);
  const y = ids(b.body);
  return x === y
    ? null
    : `${system} answered different rows than ours (ours ${x.split(',').length} ids, ${system}: ${y.slice(0, 300)})`;
}

export async function customersScenarios(ctx: RunContext, server: ServerHandle): Promise<void> {
  const o = ctx.opts;
  await sqlProbe(ctx, server);
  const plan: Array<{ who: 'manager' | 'sales'; label: string }> = [
    { who: 'manager', label: "manager's first page of 50, tag + stage filter" },
    { who: 'sales', label: "sales rep's first page of 50" },
  ];
  // Ours first (one process under load at a time), then each baseline.
  for (const p of plan) {
    const users = listUsers(ctx, p.who);
    // Closed loop first (self-limiting), open loop last (it may overload); each starts on an idle database.
    for (const mode of ['closed', 'open'] as const) {
      const id = `customers.${p.who}.${mode}`;
      if (!ctx.wants(id)) continue;
      await ctx.quiesce();
      server.sampler.samples.length = 0;
      const r = await runDriver<DriverResult>(spec(ctx, server.url, mode, requestsFor('ours', users)), id);
      ctx.record(
        verdict(
          rowOf(r, { scenario: id, label: p.label, system: 'ours', load: loadLabel(mode) }, server.sampler.peak('api')),
          mode,
        ),
      );
      if (mode === 'closed' && ctx.wants(`customers.${p.who}.deep`)) await deepPage(ctx, server, p.who);
    }
  }
  for (const system of ['raw-sql', 'postgraphile'] as const) {
    if (!ctx.wants(`baseline.${system}`)) continue;
    let b: Baseline;
    try {
      if (system === 'postgraphile') {
        const missing = ensurePostgraphile();
        if (missing) throw new Error(missing);
        await preparePostgraphileRole(ctx);
      }
      b = system === 'raw-sql' ? await startRaw(ctx) : await startPostgraphile(ctx);
    } catch (e) {
      const msg = `${system} baseline not measured: ${e instanceof Error ? e.message.split('\n').slice(0, 6).join(' ') : String(e)}`;
      log(msg);
      ctx.notes.push(msg);
      continue;
    }
    try {
      const sampler = new RssSampler({ base: b.child.pid }).start();
      for (const p of plan) {
        const users = listUsers(ctx, p.who);
        const diff = await sameAnswer(server.url, b.url, system, users[0]);
        if (diff) {
          ctx.notes.push(`${p.who}: ${diff}`);
          log(diff);
        }
        for (const mode of ['closed', 'open'] as const) {
          const id = `customers.${p.who}.${mode}`;
          if (!ctx.wants(id)) continue;
          await ctx.quiesce();
          sampler.samples.length = 0;
          const r = await runDriver<DriverResult>(
            spec(ctx, b.url, mode, requestsFor(system, users)),
            `${id}.${system}`,
          );
          ctx.record(rowOf(r, { scenario: id, label: p.label, system, load: loadLabel(mode) }, sampler.peak('base')));
        }
      }
      sampler.stop();
    } finally {
      await b.child.stop();
    }
  }
  void o;
}

const loadLabel = (mode: 'open' | 'closed') =>
  mode === 'open' ? `open loop, ${USERS} users × 1 req/s` : `closed loop, ${USERS} connections`;

function verdict(row: ResultRow, mode: 'open' | 'closed'): ResultRow {
  if (mode === 'open') {
    row.target = `p95 ≤ ${TARGETS.openP95Ms} ms`;
    row.verdict = row.latency.p95 <= TARGETS.openP95Ms && row.errors === 0 ? 'pass' : 'MISS';
  } else {
    row.target = `≥ ${TARGETS.closedRps} req/s, p99 ≤ ${TARGETS.closedP99Ms} ms, 0 errors`;
    row.verdict =
      row.throughput >= TARGETS.closedRps && row.latency.p99 <= TARGETS.closedP99Ms && row.errors === 0
        ? 'pass'
        : 'MISS';
  }
  return row;
}

/** The same list far down (keyset cursor), closed loop, against the first page measured above. */
async function deepPage(ctx: RunContext, server: ServerHandle, who: 'manager' | 'sales'): Promise<void> {
  const f = ctx.fixtures;
  const id = `customers.${who}.deep`;
  const reqs: FixedRequest[] = [];
  const depths: number[] = [];
  // 20 users (cursors are computed with OFFSET in SQL, which is slow by design for managers' filtered lists).
  for (let i = 0; i < Math.min(20, who === 'sales' ? f.salesReps.length : f.managers.length); i++) {
    const u = who === 'sales' ? f.salesReps[i] : f.managers[i];
    const user =
      who === 'sales'
        ? ({ kind: 'sales', id: u.id } as const)
        : ({
            kind: 'manager',
            id: u.id,
            departmentId: (u as { departmentId: string }).departmentId,
            tagId: f.popularTagId,
            stage: f.stage,
          } as const);
    const c = await deepCursor(ctx.db(), f.orgId, user, who === 'sales' ? 1_000 : 500);
    if (!c) continue;
    depths.push(c.depth);
    const variables =
      who === 'sales'
        ? { first: 50, after: c.cursor }
        : { first: 50, after: c.cursor, filter: { tagIds: [f.popularTagId], stages: [f.stage] } };
    reqs.push({
      kind: 'list.deep',
      headers: { authorization: `Bearer ${mintToken(ctx.secret, u.id, f.orgId)}` },
      body: gqlBody(CUSTOMERS_LIST, variables),
    });
  }
  if (!reqs.length) {
    ctx.notes.push(`${id}: no user has a list deep enough at this scale`);
    return;
  }
  depths.sort((a, b) => a - b);
  await ctx.quiesce();
  server.sampler.samples.length = 0;
  const r = await runDriver<DriverResult>(spec(ctx, server.url, 'closed', reqs), id);
  const first = ctx.rows.find((x) => x.scenario === `customers.${who}.closed` && x.system === 'ours');
  const row = rowOf(
    r,
    {
      scenario: id,
      label: `${who === 'sales' ? "sales rep's" : "manager's"} list after ${depths[0]}-${depths[depths.length - 1]} rows (keyset)`,
      system: 'ours',
      load: `closed loop, ${USERS} connections`,
      target: 'as fast as the first page',
    },
    server.sampler.peak('api'),
  );
  if (first) {
    const ratio = row.latency.p50 / first.latency.p50;
    row.note = `p50 ${ratio.toFixed(2)}× the first page's`;
    row.verdict = ratio <= 1.5 && row.errors === 0 ? 'pass' : 'MISS';
  }
  ctx.record(row);
}

/** SQL statements per request for page sizes 10/50/200 and 0, 1, 3 nested types (x-sql-statements). */
async function sqlProbe(ctx: RunContext, server: ServerHandle): Promise<void> {
  if (!ctx.wants('customers.sql')) return;
  const f = ctx.fixtures;
  const users = [
    { who: 'sales', token: mintToken(ctx.secret, f.salesReps[0].id, f.orgId), filter: undefined },
    {
      who: 'manager',
      token: mintToken(ctx.secret, f.managers[0].id, f.orgId),
      filter: { tagIds: [f.popularTagId], stages: [f.stage] },
    },
    { who: 'admin', token: mintToken(ctx.secret, f.admins[0], f.orgId), filter: undefined },
  ];
  const selections: Array<[string, string, number]> = [
    ['no nested type', CUSTOMERS_LIST_FLAT, 0],
    ['tags', CUSTOMERS_LIST_TAGS, 1],
    ['tags, relations, relation employee', CUSTOMERS_LIST, 3],
  ];
  const out: Array<{
    user: string;
    selection: string;
    nestedTypes: number;
    first: number;
    rows: number;
    sql: number | null;
  }> = [];
  for (const u of users) {
    // The first request of a user may load the organization's Casbin enforcer (3 statements, once): not counted.
    await oneRequest(server.url, u.token, gqlBody(CUSTOMERS_LIST_FLAT, { first: 1, filter: u.filter }));
    for (const [name, query, nested] of selections) {
      for (const first of [10, 50, 200]) {
        const r = await oneRequest(server.url, u.token, gqlBody(query, { first, filter: u.filter }));
        let rows = -1;
        try {
          rows = JSON.parse(r.body).data.customers.edges.length;
        } catch {
          ctx.notes.push(`customers.sql: ${u.who} ${name} first ${first}: ${r.body.slice(0, 200)}`);
        }
        out.push({ user: u.who, selection: name, nestedTypes: nested, first, rows, sql: r.sql });
      }
    }
  }
  // Bounded: for each (user, selection) the count is the same for 10, 50 and 200 rows, and at most 2 + nested types.
  const bad = out.filter(
    (x) =>
      x.sql === null ||
      x.sql > 2 + x.nestedTypes ||
      out.some((y) => y.user === x.user && y.selection === x.selection && y.sql !== x.sql),
  );
  ctx.extra.sqlProbe = { rows: out, verdict: bad.length ? 'MISS' : 'pass' };
  log(`customers.sql: ${out.map((x) => `${x.user}/${x.nestedTypes}/${x.first}=${x.sql}`).join(' ')} -> ${bad.length ? 'MISS' : 'pass'}`);
}
