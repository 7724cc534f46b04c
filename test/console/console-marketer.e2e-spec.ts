import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_SLUG, demoEmail } from 'src/demo/demo-data';
import { seedDemoOnFirstStart } from 'src/demo/seed-demo';
import { codeOf, ok, startTestApp, TestApp } from 'test/helpers/test-app';
import {
  browserTestsEnabled,
  clickUntilSent,
  CONSOLE_DIST,
  expectRefused,
  launchBrowser,
  navItem as shellNavItem,
  newConsoleContext,
  screenshot,
  signIn,
} from './browser';

/**
 * The marketer's journey in the built console, in a real Chromium against the
 * real server and the demo data, once per language: log in, compose a moment
 * with an audience and see its reach (the API's momentReach), schedule it, find
 * it on the calendar (week and month) and through the API, cancel another one
 * after confirming; and the pages a marketer may not use.
 */
const LANGUAGES = [
  {
    lang: 'en',
    locale: 'en-US',
    hello: 'Hello, Grace Li 李雅',
    moments: 'Moments',
    forbiddenNav: ['Employees', 'Team customers', 'Customers', 'My customers'],
    newMoment: 'New moment',
    text: 'Text',
    counter: (n: number) => `${n} / 2000 characters`,
    images: 'Images',
    image1: 'Image 1 address',
    httpOnly: 'Must be an http:// or https:// address.',
    departments: 'Departments',
    tags: 'Customer tags',
    reach: 'Reach',
    publishAt: 'Publish at',
    schedule: /^Schedule$/,
    scheduled: 'Scheduled',
    week: 'Week',
    month: 'Month',
    next: 'Next',
    cancelMoment: 'Cancel moment',
    canceled: 'Canceled',
  },
  {
    lang: 'zh-CN',
    locale: 'zh-CN',
    hello: '你好，Grace Li 李雅',
    moments: '朋友圈',
    forbiddenNav: ['成员', '团队客户', '客户', '我的客户'],
    newMoment: '新建朋友圈',
    text: '文字',
    counter: (n: number) => `${n} / 2000 字`,
    images: '图片',
    image1: '图片 1 地址',
    httpOnly: '必须是 http:// 或 https:// 开头的地址。',
    departments: '部门',
    tags: '客户标签',
    reach: '预计触达',
    publishAt: '发布时间',
    schedule: /^定时发布$/,
    scheduled: '已定时',
    week: '周',
    month: '月',
    next: '下一页',
    cancelMoment: '取消朋友圈',
    canceled: '已取消',
  },
] as const;

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;
const OPTIONS = `{ departments { id name } tagGroups { tags { id name } } }`;
const REACH = `query($audience: MomentAudienceInput!) { momentReach(audience: $audience) { employees customers } }`;
const MOMENTS = `query($filter: MomentFilter) { moments(first: 50, filter: $filter) { edges { node {
  id text status scheduledAt attachments { type url } audience { departments { id } customerTags { id } } } } } }`;
const DEPARTMENT = '华东大区 East China';
const TAG = '金卡 Gold';
/** The browser runs in Shanghai time (the demo organization's), whatever the machine's zone. */
const TIME_ZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Tomorrow at 10:00 in Shanghai: its picker text, its instant and the calendar cell's label. */
function tomorrowAtTen(locale: string) {
  const day = new Date(Date.now() + SHANGHAI_OFFSET_MS + 24 * 3600_000).toISOString().slice(0, 10);
  const instant = new Date(`${day}T10:00:00+08:00`);
  const label = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: TIME_ZONE }).format(instant);
  const todayIsSunday = new Date(Date.now() + SHANGHAI_OFFSET_MS).getUTCDay() === 0;
  return { picker: `${day} 10:00`, instant, label, todayIsSunday };
}

type MomentRow = {
  id: string;
  text: string;
  status: string;
  scheduledAt: string | null;
  attachments: Array<{ type: string; url: string }>;
  audience: { departments: Array<{ id: string }>; customerTags: Array<{ id: string }> };
};

const describeBrowser = browserTestsEnabled ? describe : describe.skip;

