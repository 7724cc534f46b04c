import { addCustomer } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { DispatchingEventBus, EventBus } from 'src/core/realtime/event-bus';
import { Received, sleep, wsConnect, WsConn } from './helpers/subscriptions';
import { codeOf, GqlResult, ok, startTestApp, TestApp } from './helpers/test-app';

const SET = `mutation($input: SetKpiTargetInput!) { setKpiTarget(input: $input) { id month employee { id } department { id }
  newCustomers replyRate avgFirstResponseSeconds momentCompletionRate setById updatedAt } }`;
const LIST = `query($month: String!, $departmentId: ID) { kpiTargets(month: $month, departmentId: $departmentId) {
  id month employee { id } department { id } newCustomers replyRate avgFirstResponseSeconds momentCompletionRate } }`;
const PROGRESS = 'target actual progress lowerIsBetter source';
const DASHBOARD = `query($input: KpiDashboardInput!) { kpiDashboard(input: $input) { total { newCustomers replyRate }
  targets { subject employeeId departmentId days wholeMonth newCustomers { ${PROGRESS} } replyRate { ${PROGRESS} }
    avgFirstResponseSeconds { ${PROGRESS} } momentCompletionRate { ${PROGRESS} } } } }`;
const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted rejected { index reason } } }`;

interface Progress {
  target: number | null;
  actual: number | null;
  progress: number | null;
  lowerIsBetter: boolean;
  source: 'OWN' | 'MEMBERS' | 'NONE';
}
interface Targets {
  subject: string;
  employeeId: string | null;
  departmentId: string | null;
  days: number;
  wholeMonth: boolean;
  newCustomers: Progress;
  replyRate: Progress;
  avgFirstResponseSeconds: Progress;
  momentCompletionRate: Progress;
}
interface TargetView {
  id: string;
  month: string;
  employee: { id: string } | null;
  department: { id: string } | null;
  newCustomers: number | null;
  replyRate: number | null;
  avgFirstResponseSeconds: number | null;
  momentCompletionRate: number | null;
  setById?: string | null;
  updatedAt?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The month before the current one in Asia/Shanghai (the organization's default time zone): wholly past. */
const shanghaiNow = new Date(Date.now() + 8 * 3_600_000);
const M = (() => {
  const d = new Date(Date.UTC(shanghaiNow.getUTCFullYear(), shanghaiNow.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
})();
const PREV = (() => {
  const d = new Date(Date.UTC(shanghaiNow.getUTCFullYear(), shanghaiNow.getUTCMonth() - 2, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
})();
const daysIn = (month: string) => new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0)).getUTCDate();
const day = (month: string, d: number) => `${month}-${pad(d)}`;
/** An instant given as a Shanghai wall-clock time. */
const at = (date: string, time: string) => new Date(`${date}T${time}+08:00`).toISOString();
const fieldsOf = (r: GqlResult) =>
  ((r.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined) ?? []).map((f) => f.field);

describe('KPI targets: setKpiTarget, kpiTargets and the dashboard’s progress', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let east: string;
  let eastNorth: string;
  let west: string;
  let manager: EmployeeFixture;
  let a: EmployeeFixture;
  let a2: EmployeeFixture;
  let b: EmployeeFixture;
  let marketer: EmployeeFixture;

  const set = (input: Record<string, unknown>, token = org.adminToken) => t.gql(SET, { input }, token);
  const setOk = async (input: Record<string, unknown>, token = org.adminToken) =>
    ok<{ setKpiTarget: TargetView | null }>(await set(input, token)).setKpiTarget;
  const list = async (month: string, token = org.adminToken, departmentId?: string) =>
    ok<{ kpiTargets: TargetView[] }>(await t.gql(LIST, { month, departmentId }, token)).kpiTargets;
  const targets = async (input: Record<string, unknown>, token = org.adminToken) =>
    ok<{ kpiDashboard: { total: { newCustomers: number }; targets: Targets } }>(
      await t.gql(DASHBOARD, { input }, token),
    ).kpiDashboard.targets;
  const msg = (employeeId: string, customerId: string, senderType: string, sentAt: string) => ({
    externalId: uniq('m'),
    employeeId,
    customerId,
    senderType,
    type: 'TEXT',
    text: 'hi',
    sentAt,
  });

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    east = await createDepartment(t, org.adminToken, 'East');
    eastNorth = await createDepartment(t, org.adminToken, 'East North', east);
    west = await createDepartment(t, org.adminToken, 'West');
    manager = await createEmployee(t, org, { roles: ['manager'], departmentId: east });
    a = await createEmployee(t, org, { roles: ['sales'], departmentId: east, name: 'Alice' });
    a2 = await createEmployee(t, org, { roles: ['sales'], departmentId: eastNorth, name: 'Anna' });
    b = await createEmployee(t, org, { roles: ['sales'], departmentId: west, name: 'Bob' });
    marketer = await createEmployee(t, org, { roles: ['marketer'] });
    // Month M: a adds 3 customers on day 3 and 1 on day 20; b adds 2 on day 5.
    const customers: string[] = [];
    for (const [who, d] of [[a, 3], [a, 3], [a, 3], [a, 20], [b, 5], [b, 5]] as const) {
      const added = await addCustomer(t, org.adminToken, who.id, {}, { addedAt: at(day(M, d), '10:00:00') });
      customers.push(added.customerId);
    }
    // a: two customer-initiated chats on day 10, one answered after 60 s (reply rate 0.5, mean 60 s).
    // b: one, answered after 120 s.
    const r = ok(
      await t.gql(
        INGEST,
        {
          input: {
            messages: [
              msg(a.id, customers[0], 'CUSTOMER', at(day(M, 10), '10:00:00')),
              msg(a.id, customers[0], 'EMPLOYEE', at(day(M, 10), '10:01:00')),
              msg(a.id, customers[1], 'CUSTOMER', at(day(M, 10), '11:00:00')),
              msg(b.id, customers[4], 'CUSTOMER', at(day(M, 12), '11:00:00')),
              msg(b.id, customers[4], 'EMPLOYEE', at(day(M, 12), '11:02:00')),
            ],
          },
        },
        org.adminToken,
      ),
    );
    expect(r.ingestChatMessages.rejected).toEqual([]);
  });
  const sockets: WsConn[] = [];
  afterAll(async () => {
    await Promise.all(sockets.map((c) => c.dispose()));
    await t.close();
  });

  it('refuses a caller without a token (UNAUTHENTICATED)', async () => {
    expect(codeOf(await t.gql(SET, { input: { month: M, employeeId: a.id, newCustomers: 1 } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(await t.gql(LIST, { month: M }))).toBe('UNAUTHENTICATED');
  });

  it('answers NOT_FOUND for another organization’s employee or department', async () => {
    const e = await set({ month: M, employeeId: other.adminId, newCustomers: 1 });
    expect(codeOf(e)).toBe('NOT_FOUND');
    expect(e.errors![0].message).toContain('input.employeeId');
    const d = await set({ month: M, departmentId: other.rootDepartmentId, newCustomers: 1 });
    expect(codeOf(d)).toBe('NOT_FOUND');
    expect(d.errors![0].message).toContain('input.departmentId');
    expect(codeOf(await t.gql(LIST, { month: M, departmentId: other.rootDepartmentId }, org.adminToken))).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses sales and marketers (FORBIDDEN: no kpi:target), and a manager outside their tree', async () => {
    expect(codeOf(await set({ month: M, employeeId: a.id, newCustomers: 1 }, a.token))).toBe('FORBIDDEN');
    expect(codeOf(await set({ month: M, employeeId: a.id, newCustomers: 1 }, marketer.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(LIST, { month: M }, marketer.token))).toBe('FORBIDDEN');
    expect(codeOf(await set({ month: M, employeeId: b.id, newCustomers: 1 }, manager.token))).toBe('FORBIDDEN');
    expect(codeOf(await set({ month: M, departmentId: west, newCustomers: 1 }, manager.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(LIST, { month: M, departmentId: west }, manager.token))).toBe('FORBIDDEN');
    // Nothing was stored by the refused calls.
    expect(await list(M)).toEqual([]);
  });

  it('refuses malformed input as BAD_USER_INPUT naming each field, before anything is stored', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ month: '2026-13', employeeId: a.id, newCustomers: 1 }, ['input.month']],
      [{ month: '1999-12', employeeId: a.id, newCustomers: 1 }, ['input.month']],
      [{ month: '2026-1', employeeId: a.id, newCustomers: 1 }, ['input.month']],
      [{ month: M, newCustomers: 1 }, ['input.employeeId', 'input.departmentId']],
      [{ month: M, employeeId: a.id, departmentId: east, newCustomers: 1 }, ['input.employeeId', 'input.departmentId']],
      [{ month: M, employeeId: 'nope', newCustomers: 1 }, ['input.employeeId']],
      [{ month: M, departmentId: 'nope', newCustomers: 1 }, ['input.departmentId']],
      [{ month: M, employeeId: a.id, newCustomers: -1 }, ['input.newCustomers']],
      [{ month: M, employeeId: a.id, newCustomers: 10_000_001 }, ['input.newCustomers']],
      [{ month: M, employeeId: a.id, replyRate: 1.5 }, ['input.replyRate']],
      [{ month: M, employeeId: a.id, replyRate: -0.1 }, ['input.replyRate']],
      [{ month: M, employeeId: a.id, avgFirstResponseSeconds: 0 }, ['input.avgFirstResponseSeconds']],
      [{ month: M, employeeId: a.id, avgFirstResponseSeconds: 86_401 }, ['input.avgFirstResponseSeconds']],
      [{ month: M, employeeId: a.id, momentCompletionRate: 1.01 }, ['input.momentCompletionRate']],
      [
        { month: 'x', employeeId: a.id, replyRate: 2, momentCompletionRate: -1 },
        ['input.month', 'input.replyRate', 'input.momentCompletionRate'],
      ],
    ];
    for (const [input, fields] of cases) {
      const r = await set(input);
      expect([input, codeOf(r)]).toEqual([input, 'BAD_USER_INPUT']);
      expect([input, fieldsOf(r).sort()]).toEqual([input, [...fields].sort()]);
    }
    for (const month of ['2026-00', '26-01', '2101-01']) {
      const r = await t.gql(LIST, { month }, org.adminToken);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(r)).toEqual(['month']);
    }
    expect(await list(M)).toEqual([]);
  });

  it('stores a target with who set it and when, replaces it whole, and removes it when every metric is null', async () => {
    const before = Date.now();
    const first = await setOk({ month: PREV, employeeId: a2.id, newCustomers: 7, replyRate: 0.6 }, manager.token);
    expect(first).toMatchObject({
      month: PREV,
      employee: { id: a2.id },
      department: null,
      newCustomers: 7,
      replyRate: 0.6,
      avgFirstResponseSeconds: null,
      momentCompletionRate: null,
      setById: manager.id,
    });
    expect(Date.parse(first!.updatedAt!)).toBeGreaterThanOrEqual(before - 1000);
    const second = await setOk({ month: PREV, employeeId: a2.id, avgFirstResponseSeconds: 45 }, org.adminToken);
    expect(second).toMatchObject({ id: first!.id, newCustomers: null, replyRate: null, avgFirstResponseSeconds: 45 });
    expect(second!.setById).toBe(org.adminId);
    expect((await list(PREV)).map((x) => [x.employee?.id, x.avgFirstResponseSeconds])).toEqual([[a2.id, 45]]);
    expect(await setOk({ month: PREV, employeeId: a2.id }, manager.token)).toBeNull();
    expect(await list(PREV)).toEqual([]);
  });

  describe('with targets for month M', () => {
    beforeAll(async () => {
      // The manager sets their own tree's; the admin the rest.
      await setOk({ month: M, employeeId: a.id, newCustomers: 10, replyRate: 0.8, avgFirstResponseSeconds: 30,
        momentCompletionRate: 0.9 }, manager.token);
      await setOk({ month: M, employeeId: a2.id, newCustomers: 4, replyRate: 0.4 }, manager.token);
      await setOk({ month: M, departmentId: east, newCustomers: 20 }, manager.token);
      await setOk({ month: M, employeeId: b.id, newCustomers: 5, replyRate: 1 });
      await setOk({ month: M, departmentId: west, avgFirstResponseSeconds: 100 });
    });

    it('lists the month within the reader’s scope: departments first, then employees by name; sales their own', async () => {
      const all = await list(M);
      expect(all.map((x) => x.department?.id ?? x.employee!.id)).toEqual([east, west, a.id, a2.id, b.id]);
      const mine = await list(M, manager.token);
      expect(mine.map((x) => x.department?.id ?? x.employee!.id)).toEqual([east, a.id, a2.id]);
      expect((await list(M, manager.token, eastNorth)).map((x) => x.employee?.id)).toEqual([a2.id]);
      const own = await list(M, a.token);
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({ employee: { id: a.id }, newCustomers: 10, replyRate: 0.8 });
      expect(await list(PREV, a.token)).toEqual([]);
    });

    it('measures an employee over the whole month: higher is better up, first response time down', async () => {
      const x = await targets({ from: day(M, 1), to: day(M, daysIn(M)), employeeIds: [a.id] });
      expect(x).toMatchObject({ subject: 'EMPLOYEE', employeeId: a.id, days: daysIn(M), wholeMonth: true });
      expect(x.newCustomers).toEqual({ target: 10, actual: 4, progress: 0.4, lowerIsBetter: false, source: 'OWN' });
      expect(x.replyRate).toMatchObject({ target: 0.8, actual: 0.5, lowerIsBetter: false });
      expect(x.replyRate.progress).toBeCloseTo(0.625, 10);
      // 30 s wanted, 60 s taken: halfway.
      expect(x.avgFirstResponseSeconds).toEqual({
        target: 30,
        actual: 60,
        progress: 0.5,
        lowerIsBetter: true,
        source: 'OWN',
      });
      // No moment task in the month: nothing to measure.
      expect(x.momentCompletionRate).toEqual({
        target: 0.9,
        actual: null,
        progress: null,
        lowerIsBetter: false,
        source: 'OWN',
      });
    });

    it('prorates a count to a partial range by days, and has no target where a month of the range has none', async () => {
      const x = await targets({ from: day(M, 1), to: day(M, 15), employeeIds: [a.id] });
      expect(x).toMatchObject({ days: 15, wholeMonth: false });
      const prorated = (10 * 15) / daysIn(M);
      expect(x.newCustomers.target).toBeCloseTo(prorated, 10);
      expect(x.newCustomers.actual).toBe(3);
      expect(x.newCustomers.progress).toBeCloseTo(3 / prorated, 10);
      // A rate is not prorated.
      expect(x.replyRate.target).toBe(0.8);
      // The range reaches into PREV, which has no target for a.
      const across = await targets({ from: day(PREV, daysIn(PREV) - 4), to: day(M, 15), employeeIds: [a.id] });
      expect(across.days).toBe(20);
      expect(across.newCustomers).toMatchObject({ target: null, actual: 3, progress: null, source: 'NONE' });
    });

    it('prorates across months that both have targets (count by each month’s share, rates by days)', async () => {
      await setOk({ month: PREV, employeeId: a.id, newCustomers: 31, replyRate: 0.2 });
      try {
        const across = await targets({ from: day(PREV, daysIn(PREV) - 4), to: day(M, 15), employeeIds: [a.id] });
        const expected = (31 * 5) / daysIn(PREV) + (10 * 15) / daysIn(M);
        expect(across.newCustomers.target).toBeCloseTo(expected, 10);
        expect(across.newCustomers.progress).toBeCloseTo(3 / expected, 10);
        expect(across.replyRate.target).toBeCloseTo((0.2 * 5 + 0.8 * 15) / 20, 10);
      } finally {
        await setOk({ month: PREV, employeeId: a.id });
      }
    });

    it('gives a department its own target, and its members’ for the metrics it has none of', async () => {
      const whole = { from: day(M, 1), to: day(M, daysIn(M)) };
      const x = await targets({ ...whole, departmentId: east });
      expect(x).toMatchObject({ subject: 'DEPARTMENT', departmentId: east });
      // Its own 20 (not a's 10 + a2's 4); a and a2 added 4 customers.
      expect(x.newCustomers).toEqual({ target: 20, actual: 4, progress: 0.2, lowerIsBetter: false, source: 'OWN' });
      // No reply-rate target of its own: the mean of a's 0.8 and a2's 0.4; actual 1 of 2 chats.
      expect(x.replyRate.source).toBe('MEMBERS');
      expect(x.replyRate.target).toBeCloseTo(0.6, 10);
      expect(x.replyRate.progress).toBeCloseTo(0.5 / 0.6, 10);
      // The manager's own dashboard (no filter) is their department's.
      const mine = await targets(whole, manager.token);
      expect(mine).toMatchObject({ subject: 'DEPARTMENT', departmentId: east });
      expect(mine.newCustomers.target).toBe(20);
      // West: its own first-response target of 100 s against b's 120 s.
      const w = await targets({ ...whole, departmentId: west });
      expect(w.avgFirstResponseSeconds).toMatchObject({ target: 100, actual: 120, source: 'OWN' });
      expect(w.avgFirstResponseSeconds.progress).toBeCloseTo(100 / 120, 10);
    });

    it('gives the organization its employees’ targets combined, and a sales rep their own, read-only', async () => {
      const whole = { from: day(M, 1), to: day(M, daysIn(M)) };
      const x = await targets(whole);
      expect(x.subject).toBe('ORGANIZATION');
      // a 10 + a2 4 + b 5; six customers added.
      expect(x.newCustomers).toEqual({
        target: 19,
        actual: 6,
        progress: 6 / 19,
        lowerIsBetter: false,
        source: 'MEMBERS',
      });
      const own = await targets(whole, a.token);
      expect(own).toMatchObject({ subject: 'EMPLOYEE', employeeId: a.id });
      expect(own.newCustomers).toMatchObject({ target: 10, actual: 4, progress: 0.4 });
      expect(codeOf(await set({ month: M, employeeId: a.id, newCustomers: 1 }, a.token))).toBe('FORBIDDEN');
      expect((await list(M, a.token))[0].newCustomers).toBe(10);
    });

    it('has no target for an employee without one (NONE), even in a department that has one', async () => {
      const x = await targets({ from: day(M, 1), to: day(M, daysIn(M)), employeeIds: [manager.id] });
      expect(x.newCustomers).toEqual({ target: null, actual: 0, progress: null, lowerIsBetter: false, source: 'NONE' });
    });
  });

  it('announces a target change on kpiUpdated to those who watch the employee (a department’s: to everyone)', async () => {
    const c = wsConnect(t.url, { authorization: `Bearer ${manager.token}` });
    sockets.push(c);
    await c.acked;
    const bus = t.app.get(EventBus) as DispatchingEventBus;
    const before = bus.subscriberCount();
    const r = new Received<{ kpiUpdated: { employeeIds: string[] } }>(
      c,
      `subscription { kpiUpdated { employeeIds } }`,
    );
    while (bus.subscriberCount() <= before && !r.results.length) await sleep(20);
    // Earlier changes' announcements have gone by; b is outside the manager's tree.
    await sleep(1_500);
    const seen = r.data.length;
    await setOk({ month: M, employeeId: b.id, newCustomers: 6 });
    await sleep(2_500);
    expect(r.data.slice(seen)).toEqual([]);
    await setOk({ month: M, employeeId: a2.id, newCustomers: 5, replyRate: 0.4 }, manager.token);
    await r.until((x) => x.data.length > seen, 'an update for a2');
    expect(r.data[seen].kpiUpdated.employeeIds).toEqual([a2.id]);
    await setOk({ month: M, departmentId: west, avgFirstResponseSeconds: 90 });
    await r.until((x) => x.data.length > seen + 1, 'an update for a department');
    expect(r.data[seen + 1].kpiUpdated.employeeIds).toEqual([]);
  });
});
