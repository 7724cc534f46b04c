/**
 * Subscriptions benchmark: N employees each hold one graphql-ws socket on the built API process
 * (`node dist/src/cli.js api`, with a separate `worker` that fires the moment), all subscribed to
 * `momentTaskAssigned`; one moment whose audience is all of them is published now. Measured:
 * - latency per subscriber from the publishMomentNow call to its task arriving (job pickup, the
 *   firing transaction, NOTIFY or Redis, the per-process look-up of the tasks, the socket), and from
 *   the moment's published_at (the commit) to arrival;
 * - the API process's RSS per idle socket (RSS with N sockets open and subscribed, minus before).
 * The floor, in the same run: a raw `ws` server in its own process broadcasting a payload of the same
 * size to N sockets, latency from the broadcast call to arrival. Printed side by side, as ratios.
 *
 * Then, on the same API and worker (the delayed-job path, no sockets): `--customers` customers spread over
 * the N employees, a third tagged; one moment for every employee with that tag, due a few seconds ahead:
 * when its tasks are first and all visible (polled every 20 ms) after the due time, and duplicates; then
 * `--burst` moments (10 employees each) due in the same second: the lateness of each (p50/p99/max).
 *
 *   npm run build && npm run build:bench
 *   node dist/bench/bench/subscriptions.bench.js [--subscribers 1000] [--customers 100000] [--burst 100]
 *     [--queue postgres|redis] [--sockets false] [--worker-log-level info] [--pg-stats] [--keep]
 *
 * `--sockets false` seeds the N employees but opens no socket: only the due-time scenario runs. With
 * `--worker-log-level info` and BENCH_CHILD_LOG_DIR=<dir>, the worker's log has each firing's steps
 * ("moment published": ms at the end of each slice's commit) and each job's start: the due-time profile.
 *
 * `--queue redis` starts a redis-server on a free port and sets REDIS_URL: BullMQ and the event bus both
 * run on it (otherwise both on PostgreSQL).
 * `--pg-stats` also prints PostgreSQL's busiest statements of the burst (pg_stat_statements, reset when the
 * burst is scheduled): the due-time profile on the database side.
 * The load client (this process) opens real sockets over 127.0.0.1. Nothing here fails on time.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { runMigrations } from 'src/core/database/migrate';
import { ensureDatabase } from 'src/core/dev-services/embedded-postgres';
import { MIGRATIONS } from 'migrations';
import { repoRoot } from './lib/common';
import { startBenchPostgres, withClient } from './lib/postgres';
import { rssMb, spawnChild, stopAll, waitForHttp, waitForLine } from './lib/processes';
import { mintToken } from './lib/tokens';
import { fmt, quantile } from './support/stats';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const N = Number(opt('subscribers', '1000'));
const CUSTOMERS = Number(opt('customers', '100000'));
const BURST = Number(opt('burst', '100'));
/** Sockets opened at once (each waits for its connection_ack before the next batch). */
const CONNECT_BATCH = 200;
const SUB_QUERY = 'subscription { momentTaskAssigned { id status moment { id text } employee { id } } }';
const QUEUE = opt('queue', 'postgres');
/** `--sockets false`: skip the fan-out to sockets (and the raw floor); only the due-time scenario runs. */
const SOCKETS = opt('sockets', 'true') !== 'false';
/** The worker's LOG_LEVEL (`info` logs each job's lateness and each firing's steps: the due-time profile). */
const WORKER_LOG_LEVEL = opt('worker-log-level', 'warn');
/** `--pg-stats`: PostgreSQL's busiest statements of the burst. */
const PG_STATS = argv.includes('--pg-stats');
/** `--keep`: the PostgreSQL data folder stays (its path is printed), to EXPLAIN the burst's statements on it. */
const KEEP = argv.includes('--keep');
/** Extra node options of the API process, e.g. `--cpu-prof --cpu-prof-dir /tmp/prof` to profile the fan-out. */
const API_NODE_ARGS = opt('api-node-args', '').split(' ').filter(Boolean);
const SECRET = 'bench-subscriptions-secret-0123456789abcdef';
const CLI = join(repoRoot(), 'dist', 'src', 'cli.js');
const log = (m: string) => console.log(`[subscriptions] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The raw floor: a ws server that broadcasts what it is POSTed (run as `node -e` in its own process). */
const RAW_SERVER = `
const http = require('node:http'); const { WebSocketServer } = require('ws');
const server = http.createServer((req, res) => { let b = ''; req.on('data', (d) => (b += d)); req.on('end', () => {
  for (const c of wss.clients) c.send(b); res.end('ok'); }); });
const wss = new WebSocketServer({ server, perMessageDeflate: false });
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('raw ready'));`;

function summary(label: string, xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return {
    label,
    n: s.length,
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s[s.length - 1],
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wecrm-bench-subs-'));
  const pg = await startBenchPostgres(
    dir,
    'run',
    log,
    PG_STATS ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {},
  );
  try {
    await ensureDatabase(pg.adminUrl, 'wecrm_subs');
    const url = pg.urlFor('wecrm_subs');
    await runMigrations(url, MIGRATIONS);
    if (PG_STATS) await withClient(url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
    let redisUrl = '';
    if (QUEUE === 'redis') {
      const port = await freePort();
      const redis = spawnChild(
        'redis',
        'redis-server',
        ['--port', String(port), '--save', '', '--appendonly', 'no'],
        {},
      );
      await waitForLine(redis, /Ready to accept connections/);
      redisUrl = `redis://127.0.0.1:${port}`;
    }
    const env = {
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DATA_DIR: dir,
      SUBSCRIPTIONS_MAX_CONNECTIONS: String(N + 100),
    };
    const apiPort = await freePort();
    const api = spawnChild('api', process.execPath, ['--max-semi-space-size=128', ...API_NODE_ARGS, CLI, 'api'], {
      ...env,
      PORT: String(apiPort),
    });
    const worker = spawnChild('worker', process.execPath, [CLI, 'worker'], { ...env, LOG_LEVEL: WORKER_LOG_LEVEL });
    const base = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${base}/ready`, api);
    await waitForLine(worker, /worker running|"level"/, 120_000).catch(() => undefined);

    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const r = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await r.json()) as { data?: Record<string, { id: string; token?: string }>; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };
    const signUp = await gql(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token organization { id } employee { department { id } } } }`,
      {
        input: {
          organizationName: 'Bench subs',
          slug: 'bench-subs',
          adminName: 'Admin',
          adminEmail: 'admin@bench-subs.invalid',
          adminPassword: 'correct-horse-battery-9',
        },
      },
    );
    const adminToken = (signUp.signUp as unknown as { token: string }).token;
    const orgId = (signUp.signUp as unknown as { organization: { id: string } }).organization.id;
    const deptId = (signUp.signUp as unknown as { employee: { department: { id: string } } }).employee.department.id;
    const db = new Pool({ connectionString: url, max: 2 });
    const ids: string[] = (
      await db.query(
        `INSERT INTO employees (org_id, department_id, name, email)
         SELECT $1, $2, 'Sub ' || i, 'sub' || i || '@bench-subs.invalid' FROM generate_series(1, $3) AS i RETURNING id`,
        [orgId, deptId, N],
      )
    ).rows.map((r: { id: string }) => r.id);
    await db.query(
      `INSERT INTO casbin_rules (ptype, v0, v1, v2) SELECT 'g', 'emp:' || id, 'sales', $1 FROM unnest($2::uuid[]) AS id`,
      [orgId, ids],
    );
    await db.query(`UPDATE organizations SET policy_version = policy_version + 1 WHERE id = $1`, [orgId]);
    log(`${N} employees seeded${SOCKETS ? `; opening ${N} sockets` : ''}`);

    if (SOCKETS) {
      await sleep(2_000);
      const rssBefore = rssMb(api.pid);
      const arrived = new Map<string, number>();
      let duplicates = 0;
      let refused = 0;
      type Sub = { client: ReturnType<typeof createClient> };
      const clients: Sub[] = [];
      const open = (id: string) =>
        new Promise<Sub>((resolve) => {
          const client = createClient({
            url: `ws://127.0.0.1:${apiPort}/graphql`,
            webSocketImpl: WebSocket,
            connectionParams: { authorization: `Bearer ${mintToken(SECRET, id, orgId)}` },
            lazy: false,
            retryAttempts: 0,
            onNonLazyError: () => undefined,
            on: {
              connected: () => resolve({ client }),
              closed: () => {
                refused++;
                resolve({ client });
              },
            },
          });
          client.subscribe(
            { query: SUB_QUERY },
            {
              next: () => (arrived.has(id) ? duplicates++ : arrived.set(id, performance.now())),
              error: () => undefined,
              complete: () => undefined,
            },
          );
        });
      // Connect time: each socket's connection_init includes taking its lease (the cross-process limit).
      const connectStart = performance.now();
      for (let i = 0; i < ids.length; i += CONNECT_BATCH) {
        clients.push(...(await Promise.all(ids.slice(i, i + CONNECT_BATCH).map(open))));
      }
      const connectMs = performance.now() - connectStart;
      log(
        `${ids.length} sockets opened (${refused} closed early) in ${fmt(connectMs, 0)} ms: ` +
          `${fmt((connectMs / ids.length) * CONNECT_BATCH, 1)} ms per batch of ${CONNECT_BATCH}`,
      );
      await sleep(5_000);
      const rssIdle = rssMb(api.pid);
      log(`API RSS ${fmt(rssBefore, 1)} MB before, ${fmt(rssIdle, 1)} MB with ${N} idle subscribed sockets`);

      const m = await gql(`mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`, {
        input: { text: 'Bench fan-out', audience: {} },
      }, adminToken);
      const momentId = m.createMoment.id;
      const t0 = performance.now();
      const wall0 = Date.now();
      await gql(`mutation($id: ID!) { publishMomentNow(id: $id) { id } }`, { id: momentId }, adminToken);
      // When the firing's commit became visible: polled every 10 ms on a connection of its own (published_at
      // is the transaction's start, which under load is long before its commit).
      let visibleAt = NaN;
      const poll = new Pool({ connectionString: url, max: 1 });
      const polling = (async () => {
        while (Number.isNaN(visibleAt)) {
          const r = await poll.query(`SELECT status FROM moments WHERE id = $1`, [momentId]);
          if (r.rows[0].status === 'PUBLISHED') visibleAt = performance.now();
          else await sleep(10);
        }
      })();
      const end = Date.now() + 120_000;
      while (arrived.size < N && Date.now() < end) await sleep(20);
      await polling;
      await poll.end();
      const published = (await db.query(`SELECT published_at FROM moments WHERE id = $1`, [momentId])).rows[0]
        .published_at as Date;
      const commitOffset = published.getTime() - wall0;
      const fromCall = [...arrived.values()].map((t) => t - t0);
      const fromCommit = [...arrived.values()].map((t) => t - visibleAt);
      const ours = summary('subscription (from publishMomentNow)', fromCall);
      const oursCommit = summary('subscription (from the commit, polled)', fromCommit);
      log(`${arrived.size}/${N} subscribers received their task, ${duplicates} duplicates`);
      await Promise.all(clients.map((c) => c.client.dispose()));

      // The floor: raw ws broadcast of a payload of the same size to N sockets.
      const rawPort = await freePort();
      const raw = spawnChild('raw-ws', process.execPath, ['-e', RAW_SERVER], {
        PORT: String(rawPort),
        NODE_PATH: join(repoRoot(), 'node_modules'),
      });
      await waitForLine(raw, /raw ready/);
      const rawRssBefore = rssMb(raw.pid);
      const rawArrived: number[] = [];
      let rawT0 = 0;
      const sockets = await Promise.all(
        ids.map(
          () =>
            new Promise<WebSocket>((resolve) => {
              const s = new WebSocket(`ws://127.0.0.1:${rawPort}`);
              s.on('message', () => rawArrived.push(performance.now() - rawT0));
              s.on('open', () => resolve(s));
            }),
        ),
      );
      await sleep(5_000);
      const rawRssIdle = rssMb(raw.pid);
      const payload = JSON.stringify({
        id: '1',
        type: 'next',
        payload: {
          data: {
            momentTaskAssigned: {
              id: momentId,
              status: 'PENDING',
              moment: { id: momentId, text: 'Bench fan-out' },
              employee: { id: momentId },
            },
          },
        },
      });
      rawT0 = performance.now();
      await fetch(`http://127.0.0.1:${rawPort}/`, { method: 'POST', body: payload });
      const rawEnd = Date.now() + 30_000;
      while (rawArrived.length < N && Date.now() < rawEnd) await sleep(10);
      const floor = summary('raw ws broadcast (floor)', rawArrived);
      for (const s of sockets) s.terminate();

      const perSocketKb = ((rssIdle - rssBefore) * 1024) / N;
      const rawPerSocketKb = ((rawRssIdle - rawRssBefore) * 1024) / N;
      console.log(`\nSubscribers: ${N}, queue ${QUEUE}, one API process and one worker process, 127.0.0.1\n`);
      console.log('| path | received | p50 ms | p95 ms | p99 ms | max ms | p99 / floor |');
      console.log('|---|---|---|---|---|---|---|');
      for (const r of [ours, oursCommit, floor]) {
        console.log(`| ${r.label} | ${r.n} | ${fmt(r.p50, 1)} | ${fmt(r.p95, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.max, 1)} | ${fmt(r.p99 / floor.p99, 1)} |`);
      }
      console.log(`\nRSS per idle socket: subscription ${fmt(perSocketKb, 1)} KB, raw ws ${fmt(rawPerSocketKb, 1)} KB (ratio ${fmt(perSocketKb / rawPerSocketKb, 1)})`);
      console.log(
        `Firing's transaction started ${commitOffset} ms and was seen committed ${fmt(visibleAt - t0, 0)} ms after ` +
          `the publishMomentNow call; ${duplicates} duplicates.`,
      );
    }
    const due = await dueScenario(db, gql, adminToken, orgId, ids);
    await db.end();
    console.log(`\nDue-time firing (${N} employees, ${CUSTOMERS} customers, a third tagged; delayed BullMQ jobs):`);
    console.log(
      `- one moment, tag filter: ${due.tasks} tasks (expected ${due.expected}, ${due.duplicates} duplicates); ` +
        `first visible ${fmt(due.first, 0)} ms, all visible ${fmt(due.all, 0)} ms after the due time`,
    );
    console.log(`- ${BURST} moments due in the same second: lateness p50 ${fmt(due.burst.p50, 0)} ms, ` +
      `p99 ${fmt(due.burst.p99, 0)} ms, max ${fmt(due.burst.max, 0)} ms (${due.burst.n} fired)`);
    console.log(`Load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    await stopAll();
    await pg.stopWithin(10_000);
    // Each run seeds its own database (6.7 GB at 1,000,000 customers): nothing is kept for the next.
    if (KEEP) log(`data folder kept (--keep): ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

type Gql = (
  query: string,
  variables: Record<string, unknown>,
  token?: string,
) => Promise<Record<string, { id: string; token?: string }>>;

/**
 * The delayed-job path at the due time: seeds customers (a third tagged Hot), then one tag-filtered moment
 * for every employee and BURST small moments in one second, and polls until they have fired.
 */
async function dueScenario(db: Pool, gql: Gql, token: string, orgId: string, employeeIds: string[]) {
  const group = (await db.query(`INSERT INTO tag_groups (org_id, name) VALUES ($1, 'Bench') RETURNING id`, [orgId]))
    .rows[0].id as string;
  const hot = (
    await db.query(`INSERT INTO tags (org_id, group_id, name) VALUES ($1, $2, 'Hot') RETURNING id`, [orgId, group])
  ).rows[0].id as string;
  const t0 = Date.now();
  for (let from = 0; from < CUSTOMERS; from += 50_000) {
    const to = Math.min(CUSTOMERS, from + 50_000);
    await db.query(
      `WITH c AS (
         INSERT INTO customers (org_id, name) SELECT $1, 'Customer ' || i FROM generate_series($2::int, $3::int - 1) AS i
         RETURNING id),
       n AS (SELECT id, row_number() OVER () AS i FROM c),
       r AS (
         INSERT INTO customer_relations (org_id, customer_id, employee_id, add_way, added_at)
         SELECT $1, n.id, ($4::uuid[])[1 + (n.i % cardinality($4::uuid[]))], 'IMPORT', now() FROM n)
       INSERT INTO customer_tags (customer_id, tag_id, org_id) SELECT n.id, $5, $1 FROM n WHERE n.i % 3 = 0`,
      [orgId, from, to, employeeIds, hot],
    );
  }
  await db.query('ANALYZE customers; ANALYZE customer_relations; ANALYZE customer_tags');
  log(`${CUSTOMERS} customers seeded in ${Date.now() - t0} ms`);
  const expected = Number(
    (
      await db.query(
        `SELECT count(DISTINCT cr.employee_id) AS n FROM customer_relations cr JOIN customer_tags ct
            ON ct.customer_id = cr.customer_id AND ct.tag_id = $2 WHERE cr.org_id = $1 AND cr.status = 'ACTIVE'`,
        [orgId, hot],
      )
    ).rows[0].n,
  );

  const create = async (input: Record<string, unknown>) =>
    (await gql(`mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`, { input }, token))
      .createMoment.id;
  // One moment, every employee, the tag: due 4 s ahead.
  const dueAt = Math.ceil((Date.now() + 4_000) / 1000) * 1000;
  const one = await create({
    text: 'Due fan-out',
    audience: { customerTagIds: [hot] },
    scheduledAt: new Date(dueAt).toISOString(),
  });
  let first = NaN;
  let all = NaN;
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const r = (
      await db.query(
        `SELECT (SELECT status FROM moments WHERE id = $1) AS status,
                (SELECT count(*)::int FROM moment_tasks WHERE moment_id = $1) AS n`,
        [one],
      )
    ).rows[0];
    const now = Date.now();
    if (r.n > 0 && Number.isNaN(first)) first = now - dueAt;
    if (r.status === 'PUBLISHED') {
      all = now - dueAt;
      break;
    }
    await sleep(20);
  }
  log(`one tag-filtered moment: first visible ${first} ms, all ${all} ms after its time`);
  const counts = (
    await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT employee_id)::int AS d FROM moment_tasks WHERE moment_id = $1`,
      [one],
    )
  ).rows[0];

  // BURST moments due in the same second, 10 employees each: drafts first, then all scheduled for one second
  // far enough ahead for the schedule calls to finish before it.
  const burstIds: string[] = [];
  for (let i = 0; i < BURST; i++) {
    const ten = Array.from({ length: 10 }, (_, k) => employeeIds[(i * 10 + k) % employeeIds.length]);
    burstIds.push(await create({ text: `Burst ${i}`, audience: { employeeIds: ten } }));
  }
  const c0 = Date.now();
  await gql(`query($id: ID!) { moment(id: $id) { id } }`, { id: burstIds[0] }, token);
  const perCall = Math.max(50, Date.now() - c0);
  const burstAt = Math.ceil((Date.now() + 3_000 + BURST * perCall * 3) / 1000) * 1000;
  for (let i = 0; i < BURST; i++) {
    // All within the one second: 10 moments at each of 0, 90, ..., 810 ms past it.
    const at = new Date(burstAt + (i % 10) * 90).toISOString();
    await gql(
      `mutation($input: ScheduleMomentInput!) { scheduleMoment(input: $input) { id } }`,
      { input: { id: burstIds[i], scheduledAt: at } },
      token,
    );
  }
  if (PG_STATS) await db.query('SELECT pg_stat_statements_reset()');
  log(`${BURST} moments scheduled for ${new Date(burstAt).toISOString()} (${burstAt - Date.now()} ms ahead)`);
  const scheduledAt = new Map<string, number>(
    (await db.query(`SELECT id, scheduled_at FROM moments WHERE id = ANY($1::uuid[])`, [burstIds])).rows.map(
      (r: { id: string; scheduled_at: Date }) => [r.id, r.scheduled_at.getTime()],
    ),
  );
  const seen = new Map<string, number>();
  const burstEnd = Date.now() + 60_000 + BURST * 100;
  while (seen.size < BURST && Date.now() < burstEnd) {
    const rows = (
      await db.query(`SELECT id FROM moments WHERE id = ANY($1::uuid[]) AND status = 'PUBLISHED'`, [burstIds])
    ).rows as Array<{ id: string }>;
    const now = Date.now();
    for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, now - scheduledAt.get(r.id)!);
    await sleep(20);
  }
  const lateness = summary('burst lateness', [...seen.values()]);
  if (PG_STATS) {
    const top = await db.query(
      `SELECT calls, round(total_exec_time) AS ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) AS q
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20`,
    );
    console.log('\nPostgreSQL, busiest statements of the burst (total ms, calls, rows, statement):');
    for (const x of top.rows) console.log(`${x.ms}\t${x.calls}\t${x.rows}\t${x.q}`);
  }
  return { tasks: counts.n, duplicates: counts.n - counts.d, expected, first, all, burst: lateness };
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
