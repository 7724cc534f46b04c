import { DispatchingEventBus, EventBus } from 'src/core/realtime/event-bus';
import { addCustomer, RECORD_ENDED } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { Received, WsConn, wsConnect } from './helpers/subscriptions';
import { codeOf, GqlResult, ok, startTestApp, TestApp } from './helpers/test-app';
import { eventually } from './helpers/wait';

const INBOX = `{ notifications(first: 50) { edges { node { id kind customerId aboutEmployeeId readAt } } } }`;
const ADD_NOTE = `mutation($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) { id } }`;
const LOST = `query($filter: LostCustomersFilter!, $first: Int, $after: String) {
  lostCustomers(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id lostAt stage customer { id name } employee { id name }
                          lastNote { body kind createdAt author { id } } } }
    pageInfo { hasNextPage endCursor } } }`;
const DEPART = `mutation($input: DepartEmployeeInput!) { departEmployee(input: $input) {
  transfers(first: 50) { edges { node { id customer { id } } } } } }`;
const RESPOND = `mutation($input: RecordTransferResponseInput!) { recordTransferResponse(input: $input) { id status } }`;

interface Notice {
  id: string;
  kind: string;
  customerId: string | null;
  aboutEmployeeId: string | null;
}
interface LostRow {
  id: string;
  lostAt: string;
  stage: string;
  customer: { id: string; name: string };
  employee: { id: string };
  lastNote: { body: string; kind: string; author: { id: string } } | null;
}

const fieldOf = (r: GqlResult): string | undefined =>
  (r.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined)?.[0]?.field;

/**
 * Loss alerts and the lost-customers report (issue 20): a customer ending the
 * relation tells the employee and their nearest managers, live; managers list
 * who left their tree with the stage and the last note.
 */
