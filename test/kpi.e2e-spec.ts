import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datesBetween, wholeWeeks } from 'src/modules/kpi/services/kpi-math';
import { KpiRollupsService } from 'src/modules/kpi/services/kpi-rollups.service';
import { addCustomer, RECORD_ENDED } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { codeOf, ok, startTestApp, TestApp } from './helpers/test-app';
import { eventually } from './helpers/wait';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted rejected { index reason } } }`;
const SUMMARY = `newCustomers lostCustomers netNewCustomers chats messagesSent messagesReceived customerInitiatedChats
  repliedChats replyRate avgFirstResponseSeconds p90FirstResponseSeconds momentTasksAssigned momentTasksPublished
  transfersIn transfersOut`;
const DASHBOARD = `query($input: KpiDashboardInput!, $orderBy: KpiRankField, $direction: OrderDirection, $first: Int) {
  kpiDashboard(input: $input) { from to timezone total { ${SUMMARY} } series { date summary { ${SUMMARY} } }
    byEmployee(orderBy: $orderBy, direction: $direction, first: $first) { employee { id } summary { ${SUMMARY} } }
    byDepartment { department { id name } summary { ${SUMMARY} } } } }`;
const TRANSFER = `mutation($input: TransferCustomersInput!) { transferCustomers(input: $input) {
  counts { completed } } }`;
const CREATE_MOMENT = `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`;
const PUBLISH_NOW = `mutation($id: ID!) { publishMomentNow(id: $id) { id } }`;
const MY_TASKS = `{ myMomentTasks(first: 10) { edges { node { id } } } }`;
const CONFIRM = `mutation($id: ID!) { confirmMomentTask(id: $id) { id status } }`;
const SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { timezone } }`;

interface Summary {
  newCustomers: number;
  lostCustomers: number;
  netNewCustomers: number;
  chats: number;
  messagesSent: number;
  messagesReceived: number;
  customerInitiatedChats: number;
  repliedChats: number;
  replyRate: number | null;
  avgFirstResponseSeconds: number | null;
  p90FirstResponseSeconds: number | null;
  momentTasksAssigned: number;
  momentTasksPublished: number;
  transfersIn: number;
  transfersOut: number;
}
interface Dashboard {
  from: string;
  to: string;
  timezone: string;
  total: Summary;
  series: Array<{ date: string; summary: Summary }>;
  byEmployee: Array<{ employee: { id: string }; summary: Summary }>;
  byDepartment: Array<{ department: { id: string; name: string }; summary: Summary }>;
}

interface Msg {
  externalId: string;
  employeeId: string;
  customerId: string;
  senderType: 'EMPLOYEE' | 'CUSTOMER';
  type: string;
  text?: string;
  sentAt: string;
}

const DAY_MS = 86_400_000;
const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');
/** The date in Asia/Shanghai (UTC+8, no daylight saving) `daysAgo` days before now. */
const shanghaiDate = (daysAgo: number) =>
  new Date(Date.now() + 8 * 3_600_000 - daysAgo * DAY_MS).toISOString().slice(0, 10);
/** An instant given as a Shanghai wall-clock time on `date`. */
const at = (date: string, time: string) => new Date(`${date}T${time}+08:00`).toISOString();
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

