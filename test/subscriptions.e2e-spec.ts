import { DispatchingEventBus, EventBus } from 'src/core/realtime/event-bus';
import { PostgresEventBus } from 'src/core/realtime/postgres-event-bus';
import { SubscriptionServer } from 'src/core/realtime/subscription-server';
import { MOMENT_TASK_ASSIGNED } from 'src/modules/moments/services/moments.service';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { Received, sleep, wsConnect, WsConn } from './helpers/subscriptions';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const TASK_SUB = `subscription {
  momentTaskAssigned { id status visibleCustomerCount moment { id text } employee { id } } }`;
const CREATE_MOMENT = `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`;
const PUBLISH_NOW = `mutation($id: ID!) { publishMomentNow(id: $id) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`;
const UPDATE_EMP = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id status } }`;
const DEPART = `mutation($input: DepartEmployeeInput!) { departEmployee(input: $input) { id } }`;

interface TaskEvent {
  momentTaskAssigned: {
    id: string;
    status: string;
    visibleCustomerCount: number;
    moment: { id: string; text: string };
    employee: { id: string };
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const momentIds = (r: Received<TaskEvent>) => r.data.map((d) => d.momentTaskAssigned.moment.id);

/** SUBSCRIPTIONS_LIMIT_GRACE_SECONDS of the limits' server. */
const GRACE_SECONDS = 2;

/** 'accepted' (connection_ack), or how the server closed the socket. */
const verdict = (c: WsConn) => Promise.race([c.acked.then(() => 'accepted' as const), c.closed]);

/** Resolves true when the socket closed within `ms`, false when it is still open. */
const closesWithin = (c: WsConn, ms: number) => Promise.race([c.closed.then(() => true), sleep(ms).then(() => false)]);

describe('GraphQL subscriptions over graphql-ws', () => {
  let t: TestApp;
  let a: OrgFixture;
  let b: OrgFixture;
  let a1: EmployeeFixture;
  let a2: EmployeeFixture;
  let b1: EmployeeFixture;
  const open: WsConn[] = [];

  const connect = (params: Record<string, unknown> | undefined, app = t) => {
    const c = wsConnect(app.url, params);
    open.push(c);
    return c;
  };
  const busOf = (app: TestApp) => app.app.get(EventBus) as DispatchingEventBus;
  /** Subscribes and waits until the server holds the subscription (so that an event fired next reaches it). */
  const subscribe = async (c: WsConn, query = TASK_SUB, app = t): Promise<Received<TaskEvent>> => {
    await c.acked;
    const before = busOf(app).subscriberCount();
    const r = new Received<TaskEvent>(c, query);
    const end = Date.now() + 10_000;
    while (busOf(app).subscriberCount() <= before && !r.results.length && !r.error && Date.now() < end) await sleep(20);
    return r;
  };
  const fire = async (org: OrgFixture, employeeIds: string[], text = 'Spring sale'): Promise<string> => {
    const m = ok(
      await t.gql(CREATE_MOMENT, { input: { text, audience: { employeeIds } } }, org.adminToken),
    ).createMoment;
    ok(await t.gql(PUBLISH_NOW, { id: m.id }, org.adminToken));
    return m.id;
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await signUpOrg(t);
    b = await signUpOrg(t);
    a1 = await createEmployee(t, a);
    a2 = await createEmployee(t, a);
    b1 = await createEmployee(t, b);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => t.close());

  describe('connection_init', () => {
    it('closes with 4401 and says why without a token or with a wrong one', async () => {
      const none = await connect(undefined).closed;
      expect(none.code).toBe(4401);
      expect(none.reason).toMatch(/authorization.*Bearer/);
      const wrong = await connect(bearer('not-a-token')).closed;
      expect(wrong).toEqual({ code: 4401, reason: 'Unauthorized: The session token is invalid or expired' });
      const badKey = await connect(bearer(`wk_abcdefghijkl_${'x'.repeat(43)}`)).closed;
      expect(badKey).toEqual({ code: 4401, reason: 'Unauthorized: The API key is invalid or revoked' });
    });

    it('runs on the cross-process bus of the configured backend', () => {
      expect(busOf(t).constructor.name).toBe(process.env.REDIS_URL ? 'RedisEventBus' : 'PostgresEventBus');
    });

    it('acknowledges a session token or an API key; an API key has no moment tasks (FORBIDDEN)', async () => {
      const session = connect(bearer(a1.token));
      await session.acked;
      const { secret } = ok(
        await t.gql(CREATE_KEY, { input: { name: 'live', roles: ['admin'] } }, a.adminToken),
      ).createApiKey;
      const key = connect({ authorization: `Bearer ${secret}` });
      await key.acked;
      const r = await new Received<TaskEvent>(key, TASK_SUB).until((x) => x.results.length > 0, 'the refusal');
      expect(r.results[0].errors?.[0]).toMatchObject({
        message: 'Only employees have moment tasks',
        extensions: { code: 'FORBIDDEN' },
      });
      expect(await closesWithin(session, 100)).toBe(false);
    });
  });

  describe('momentTaskAssigned', () => {
    it('delivers each subscriber its own task once, never another employee’s or another organization’s', async () => {
      const [s1, s2, sb] = await Promise.all([a1, a2, b1].map((e) => subscribe(connect(bearer(e.token)))));
      const m1 = await fire(a, [a1.id], 'for a1');
      await s1.until((r) => r.data.length === 1, 'a1’s task');
      const task = s1.data[0].momentTaskAssigned;
      const row = (await t.db.query(`SELECT id, employee_id FROM moment_tasks WHERE moment_id = $1`, [m1])).rows;
      expect(row).toEqual([{ id: task.id, employee_id: a1.id }]);
      expect(task).toEqual({
        id: row[0].id,
        status: 'PENDING',
        visibleCustomerCount: 0,
        moment: { id: m1, text: 'for a1' },
        employee: { id: a1.id },
      });

      const m2 = await fire(a, [a2.id], 'for a2');
      const m3 = await fire(b, [b1.id], 'for b1');
      // Both employees of org a (and its admin, not subscribed): the last event of each subscriber.
      const m4 = await fire(a, [a1.id, a2.id], 'for both');
      await s1.until((r) => momentIds(r).includes(m4), 'a1’s second task');
      await s2.until((r) => momentIds(r).includes(m4), 'a2’s tasks');
      await sb.until((r) => r.data.length === 1, 'b1’s task');
      // Nothing else is on its way: one more event of org b arrives after anything earlier would have.
      const m5 = await fire(b, [b1.id], 'b again');
      await sb.until((r) => momentIds(r).includes(m5), 'b1’s second task');
      await sleep(300);
      expect(momentIds(s1)).toEqual([m1, m4]);
      expect(momentIds(s2)).toEqual([m2, m4]);
      expect(momentIds(sb)).toEqual([m3, m5]);
      expect(s2.data.every((d) => d.momentTaskAssigned.employee.id === a2.id)).toBe(true);
      expect(sb.data.every((d) => d.momentTaskAssigned.employee.id === b1.id)).toBe(true);
    });

    it('shares an event’s rows among its subscribers, never their scope: a rep does not see what an admin sees', async () => {
      // One event, three subscribers on this process: the moment's row is loaded once for them all (sharedLoader),
      // while each execution decides its own scope. Moment.audience needs moment:read, which reps lack.
      const deep = `subscription { momentTaskAssigned { id employee { id } moment { id text audience { employees { id } } } } }`;
      type Deep = {
        momentTaskAssigned: {
          employee: { id: string };
          moment: { id: string; audience: { employees: Array<{ id: string }> } };
        };
      };
      const subs = await Promise.all(
        [a.adminToken, a1.token, a2.token].map(async (tok) => {
          const c = connect(bearer(tok));
          await c.acked;
          const before = busOf(t).subscriberCount();
          const r = new Received<Deep>(c, deep);
          while (busOf(t).subscriberCount() <= before) await sleep(20);
          return r;
        }),
      );
      const [admin, r1, r2] = subs;
      const m = await fire(a, [a.adminId, a1.id, a2.id], 'shared rows');
      for (const r of subs) await r.until((x) => x.results.length === 1, 'the task event');
      const seen = admin.results[0].data!.momentTaskAssigned;
      expect(seen.employee.id).toBe(a.adminId);
      expect(seen.moment.id).toBe(m);
      expect(seen.moment.audience.employees.map((e) => e.id).sort()).toEqual([a.adminId, a1.id, a2.id].sort());
      for (const r of [r1, r2]) {
        expect(r.results[0].data ?? null).toBeNull();
        expect(r.results[0].errors?.[0]).toMatchObject({
          message: expect.stringMatching(/^Moment\.audience: outside your data scope/),
          extensions: { code: 'FORBIDDEN' },
        });
      }
      // The same reps, asking only what they may see, get their own task and its moment.
      await Promise.all(open.splice(0).map((c) => c.dispose()));
      const own = await subscribe(connect(bearer(a1.token)));
      const m2 = await fire(a, [a.adminId, a1.id, a2.id], 'again');
      await own.until((x) => x.data.length === 1, 'a1’s task');
      expect(own.data[0].momentTaskAssigned).toMatchObject({
        employee: { id: a1.id },
        moment: { id: m2, text: 'again' },
      });
    });

    it('holds operations to the HTTP limits and runs only subscriptions over the socket', async () => {
      const c = connect(bearer(a1.token));
      await c.acked;
      const refusal = async (query: string) => {
        const r = await new Received(c, query).until((x) => !!x.error || x.results.length > 0, 'a refusal');
        const errors = (r.error ?? r.results[0].errors) as Array<{ message: string; extensions?: { code?: string } }>;
        return errors[0];
      };
      expect(await refusal('{ __typename }')).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: expect.stringMatching(/Only subscriptions/),
      });
      const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ');
      expect(await refusal(`subscription { momentTaskAssigned { ${aliases} } }`)).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: 'Query has 31 aliases, more than the limit of 30',
      });
      const tokens = Array.from({ length: 1001 }, () => 'id').join(' ');
      expect(await refusal(`subscription { momentTaskAssigned { ${tokens} } }`)).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: 'Query has more than 1000 tokens, the limit',
      });
      expect(await refusal('subscription { momentTaskAssigned { nope } }')).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      // The socket stays usable after refusals.
      expect(await closesWithin(c, 100)).toBe(false);
    });
  });

  describe('the PostgreSQL listener', () => {
    // With REDIS_URL the bus is Redis's (ioredis subscribes again by itself).
    const pgOnly = process.env.REDIS_URL ? it.skip : it;
    pgOnly('reconnects when its connection is killed, and events flow again', async () => {
      const bus = t.app.get(EventBus) as PostgresEventBus;
      const s1 = await subscribe(connect(bearer(a1.token)));
      const pid = await bus.listenerPid();
      expect(pid).toEqual(expect.any(Number));
      const before = bus.connects;
      await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
      const end = Date.now() + 20_000;
      while (bus.connects === before && Date.now() < end) await sleep(50);
      expect(bus.connects).toBe(before + 1);
      expect(await bus.listenerPid()).not.toBe(pid);
      const m = await fire(a, [a1.id], 'after the reconnect');
      await s1.until((r) => momentIds(r).includes(m), 'the task after the reconnect');
    });
  });

  describe('revocation', () => {
    it('closes with 4101 the sockets of a suspended or departed employee and a revoked API key; others stay', async () => {
      const suspended = await createEmployee(t, a);
      const departing = await createEmployee(t, a);
      const { secret, apiKey } = ok(
        await t.gql(CREATE_KEY, { input: { name: 'k', roles: ['admin'] } }, a.adminToken),
      ).createApiKey;
      const [cs, cd, ck, other] = [suspended.token, departing.token, secret, a1.token].map((tok) =>
        connect(bearer(tok)),
      );
      await Promise.all([cs, cd, ck, other].map((c) => c.acked));

      ok(await t.gql(UPDATE_EMP, { input: { id: suspended.id, status: 'SUSPENDED' } }, a.adminToken));
      expect(await cs.closed).toEqual({ code: 4101, reason: 'Session ended: The session has ended' });

      ok(await t.gql(REVOKE_KEY, { id: apiKey.id }, a.adminToken));
      expect(await ck.closed).toEqual({ code: 4101, reason: 'Session ended: The API key is invalid or revoked' });

      ok(
        await t.gql(
          DEPART,
          { input: { employeeId: departing.id, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [a2.id] } } },
          a.adminToken,
        ),
      );
      expect(await cd.closed).toEqual({ code: 4101, reason: 'Session ended: The session has ended' });

      expect(await closesWithin(other, 300)).toBe(false);
    });
  });

  describe('limits', () => {
    let small: TestApp;
    let org: OrgFixture;
    let e1: EmployeeFixture;
    let e2: EmployeeFixture;
    beforeAll(async () => {
      small = await startTestApp({
        SUBSCRIPTIONS_MAX_CONNECTIONS: '3',
        SUBSCRIPTIONS_MAX_CONNECTIONS_PER_PRINCIPAL: '2',
        SUBSCRIPTIONS_MAX_PER_CONNECTION: '1',
        SUBSCRIPTIONS_KEEPALIVE_SECONDS: '1',
        SUBSCRIPTIONS_MAX_QUEUED_EVENTS: '2',
        SUBSCRIPTIONS_LIMIT_GRACE_SECONDS: String(GRACE_SECONDS),
      });
      org = await signUpOrg(small);
      e1 = await createEmployee(small, org);
      e2 = await createEmployee(small, org);
    });
    afterAll(() => small.close());
    const server = () => small.app.get(SubscriptionServer);
    const drained = async () => {
      await Promise.all(open.splice(0).map((c) => c.dispose()));
      const end = Date.now() + 10_000;
      while (server().connectionCount() > 0 && Date.now() < end) await sleep(20);
      expect(server().connectionCount()).toBe(0);
    };

    it('refuses a third socket of one employee (4102) and a fourth socket of the process (4103)', async () => {
      const first = connect(bearer(e1.token), small);
      const second = connect(bearer(e1.token), small);
      await Promise.all([first.acked, second.acked]);
      const asked = Date.now();
      expect(await connect(bearer(e1.token), small).closed).toEqual({
        code: 4102,
        reason: 'Too many sockets: at most 2 per employee',
      });
      // Refused only once no place freed within the grace.
      expect(Date.now() - asked).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000);
      const third = connect(bearer(e2.token), small);
      await third.acked;
      expect(await connect(bearer(e2.token), small).closed).toEqual({
        code: 4103,
        reason: 'Server full: at most 3 sockets per API process',
      });
      expect(await closesWithin(first, 100)).toBe(false);
      await drained();
      // Room again once they have gone.
      await connect(bearer(e1.token), small).acked;
      await drained();
    });

    it('accepts a reloaded page’s new socket that is checked before the server has seen its old one close', async () => {
      const old = connect(bearer(e1.token), small);
      const other = connect(bearer(e1.token), small);
      await Promise.all([old.acked, other.acked]);
      // The reload: the new page's socket arrives while the old page's still holds its place (a browser's close
      // and the next page's open race; behind a load balancer they reach different processes).
      const fresh = connect(bearer(e1.token), small);
      const end = Date.now() + 10_000;
      while (server().connectionCount() < 3 && Date.now() < end) await sleep(20);
      // Its connection_init has been checked by now (a refusal would come at once without the grace).
      await sleep(300);
      await old.dispose();
      expect(await verdict(fresh)).toBe('accepted');
      // It took the freed place: the employee holds two again, and a third is still refused.
      expect(await connect(bearer(e1.token), small).closed).toEqual({
        code: 4102,
        reason: 'Too many sockets: at most 2 per employee',
      });
      await drained();
    });

    it('refuses a second subscription on a socket past SUBSCRIPTIONS_MAX_PER_CONNECTION', async () => {
      const c = connect(bearer(e1.token), small);
      await subscribe(c, TASK_SUB, small);
      const second = await new Received(c, TASK_SUB).until((x) => !!x.error, 'the refusal');
      expect(second.error).toEqual([
        expect.objectContaining({
          message: 'At most 1 subscriptions per socket',
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
      await drained();
    });

    it('cuts a peer that stops answering pings; one that answers stays', async () => {
      const silent = wsConnect(small.url, bearer(e1.token), { autoPong: false });
      open.push(silent);
      const alive = connect(bearer(e2.token), small);
      await Promise.all([silent.acked, alive.acked]);
      expect((await silent.closed).code).toBe(1006);
      expect(await closesWithin(alive, 500)).toBe(false);
      await drained();
    });

    it('drops events for a reader that falls behind and closes its socket with 4104', async () => {
      const c = connect(bearer(e1.token), small);
      const r = await subscribe(c, TASK_SUB, small);
      const bus = small.app.get(EventBus);
      // Far faster than each event's look-up: the subscriber's queue (2) overflows.
      await Promise.all(
        Array.from({ length: 50 }, () =>
          bus.publish({ topic: MOMENT_TASK_ASSIGNED, organizationId: org.orgId, payload: { momentId: org.orgId } }),
        ),
      );
      expect(await c.closed).toEqual({
        code: 4104,
        reason: 'Slow consumer: events were dropped; reconnect and re-read',
      });
      expect(r.data).toEqual([]);
      await drained();
    });
  });
});
