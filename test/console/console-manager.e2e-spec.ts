import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_SLUG, demoEmail } from 'src/demo/demo-data';
import { seedDemoOnFirstStart } from 'src/demo/seed-demo';
import { codeOf, ok, startTestApp, TestApp } from 'test/helpers/test-app';
import {
  browserTestsEnabled,
  clickUntilSent,
  CONSOLE_DIST,
  expectRefused,
  launchBrowser,
  navItem,
  navLabels,
  newConsoleContext,
  screenshot,
  signIn,
} from './browser';

/**
 * The manager's journey in the built console, in a real Chromium against the
 * real server and the demo data, once per language: the team's employees
 * beside the department tree (only the manager's tree), then a hand-over
 * through the wizard (a departure in English, an on-the-job transfer in
 * Chinese): strategy and takeovers, the server's preview, the confirmation,
 * the hand-over's progress, each checked through the API too. Then what a
 * manager may not use: absent from the navigation, refused by the server, and
 * the hand-over pages refused to a sales rep.
 */
const LANGUAGES = [
  {
    lang: 'en',
    hello: 'Hello, 林杰 Jason Lin',
    navItems: ['Home', 'Team customers', 'Team KPI', 'KPI targets', 'Lost customers', 'Employees', 'Hand-overs'],
    teamKpi: 'Team KPI',
    targets: {
      nav: 'KPI targets',
      newCustomers: (name: string) => `New customers target of ${name}`,
      replyRate: (name: string) => `Reply rate (%) target of ${name}`,
      save: (name: string) => `Save the targets of ${name}`,
      saved: (name: string) => `Targets of ${name} saved.`,
      invalidReply: 'Reply rate: enter 0 to 100 %.',
      thisMonth: 'This month',
      target: (value: string) => `Target ${value}`,
      progress: (value: string) => `New customers: ${value} of target`,
      // Per language, so each run sets its own and sees it.
      value: 40,
    },
    newCustomersCard: 'New customers',
    ranking: 'Ranking',
    exportCsv: 'Export CSV',
    lostCustomers: 'Lost customers',
    lostNote: 'Asked for a better price',
    noteKindCall: 'Call',
    employees: 'Employees',
    handovers: 'Hand-overs',
    departmentTree: 'Departments',
    wizardTitle: 'Hand over customers',
    next: 'Next',
    takeovers: 'Takeover employees',
    assigned: 'Customers assigned',
    handOver: 'Hand over',
    // A departure: Frank Gao (Nanjing) leaves; the least loaded of two colleagues take his customers.
    journey: {
      kind: 'DEPARTURE' as const,
      from: 'gaofeng',
      fromName: '高峰 Frank Gao',
      department: '南京门店 Nanjing Stores',
      rowLink: 'Departure',
      strategy: 'Least loaded',
      strategyValue: 'LEAST_LOADED',
      takeovers: [
        { key: 'luoxin', name: '罗欣' },
        { key: 'chenjing', name: '陈静' },
      ],
      chooseAll: null,
      confirm: 'Confirm departure',
      confirmTitle: '高峰 Frank Gao leaves the organization?',
      acceptance: 'each customer has 1 day to refuse',
      waiting: 'Waiting',
    },
  },
  {
    lang: 'zh-CN',
    hello: '你好，林杰 Jason Lin',
    navItems: ['首页', '团队客户', '团队数据', 'KPI 目标', '流失客户', '成员', '客户继承'],
    teamKpi: '团队数据',
    targets: {
      nav: 'KPI 目标',
      newCustomers: (name: string) => `${name} 的新增客户目标`,
      replyRate: (name: string) => `${name} 的回复率（%）目标`,
      save: (name: string) => `保存 ${name} 的目标`,
      saved: (name: string) => `已保存 ${name} 的目标。`,
      invalidReply: '回复率：请输入 0 到 100 %。',
      thisMonth: '本月',
      target: (value: string) => `目标 ${value}`,
      progress: (value: string) => `新增客户：完成目标的 ${value}`,
      value: 62,
    },
    newCustomersCard: '新增客户',
    ranking: '排行',
    exportCsv: '导出 CSV',
    lostCustomers: '流失客户',
    lostNote: '嫌价格太高',
    noteKindCall: '电话',
    employees: '成员',
    handovers: '客户继承',
    departmentTree: '部门',
    wizardTitle: '分配客户',
    next: '下一步',
    takeovers: '接替成员',
    assigned: '分配客户数',
    handOver: '确认分配',
    // An on-the-job transfer: every customer of May Yang (Hangzhou) to one colleague.
    journey: {
      kind: 'ON_JOB' as const,
      from: 'yangmei',
      fromName: '杨梅 May Yang',
      department: '杭州门店 Hangzhou Stores',
      rowLink: '在职继承',
      strategy: '指定一人',
      strategyValue: 'SINGLE',
      takeovers: [{ key: 'zhuqian', name: '朱倩' }],
      chooseAll: /^全\s?选$/,
      confirm: '确认在职继承',
      confirmTitle: '转接 杨梅 May Yang 的',
      acceptance: '客户有 1 天 可以拒绝',
      waiting: '等待接替',
    },
  },
] as const;

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token employee { id } } }`;
const EMPLOYEES = `query($filter: EmployeeFilter) { employees(first: 200, filter: $filter) { edges { node { id name email } } } }`;
const DEPARTMENTS = `{ departments { id name } }`;
const CUSTOMERS = `query($filter: CustomerFilter) { customers(first: 200, filter: $filter) { edges { node { id } } } }`;
const HANDOVER = `query($id: ID!) { handover(id: $id) {
  kind strategy fromEmployee { id status } counts { total waiting completed refused failed }
  transfers(first: 200) { edges { node { status customer { id } toEmployee { id } } } } } }`;
const PREVIEW = `query($input: PreviewHandoverInput!) { previewHandover(input: $input) { customers alreadyWaiting takeovers { employeeId assigned } } }`;

interface Transfer {
  status: string;
  customer: { id: string };
  toEmployee: { id: string };
}

const describeBrowser = browserTestsEnabled ? describe : describe.skip;

/** The dashboard's default range: the last 30 days of the organization's calendar, today included. */
function lastThirtyDays(): { from: string; to: string } {
  const day = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(at));
  return { from: day(Date.now() - 29 * 86_400_000), to: day(Date.now()) };
}

describeBrowser('console: manager journey in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let managerToken: string;
  let salesToken: string;
  let adminToken: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp({ CONSOLE_DIR: CONSOLE_DIST });
    const [, launched] = await Promise.all([seedDemoOnFirstStart(t.app, t.url), launchBrowser()]);
    browser = launched;
    const login = async (email: string) =>
      ok(await t.gql(LOGIN, { input: { slug: DEMO_SLUG, email, password: DEMO_PASSWORD } })).login;
    managerToken = (await login(demoEmail('linjie'))).token;
    salesToken = (await login(demoEmail('zhangwei'))).token;
    // The whole organization's employees, as the manager's scope cannot show those outside it.
    const admin = (adminToken = (await login(DEMO_ADMIN.email)).token);
    for (const e of ok(await t.gql(EMPLOYEES, {}, admin)).employees.edges as Array<{
      node: { id: string; email: string };
    }>) {
      ids.set(e.node.email.split('@')[0], e.node.id);
    }
  }, 180_000);

  // Closing the browser and the app (its sockets, queues and pools) can take long on a loaded machine.
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 120_000);

  it('lets the server refuse a manager what is not theirs', async () => {
    // Outside the manager's tree (South China): not offered, and refused by the API.
    const preview = await t.gql(
      PREVIEW,
      {
        input: {
          kind: 'DEPARTURE',
          fromEmployeeId: ids.get('liangyu'),
          takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [ids.get('luoxin')] },
        },
      },
      managerToken,
    );
    expect(codeOf(preview)).toBe('FORBIDDEN');
    // A takeover cannot be the one handing over.
    const self = await t.gql(
      PREVIEW,
      {
        input: {
          kind: 'DEPARTURE',
          fromEmployeeId: ids.get('luoxin'),
          takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [ids.get('luoxin')] },
        },
      },
      managerToken,
    );
    expect(codeOf(self)).toBe('BAD_USER_INPUT');
    // Admin and marketer work.
    expect(codeOf(await t.gql(`{ apiKeys { id } }`, {}, managerToken))).toBe('FORBIDDEN');
    const moment = await t.gql(
      `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`,
      { input: { text: 'not mine to post', audience: { employeeIds: [ids.get('luoxin')] } } },
      managerToken,
    );
    expect(codeOf(moment)).toBe('FORBIDDEN');
  });

  for (const L of LANGUAGES) {
    describe(`in ${L.lang}`, () => {
      let context: BrowserContext;
      let page: Page;
      const J = L.journey;
      let handoverId: string;

      beforeAll(async () => {
        context = await newConsoleContext(browser, L.lang);
        page = await context.newPage();
      });

      afterAll(async () => {
        await context?.close();
      });

      it('logs in, with only the manager’s pages in the navigation', async () => {
        await signIn(page, t.url, L.lang, demoEmail('linjie'));
        await page.getByRole('heading', { name: L.hello }).waitFor();
        await expect(navLabels(page, L.lang)).resolves.toEqual(L.navItems);
      }, 60_000);

      it('shows the manager’s department tree, and the employees of the chosen department as the API does', async () => {
        await navItem(page, L.lang, L.employees).click();
        const tree = page.getByRole('tree', { name: L.departmentTree });
        await tree.getByText('华东大区 East China').waitFor();
        // Only East China's tree: the manager's scope.
        await expect(tree.getByText('华南大区 South China').count()).resolves.toBe(0);
        await expect(tree.getByText('上海门店 Shanghai Stores').count()).resolves.toBe(1);
        await page.getByRole('table').getByRole('row').filter({ hasText: J.fromName }).waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(page, `${L.lang}-manager-employees`);

        await tree.getByText(J.department).click();
        await page.waitForURL(/department=/);
        const departmentId = new URL(page.url()).searchParams.get('department');
        const expected = (
          ok(await t.gql(EMPLOYEES, { filter: { departmentId } }, managerToken)).employees.edges as Array<{
            node: { name: string };
          }>
        ).map((e) => e.node.name);
        expect(expected).toContain(J.fromName);
        const table = page.getByRole('table');
        await table.getByRole('row').filter({ hasText: J.fromName }).waitFor();
        const rowNames = async () => {
          const names: string[] = [];
          for (const row of await table.getByRole('row').all()) {
            const cells = row.getByRole('cell');
            if ((await cells.count()) > 0) names.push((await cells.first().textContent()) ?? '');
          }
          return names;
        };
        // The name cell shows the name, then the title. The table may still show the tree's employees for a moment
        // while the department's load (J.fromName is in both lists): read it until it holds as many rows as the
        // API gives, each a name the API gives, for up to 10 s; the assertions below then say what differs.
        const matches = (names: string[]) =>
          names.length === expected.length && names.every((text) => expected.some((n) => text.startsWith(n)));
        let names = await rowNames();
        for (const until = Date.now() + 10_000; !matches(names) && Date.now() < until; names = await rowNames())
          await page.waitForTimeout(100);
        // (toStrictEqual: toEqual would take a row matching no name, undefined, as absent.)
        expect(names).toHaveLength(expected.length);
        expect(names.map((text) => expected.find((n) => text.startsWith(n))).sort()).toStrictEqual(
          [...expected].sort(),
        );
        const allDepartments = ok(await t.gql(DEPARTMENTS, {}, managerToken)).departments.length;
        expect(allDepartments).toBeGreaterThan(4);
      }, 60_000);

      it(`hands over through the wizard: ${J.kind}`, async () => {
        const row = page.getByRole('table').getByRole('row').filter({ hasText: J.fromName });
        await row.getByRole('link', { name: J.rowLink }).click();
        await page.getByRole('heading', { name: L.wizardTitle }).waitFor();
        await page.getByText(`${J.fromName}`, { exact: true }).first().waitFor();
        let customerIds: string[] = [];
        if (J.chooseAll) {
          await page.getByRole('button', { name: J.chooseAll }).click();
          customerIds = (
            ok(await t.gql(CUSTOMERS, { filter: { employeeIds: [ids.get(J.from)] } }, managerToken)).customers
              .edges as Array<{
              node: { id: string };
            }>
          ).map((e) => e.node.id);
        }
        await page.getByRole('button', { name: L.next }).click();

        await page.locator('label').filter({ hasText: J.strategy }).click();
        const takeovers = page.getByRole('combobox', { name: L.takeovers });
        for (const to of J.takeovers) {
          await takeovers.click();
          await takeovers.fill(to.name);
          // Typing filters the list; Enter picks the first match (Ant Design's accessible options stay hidden).
          await page.getByRole('option', { name: new RegExp(`^${to.name} · `) }).waitFor({ state: 'attached' });
          await page.keyboard.press('Enter');
          await page.getByTitle(new RegExp(`^${to.name} · `)).last().waitFor();
        }
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: L.next }).click();

        // The preview is the server's: the same distribution previewHandover gives.
        await page.getByText(L.assigned).waitFor();
        const takeoverIds = J.takeovers.map((to) => ids.get(to.key));
        const input = {
          kind: J.kind,
          fromEmployeeId: ids.get(J.from),
          ...(J.kind === 'ON_JOB' ? { customerIds } : {}),
          takeover: { strategy: J.strategyValue, takeoverEmployeeIds: takeoverIds },
        };
        const preview = ok(await t.gql(PREVIEW, { input }, managerToken)).previewHandover;
        expect(preview.customers).toBeGreaterThan(0);
        const previewTable = page.getByRole('table').filter({ hasText: L.assigned });
        for (const to of J.takeovers) {
          const assigned = preview.takeovers.find(
            (p: { employeeId: string }) => p.employeeId === ids.get(to.key),
          ).assigned;
          const cells = await previewTable
            .getByRole('row')
            .filter({ hasText: to.name })
            .getByRole('cell')
            .allTextContents();
          expect(cells[1]).toBe(String(assigned));
        }
        await page.getByText(J.acceptance, { exact: false }).waitFor();
        await screenshot(page, `${L.lang}-manager-handover-preview`);

        await page.getByRole('button', { name: J.confirm }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByText(J.confirmTitle, { exact: false }).last().waitFor();
        await clickUntilSent(page, dialog.getByRole('button', { name: L.handOver }), /^(DepartEmployee|TransferCustomers)$/);
        await page.waitForURL(/\/handovers\/[0-9a-f-]{36}$/);
        handoverId = page.url().split('/').pop()!;

        // Seen through the API: the hand-over the wizard made, each transfer to a chosen takeover.
        const h = ok(await t.gql(HANDOVER, { id: handoverId }, managerToken)).handover;
        expect(h.kind).toBe(J.kind);
        expect(h.strategy).toBe(J.strategyValue);
        expect(h.fromEmployee).toEqual({ id: ids.get(J.from), status: J.kind === 'DEPARTURE' ? 'DEPARTED' : 'ACTIVE' });
        expect(h.counts.total).toBe(preview.customers - preview.alreadyWaiting);
        const transfers = h.transfers.edges.map((e: { node: Transfer }) => e.node) as Transfer[];
        expect(transfers).toHaveLength(h.counts.total);
        for (const tr of transfers) expect(takeoverIds).toContain(tr.toEmployee.id);
        if (J.kind === 'ON_JOB') expect(transfers.map((tr) => tr.customer.id).sort()).toEqual([...customerIds].sort());

        // The page shows the progress and the transfers' statuses.
        await page.getByRole('table').getByText(L.journey.waiting).first().waitFor();
        const transferRows = page
          .getByRole('table')
          .getByRole('row')
          .filter({ hasText: new RegExp(J.takeovers.map((to) => to.name).join('|')) });
        await expect(transferRows.count()).resolves.toBe(Math.min(h.counts.total, 50));
        const statuses = await transferRows.getByText(J.waiting, { exact: true }).count();
        expect(statuses).toBe(transfers.filter((tr) => tr.status === 'WAITING').length);
        await screenshot(page, `${L.lang}-manager-handover-detail`);
      }, 60_000);

      it('lists the new hand-over first among the hand-overs', async () => {
        await navItem(page, L.lang, L.handovers).click();
        const first = page.getByRole('table').getByRole('row').nth(1);
        await first.getByText(J.fromName).waitFor();
        await first.getByRole('link').click();
        await page.waitForURL(`**/handovers/${handoverId}`);
        await page.goBack();
        await page.getByRole('table').getByRole('row').nth(1).waitFor();
        await screenshot(page, `${L.lang}-manager-handovers`);
      }, 60_000);

      it('shows who left the team with the stage and the last note, as the API does', async () => {
        // A customer of 罗欣 (Nanjing, in the manager's tree) leaves after a call about the price.
        const held = ok(
          await t.gql(
            `query($filter: CustomerFilter) { customers(first: 1, filter: $filter) {
               edges { node { id name relations { id employee { id } } } } } }`,
            { filter: { employeeIds: [ids.get('luoxin')] } },
            adminToken,
          ),
        ).customers.edges[0].node as {
          id: string;
          name: string;
          relations: Array<{ id: string; employee: { id: string } }>;
        };
        const relation = held.relations.find((r) => r.employee.id === ids.get('luoxin'))!;
        ok(
          await t.gql(
            `mutation($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) { id } }`,
            { input: { customerId: held.id, kind: 'CALL', body: L.lostNote } },
            adminToken,
          ),
        );
        ok(
          await t.gql(
            `mutation($input: RecordRelationEndedInput!) { recordRelationEnded(input: $input) { id } }`,
            { input: { relationId: relation.id, endedBy: 'CUSTOMER' } },
            adminToken,
          ),
        );
        await navItem(page, L.lang, L.lostCustomers).click();
        const row = page.getByRole('row').filter({ hasText: L.lostNote });
        await row.waitFor();
        await row.getByText(held.name).waitFor();
        await row.getByText(L.noteKindCall, { exact: true }).waitFor();
        await screenshot(page, `${L.lang}-manager-lost-customers`);
        // The API's report for the manager holds the same customer.
        const [from, to] = [Date.now() - 86_400_000, Date.now() + 60_000].map((x) => new Date(x).toISOString());
        const report = ok(
          await t.gql(
            `query($filter: LostCustomersFilter!) { lostCustomers(filter: $filter, first: 200) {
               edges { node { customer { id } lastNote { body } } } } }`,
            { filter: { from, to } },
            managerToken,
          ),
        ).lostCustomers.edges.map((e: { node: { customer: { id: string }; lastNote: { body: string } } }) => e.node);
        expect(report).toContainEqual({ customer: { id: held.id }, lastNote: { body: L.lostNote } });
      }, 60_000);

      it('reads the team KPI: the cards as the API counts them, the ranking, a department drilled into', async () => {
        await navItem(page, L.lang, L.teamKpi).click();
        await page.waitForURL('**/kpi');
        const card = page.locator('.ant-card').filter({ has: page.getByText(L.newCustomersCard, { exact: true }) });
        const shown = Number((await card.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
        const dash = ok(
          await t.gql(
            `query($input: KpiDashboardInput!) { kpiDashboard(input: $input) { from to total { newCustomers }
               byEmployee(first: 50) { employee { id } } byDepartment { department { id name } } } }`,
            {
              input: {
                ...lastThirtyDays(),
                // The page starts at the manager's own department (their tree's children below it).
                departmentId: ok(await t.gql(`{ me { department { id } } }`, {}, managerToken)).me.department.id,
              },
            },
            managerToken,
          ),
        ).kpiDashboard;
        expect(shown).toBe(dash.total.newCustomers);
        // Live: a customer added for someone of the team shows up without a reload (kpiUpdated).
        ok(
          await t.gql(
            `mutation($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { id } }`,
            { input: { employeeId: ids.get('luoxin'), addWay: 'QR_CODE', customer: { name: `Live ${L.lang}` } } },
            adminToken,
          ),
        );
        await card
          .locator('.ant-statistic-content-value')
          .filter({ hasText: new RegExp(`^${(shown + 1).toLocaleString('en')}$`) })
          .waitFor();
        const ranking = page.locator('.ant-card').filter({ has: page.getByText(L.ranking, { exact: true }) });
        await expect(ranking.getByRole('row').count()).resolves.toBe(dash.byEmployee.length + 1);
        await screenshot(page, `${L.lang}-manager-kpi`);
        // The ranking's CSV: one row per employee of the manager's tree, streamed by the server.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          ranking.getByRole('button', { name: L.exportCsv }).click(),
        ]);
        const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
        expect(csv.length - 1).toBe(dash.byEmployee.length);
        const first = dash.byDepartment[0].department as { id: string; name: string };
        await page.getByRole('button', { name: new RegExp(first.name.replace(/[()]/g, '.')) }).first().click();
        await page.waitForURL(`**/kpi?department=${first.id}`);
      }, 60_000);

      it('sets the team’s monthly target in the editor, meets the API’s validation, and sees the progress', async () => {
        const T = L.targets;
        const me = ok(await t.gql(`{ me { department { id name } } }`, {}, managerToken)).me.department as {
          id: string;
          name: string;
        };
        await navItem(page, L.lang, T.nav).click();
        await page.waitForURL('**/kpi-targets');
        const count = page.getByRole('spinbutton', { name: T.newCustomers(me.name), exact: true });
        const reply = page.getByRole('spinbutton', { name: T.replyRate(me.name), exact: true });
        await count.fill(String(T.value));
        // Out of range: the server's BAD_USER_INPUT, worded on the row.
        await reply.fill('150');
        await page.getByRole('button', { name: T.save(me.name), exact: true }).click();
        await page.getByText(T.invalidReply).waitFor();
        await reply.fill('60');
        await page.getByRole('button', { name: T.save(me.name), exact: true }).click();
        await page.getByText(T.saved(me.name)).waitFor();
        await screenshot(page, `${L.lang}-manager-kpi-targets`);
        // Stored as the API tells it: the month's own target of the manager's department.
        const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 7);
        const stored = ok(
          await t.gql(
            `query($month: String!) { kpiTargets(month: $month) { department { id } newCustomers replyRate } }`,
            { month },
            managerToken,
          ),
        ).kpiTargets as Array<{ department: { id: string } | null; newCustomers: number; replyRate: number }>;
        expect(stored.find((x) => x.department?.id === me.id)).toMatchObject({ newCustomers: T.value, replyRate: 0.6 });

        // The dashboard of this month (to date): the target prorated to its days, and the API's progress.
        await navItem(page, L.lang, L.teamKpi).click();
        await page.waitForURL('**/kpi');
        await page.getByText(T.thisMonth, { exact: true }).first().click();
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
        const goal = ok(
          await t.gql(
            `query($input: KpiDashboardInput!) { kpiDashboard(input: $input) { targets { subject
               newCustomers { target actual progress source } } } }`,
            { input: { from: `${month}-01`, to: today, departmentId: me.id } },
            managerToken,
          ),
        ).kpiDashboard.targets;
        expect(goal.subject).toBe('DEPARTMENT');
        expect(goal.newCustomers.source).toBe('OWN');
        const percent = new Intl.NumberFormat(L.lang, { style: 'percent', maximumFractionDigits: 1 }).format(
          goal.newCustomers.progress,
        );
        const bar = page.getByRole('progressbar', { name: T.progress(percent), exact: true });
        await bar.waitFor();
        await expect(bar.getAttribute('aria-valuenow')).resolves.toBe(
          String(Math.min(100, Math.round(goal.newCustomers.progress * 1000) / 10)),
        );
        const target = new Intl.NumberFormat(L.lang, { maximumFractionDigits: 1 }).format(goal.newCustomers.target);
        await page.getByText(new RegExp(`^${T.target(target).replace('.', '\\.')}( ·|$)`)).first().waitFor();
        await screenshot(page, `${L.lang}-manager-kpi-progress`);
      }, 60_000);

      it('refuses the hand-over pages to a sales rep', async () => {
        const sales = await newConsoleContext(browser, L.lang, { token: salesToken });
        try {
          const p = await sales.newPage();
          await expectRefused(
            p,
            t.url,
            L.lang,
            ['/handovers', '/handovers/new', `/handovers/${handoverId}`, '/employees'],
            [L.handovers],
          );
          // And the server refuses the API behind them.
          expect(codeOf(await t.gql(HANDOVER, { id: handoverId }, salesToken))).toBe('FORBIDDEN');
        } finally {
          await sales.close();
        }
      }, 60_000);
    });
  }
});