describe('KPI: rollups and kpiDashboard', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let east: string;
  let west: string;
  let manager: EmployeeFixture;
  let a: EmployeeFixture;
  let b: EmployeeFixture;
  let marketer: EmployeeFixture;
  const c: string[] = [];
  const relations: string[] = [];
  // Two days ago and the day after, in Shanghai: both wholly in the past.
  const D = shanghaiDate(2);
  const D1 = nextDate(D);
  const today = shanghaiDate(0);

  const dashboard = async (
    input: Record<string, unknown>,
    token = org.adminToken,
    args: Record<string, unknown> = {},
  ) => ok<{ kpiDashboard: Dashboard }>(await t.gql(DASHBOARD, { input, ...args }, token)).kpiDashboard;
  const msg = (
    employeeId: string,
    customerId: string,
    senderType: Msg['senderType'],
    sentAt: string,
    type = 'TEXT',
  ) => ({
    externalId: uniq('m'),
    employeeId,
    customerId,
    senderType,
    type,
    text: type === 'TEXT' ? 'hi' : undefined,
    sentAt,
  });
  const ingest = async (messages: Msg[]) => {
    const r = ok(await t.gql(INGEST, { input: { messages } }, org.adminToken));
    expect(r.ingestChatMessages.rejected).toEqual([]);
    return r.ingestChatMessages.accepted as number;
  };

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    east = await createDepartment(t, org.adminToken, 'East');
    west = await createDepartment(t, org.adminToken, 'West');
    manager = await createEmployee(t, org, { roles: ['manager'], departmentId: east });
    a = await createEmployee(t, org, { roles: ['sales'], departmentId: east });
    b = await createEmployee(t, org, { roles: ['sales'], departmentId: west });
    marketer = await createEmployee(t, org, { roles: ['marketer'] });
    for (const holder of [a.id, a.id, b.id]) {
      const added = await addCustomer(t, org.adminToken, holder);
      c.push(added.customerId);
      relations.push(added.relationId);
    }
    // Day D: a with c0 is answered after 30 s (a REVOKE before and an AGREE are not conversation); a with c1
    // is asked at 23:59:59 and answered past midnight (day D1); b with c2 is answered after 120 s.
    await ingest([
      msg(a.id, c[0], 'EMPLOYEE', at(D, '09:59:00'), 'REVOKE'),
      msg(a.id, c[0], 'CUSTOMER', at(D, '09:59:30'), 'AGREE'),
      msg(a.id, c[0], 'CUSTOMER', at(D, '10:00:00')),
      msg(a.id, c[0], 'EMPLOYEE', at(D, '10:00:30')),
      msg(a.id, c[0], 'EMPLOYEE', at(D, '10:05:00')),
      msg(a.id, c[1], 'CUSTOMER', at(D, '23:59:59')),
      msg(a.id, c[1], 'EMPLOYEE', at(D1, '00:00:10')),
      msg(b.id, c[2], 'CUSTOMER', at(D, '11:00:00')),
      msg(b.id, c[2], 'EMPLOYEE', at(D, '11:02:00')),
    ]);
  });
  afterAll(() => t.close());

  it('refuses a caller without a token (UNAUTHENTICATED) or without kpi:read (FORBIDDEN)', async () => {
    expect(codeOf(await t.gql(DASHBOARD, { input: { from: D, to: D1 } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(DASHBOARD, { input: { from: D, to: D1 } }, marketer.token))).toBe('FORBIDDEN');
  });

  it('refuses a backwards or too long range as BAD_USER_INPUT naming input.to', async () => {
    const back = await t.gql(DASHBOARD, { input: { from: D1, to: D } }, org.adminToken);
    expect(codeOf(back)).toBe('BAD_USER_INPUT');
    expect(back.errors![0].message).toContain('input.to');
    expect(codeOf(await t.gql(DASHBOARD, { input: { from: '2024-01-01', to: '2025-01-02' } }, org.adminToken))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('answers NOT_FOUND for another organization’s department or employee, FORBIDDEN outside the scope', async () => {
    const foreign = await t.gql(
      DASHBOARD,
      { input: { from: D, to: D1, departmentId: other.rootDepartmentId } },
      org.adminToken,
    );
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    expect(
      codeOf(await t.gql(DASHBOARD, { input: { from: D, to: D1, employeeIds: [other.adminId] } }, org.adminToken)),
    ).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DASHBOARD, { input: { from: D, to: D1, departmentId: west } }, manager.token))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.gql(DASHBOARD, { input: { from: D, to: D1, employeeIds: [b.id] } }, a.token))).toBe(
      'FORBIDDEN',
    );
  });

  it('counts conversation-days on the organization’s days: reply rate, first response, AGREE and REVOKE left out', async () => {
    const d = await dashboard({ from: D, to: D1 });
    expect(d.timezone).toBe('Asia/Shanghai');
    expect(d.total).toMatchObject({
      messagesSent: 4,
      messagesReceived: 3,
      chats: 3,
      customerInitiatedChats: 3,
      repliedChats: 2,
      avgFirstResponseSeconds: 75,
    });
    expect(d.total.replyRate).toBeCloseTo(2 / 3, 10);
    // Nearest rank of {30, 120}: 120, read from its bucket within 5 %.
    expect(Math.abs(d.total.p90FirstResponseSeconds! - 120) / 120).toBeLessThan(0.05);
    expect(
      d.series.map((p) => [p.date, p.summary.chats, p.summary.customerInitiatedChats, p.summary.repliedChats]),
    ).toEqual([
      [D, 2, 3, 2],
      [D1, 1, 0, 0],
    ]);
    const ofA = d.byEmployee.find((e) => e.employee.id === a.id)!.summary;
    expect(ofA).toMatchObject({
      messagesSent: 3,
      customerInitiatedChats: 2,
      repliedChats: 1,
      avgFirstResponseSeconds: 30,
    });
    expect(ofA.replyRate).toBe(0.5);
  });

  it('counts new and lost customers on the day of the change, and nets them', async () => {
    ok(await t.gql(RECORD_ENDED, { input: { relationId: relations[1], endedBy: 'CUSTOMER' } }, org.adminToken));
    const d = await dashboard({ from: today, to: today });
    expect(d.total).toMatchObject({ newCustomers: 3, lostCustomers: 1, netNewCustomers: 2 });
    const ofA = d.byEmployee.find((e) => e.employee.id === a.id)!.summary;
    expect(ofA).toMatchObject({ newCustomers: 2, lostCustomers: 1, netNewCustomers: 1 });
  });

  it('scopes by role: a manager sees their department tree, a sales rep themselves', async () => {
    const m = await dashboard({ from: D, to: D1 }, manager.token);
    expect(m.byEmployee.map((e) => e.employee.id).sort()).toEqual([manager.id, a.id].sort());
    expect(m.total.messagesSent).toBe(3);
    const s = await dashboard({ from: D, to: D1 }, b.token);
    expect(s.byEmployee.map((e) => e.employee.id)).toEqual([b.id]);
    expect(s.total).toMatchObject({ messagesSent: 1, repliedChats: 1, avgFirstResponseSeconds: 120 });
  });

  it('breaks down by the selected department’s children, or the top level’s, and ranks employees', async () => {
    const d = await dashboard({ from: D, to: D1 });
    const byName = Object.fromEntries(d.byDepartment.map((x) => [x.department.name, x.summary.messagesSent]));
    expect(byName).toEqual({ East: 3, West: 1, [`Org ${org.slug}`]: 0 });
    const ranked = await dashboard({ from: D, to: D1 }, org.adminToken, { orderBy: 'MESSAGES_SENT', first: 2 });
    expect(ranked.byEmployee.map((e) => [e.employee.id, e.summary.messagesSent])).toEqual([
      [a.id, 3],
      [b.id, 1],
    ]);
    const asc = await dashboard({ from: D, to: D1 }, org.adminToken, {
      orderBy: 'AVG_FIRST_RESPONSE_SECONDS',
      direction: 'ASC',
    });
    // Nulls (no replied chat) last whatever the direction.
    expect(asc.byEmployee.slice(0, 2).map((e) => e.employee.id)).toEqual([a.id, b.id]);
    const ofWest = await dashboard({ from: D, to: D1, departmentId: west });
    expect(ofWest.byDepartment).toEqual([]);
    expect(ofWest.total.messagesSent).toBe(1);
    expect(ofWest.byEmployee.map((e) => e.employee.id)).toEqual([b.id]);
  });

  it('recomputes only the conversation-day of a late message', async () => {
    // Marks b's conversation-day: an update that recomputed more than a's would overwrite the mark.
    await t.db.query(
      `UPDATE kpi_conversation_days SET messages_received = 99 WHERE org_id = $1 AND employee_id = $2`,
      [org.orgId, b.id],
    );
    await ingest([msg(a.id, c[1], 'EMPLOYEE', at(D, '23:59:59.900'))]);
    const d = await dashboard({ from: D, to: D });
    expect(d.total).toMatchObject({ repliedChats: 3, messagesSent: 4, customerInitiatedChats: 3 });
    const mark = await t.db.query(
      `SELECT messages_received FROM kpi_conversation_days WHERE org_id = $1 AND employee_id = $2`,
      [org.orgId, b.id],
    );
    expect(mark.rows).toEqual([{ messages_received: 99 }]);
    // A rebuild recomputes everything from the messages.
    await t.app.get(KpiRollupsService).rebuild(org.orgId, D, D1);
    const rebuilt = await t.db.query(
      `SELECT messages_received FROM kpi_conversation_days WHERE org_id = $1 AND employee_id = $2`,
      [org.orgId, b.id],
    );
    expect(rebuilt.rows).toEqual([{ messages_received: 1 }]);
  });

  it('counts days in the organization’s time zone (after a change of zone, a rebuild moves the days)', async () => {
    const o2 = await signUpOrg(t);
    const e = await createEmployee(t, o2, { roles: ['sales'] });
    const cust = (await addCustomer(t, o2.adminToken, e.id)).customerId;
    // 23:59:59 and 00:00:10 Shanghai are 15:59:59 and 16:00:10 UTC: one day in UTC, two in Shanghai.
    const r = ok(
      await t.gql(
        INGEST,
        {
          input: {
            messages: [msg(e.id, cust, 'CUSTOMER', at(D, '23:59:59')), msg(e.id, cust, 'EMPLOYEE', at(D1, '00:00:10'))],
          },
        },
        o2.adminToken,
      ),
    );
    expect(r.ingestChatMessages.accepted).toBe(2);
    const shanghai = ok<{ kpiDashboard: Dashboard }>(
      await t.gql(DASHBOARD, { input: { from: D, to: D1 } }, o2.adminToken),
    );
    expect(shanghai.kpiDashboard.series.map((p) => p.summary.repliedChats)).toEqual([0, 0]);
    ok(await t.gql(SETTINGS, { input: { timezone: 'UTC' } }, o2.adminToken));
    await t.app.get(KpiRollupsService).rebuild(o2.orgId, shanghaiDate(3), D1);
    const utc = ok<{ kpiDashboard: Dashboard }>(await t.gql(DASHBOARD, { input: { from: D, to: D1 } }, o2.adminToken));
    expect(utc.kpiDashboard.timezone).toBe('UTC');
    expect(utc.kpiDashboard.series.map((p) => p.summary.repliedChats)).toEqual([1, 0]);
    expect(utc.kpiDashboard.total.avgFirstResponseSeconds).toBe(11);
  });

  it('rebuilds from the command line: node dist/src/cli.js kpi-rebuild --org <slug> --from --to', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'kpi-rebuild', ...args], {
          env: {
            ...process.env,
            DATABASE_URL: t.databaseUrl,
            LOG_LEVEL: 'error',
            SEED_DEMO: 'false',
            JWT_SECRET: 'cli-test-secret-that-is-long-enough-0123456789',
            DATA_DIR: mkdtempSync(join(tmpdir(), 'wecrm-kpi-')),
          },
        });
        let [stdout, stderr] = ['', ''];
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const rows = async () =>
      (
        await t.db.query(
          `SELECT employee_id, day::text, chats, messages_sent FROM kpi_employee_days
            WHERE org_id = $1 AND chats > 0 ORDER BY 1, 2`,
          [org.orgId],
        )
      ).rows;
    const good = await rows();
    await t.db.query(
      `UPDATE kpi_employee_days SET chats = 40, messages_sent = 41 WHERE org_id = $1 AND day BETWEEN $2 AND $3`,
      [org.orgId, D, D1],
    );
    const bad = await run(['--org', org.slug, '--from', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from must be a date');
    const r = await run(['--org', org.slug, '--from', D, '--to', D1]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`Rebuilt KPI of ${org.slug}: 2 days, ${D} to ${D1} (Asia/Shanghai)`);
    expect(await rows()).toEqual(good);
  });

  it('counts transfers completed to and from each employee, and a TRANSFER relation as no new customer', async () => {
    ok(await t.gql(SETTINGS, { input: { transferAcceptanceMinutes: 0 } }, org.adminToken));
    const input = {
      fromEmployeeId: a.id,
      customerIds: [c[0]],
      takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [b.id] },
    };
    expect(ok(await t.gql(TRANSFER, { input }, org.adminToken)).transferCustomers.counts.completed).toBe(1);
    const d = await dashboard({ from: today, to: today });
    const of = (id: string) => d.byEmployee.find((e) => e.employee.id === id)!.summary;
    expect([of(a.id).transfersOut, of(a.id).transfersIn, of(b.id).transfersIn, of(b.id).transfersOut]).toEqual([
      1, 0, 1, 0,
    ]);
    expect(of(b.id).newCustomers).toBe(1);
    expect(d.total.newCustomers).toBe(3);
    // A rebuild reads the TRANSFER relation from the raw rows, and still does not count it.
    await t.app.get(KpiRollupsService).rebuild(org.orgId, today, today);
    const rebuilt = await dashboard({ from: today, to: today });
    expect(rebuilt.total).toMatchObject({ newCustomers: 3, transfersIn: 1, transfersOut: 1 });
  });

  it('counts moment tasks assigned when the moment fires and published when confirmed', async () => {
    const m = ok(
      await t.gql(CREATE_MOMENT, { input: { text: 'Spring sale', audience: { employeeIds: [a.id] } } }, marketer.token),
    ).createMoment;
    ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
    const tasks = await eventually(
      async () => ok(await t.gql(MY_TASKS, {}, a.token)).myMomentTasks.edges as Array<{ node: { id: string } }>,
      (edges) => edges.length === 1,
    );
    const assigned = await dashboard({ from: today, to: today }, a.token);
    expect([assigned.total.momentTasksAssigned, assigned.total.momentTasksPublished]).toEqual([1, 0]);
    expect(ok(await t.gql(CONFIRM, { id: tasks[0].node.id }, a.token)).confirmMomentTask.status).toBe('PUBLISHED');
    const published = await dashboard({ from: today, to: today }, a.token);
    expect([published.total.momentTasksAssigned, published.total.momentTasksPublished]).toEqual([1, 1]);
  });

  it('exports the ranking as CSV (GET /kpi/ranking.csv), streamed, with the dashboard’s numbers and scope', async () => {
    const get = (query: string, token?: string) =>
      fetch(`${t.url}/kpi/ranking.csv?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const range = `from=${D}&to=${D1}`;
    const anonymous = await get(range);
    expect(anonymous.status).toBe(401);
    expect(
      ((await anonymous.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code,
    ).toBe('UNAUTHENTICATED');
    expect((await get(range, marketer.token)).status).toBe(403);
    const bad = await get(`from=${D}&to=yesterday`, org.adminToken);
    expect([bad.status, ((await bad.json()) as { errors: Array<{ message: string }> }).errors[0].message]).toEqual([
      400,
      'to: must be a date YYYY-MM-DD',
    ]);
    // A day that does not exist is refused like the GraphQL Date scalar refuses it, not rolled over to March.
    const feb30 = await get(`from=2025-02-30&to=2025-03-02`, org.adminToken);
    expect([feb30.status, ((await feb30.json()) as { errors: Array<{ message: string }> }).errors[0].message]).toEqual(
      [400, 'from: must be a date YYYY-MM-DD'],
    );
    // A parameter given twice arrives as an array: refused by name, never an internal error.
    for (const twice of [
      `${range}&employeeIds=${a.id}&employeeIds=${b.id}`,
      `${range}&departmentId=x&departmentId=y`,
    ]) {
      const r2 = await get(twice, org.adminToken);
      const body = (await r2.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect([r2.status, body.errors[0].extensions.code, body.errors[0].message]).toEqual([
        400,
        'BAD_USER_INPUT',
        `${twice.includes('employeeIds=') ? 'employeeIds' : 'departmentId'}: must be given once, as text`,
      ]);
    }

    const r = await get(`${range}&orderBy=MESSAGES_SENT`, org.adminToken);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = (await r.text()).trim().split('\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 3)).toEqual(['employee_id', 'employee_name', 'new_customers']);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    const d = await dashboard({ from: D, to: D1 }, org.adminToken, { orderBy: 'MESSAGES_SENT', first: 100 });
    expect(rows.map((x) => x.employee_id)).toEqual(d.byEmployee.map((e) => e.employee.id));
    const ofB = rows.find((x) => x.employee_id === b.id)!;
    const dashB = d.byEmployee.find((e) => e.employee.id === b.id)!.summary;
    expect([Number(ofB.messages_sent), Number(ofB.replied_chats), Number(ofB.avg_first_response_seconds)]).toEqual([
      dashB.messagesSent,
      dashB.repliedChats,
      dashB.avgFirstResponseSeconds,
    ]);
    expect(Number(ofB.p90_first_response_seconds)).toBeCloseTo(dashB.p90FirstResponseSeconds!, 6);
    const mine = await get(range, a.token);
    const mineRows = (await mine.text()).trim().split('\n').slice(1);
    expect(mineRows.map((l) => l.split(',')[0])).toEqual([a.id]);
  });

  it('ranks a range of whole weeks and edge days as the days add up (everyone, a manager’s tree)', async () => {
    // A fresh organization: East (a manager and a) and West (b). The range runs Thursday to Tuesday 20 days
    // later, at least 3 days ago: 4 days, 2 whole weeks (read from the employee-weeks), 2 days.
    const o = await signUpOrg(t);
    const eastDept = await createDepartment(t, o.adminToken, 'East');
    const westDept = await createDepartment(t, o.adminToken, 'West');
    const boss = await createEmployee(t, o, { roles: ['manager'], departmentId: eastDept });
    const ea = await createEmployee(t, o, { roles: ['sales'], departmentId: eastDept });
    const wb = await createEmployee(t, o, { roles: ['sales'], departmentId: westDept });
    const ca = (await addCustomer(t, o.adminToken, ea.id)).customerId;
    const cb = (await addCustomer(t, o.adminToken, wb.id)).customerId;
    const back = (3 + ((new Date(`${shanghaiDate(3)}T00:00:00Z`).getUTCDay() + 5) % 7)) as number;
    const to = shanghaiDate(back);
    const from = shanghaiDate(back + 19);
    const weeks = wholeWeeks(from, to)!;
    expect([new Date(`${from}T00:00:00Z`).getUTCDay(), new Date(`${to}T00:00:00Z`).getUTCDay()]).toEqual([4, 2]);
    expect(weeks).toEqual({ first: shanghaiDate(back + 15), last: shanghaiDate(back + 8) });
    // Every day from the day before the range to the day after: a answers its customer after 30 s + 10 s a day
    // and writes again every third day; b answers on even days and writes first on odd ones.
    const messages: Msg[] = [];
    datesBetween(shanghaiDate(back + 20), shanghaiDate(back - 1)).forEach((day, i) => {
      messages.push(msg(ea.id, ca, 'CUSTOMER', at(day, '10:00:00')));
      const reply = new Date(Date.parse(at(day, '10:00:00')) + (30 + 10 * i) * 1000).toISOString();
      messages.push(msg(ea.id, ca, 'EMPLOYEE', reply));
      if (i % 3 === 0) messages.push(msg(ea.id, ca, 'EMPLOYEE', at(day, '15:00:00')));
      if (i % 2 === 0) {
        messages.push(msg(wb.id, cb, 'CUSTOMER', at(day, '11:00:00')));
        messages.push(msg(wb.id, cb, 'EMPLOYEE', at(day, '11:01:00')));
      } else messages.push(msg(wb.id, cb, 'EMPLOYEE', at(day, '12:00:00')));
    });
    const r = ok(await t.gql(INGEST, { input: { messages } }, o.adminToken));
    expect(r.ingestChatMessages.rejected).toEqual([]);
    const sentIn = (employeeId: string) =>
      messages.filter((m) => {
        const day = new Date(Date.parse(m.sentAt) + 8 * 3_600_000).toISOString().slice(0, 10);
        return m.employeeId === employeeId && m.senderType === 'EMPLOYEE' && day >= from && day <= to;
      }).length;

    // Listed employees: summed from their employee-days only, day by day.
    const listed = await dashboard({ from, to, employeeIds: [ea.id, wb.id] }, o.adminToken);
    const byId = (d: Dashboard) => Object.fromEntries(d.byEmployee.map((e) => [e.employee.id, e.summary]));
    expect(byId(listed)[ea.id]).toMatchObject({
      messagesSent: sentIn(ea.id),
      customerInitiatedChats: 20,
      repliedChats: 20,
    });
    expect(byId(listed)[wb.id]).toMatchObject({ messagesSent: sentIn(wb.id), customerInitiatedChats: 10, chats: 20 });
    // Everyone (edge days listed) and the manager's tree (edge days as ranges per employee): the same figures.
    const everyone = byId(await dashboard({ from, to }, o.adminToken));
    expect({ [ea.id]: everyone[ea.id], [wb.id]: everyone[wb.id] }).toEqual(byId(listed));
    const tree = byId(await dashboard({ from, to }, boss.token));
    expect(Object.keys(tree).sort()).toEqual([boss.id, ea.id].sort());
    expect(tree[ea.id]).toEqual(byId(listed)[ea.id]);
  });
});