describeBrowser('console: marketer journey in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let token: string;
  let departmentId: string;
  let tagId: string;

  beforeAll(async () => {
    t = await startTestApp({ CONSOLE_DIR: CONSOLE_DIST });
    const [, launched] = await Promise.all([seedDemoOnFirstStart(t.app, t.url), launchBrowser()]);
    browser = launched;
    token = ok(
      await t.gql(LOGIN, { input: { slug: DEMO_SLUG, email: demoEmail('grace.li'), password: DEMO_PASSWORD } }),
    ).login.token;
    const options = ok(await t.gql(OPTIONS, {}, token));
    departmentId = options.departments.find((d: { name: string }) => d.name === DEPARTMENT).id;
    tagId = options.tagGroups
      .flatMap((g: { tags: Array<{ id: string; name: string }> }) => g.tags)
      .find((x: { name: string }) => x.name === TAG).id;
  }, 180_000);

  // Closing the browser and the app (its sockets, queues and pools) can take long on a loaded machine.
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 120_000);

  const momentsWithText = async (text: string): Promise<MomentRow[]> =>
    ok(await t.gql(MOMENTS, {}, token))
      .moments.edges.map((e: { node: MomentRow }) => e.node)
      .filter((m: MomentRow) => m.text === text);

  for (const L of LANGUAGES) {
    describe(`in ${L.lang}`, () => {
      let context: BrowserContext;
      let page: Page;
      const text = `Spring launch ${L.lang} ${Date.now()}`;
      const when = tomorrowAtTen(L.locale);
      const navItem = (label: string) => shellNavItem(page, L.lang, label);
      // Ant Design's button-style radios hide the input: click the label that holds it, as a user does.
      const choose = (name: string) =>
        page
          .locator('label')
          .filter({ has: page.getByRole('radio', { name, exact: true }) })
          .click();

      beforeAll(async () => {
        context = await newConsoleContext(browser, L.lang, { timezoneId: TIME_ZONE });
        page = await context.newPage();
      });
      afterAll(async () => {
        await context?.close();
      });

      it('logs in; the navigation offers Moments and none of the customer or employee pages', async () => {
        await signIn(page, t.url, L.lang, demoEmail('grace.li'));
        await page.getByRole('heading', { name: L.hello }).waitFor();
        await expect(navItem(L.moments).count()).resolves.toBe(1);
        for (const name of L.forbiddenNav) await expect(navItem(name).count()).resolves.toBe(0);
      }, 60_000);

      it('composes a moment with an audience, sees its reach, and schedules it (seen through the API)', async () => {
        await navItem(L.moments).click();
        await page.waitForURL('**/moments*');
        await page.getByRole('button', { name: L.newMoment }).click();
        await page.waitForURL('**/moments/new');

        await page.getByLabel(L.text, { exact: true }).fill(text);
        await page.getByText(L.counter([...text].length)).waitFor();
        await choose(L.images);
        await page.getByLabel(L.image1).fill('ftp://cdn.example.com/spring.png');
        await page.getByText(L.httpOnly).waitFor();
        await page.getByLabel(L.image1).fill('https://cdn.example.com/spring.png');
        await page.getByText(L.httpOnly).waitFor({ state: 'detached' });

        // Type to narrow the choices, then pick the one shown (the lists scroll virtually).
        await page.getByLabel(L.departments).pressSequentially('East China');
        await page.getByTitle(DEPARTMENT, { exact: true }).click();
        await page.keyboard.press('Escape');
        await page.getByLabel(L.tags).pressSequentially('Gold');
        await page.getByTitle(TAG, { exact: true }).click();
        await page.keyboard.press('Escape');

        // The reach shown is the server's for this audience.
        const reach = ok(
          await t.gql(REACH, { audience: { departmentIds: [departmentId], customerTagIds: [tagId] } }, token),
        ).momentReach;
        expect(reach.employees).toBeGreaterThan(0);
        const reachBox = page.getByRole('region', { name: L.reach });
        await reachBox.getByText(String(reach.customers), { exact: true }).waitFor();
        await expect(reachBox.getByText(String(reach.employees), { exact: true }).count()).resolves.toBeGreaterThan(0);
        await screenshot(page, `${L.lang}-moment-composer`);

        await page.getByLabel(L.publishAt).fill(when.picker);
        await page.getByLabel(L.publishAt).press('Enter');
        await page.getByRole('button', { name: L.schedule }).click();
        await page.waitForURL(/\/moments\/[0-9a-f-]{36}$/);
        await page.getByText(L.scheduled, { exact: true }).first().waitFor();
        await screenshot(page, `${L.lang}-moment-detail`);

        const [saved] = await momentsWithText(text);
        expect(page.url()).toContain(saved.id);
        expect(saved).toMatchObject({
          status: 'SCHEDULED',
          attachments: [{ type: 'IMAGE', url: 'https://cdn.example.com/spring.png' }],
          audience: { departments: [{ id: departmentId }], customerTags: [{ id: tagId }] },
        });
        expect(new Date(saved.scheduledAt!).toISOString()).toBe(when.instant.toISOString());
      }, 60_000);

      it('shows the scheduled moment on its day in the week and the month view', async () => {
        await navItem(L.moments).click();
        await page.waitForURL('**/moments*');
        await choose(L.week);
        if (when.todayIsSunday) await page.getByRole('button', { name: L.next }).click();
        const cell = () => page.getByRole('cell', { name: when.label, exact: true });
        await cell().getByRole('link', { name: new RegExp(text) }).waitFor();
        await page.getByRole('radio', { name: L.week, checked: true }).waitFor({ state: 'attached' });
        // The view switch slides its highlight: let it settle before the picture (not a condition of the test).
        await page.waitForTimeout(500);
        await screenshot(page, `${L.lang}-moments-week`);
        await choose(L.month);
        await cell().getByRole('link', { name: new RegExp(text) }).waitFor();
        await page.waitForTimeout(500);
        await screenshot(page, `${L.lang}-moments-calendar`);
      }, 60_000);

      it('cancels the moment after confirming: it stays on the calendar as canceled and never fires', async () => {
        await page
          .getByRole('cell', { name: when.label, exact: true })
          .getByRole('link', { name: new RegExp(text) })
          .click();
        await page.waitForURL(/\/moments\/[0-9a-f-]{36}$/);
        await page.getByRole('button', { name: L.cancelMoment }).click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        await clickUntilSent(page, dialog.getByRole('button', { name: L.cancelMoment }), 'CancelMoment');
        await page.getByText(L.canceled, { exact: true }).first().waitFor();
        const [saved] = await momentsWithText(text);
        expect(saved.status).toBe('CANCELED');
      }, 60_000);

      it('refuses the URLs of pages for other roles, as the API refuses their data', async () => {
        await expectRefused(page, t.url, L.lang, ['/customers', '/employees'], L.forbiddenNav);
        await screenshot(page, `${L.lang}-marketer-forbidden`);
        expect(codeOf(await t.gql(`{ customers(first: 1) { edges { node { id } } } }`, {}, token))).toBe('FORBIDDEN');
      }, 60_000);
    });
  }
});
