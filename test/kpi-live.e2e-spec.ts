import { DispatchingEventBus, EventBus } from 'src/core/realtime/event-bus';
import { addCustomer } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { Received, sleep, wsConnect, WsConn } from './helpers/subscriptions';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted } }`;
const SUB = `subscription($departmentId: ID, $employeeId: ID) {
  kpiUpdated(departmentId: $departmentId, employeeId: $employeeId) { employeeIds at } }`;
const TOTAL = `query($input: KpiDashboardInput!) { kpiDashboard(input: $input) { total { messagesSent } } }`;

interface Update {
  kpiUpdated: { employeeIds: string[]; at: string };
}

describe('KPI: kpiUpdated', () => {
  let t: TestApp;
  let org: OrgFixture;
  let manager: EmployeeFixture;
  let a: EmployeeFixture;
  let b: EmployeeFixture;
  let ca: string;
  let cb: string;
  const open: WsConn[] = [];

  const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const say = async (employeeId: string, customerId: string) =>
    ok(
      await t.gql(
        INGEST,
        {
          input: {
            messages: [
              {
                externalId: uniq('m'),
                employeeId,
                customerId,
                senderType: 'EMPLOYEE',
                type: 'TEXT',
                text: 'hi',
                sentAt: new Date().toISOString(),
              },
            ],
          },
        },
        org.adminToken,
      ),
    );
  const subscribe = async (token: string, variables: Record<string, unknown> = {}) => {
    const c = wsConnect(t.url, { authorization: `Bearer ${token}` });
    open.push(c);
    await c.acked;
    const bus = t.app.get(EventBus) as DispatchingEventBus;
    const before = bus.subscriberCount();
    const r = new Received<Update>(c, SUB, variables);
    const end = Date.now() + 10_000;
    while (bus.subscriberCount() <= before && !r.results.length && !r.error && Date.now() < end) await sleep(20);
    return r;
  };

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    const east = await createDepartment(t, org.adminToken, 'East');
    const west = await createDepartment(t, org.adminToken, 'West');
    manager = await createEmployee(t, org, { roles: ['manager'], departmentId: east });
    a = await createEmployee(t, org, { roles: ['sales'], departmentId: east });
    b = await createEmployee(t, org, { roles: ['sales'], departmentId: west });
    ca = (await addCustomer(t, org.adminToken, a.id)).customerId;
    cb = (await addCustomer(t, org.adminToken, b.id)).customerId;
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.dispose()));
    await t.close();
  });

  it('refuses to watch an employee outside the caller’s scope (FORBIDDEN)', async () => {
    const r = await subscribe(a.token, { employeeId: b.id });
    await r.until((x) => x.results.length > 0 || !!x.error, 'an answer');
    const errors = r.results[0]?.errors ?? (r.error as Array<{ extensions?: { code?: string } }>);
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('announces changes of the watched employees only, within seconds, and the dashboard already shows them', async () => {
    // The fixtures' own changes (relations added) are announced first.
    await sleep(1_500);
    const r = await subscribe(manager.token);
    await say(b.id, cb);
    await sleep(2_500);
    expect(r.data).toEqual([]);
    const sent = Date.now();
    await say(a.id, ca);
    await r.until((x) => x.data.length >= 1, 'an update for a');
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(r.data[0].kpiUpdated.employeeIds).toEqual([a.id]);
    const d = ok(await t.gql(TOTAL, { input: { from: today(), to: today() } }, manager.token));
    expect(d.kpiDashboard.total.messagesSent).toBe(1);
  });

  it('sends at most one update per second while numbers keep changing', async () => {
    const r = await subscribe(a.token);
    const end = Date.now() + 4_000;
    while (Date.now() < end) {
      await say(a.id, ca);
      await sleep(100);
    }
    await sleep(2_500);
    const times = r.data.map((u) => Date.parse(u.kpiUpdated.at));
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(990);
  });
});
