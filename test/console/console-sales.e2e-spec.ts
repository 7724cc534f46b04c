import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_SLUG, demoEmail } from '../../src/demo/demo-data';
import { seedDemoOnFirstStart } from '../../src/demo/seed-demo';
import { ok, startTestApp, TestApp } from '../helpers/test-app';
import {
  browserTestsEnabled,
  CONSOLE_DIST,
  expectRefused,
  launchBrowser,
  navItem,
  navLabels,
  newConsoleContext,
  recordScripts,
  screenshot,
  signIn,
} from './browser';

/**
 * The sales journey in the built console, in a real Chromium against the real
 * server and the demo data, once per language (the browser's language picks
 * it): log in, today's work, own customers, search, Customer 360, add a note
 * (seen through the API too), and the pages a sales rep may not use.
 */
const LANGUAGES = [
  {
    lang: 'en',
    organization: 'Organization',
    email: 'E-mail',
    password: 'Password',
    logIn: /^Log in$/,
    hello: 'Hello, 张伟',
    myCustomers: 'My customers',
    forbiddenNav: ['Employees', 'Team customers', 'Customers'],
    search: 'Search customers',
    emptyFiltered: 'No customer matches these filters',
    noteLabel: 'Note',
    addNote: 'Add note',
    momentTasks: 'Moments to post',
    markPosted: 'Mark as posted',
    notFound: 'Page not found',
    account: 'Account',
    logOut: 'Log out',
    wrongLogin: 'The organization, e-mail or password is not right.',
  },
  {
    lang: 'zh-CN',
    organization: '企业标识',
    email: '邮箱',
    password: '密码',
    logIn: /^登\s?录$/,
    hello: '你好，张伟',
    myCustomers: '我的客户',
    forbiddenNav: ['成员', '团队客户', '客户'],
    search: '搜索客户',
    emptyFiltered: '没有符合筛选条件的客户',
    noteLabel: '内容',
    addNote: '添加记录',
    momentTasks: '待发朋友圈',
    markPosted: '标记为已发',
    notFound: '页面不存在',
    account: '账号',
    logOut: '退出登录',
    wrongLogin: '企业标识、邮箱或密码不正确。',
  },
] as const;

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token employee { id } } }`;
const CUSTOMERS = `query($filter: CustomerFilter) { customers(first: 20, filter: $filter) { edges { node { id name } } } }`;
const NOTES = `query($id: ID!) { customer(id: $id) { notes(first: 10) { edges { node { body kind author { id } } } } } }`;
const TASKS = `{ myMomentTasks(first: 20) { edges { node { id status moment { text } } } } }`;

const describeBrowser = browserTestsEnabled ? describe : describe.skip;

describeBrowser('console: sales journey in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let salesToken: string;
  let salesId: string;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApp({ CONSOLE_DIR: CONSOLE_DIST });
    const [, launched] = await Promise.all([seedDemoOnFirstStart(t.app, t.url), launchBrowser()]);
    browser = launched;
    const login = async (email: string) =>
      ok(await t.gql(LOGIN, { input: { slug: DEMO_SLUG, email, password: DEMO_PASSWORD } })).login;
    const sales = await login(demoEmail('zhangwei'));
    salesToken = sales.token;
    salesId = sales.employee.id;
    adminToken = (await login(DEMO_ADMIN.email)).token;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the console at / and its routes, never shadowing the API paths', async () => {
    const html = await fetch(`${t.url}/customers/123`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<div id="root">');
    expect((await fetch(`${t.url}/health`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(/json/);
    const gql = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await gql.text()).not.toContain('<div id="root">');
    expect((await fetch(`${t.url}/assets/missing-chunk.js`)).status).toBe(404);
  });

  for (const L of LANGUAGES) {
    describe(`in ${L.lang}`, () => {
      let context: BrowserContext;
      let page: Page;
      let momentText: string;

      beforeAll(async () => {
        context = await newConsoleContext(browser, L.lang);
        page = await context.newPage();
        // A moment for the rep to post today (fired now by the admin), so Home has work.
        momentText = `New arrivals ${L.lang} ${Date.now()}`;
        const created = ok(
          await t.gql(
            `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`,
            { input: { text: momentText, audience: { employeeIds: [salesId] } } },
            adminToken,
          ),
        ).createMoment;
        ok(await t.gql(`mutation($id: ID!) { publishMomentNow(id: $id) { id } }`, { id: created.id }, adminToken));
        for (let i = 0; i < 100; i++) {
          const tasks = ok(await t.gql(TASKS, {}, salesToken)).myMomentTasks.edges;
          if (tasks.some((e: { node: { moment: { text: string } } }) => e.node.moment.text === momentText)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }, 60_000);

      afterAll(async () => {
        await context?.close();
      });

      it('opens on the login page in the browser language, under 300 KB of JavaScript', async () => {
        const scripts = recordScripts(page);
        await page.goto(`${t.url}/`);
        await page.waitForURL('**/login');
        await page.getByLabel(L.organization).waitFor();
        await page.waitForLoadState('networkidle');
        const { files, gzipBytes } = await scripts();
        process.stdout.write(`console login page (${L.lang}): ${files} scripts, ${(gzipBytes / 1024).toFixed(1)} KB gzip\n`);
        expect(gzipBytes).toBeLessThan(300 * 1024);
        await screenshot(page, `${L.lang}-login`);
      }, 60_000);

      it('refuses a wrong password with the translated message', async () => {
        await page.getByLabel(L.organization).fill(DEMO_SLUG);
        await page.getByLabel(L.email).fill(demoEmail('zhangwei'));
        await page.getByLabel(L.password).fill('not-the-password');
        await page.getByRole('button', { name: L.logIn }).click();
        await expect(page.getByRole('alert').textContent()).resolves.toContain(L.wrongLogin);
      }, 30_000);

      it("logs in to Home with today's moment to post, and confirms it (seen through the API)", async () => {
        await signIn(page, t.url, L.lang, demoEmail('zhangwei'), { goto: false });
        await page.getByRole('heading', { name: L.hello }).waitFor();
        const card = page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: L.momentTasks }) });
        const item = card.getByRole('listitem').filter({ hasText: momentText });
        await item.waitFor();
        await screenshot(page, `${L.lang}-home`);
        await item.getByRole('button', { name: L.markPosted }).click();
        await page.getByRole('tooltip').getByRole('button', { name: L.markPosted }).click();
        await item.waitFor({ state: 'detached' });
        const tasks = ok(await t.gql(TASKS, {}, salesToken)).myMomentTasks.edges as Array<{
          node: { status: string; moment: { text: string } };
        }>;
        expect(tasks.find((e) => e.node.moment.text === momentText)?.node.status).toBe('PUBLISHED');
      }, 60_000);

      it('shows only the pages a sales rep may use in the navigation', async () => {
        await expect(navItem(page, L.lang, L.myCustomers).count()).resolves.toBe(1);
        for (const name of L.forbiddenNav) await expect(navItem(page, L.lang, name).count()).resolves.toBe(0);
      });

      it('lists the rep’s own customers, as the API answers them', async () => {
        const started = Date.now();
        await navItem(page, L.lang, L.myCustomers).click();
        const own = ok(await t.gql(CUSTOMERS, {}, salesToken)).customers.edges.map((e: { node: { name: string } }) => e.node.name);
        expect(own.length).toBeGreaterThan(0);
        const table = page.getByRole('table');
        await table.getByRole('link', { name: own[0], exact: true }).first().waitFor();
        process.stdout.write(`console customer list (${L.lang}): first page shown ${Date.now() - started} ms after navigation\n`);
        // Every row of the API's first page, in its order, each a link to the customer's 360.
        await expect(table.getByRole('link').allTextContents()).resolves.toEqual(own);
        await screenshot(page, `${L.lang}-customers`);
      }, 30_000);

      it('finds an own customer by search, and nobody else’s', async () => {
        const others = ok(await t.gql(CUSTOMERS, { filter: { unassigned: false } }, adminToken)).customers.edges.map(
          (e: { node: { id: string; name: string } }) => e.node,
        );
        const own = ok(await t.gql(CUSTOMERS, {}, salesToken)).customers.edges.map((e: { node: { id: string; name: string } }) => e.node);
        const ownIds = new Set(own.map((c: { id: string }) => c.id));
        const ownNames = new Set(own.map((c: { name: string }) => c.name));
        const foreign = others.find((c: { id: string; name: string }) => !ownIds.has(c.id) && !ownNames.has(c.name));
        expect(foreign).toBeDefined();
        const search = page.getByRole('searchbox', { name: L.search });
        await search.fill(foreign.name);
        await search.press('Enter');
        await page.getByText(L.emptyFiltered).waitFor();

        const target = own[1] ?? own[0];
        await search.fill(target.name);
        await search.press('Enter');
        await page.getByText(L.emptyFiltered).waitFor({ state: 'detached' });
        await page.getByRole('table').getByRole('link', { name: target.name, exact: true }).first().waitFor();
        expect(new URL(page.url()).searchParams.get('q')).toBe(target.name);
      }, 30_000);

      it('opens Customer 360 and adds a note that the API returns', async () => {
        const own = ok(await t.gql(CUSTOMERS, {}, salesToken)).customers.edges.map((e: { node: { id: string; name: string } }) => e.node);
        const target = own[1] ?? own[0];
        await page.getByRole('table').getByRole('link', { name: target.name, exact: true }).first().click();
        await page.waitForURL(`**/customers/${target.id}`);
        await page.getByRole('heading', { name: target.name, exact: true }).waitFor();
        await screenshot(page, `${L.lang}-customer-360`);
        const body = `Called about the spring launch (${L.lang}) ${Date.now()}`;
        await page.getByLabel(L.noteLabel, { exact: true }).fill(body);
        await page.getByRole('button', { name: L.addNote }).click();
        // Shown in the notes list and in the timeline.
        await page.getByText(body).nth(1).waitFor();
        const notes = ok(await t.gql(NOTES, { id: target.id }, salesToken)).customer.notes.edges.map(
          (e: { node: { body: string; kind: string; author: { id: string } } }) => e.node,
        );
        expect(notes).toContainEqual({ body, kind: 'NOTE', author: { id: salesId } });
        await screenshot(page, `${L.lang}-customer-360-note`);
      }, 30_000);

      it('refuses the URL of a page for other roles, and shows 404 for an unknown one', async () => {
        await expectRefused(page, t.url, L.lang, ['/employees'], L.forbiddenNav);
        await expect(navLabels(page, L.lang)).resolves.toHaveLength(2);
        await screenshot(page, `${L.lang}-forbidden`);
        await page.goto(`${t.url}/no-such-page`);
        await page.getByText(L.notFound).waitFor();
      }, 30_000);

      it('logs out back to the login page, and the session is gone', async () => {
        await page.getByRole('button', { name: L.account }).click();
        await page.getByRole('menuitem', { name: L.logOut }).click();
        await page.waitForURL('**/login');
        await expect(page.evaluate("localStorage.getItem('wecrm.token')")).resolves.toBeNull();
        await page.goto(`${t.url}/customers`);
        await page.waitForURL('**/login');
      }, 30_000);
    });
  }
});
