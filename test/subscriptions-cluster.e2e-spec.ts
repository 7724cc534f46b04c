import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { freePort } from './helpers/net';
import { CliProcess, dataDirFor, exitWithin, spawnCli, waitReady } from './helpers/processes';
import { Received, sleep, wsConnect, WsConn } from './helpers/subscriptions';
import { eventually } from './helpers/wait';
import { freshDatabaseUrl, GqlResult, ok, TestApp } from './helpers/test-app';

const TASK_SUB = `subscription { momentTaskAssigned { id moment { id } employee { id } } }`;
const CREATE_MOMENT = `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`;
const MOMENTS = 6;
/**
 * SUBSCRIPTIONS_MAX_CONNECTIONS_PER_PRINCIPAL, SUBSCRIPTIONS_LEASE_SECONDS and SUBSCRIPTIONS_LIMIT_GRACE_SECONDS of
 * every API process here.
 */
const PER_EMPLOYEE = 2;
const LEASE_SECONDS = 3;
const GRACE_SECONDS = 2;

interface TaskEvent {
  momentTaskAssigned: { id: string; moment: { id: string }; employee: { id: string } };
}

/**
 * The production shape: two API processes and two worker processes on one database and one queue
 * (PostgreSQL, or Redis when REDIS_URL is set: the suite runs twice in CI). Moments due at the same
 * instant fire exactly once each, in whichever worker, and a subscriber on either API process
 * receives each of its tasks once: events raised in a worker reach every API process.
 */
