import { Actor } from 'src/core/authz/actor';
import { NotificationsResolver } from 'src/modules/notifications/resolvers/notifications.resolver';
import { Notification } from 'src/modules/notifications/types/notification.types';
import { addCustomer } from './helpers/customers';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { codeOf, GqlResult, ok, startTestApp, TestApp } from './helpers/test-app';
import { DispatchingEventBus, EventBus } from 'src/core/realtime/event-bus';
import { Received, WsConn, wsConnect } from './helpers/subscriptions';
import { eventually } from './helpers/wait';

const NOTIFICATION = 'id kind readAt momentId momentTaskId handoverId count createdAt';
const LIST = `query($unreadOnly: Boolean, $first: Int, $after: String) { notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
  edges { cursor node { ${NOTIFICATION} } } pageInfo { hasNextPage endCursor } } }`;
const COUNT = `{ unreadNotificationCount }`;
const MARK = `mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) }`;
const CREATE = `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`;
const PUBLISH_NOW = `mutation($id: ID!) { publishMomentNow(id: $id) { id } }`;
const REMIND = `mutation($momentId: ID!) { remindMomentTasks(momentId: $momentId) }`;
const MY_TASKS = `{ myMomentTasks { edges { node { id moment { id } } } } }`;
const CONFIRM = `mutation($id: ID!) { confirmMomentTask(id: $id) { id status } }`;
const TRANSFER = `mutation($input: TransferCustomersInput!) { transferCustomers(input: $input) { id } }`;
const RESPOND = `mutation($input: RecordTransferResponseInput!) { recordTransferResponse(input: $input) { id status } }`;
const SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

interface Row {
  id: string;
  kind: string;
  readAt: string | null;
  momentId: string | null;
  momentTaskId: string | null;
  handoverId: string | null;
  count: number | null;
}

const fieldOf = (r: GqlResult) => r.errors?.[0]?.extensions?.field;
const badFields = (r: GqlResult): string[] =>
  ((r.errors?.[0]?.extensions?.fields as Array<{ field: string }>) ?? []).map((f) => f.field);

