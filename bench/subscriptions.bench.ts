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
 *   npx tsc -p tsconfig.build.json && npx tsc -p bench/tsconfig.json
 *   node dist/bench/bench/subscriptions.bench.js [--subscribers 1000] [--queue postgres|redis]
 *
 * The load client (this process) opens real sockets over 127.0.0.1. Nothing here fails on time.
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { runMigrations } from 'src/core/database/migrate';
import { ensureDatabase } from 'src/core/dev-services/embedded-postgres';
import { MIGRATIONS } from 'migrations';
import { repoRoot } from './lib/common';
import { startBenchPostgres } from './lib/postgres';
import { rssMb, spawnChild, stopAll, waitForHttp, waitForLine } from './lib/processes';
import { mintToken } from './lib/tokens';
import { fmt, quantile } from './support/stats';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const N = Number(opt('subscribers', '1000'));
const QUEUE = opt('queue', 'postgres');
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
  const pg = await startBenchPostgres(dir, 'run', log);
  try {
    await ensureDatabase(pg.adminUrl, 'wecrm_subs');
    const url = pg.urlFor('wecrm_subs');
    await runMigrations(url, MIGRATIONS);
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
    const worker = spawnChild('worker', process.execPath, [CLI, 'worker'], env);
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
    log(`${N} employees seeded; opening ${N} sockets`);

    await sleep(2_000);
    const rssBefore = rssMb(api.pid);
    const arrived = new Map<string, number>();
    const clients = ids.map((id) => {
      let acked!: () => void;
      const ready = new Promise<void>((r) => (acked = r));
      const client = createClient({
        url: `ws://127.0.0.1:${apiPort}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${mintToken(SECRET, id, orgId)}` },
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => undefined,
        on: { connected: () => acked() },
      });
      client.subscribe(
        { query: 'subscription { momentTaskAssigned { id moment { id } } }' },
        { next: () => arrived.set(id, performance.now()), error: () => undefined, complete: () => undefined },
      );
      return { client, ready };
    });
    for (let i = 0; i < clients.length; i += 100) await Promise.all(clients.slice(i, i + 100).map((c) => c.ready));
    await sleep(5_000);
    const rssIdle = rssMb(api.pid);
    log(`API RSS ${fmt(rssBefore, 1)} MB before, ${fmt(rssIdle, 1)} MB with ${N} idle subscribed sockets`);

    const m = await gql(`mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`, {
      input: { text: 'Bench fan-out', audience: { employeeIds: ids } },
    }, adminToken);
    const momentId = m.createMoment.id;
    const t0 = performance.now();
    const wall0 = Date.now();
    await gql(`mutation($id: ID!) { publishMomentNow(id: $id) { id } }`, { id: momentId }, adminToken);
    const end = Date.now() + 60_000;
    while (arrived.size < N && Date.now() < end) await sleep(20);
    const published = (await db.query(`SELECT published_at FROM moments WHERE id = $1`, [momentId])).rows[0]
      .published_at as Date;
    const commitOffset = published.getTime() - wall0;
    const fromCall = [...arrived.values()].map((t) => t - t0);
    const fromCommit = fromCall.map((x) => x - commitOffset);
    const ours = summary('subscription (from publishMomentNow)', fromCall);
    const oursCommit = summary('subscription (from the commit)', fromCommit);
    log(`${arrived.size}/${N} subscribers received their task`);
    await Promise.all(clients.map((c) => c.client.dispose()));
    await db.end();

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
      payload: { data: { momentTaskAssigned: { id: momentId, moment: { id: momentId } } } },
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
    console.log(`Firing committed ${commitOffset} ms after the publishMomentNow call.`);
  } finally {
    await stopAll();
    await pg.stopWithin(10_000);
  }
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