describe('subscriptions across processes', () => {
  let databaseUrl: string;
  let queuePrefix: string;
  let db: Pool;
  const procs: CliProcess[] = [];
  const sockets: WsConn[] = [];
  let api: Array<{ url: string }>;
  let workers: CliProcess[];
  let doomed: CliProcess;

  /** Enough of a TestApp for the fixtures: GraphQL over HTTP to the first API process. */
  const client = (url: string) =>
    ({
      url,
      async gql(query: string, variables?: Record<string, unknown>, token?: string) {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        return { ...((await res.json()) as GqlResult), status: res.status };
      },
    }) as unknown as TestApp;

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl();
    queuePrefix = new URL(databaseUrl).pathname.slice(1);
    db = new Pool({ connectionString: databaseUrl, max: 2 });
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? '',
      QUEUE_PREFIX: queuePrefix,
      JWT_SECRET: 'cluster-test-secret-that-is-long-enough-0123456789',
      LOG_LEVEL: 'info',
      SIGNUP_MAX_PER_IP: '1000',
      SUBSCRIPTIONS_MAX_CONNECTIONS_PER_PRINCIPAL: String(PER_EMPLOYEE),
      SUBSCRIPTIONS_LEASE_SECONDS: String(LEASE_SECONDS),
      SUBSCRIPTIONS_LIMIT_GRACE_SECONDS: String(GRACE_SECONDS),
    };
    // Two API processes, and a third that the socket-limit test kills without a word.
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports)
      procs.push(spawnCli(['api'], { ...env, PORT: String(port), DATA_DIR: dataDirFor('sub-api') }));
    doomed = procs[2];
    workers = [0, 1].map(() => spawnCli(['worker'], { ...env, DATA_DIR: dataDirFor('sub-worker') }));
    procs.push(...workers);
    await Promise.all(ports.map((port, i) => waitReady(procs[i], port)));
    for (const w of workers) {
      const end = Date.now() + 90_000;
      while (!w.lines().some((l) => l.msg === 'worker running')) {
        if (!w.running() || Date.now() > end) throw new Error(`worker did not start:\n${w.output()}`);
        await sleep(200);
      }
    }
    api = ports.map((port) => ({ url: `http://127.0.0.1:${port}` }));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    for (const p of procs) if (p.running()) p.child.kill('SIGTERM');
    for (const p of procs) if (p.running() && !(await exitWithin(p, 15_000))) process.kill(-p.pid, 'SIGKILL');
    await db?.end();
  }, 60_000);

  it('fires every moment once, and a subscriber on either API process receives each of its tasks once', async () => {
    const first = client(api[0].url);
    const org: OrgFixture = await signUpOrg(first);
    const e1: EmployeeFixture = await createEmployee(first, org);
    const e2: EmployeeFixture = await createEmployee(first, org);
    // e1 listens on the first API process, e2 on the second.
    const c1 = wsConnect(api[0].url, { authorization: `Bearer ${e1.token}` });
    const c2 = wsConnect(api[1].url, { authorization: `Bearer ${e2.token}` });
    sockets.push(c1, c2);
    await Promise.all([c1.acked, c2.acked]);
    const r1 = new Received<TaskEvent>(c1, TASK_SUB);
    const r2 = new Received<TaskEvent>(c2, TASK_SUB);
    // The subscribe messages have been handled long before the moments are due.
    const due = new Date(Date.now() + 3_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < MOMENTS; i++) {
      const input = { text: `due together ${i}`, audience: { employeeIds: [e1.id, e2.id] }, scheduledAt: due };
      ids.push(ok(await first.gql(CREATE_MOMENT, { input }, org.adminToken)).createMoment.id);
    }
    await r1.until((r) => r.data.length >= MOMENTS, 'e1’s tasks', 60_000);
    await r2.until((r) => r.data.length >= MOMENTS, 'e2’s tasks', 60_000);
    // A duplicate would arrive right behind the original.
    await sleep(1_000);
    const idsOf = (r: Received<TaskEvent>) => r.data.map((d) => d.momentTaskAssigned.moment.id).sort();
    expect(idsOf(r1)).toEqual([...ids].sort());
    expect(idsOf(r2)).toEqual([...ids].sort());
    expect(r1.data.every((d) => d.momentTaskAssigned.employee.id === e1.id)).toBe(true);
    expect(r2.data.every((d) => d.momentTaskAssigned.employee.id === e2.id)).toBe(true);

    const rows = await db.query(
      `SELECT m.id, m.status, count(t.id)::int AS tasks FROM moments m LEFT JOIN moment_tasks t ON t.moment_id = m.id
        WHERE m.id = ANY($1::uuid[]) GROUP BY m.id, m.status`,
      [ids],
    );
    expect(rows.rows.map((r) => [r.status, r.tasks])).toEqual(ids.map(() => ['PUBLISHED', 2]));
    // Fired exactly once: one "moment published" line per moment over both workers.
    const fired = workers.flatMap((w) =>
      w
        .lines()
        .filter((l) => l.msg === 'moment published')
        .map((l) => l.momentId as string),
    );
    expect(fired.sort()).toEqual([...ids].sort());
  });
  it('holds the per-employee socket limit over every API process, and a killed process frees its places', async () => {
    const first = client(api[0].url);
    const org: OrgFixture = await signUpOrg(first);
    const e: EmployeeFixture = await createEmployee(first, org);
    const auth = { authorization: `Bearer ${e.token}` };
    const open = (i: number) => {
      const c = wsConnect(api[i].url, auth);
      sockets.push(c);
      return c;
    };
    // One socket on each of the first two processes: the employee's two places.
    const a = open(0);
    const b = open(1);
    await Promise.all([a.acked, b.acked]);
    const refused = { code: 4102, reason: `Too many sockets: at most ${PER_EMPLOYEE} per employee` };
    /** Accepted (connection_ack), or how the server closed it. */
    const verdict = (c: WsConn) => Promise.race([c.acked.then(() => 'accepted'), c.closed]);
    expect(await verdict(open(0))).toEqual(refused);
    expect(await verdict(open(1))).toEqual(refused);
    // A socket that closes gives its place back, to whichever process asks next.
    await a.dispose();
    // The employee's leases where this backend keeps them (a Redis sorted set, or PostgreSQL rows).
    const leases = async () => {
      if (!process.env.REDIS_URL)
        return (await db.query(`SELECT count(*)::int AS n FROM subscription_leases WHERE subject = $1`, [`emp:${e.id}`]))
          .rows[0].n as number;
      const redis = new Redis(process.env.REDIS_URL);
      try {
        return await redis.zcard(`${queuePrefix}:subscription-leases:emp:${e.id}`);
      } finally {
        redis.disconnect();
      }
    };
    expect(await eventually(leases, (n) => n === 1)).toBe(1);
    const c = open(1);
    await c.acked;
    expect(await verdict(open(0))).toEqual(refused);
    await Promise.all([b.dispose(), c.dispose()]);
    expect(await eventually(leases, (n) => n === 0)).toBe(0);

    // A reload behind a load balancer: the new page's socket reaches another process than the old page's, and
    // is checked there before the old one has closed; it waits for that place instead of being refused.
    const old = open(0);
    const other = open(1);
    await Promise.all([old.acked, other.acked]);
    const fresh = open(1);
    await sleep(500);
    await old.dispose();
    expect(await verdict(fresh)).toBe('accepted');
    expect(await verdict(open(0))).toEqual(refused);
    await Promise.all([other.dispose(), fresh.dispose()]);
    expect(await eventually(leases, (n) => n === 0)).toBe(0);

    // Both places taken on the third process, which then dies without releasing them.
    const d1 = open(2);
    const d2 = open(2);
    await Promise.all([d1.acked, d2.acked]);
    expect(await verdict(open(0))).toEqual(refused);
    process.kill(doomed.pid, 'SIGKILL');
    expect(await exitWithin(doomed, 10_000)).toMatchObject({ signal: 'SIGKILL' });
    // Its leases are no longer renewed: once they expire (LEASE_SECONDS), the places are free again.
    const got = await eventually(
      async () => {
        const late = open(0);
        return verdict(late);
      },
      (r) => r === 'accepted',
      30_000,
      500,
    );
    expect(got).toBe('accepted');
    // Both of its places: a second socket is accepted too, and a third is not.
    await open(1).acked;
    expect(await verdict(open(0))).toEqual(refused);
  }, 90_000);
});