describe('notifications', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let marketer: EmployeeFixture;
  let s1: EmployeeFixture;
  let s2: EmployeeFixture;
  let outsider: EmployeeFixture;
  let momentId: string;

  const inbox = async (token: string, vars: Record<string, unknown> = {}): Promise<Row[]> =>
    ok(await t.gql(LIST, vars, token)).notifications.edges.map((e: { node: Row }) => e.node);
  const unread = async (token: string): Promise<number> => ok(await t.gql(COUNT, {}, token)).unreadNotificationCount;
  const taskOf = async (e: EmployeeFixture): Promise<string> =>
    ok(await t.gql(MY_TASKS, {}, e.token)).myMomentTasks.edges.find(
      (x: { node: { moment: { id: string } } }) => x.node.moment.id === momentId,
    ).node.id;
  const rowsOf = async (employeeId: string) =>
    (
      await t.db.query(
        `SELECT kind, event_key, read_at FROM notifications WHERE employee_id = $1 ORDER BY created_at, id`,
        [employeeId],
      )
    ).rows;
  const actorOf = (e: EmployeeFixture, o = org): Actor => ({
    kind: 'employee',
    orgId: o.orgId,
    subject: `emp:${e.id}`,
    employeeId: e.id,
    policyVersion: 0,
  });

  beforeAll(async () => {
    t = await startTestApp();
    [org, other] = await Promise.all([signUpOrg(t), signUpOrg(t)]);
    [marketer, s1, s2, outsider] = await Promise.all([
      createEmployee(t, org, { roles: ['marketer'] }),
      createEmployee(t, org, { roles: ['sales'] }),
      createEmployee(t, org, { roles: ['sales'] }),
      createEmployee(t, other, { roles: ['sales'] }),
    ]);
    momentId = ok(
      await t.gql(
        CREATE,
        { input: { text: 'Spring sale', audience: { employeeIds: [s1.id, s2.id] } } },
        marketer.token,
      ),
    ).createMoment.id;
    ok(await t.gql(PUBLISH_NOW, { id: momentId }, marketer.token));
    await eventually(() => unread(s2.token), (n) => n === 1);
  });
  afterAll(() => t?.close());

  it('tells each employee of the task a moment gave them, once, in their own inbox only', async () => {
    const [mine, theirs] = await Promise.all([inbox(s1.token), inbox(s2.token)]);
    expect(mine).toEqual([
      expect.objectContaining({
        kind: 'MOMENT_TASK_ASSIGNED',
        momentId,
        momentTaskId: await taskOf(s1),
        readAt: null,
        handoverId: null,
      }),
    ]);
    expect(theirs).toEqual([
      expect.objectContaining({ kind: 'MOMENT_TASK_ASSIGNED', momentId, momentTaskId: await taskOf(s2) }),
    ]);
    expect(await unread(s1.token)).toBe(1);
    // Not in the audience: nothing.
    expect(await inbox(marketer.token)).toEqual([]);
    expect(await inbox(org.adminToken)).toEqual([]);
  });

  it('sends a reminder to the inbox of each employee still PENDING, as a new notice each time', async () => {
    const before = await unread(s2.token);
    ok(await t.gql(CONFIRM, { id: await taskOf(s1) }, s1.token));
    expect(ok(await t.gql(REMIND, { momentId }, marketer.token)).remindMomentTasks).toBe(1);
    expect(await unread(s2.token)).toBe(before + 1);
    const [latest] = await inbox(s2.token, { first: 1 });
    expect(latest).toEqual(
      expect.objectContaining({ kind: 'MOMENT_REMINDER', momentId, momentTaskId: await taskOf(s2), readAt: null }),
    );
    // s1 confirmed: not reminded.
    expect((await rowsOf(s1.id)).map((r) => r.kind)).toEqual(['MOMENT_TASK_ASSIGNED']);
    ok(await t.gql(REMIND, { momentId }, marketer.token));
    expect((await rowsOf(s2.id)).map((r) => r.kind)).toEqual([
      'MOMENT_TASK_ASSIGNED',
      'MOMENT_REMINDER',
      'MOMENT_REMINDER',
    ]);
  });

  it('tells the takeover of transfers waiting, and whoever started the hand-over when it finished', async () => {
    const a = await addCustomer(t, org.adminToken, s1.id);
    const b = await addCustomer(t, org.adminToken, s1.id);
    const h = ok(
      await t.gql(
        TRANSFER,
        {
          input: {
            fromEmployeeId: s1.id,
            customerIds: [a.customerId, b.customerId],
            takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [s2.id] },
          },
        },
        org.adminToken,
      ),
    ).transferCustomers;
    const [waiting] = await inbox(s2.token, { first: 1 });
    expect(waiting).toEqual(
      expect.objectContaining({ kind: 'TRANSFER_WAITING', handoverId: h.id, count: 2, momentId: null }),
    );
    expect(await inbox(org.adminToken)).toEqual([]);
    const transfers = (
      await t.db.query(`SELECT id FROM transfers WHERE handover_id = $1 ORDER BY id`, [h.id])
    ).rows.map((r) => r.id);
    ok(await t.gql(RESPOND, { input: { transferId: transfers[0], accepted: true } }, org.adminToken));
    // One still waiting: not finished yet.
    expect(await inbox(org.adminToken)).toEqual([]);
    ok(await t.gql(RESPOND, { input: { transferId: transfers[1], accepted: false } }, org.adminToken));
    expect(await inbox(org.adminToken)).toEqual([
      expect.objectContaining({ kind: 'HANDOVER_FINISHED', handoverId: h.id, count: 1 }),
    ]);
  });

  it('tells the starter at once when there is no acceptance window, and the takeover of nothing waiting', async () => {
    const fresh = await signUpOrg(t);
    const [from, to, manager] = await Promise.all([
      createEmployee(t, fresh),
      createEmployee(t, fresh),
      createEmployee(t, fresh, { roles: ['manager'] }),
    ]);
    ok(await t.gql(SETTINGS, { input: { transferAcceptanceMinutes: 0 } }, fresh.adminToken));
    const c = await addCustomer(t, fresh.adminToken, from.id);
    const input = {
      fromEmployeeId: from.id,
      customerIds: [c.customerId],
      takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [to.id] },
    };
    const h = ok(await t.gql(TRANSFER, { input }, manager.token)).transferCustomers;
    expect(await inbox(manager.token)).toEqual([
      expect.objectContaining({ kind: 'HANDOVER_FINISHED', handoverId: h.id, count: 1 }),
    ]);
    expect(await inbox(to.token)).toEqual([]);
  });

  it('pages newest first with a cursor and filters unread ones', async () => {
    const all = await inbox(s2.token);
    const first = ok(await t.gql(LIST, { first: 2 }, s2.token)).notifications;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = ok(await t.gql(LIST, { first: 50, after: first.pageInfo.endCursor }, s2.token)).notifications;
    expect([...first.edges, ...rest.edges].map((e: { node: Row }) => e.node.id)).toEqual(all.map((n) => n.id));
    expect(codeOf(await t.gql(LIST, { after: 'nope' }, s2.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(LIST, { first: 0 }, s2.token))).toBe('BAD_USER_INPUT');
  });

  describe('markNotificationsRead', () => {
    it('marks the ids given read, and then all; the count follows', async () => {
      const all = await inbox(s2.token);
      expect(all.length).toBeGreaterThan(2);
      expect(ok(await t.gql(MARK, { input: { ids: [all[0].id, all[0].id] } }, s2.token)).markNotificationsRead).toBe(1);
      expect(await unread(s2.token)).toBe(all.length - 1);
      expect((await inbox(s2.token, { unreadOnly: true })).map((n) => n.id)).toEqual(all.slice(1).map((n) => n.id));
      // Already read: changes nothing.
      expect(ok(await t.gql(MARK, { input: { ids: [all[0].id] } }, s2.token)).markNotificationsRead).toBe(0);
      expect(ok(await t.gql(MARK, { input: { all: true } }, s2.token)).markNotificationsRead).toBe(all.length - 1);
      expect(await unread(s2.token)).toBe(0);
      expect((await rowsOf(s2.id)).every((r) => r.read_at !== null)).toBe(true);
    });

    it('answers another employee’s notice NOT_FOUND, in the organization and outside it, and changes nothing', async () => {
      const [theirs] = await inbox(s1.token);
      expect(theirs.readAt).toBeNull();
      const mine = await t.gql(MARK, { input: { ids: [theirs.id] } }, s2.token);
      expect(codeOf(mine)).toBe('NOT_FOUND');
      expect(fieldOf(mine)).toBe('input.ids');
      expect(codeOf(await t.gql(MARK, { input: { ids: [theirs.id] } }, outsider.token))).toBe('NOT_FOUND');
      expect((await inbox(s1.token))[0].readAt).toBeNull();
      expect(ok(await t.gql(MARK, { input: { all: true } }, outsider.token)).markNotificationsRead).toBe(0);
      expect(await unread(s1.token)).toBeGreaterThan(0);
    });

    it('refuses bad input naming the field', async () => {
      const [n] = await inbox(s1.token);
      for (const input of [
        {},
        { ids: [] },
        { all: false },
        { ids: [n.id], all: true },
        { ids: ['not-a-uuid'] },
        { ids: Array.from({ length: 201 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`) },
      ]) {
        const r = await t.gql(MARK, { input }, s1.token);
        expect([input, codeOf(r)]).toEqual([input, 'BAD_USER_INPUT']);
        expect([input, badFields(r)]).toEqual([input, [expect.stringMatching(/^input/)]]);
      }
    });
  });

  it('refuses callers without an inbox: unauthenticated, and API keys (FORBIDDEN)', async () => {
    for (const [q, v] of [[LIST, {}], [COUNT, {}], [MARK, { input: { all: true } }]] as const) {
      expect(codeOf(await t.gql(q, v))).toBe('UNAUTHENTICATED');
    }
    const { secret } = ok(
      await t.gql(CREATE_KEY, { input: { name: 'k', roles: ['admin'] } }, org.adminToken),
    ).createApiKey;
    for (const [q, v] of [[LIST, {}], [COUNT, {}], [MARK, { input: { all: true } }]] as const) {
      expect(codeOf(await t.gql(q, v, secret))).toBe('FORBIDDEN');
    }
  });

  it('notificationAdded: yields each new notice to its own employee only, read from their inbox', async () => {
    const resolver = t.app.get(NotificationsResolver);
    const mine = resolver.listen(actorOf(s2));
    const others = resolver.listen(actorOf(s1));
    const elsewhere = resolver.listen(actorOf(outsider, other));
    const next = mine.next();
    const othersNext = others.next();
    const elsewhereNext = elsewhere.next();
    // s1 confirmed: only s2 is reminded.
    ok(await t.gql(REMIND, { momentId }, marketer.token));
    const got = (await next).value as { notificationAdded: Notification };
    expect(got.notificationAdded).toEqual(
      expect.objectContaining({ kind: 'MOMENT_REMINDER', momentId, momentTaskId: await taskOf(s2), readAt: null }),
    );
    expect((await inbox(s2.token, { first: 1 }))[0].id).toBe(got.notificationAdded.id);
    // Unsubscribing ends the others at once, without an event for them having arrived.
    await others.return!();
    await elsewhere.return!();
    expect(await othersNext).toEqual({ done: true, value: undefined });
    expect(await elsewhereNext).toEqual({ done: true, value: undefined });
    await mine.return!();
  });
  it('notificationAdded over the websocket: the new task reaches its own employee live, nobody else', async () => {
    const sub = `subscription { notificationAdded { id kind momentId readAt } }`;
    type Added = { notificationAdded: { id: string; kind: string; momentId: string; readAt: string | null } };
    const conns: WsConn[] = [s2, s1].map((e) => wsConnect(t.url, { authorization: `Bearer ${e.token}` }));
    const bus = t.app.get(EventBus) as DispatchingEventBus;
    try {
      await Promise.all(conns.map((c) => c.acked));
      const before = bus.subscriberCount();
      const [mine, others] = conns.map((c) => new Received<Added>(c, sub));
      // Held by the server (listening on the bus) before the event is raised.
      await eventually(async () => bus.subscriberCount(), (n) => n >= before + 2);
      const id = ok(
        await t.gql(CREATE, { input: { text: 'Live notice', audience: { employeeIds: [s2.id] } } }, marketer.token),
      ).createMoment.id;
      ok(await t.gql(PUBLISH_NOW, { id }, marketer.token));
      await mine.until((r) => r.data.some((d) => d.notificationAdded.momentId === id), 'the task notice');
      const got = mine.data.find((d) => d.notificationAdded.momentId === id)!.notificationAdded;
      expect(got).toEqual(expect.objectContaining({ kind: 'MOMENT_TASK_ASSIGNED', readAt: null }));
      expect((await inbox(s2.token, { first: 1 }))[0].id).toBe(got.id);
      expect(mine.error).toBeUndefined();
      // s1 was not in the audience: nothing arrives for them (after s2's event, which came through the same bus).
      expect(others.data.filter((d) => d.notificationAdded.momentId === id)).toEqual([]);
    } finally {
      await Promise.all(conns.map((c) => c.dispose()));
    }
  });
});