describe('lost customers', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let east: string;
  let eastOne: string;
  let west: string;
  let eastManager: EmployeeFixture;
  let rootManager: EmployeeFixture;
  let westManager: EmployeeFixture;
  let s1: EmployeeFixture;
  let s2: EmployeeFixture;
  let westRep: EmployeeFixture;
  let marketer: EmployeeFixture;

  const losses = async (e: EmployeeFixture): Promise<Notice[]> =>
    ok(await t.gql(INBOX, {}, e.token))
      .notifications.edges.map((x: { node: Notice }) => x.node)
      .filter((n: Notice) => n.kind === 'CUSTOMER_LOST');
  const lose = async (relationId: string, endedBy = 'CUSTOMER', endedAt?: string) =>
    ok(await t.gql(RECORD_ENDED, { input: { relationId, endedBy, endedAt } }, org.adminToken));
  const report = async (token: string, filter: Record<string, unknown>, first?: number, after?: string) =>
    t.gql(LOST, { filter, first, after }, token);
  const rows = (r: GqlResult): LostRow[] => ok(r).lostCustomers.edges.map((e: { node: LostRow }) => e.node);
  const range = {
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  };

  beforeAll(async () => {
    t = await startTestApp();
    [org, other] = await Promise.all([signUpOrg(t), signUpOrg(t)]);
    east = await createDepartment(t, org.adminToken, 'East', org.rootDepartmentId);
    eastOne = await createDepartment(t, org.adminToken, 'East 1', east);
    west = await createDepartment(t, org.adminToken, 'West', org.rootDepartmentId);
    [rootManager, eastManager, westManager, s1, s2, westRep, marketer] = await Promise.all([
      createEmployee(t, org, { roles: ['manager'], name: 'Root manager' }),
      createEmployee(t, org, { roles: ['manager'], departmentId: east, name: 'East manager' }),
      createEmployee(t, org, { roles: ['manager'], departmentId: west, name: 'West manager' }),
      createEmployee(t, org, { roles: ['sales'], departmentId: east, name: 'S1' }),
      createEmployee(t, org, { roles: ['sales'], departmentId: eastOne, name: 'S2' }),
      createEmployee(t, org, { roles: ['sales'], departmentId: west, name: 'West rep' }),
      createEmployee(t, org, { roles: ['marketer'], departmentId: east }),
    ]);
  });
  afterAll(() => t?.close());

  it('tells the employee and the managers of the nearest department up their path, nobody else', async () => {
    const c = await addCustomer(t, org.adminToken, s1.id, { name: 'Leaving Li' });
    await lose(c.relationId);
    const expected = { kind: 'CUSTOMER_LOST', customerId: c.customerId, aboutEmployeeId: s1.id };
    expect(await losses(s1)).toEqual([expect.objectContaining(expected)]);
    expect(await losses(eastManager)).toEqual([expect.objectContaining(expected)]);
    // The root manager is further up; the west manager, the marketer and the admin are not the rep's managers.
    for (const e of [rootManager, westManager, marketer, westRep]) expect(await losses(e)).toEqual([]);
    const admin = ok(await t.gql(INBOX, {}, org.adminToken)).notifications.edges;
    expect(admin).toEqual([]);
  });

  it('walks up to the nearest department with a manager, and not for relations the employee ended', async () => {
    const c = await addCustomer(t, org.adminToken, s2.id);
    await lose(c.relationId);
    expect(await losses(s2)).toEqual([expect.objectContaining({ customerId: c.customerId, aboutEmployeeId: s2.id })]);
    expect((await losses(eastManager)).map((n) => n.customerId)).toContain(c.customerId);
    expect((await losses(rootManager)).map((n) => n.customerId)).not.toContain(c.customerId);

    const byEmployee = await addCustomer(t, org.adminToken, s2.id);
    const before = (await losses(eastManager)).length;
    await lose(byEmployee.relationId, 'EMPLOYEE');
    expect(await losses(eastManager)).toHaveLength(before);
    expect((await losses(s2)).map((n) => n.customerId)).not.toContain(byEmployee.customerId);
  });

  it('reaches the manager live over the subscription', async () => {
    const sub = `subscription { notificationAdded { id kind customerId aboutEmployeeId } }`;
    type Added = { notificationAdded: Notice };
    const conn: WsConn = wsConnect(t.url, { authorization: `Bearer ${westManager.token}` });
    try {
      await conn.acked;
      const bus = t.app.get(EventBus) as DispatchingEventBus;
      const before = bus.subscriberCount();
      const got = new Received<Added>(conn, sub);
      const c = await addCustomer(t, org.adminToken, westRep.id);
      // Held by the server (listening on the bus) before the relation ends.
      await eventually(async () => bus.subscriberCount(), (n) => n >= before + 1);
      await lose(c.relationId);
      await got.until((r) => r.data.some((d) => d.notificationAdded.customerId === c.customerId), 'the loss notice');
      expect(got.data.find((d) => d.notificationAdded.customerId === c.customerId)!.notificationAdded).toEqual(
        expect.objectContaining({ kind: 'CUSTOMER_LOST', aboutEmployeeId: westRep.id }),
      );
    } finally {
      await conn.dispose();
    }
  });

  it('a customer refusing a departure hand-over is a loss: the managers hear, the departed employee does not', async () => {
    const leaver = await createEmployee(t, org, { roles: ['sales'], departmentId: west, name: 'Leaver' });
    const taker = await createEmployee(t, org, { roles: ['sales'], departmentId: west });
    const c = await addCustomer(t, org.adminToken, leaver.id);
    const dep = ok(
      await t.gql(
        DEPART,
        { input: { employeeId: leaver.id, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [taker.id] } } },
        org.adminToken,
      ),
    ).departEmployee;
    const transfer = dep.transfers.edges.find(
      (e: { node: { customer: { id: string } } }) => e.node.customer.id === c.customerId,
    ).node;
    ok(await t.gql(RESPOND, { input: { transferId: transfer.id, accepted: false } }, org.adminToken));
    expect((await losses(westManager)).filter((n) => n.customerId === c.customerId)).toEqual([
      expect.objectContaining({ aboutEmployeeId: leaver.id }),
    ]);
    const leaverRows = await t.db.query(`SELECT kind FROM notifications WHERE employee_id = $1`, [leaver.id]);
    expect(leaverRows.rows.filter((r: { kind: string }) => r.kind === 'CUSTOMER_LOST')).toEqual([]);
  });

  describe('lostCustomers', () => {
    let noted: { relationId: string; customerId: string };

    beforeAll(async () => {
      noted = await addCustomer(t, org.adminToken, s1.id, { name: 'Noted Ning', stage: 'NEGOTIATING' });
      for (const body of ['First call', 'Asked for a discount'])
        ok(await t.gql(ADD_NOTE, { input: { customerId: noted.customerId, kind: 'CALL', body } }, s1.token));
      await lose(noted.relationId);
    });

    it('lists a manager’s tree newest first with the stage and the last note, and sales only their own', async () => {
      const mine = rows(await report(eastManager.token, range));
      const leavers = new Set(mine.map((r) => r.employee.id));
      expect([...leavers].sort()).toEqual([s1.id, s2.id].sort());
      const times = mine.map((r) => Date.parse(r.lostAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(mine[0]).toEqual(
        expect.objectContaining({
          id: noted.relationId,
          stage: 'NEGOTIATING',
          customer: { id: noted.customerId, name: 'Noted Ning' },
          lastNote: expect.objectContaining({ body: 'Asked for a discount', kind: 'CALL', author: { id: s1.id } }),
        }),
      );
      // The east manager's tree holds neither the west rep nor the leaver: none of their losses.
      expect(rows(await report(westManager.token, range)).every((r) => r.employee.id !== s1.id)).toBe(true);
      expect(rows(await report(s2.token, range)).map((r) => r.employee.id)).toEqual(
        expect.arrayContaining([s2.id]),
      );
      expect(rows(await report(s2.token, range)).every((r) => r.employee.id === s2.id)).toBe(true);
      // An admin sees every department.
      const all = rows(await report(org.adminToken, range)).map((r) => r.employee.id);
      expect(all).toEqual(expect.arrayContaining([s1.id, s2.id, westRep.id]));
    });

    it('filters by department tree, employee and time range, and pages by cursor', async () => {
      const eastOnly = rows(await report(org.adminToken, { ...range, departmentId: eastOne }));
      expect(eastOnly.length).toBeGreaterThan(0);
      expect(eastOnly.every((r) => r.employee.id === s2.id)).toBe(true);
      expect(
        rows(await report(org.adminToken, { ...range, employeeId: s1.id })).every((r) => r.employee.id === s1.id),
      ).toBe(true);
      const past = { from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' };
      expect(rows(await report(org.adminToken, past))).toEqual([]);

      const all = rows(await report(org.adminToken, range, 200)).map((r) => r.id);
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = ok(await report(org.adminToken, range, 2, after)).lostCustomers;
        seen.push(...page.edges.map((e: { node: LostRow }) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(all);
      expect(all.length).toBeGreaterThanOrEqual(4);
    });

    it('refuses bad input, other organizations, missing permission and anonymous callers', async () => {
      expect(fieldOf(await report(org.adminToken, { from: range.to, to: range.from }))).toBe('filter.to');
      expect(fieldOf(await report(org.adminToken, { from: '2020-01-01T00:00:00Z', to: '2022-01-01T00:00:00Z' }))).toBe(
        'filter.to',
      );
      expect(codeOf(await report(org.adminToken, range, 2, 'not-a-cursor'))).toBe('BAD_USER_INPUT');
      expect(codeOf(await report(org.adminToken, { ...range, departmentId: 'x' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await report(other.adminToken, { ...range, departmentId: east }))).toBe('NOT_FOUND');
      expect(codeOf(await report(other.adminToken, { ...range, employeeId: s1.id }))).toBe('NOT_FOUND');
      expect(rows(await report(other.adminToken, range))).toEqual([]);
      expect(codeOf(await report(marketer.token, range))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(LOST, { filter: range }))).toBe('UNAUTHENTICATED');
    });
  });
});
