import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from 'test/helpers/net';
import { eventually } from 'test/helpers/wait';
import {
  cleanUp,
  CliProcess,
  dataDirFor,
  exitWithin,
  isAlive,
  postGql,
  postmasterOf,
  spawnCli,
  waitReady,
} from 'test/helpers/processes';

const PASSWORD = 'Vq7-tundra-lantern-Orbit-58';
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;

/**
 * The embedded PostgreSQL dies (SIGKILL of its postmaster) under a running
 * `npm start`. While it is down, /ready and GraphQL fail fast (503, with a
 * GraphQL-shaped error); the server restarts it on the same port, and requests
 * and queue jobs succeed again without restarting the server.
 */
describe('embedded PostgreSQL killed under a running server', () => {
  const dataDir = dataDirFor('pg-restart');
  let server: CliProcess | undefined;
  afterAll(async () => {
    await cleanUp(server, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails fast while it is down, then heals by itself: queries and jobs run again, same server process', async () => {
    const port = await freePort();
    server = spawnCli(['start'], { PORT: String(port), DATA_DIR: dataDir });
    await waitReady(server, port);
    const slug = `heal-${Date.now().toString(36)}`;
    const email = `admin@${slug}.test`;
    const signUp = await postGql(
      port,
      `mutation($input: SignUpInput!) { signUp(input: $input) { token employee { id } } }`,
      {
        input: { organizationName: 'Heal', slug, adminName: 'Admin', adminEmail: email, adminPassword: PASSWORD },
      },
    );
    expect(signUp.body.errors).toBeUndefined();
    const login = { input: { slug, email, password: PASSWORD } };

    const before = postmasterOf(dataDir)!;
    process.kill(before.pid, 'SIGKILL');

    // Down: /ready says 503 and GraphQL answers a GraphQL error (contract code, HTTP 503, Retry-After), each at once,
    // not after a hang. Polled: sessions that have not noticed the postmaster's death yet may still answer a moment.
    type Seen = { ms: number; status: number; body: string; retryAfter: string | null };
    const probe = async (path: string, init?: RequestInit): Promise<Seen> => {
      const started = Date.now();
      const r = await fetch(`http://127.0.0.1:${port}${path}`, init);
      return {
        ms: Date.now() - started,
        status: r.status,
        body: await r.text(),
        retryAfter: r.headers.get('retry-after'),
      };
    };
    const gqlInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOGIN, variables: login }),
    };
    let ready: Seen | undefined;
    let gql: Seen | undefined;
    const slowest = { ms: 0 };
    for (const until = Date.now() + 15_000; (!ready || !gql) && Date.now() < until; ) {
      const r = ready ? undefined : await probe('/ready');
      const g = gql ? undefined : await probe('/graphql', gqlInit);
      slowest.ms = Math.max(slowest.ms, r?.ms ?? 0, g?.ms ?? 0);
      if (r?.status === 503) ready = r;
      if (g && g.status !== 200) gql = g;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(slowest.ms).toBeLessThan(3000);
    expect(ready?.status).toBe(503);
    expect((JSON.parse(ready!.body) as { database: { ok: boolean } }).database.ok).toBe(false);
    expect(gql?.status).toBe(503);
    expect(gql!.retryAfter).toBe('5');
    const downBody = JSON.parse(gql!.body) as {
      data: unknown;
      errors: Array<{ message: string; extensions: { code: string } }>;
    };
    expect(downBody.data).toBeNull();
    expect(downBody.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(downBody.errors[0].message).toMatch(/unavailable.*retry/i);
    // Logged as an outage (a warning naming the service and the answer's correlation id), never as a server fault.
    const logged = server.lines();
    const correlationId = (downBody.errors[0].extensions as { correlationId?: string }).correlationId;
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'GraphQL request failed: database unavailable', correlationId }),
    );
    expect(logged.filter((l) => l.msg === 'GraphQL server fault')).toEqual([]);

    // Back within seconds, without a restart of the server: a query that reads and writes succeeds.
    const healed = await eventually(
      () => postGql(port, LOGIN, login),
      (r) => r.status === 200 && !r.body.errors,
      30_000,
      250,
    );
    expect(healed.body.errors).toBeUndefined();
    expect(healed.body.data).toEqual({ login: { token: expect.any(String) } });
    expect(server.running()).toBe(true);
    const after = postmasterOf(dataDir)!;
    expect(after.pid).not.toBe(before.pid);
    expect(isAlive(after.pid)).toBe(true);
    expect(after.port).toBe(before.port); // the pools' URLs stay valid
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    const said = server.lines().map((l) => l.msg);
    expect(said).toContainEqual(expect.stringMatching(/^embedded PostgreSQL pid \d+ exited on SIGKILL; restarting it/));
    expect(said).toContainEqual(expect.stringMatching(/^embedded PostgreSQL restarted/));

    // The queue worker's connections (BullMQ on PostgreSQL, LISTEN included) came back too: a job enqueued now runs.
    const token = (healed.body.data as { login: { token: string } }).login.token;
    const adminId = (signUp.body.data as { signUp: { employee: { id: string } } }).signUp.employee.id;
    const created = await postGql(port, `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`, {
      input: { text: 'After the outage', audience: { employeeIds: [adminId] } },
    }, token);
    expect(created.body.errors).toBeUndefined();
    const id = (created.body.data as { createMoment: { id: string } }).createMoment.id;
    const now = await postGql(port, `mutation($id: ID!) { publishMomentNow(id: $id) { status } }`, { id }, token);
    expect(now.body.errors).toBeUndefined();
    const status = () =>
      postGql(port, `query($id: ID!) { moment(id: $id) { status } }`, { id }, token).then(
        (r) => (r.body.data as { moment?: { status: string } } | null)?.moment?.status,
      );
    expect(await eventually(status, (s) => s === 'PUBLISHED', 20_000, 250)).toBe('PUBLISHED');

    process.kill(server.pid, 'SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 120_000);

  it('exits 1 with the reason when it cannot be restarted, so that a supervisor restarts the process', async () => {
    const dir = dataDirFor('pg-giveup');
    let p: CliProcess | undefined;
    try {
      const port = await freePort();
      p = spawnCli(['start'], { PORT: String(port), DATA_DIR: dir });
      await waitReady(p, port);
      // Its data directory becomes unusable (a disk unmounted, permissions changed): every restart fails.
      chmodSync(join(dir, 'postgres'), 0o000);
      process.kill(postmasterOf(dir)!.pid, 'SIGKILL');
      const exit = await exitWithin(p, 60_000);
      expect(exit?.code).toBe(1);
      const gone = p.lines().find((l) => l.msg.startsWith('embedded PostgreSQL is gone:'));
      expect(gone?.level).toBe('error');
      expect(gone?.msg).toMatch(/could not be restarted: .*postgres/);
      expect(gone?.msg).toMatch(/Exiting with code 1 so that a supervisor restarts the process$/);
      expect(p.output()).not.toMatch(/undefined/);
    } finally {
      chmodSync(join(dir, 'postgres'), 0o700);
      await cleanUp(p, dir);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
