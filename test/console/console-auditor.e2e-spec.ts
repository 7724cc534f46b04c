import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_SLUG, demoEmail } from 'src/demo/demo-data';
import { seedDemoOnFirstStart } from 'src/demo/seed-demo';
import { ok, startTestApp, TestApp } from 'test/helpers/test-app';
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
 * The auditor's journey in the built console, in a real Chromium against the real server and the demo data, once
 * per language: a connector (an API key) archives conversations, one with a customer who disagreed to archiving;
 * the auditor (钱浩, the demo's built-in auditor) browses the conversations filtered by employee, opens a thread
 * (the withheld message shown as withheld, with why), searches a 2-character Chinese word and sees it marked,
 * follows a hit into its thread, and finds those reads in the access log (and through the API). And a sales rep
 * sees none of these pages.
 */
const LANGUAGES = [
  {
    lang: 'en',
    hello: /^Hello, 钱浩/,
    conversations: 'Conversations',
    search: 'Chat search',
    accessLog: 'Access log',
    employee: 'Employee',
    open: (employee: string, customer: string) => `Open the conversation of ${employee} with ${customer}`,
    agreed: 'Agreed',
    disagreed: 'Disagreed',
    withheld: 'Content withheld',
    withheldWhy: 'The customer had not agreed to archiving when this was sent, so its content was never stored.',
    newestFirst: 'Newest first',
    searchBox: 'Search messages',
    results: 'Search results',
    openThread: 'Open in conversation',
    searched: 'Searched messages',
    opened: 'Opened a conversation',
    salesNav: ['Conversations', 'Chat search', 'Audit alerts', 'Keyword rules', 'Access log'],
    alerts: 'Audit alerts',
    rules: 'Keyword rules',
    newRule: 'New rule',
    ruleName: 'Name',
    keywords: 'Keywords',
    phone: 'Phone number',
    high: 'High',
    testText: 'Text to test',
    runTest: 'Test',
    found: '2 matches:',
    save: 'Save',
    live: 'Live',
    fresh: 'New',
    openMessage: 'Open the message',
    acknowledge: /^Acknowledge the alert of /,
    resolve: /^Resolve the alert of /,
    ackButton: 'Acknowledge',
    resolveButton: 'Resolve',
    note: 'Note',
    noteRequired: 'Write what you found before resolving.',
    acknowledgedBy: 'Acknowledged by 钱浩 Howard Qian',
    emptyAlerts: 'No alert matches these filters',
    deleteRule: (name: string) => `Delete rule ${name}`,
    deleteButton: 'Delete',
  },
  {
    lang: 'zh-CN',
    hello: /^你好，钱浩/,
    conversations: '会话存档',
    search: '聊天搜索',
    accessLog: '访问日志',
    employee: '成员',
    open: (employee: string, customer: string) => `打开 ${employee} 与 ${customer} 的会话`,
    agreed: '已同意',
    disagreed: '已拒绝',
    withheld: '内容未存档',
    withheldWhy: '发送时客户未同意存档，因此内容从未保存。',
    newestFirst: '最新在前',
    searchBox: '搜索消息',
    results: '搜索结果',
    openThread: '在会话中查看',
    searched: '搜索了消息',
    opened: '打开了会话',
    salesNav: ['会话存档', '聊天搜索', '审计告警', '关键词规则', '访问日志'],
    alerts: '审计告警',
    rules: '关键词规则',
    newRule: '新建规则',
    ruleName: '名称',
    keywords: '关键词',
    phone: '手机号码',
    high: '高',
    testText: '要测试的文本',
    runTest: '测 试',
    found: '命中 2 处：',
    save: '保 存',
    live: '实时',
    fresh: '新',
    openMessage: '查看消息',
    acknowledge: /^确认 .* 触发的告警$/,
    resolve: /^解决 .* 触发的告警$/,
    ackButton: '确 认',
    resolveButton: '解 决',
    note: '备注',
    noteRequired: '解决前请填写核查结果。',
    acknowledgedBy: '钱浩 Howard Qian 于',
    emptyAlerts: '没有符合筛选条件的告警',
    deleteRule: (name: string) => `删除规则 ${name}`,
    deleteButton: '删 除',
  },
] as const;

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token employee { id name } } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;
const INGEST = `mutation($input: IngestChatMessagesInput!) {
  ingestChatMessages(input: $input) { accepted duplicates rejected { index reason } } }`;
const CONSENT = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) }`;
const CUSTOMERS = `query($filter: CustomerFilter) { customers(first: 20, filter: $filter) { edges { node { id name } } } }`;
const ACCESS_LOG = `{ auditAccessLog(first: 50) { edges { node { action target viewer { id } } } } }`;
const RULES = `{ keywordRules { id name keywords semantics severity enabled } }`;
const ALERTS = `query($filter: AuditAlertFilter) { auditAlerts(filter: $filter, first: 20) { edges { node {
  id status matched acknowledgedBy { id } acknowledgedNote resolvedBy { id } resolvedNote rule { name } } } } }`;

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const describeBrowser = browserTestsEnabled ? describe : describe.skip;

describeBrowser('console: auditor journey in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let adminToken: string;
  let connector: string;
  let auditor: { id: string; name: string };
  let sales: { id: string; name: string; token: string };
  let customers: Array<{ id: string; name: string }>;

  beforeAll(async () => {
    t = await startTestApp({ CONSOLE_DIR: CONSOLE_DIST });
    const [, launched] = await Promise.all([seedDemoOnFirstStart(t.app, t.url), launchBrowser()]);
    browser = launched;
    const login = async (email: string) =>
      ok(await t.gql(LOGIN, { input: { slug: DEMO_SLUG, email, password: DEMO_PASSWORD } })).login;
    adminToken = (await login(DEMO_ADMIN.email)).token;
    const a = await login(demoEmail('qianhao'));
    auditor = a.employee;
    const s = await login(demoEmail('zhangwei'));
    sales = { ...s.employee, token: s.token };
    // The connector that archives WeCom chats: an API key, as an integration would hold.
    connector = ok(
      await t.gql(CREATE_KEY, { input: { name: 'WeCom archive connector', roles: ['admin'] } }, adminToken),
    ).createApiKey.secret;
    customers = ok(await t.gql(CUSTOMERS, { filter: { employeeIds: [sales.id] } }, adminToken)).customers.edges.map(
      (e: { node: { id: string; name: string } }) => e.node,
    );
    expect(customers.length).toBeGreaterThanOrEqual(4);
  }, 180_000);

  // Closing the browser and the app (its sockets, queues and pools) can take long on a loaded machine.
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 120_000);

  LANGUAGES.forEach((L, n) => {
    describe(`in ${L.lang}`, () => {
      let context: BrowserContext;
      let page: Page;
      /** A conversation with consent, one with a customer who disagreed, and the text searched for. */
      let open: { id: string; name: string };
      let refused: { id: string; name: string };
      let priceText: string;
      let englishText: string;
      let conversationIds: { open: string; refused: string };
      let ruleName: string;

      beforeAll(async () => {
        // Each language its own two customers of 张伟, so the runs do not see each other's threads first.
        open = customers[2 * n];
        refused = customers[2 * n + 1];
        const run = `${L.lang}-${Date.now()}`;
        priceText = `这个价格能不能再便宜一点？<b>not bold</b> ${run}`;
        englishText = `The PRICE list is attached (${run})`;
        ok(
          await t.gql(
            CONSENT,
            { input: { customerId: open.id, status: 'AGREED', changedAt: ago(60 * MINUTE) } },
            connector,
          ),
        );
        ok(
          await t.gql(
            CONSENT,
            { input: { customerId: refused.id, status: 'DISAGREED', changedAt: ago(60 * MINUTE) } },
            connector,
          ),
        );
        const msg = (externalId: string, customerId: string, over: Record<string, unknown>) => ({
          externalId: `${run}-${externalId}`,
          employeeId: sales.id,
          customerId,
          type: 'TEXT',
          ...over,
        });
        const result = ok(
          await t.gql(
            INGEST,
            {
              input: {
                messages: [
                  msg('o1', open.id, { senderType: 'EMPLOYEE', text: englishText, sentAt: ago(30 * MINUTE) }),
                  msg('o2', open.id, { senderType: 'CUSTOMER', text: priceText, sentAt: ago(20 * MINUTE) }),
                  msg('o3', open.id, { senderType: 'EMPLOYEE', text: '可以，我问一下经理', sentAt: ago(10 * MINUTE) }),
                  // Before the customer disagreed: stored. After: the content is never stored, whoever sent it.
                  msg('r1', refused.id, {
                    senderType: 'EMPLOYEE',
                    text: '您好，有什么可以帮您？',
                    sentAt: ago(90 * MINUTE),
                  }),
                  msg('r2', refused.id, { senderType: 'CUSTOMER', text: '我的银行卡号是…', sentAt: ago(8 * MINUTE) }),
                ],
              },
            },
            connector,
          ),
        ).ingestChatMessages;
        expect(result).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
        const ids = ok(
          await t.gql(
            `query($f: ConversationFilter) { conversations(filter: $f, first: 50) { edges { node { id customer { id } } } } }`,
            { f: { employeeId: sales.id } },
            adminToken,
          ),
        ).conversations.edges.map((e: { node: { id: string; customer: { id: string } } }) => e.node);
        conversationIds = {
          open: ids.find((c: { customer: { id: string } }) => c.customer.id === open.id).id,
          refused: ids.find((c: { customer: { id: string } }) => c.customer.id === refused.id).id,
        };
        context = await newConsoleContext(browser, L.lang);
        page = await context.newPage();
      }, 60_000);

      afterAll(async () => {
        await context?.close();
      });

      it('logs in as the auditor to the audit pages, and only those', async () => {
        await signIn(page, t.url, L.lang, demoEmail('qianhao'));
        await page.getByRole('heading', { name: L.hello }).waitFor();
        const labels = await navLabels(page, L.lang);
        for (const label of [L.conversations, L.search, L.alerts, L.rules, L.accessLog]) {
          expect(labels.filter((l) => l.endsWith(label))).toHaveLength(1);
        }
      }, 60_000);

      it('browses the conversations of one employee and opens a thread with its consent', async () => {
        await navItem(page, L.lang, L.conversations).click();
        await page.waitForURL('**/audit/conversations');
        await page.getByRole('combobox', { name: L.employee }).click();
        await page.getByRole('combobox', { name: L.employee }).fill(sales.name);
        await page.getByRole('option', { name: new RegExp(`^${sales.name} · `) }).waitFor({ state: 'attached' });
        await page.keyboard.press('Enter');
        await page.waitForURL((url) => url.searchParams.get('employee') === sales.id);
        const table = page.getByRole('table');
        const row = table
          .getByRole('row')
          .filter({ has: page.getByRole('link', { name: L.open(sales.name, open.name) }) });
        await row.waitFor();
        await row.getByText(L.agreed).waitFor();
        await table
          .getByRole('row')
          .filter({ has: page.getByRole('link', { name: L.open(sales.name, refused.name) }) })
          .getByText(L.disagreed)
          .waitFor();
        // Every row is one of 张伟's conversations, once the filtered page has replaced the unfiltered one (which
        // holds these rows too: they are the newest).
        const employees = () => table.getByRole('row').locator('td:nth-child(2)').allTextContents();
        for (let end = Date.now() + 15_000; Date.now() < end; await page.waitForTimeout(100))
          if ((await employees()).every((e) => e === sales.name)) break;
        expect(new Set(await employees())).toEqual(new Set([sales.name]));
        await screenshot(page, `${L.lang}-audit-conversations`);

        await row.getByRole('link').click();
        await page.waitForURL(`**/audit/conversations/${conversationIds.open}`);
        const thread = page.getByRole('list', { name: /Messages|消息/ });
        await thread.getByText(englishText).waitFor();
        // Oldest first: the employee's English, the customer's question, the answer.
        const texts = await thread.getByRole('listitem').allTextContents();
        expect(texts.map((x) => x.includes(englishText) || x.includes(priceText))).toEqual([true, true, false]);
        // HTML-looking text is shown as written, never as markup.
        await expect(thread.locator('b').count()).resolves.toBe(0);
        await page.getByText(L.newestFirst, { exact: true }).click();
        await page.waitForURL((url) => url.searchParams.get('order') === 'newest');
        await thread.getByRole('listitem').first().filter({ hasText: '可以，我问一下经理' }).waitFor();
        const reversed = await thread.getByRole('listitem').allTextContents();
        expect(reversed).toEqual([...texts].reverse());
        await screenshot(page, `${L.lang}-audit-thread`);
      }, 60_000);

      it('shows a withheld message as withheld, with why, never as an empty bubble', async () => {
        await page.goto(`${t.url}/audit/conversations/${conversationIds.refused}`);
        const thread = page.getByRole('list', { name: /Messages|消息/ });
        await thread.getByText('您好，有什么可以帮您？').waitFor();
        const items = thread.getByRole('listitem');
        await expect(items.count()).resolves.toBe(2);
        const withheld = items.nth(1);
        await withheld.getByText(L.withheld).waitFor();
        await withheld.getByText(L.withheldWhy).waitFor();
        await expect(withheld.textContent()).resolves.not.toContain('银行卡');
        await screenshot(page, `${L.lang}-audit-thread-withheld`);
      }, 60_000);

      it('searches a 2-character Chinese word, marks it in each hit, and opens a hit in its thread', async () => {
        await navItem(page, L.lang, L.search).click();
        await page.waitForURL('**/audit/search');
        const box = page.getByRole('searchbox', { name: L.searchBox });
        await box.fill('价格');
        await box.press('Enter');
        await page.waitForURL((url) => url.searchParams.get('q') === '价格');
        const results = page.getByRole('region', { name: L.results });
        const hit = results.getByRole('listitem').filter({ hasText: priceText });
        await hit.waitFor();
        // Newest first: this run's hit (sent 20 minutes ago) before the other language's (older) ones.
        await expect(results.getByRole('listitem').first().textContent()).resolves.toContain(priceText);
        await expect(hit.locator('mark').allTextContents()).resolves.toEqual(['价格']);
        await expect(hit.locator('b').count()).resolves.toBe(0);
        await screenshot(page, `${L.lang}-audit-search`);

        // English, any case: "price" finds and marks "PRICE".
        await box.fill('price');
        await box.press('Enter');
        const english = results.getByRole('listitem').filter({ hasText: englishText });
        await english.waitFor();
        await expect(english.locator('mark').allTextContents()).resolves.toEqual(['PRICE']);

        await box.fill('价格');
        await box.press('Enter');
        await hit.getByRole('link', { name: L.openThread }).click();
        await page.waitForURL(`**/audit/conversations/${conversationIds.open}?**`);
        const target = page.locator('[aria-current="true"]');
        await target.getByText('价格').waitFor();
        await expect(target.locator('mark').allTextContents()).resolves.toEqual(['价格']);
      }, 60_000);

      it('creates a keyword rule, testing a text against it first (the API has it)', async () => {
        ruleName = `私下交易 off-platform ${L.lang} ${Date.now()}`;
        await navItem(page, L.lang, L.rules).click();
        await page.waitForURL('**/audit/rules');
        await page.getByRole('button', { name: L.newRule }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel(L.ruleName, { exact: true }).fill(ruleName);
        const keywords = dialog.getByRole('combobox', { name: L.keywords });
        await keywords.click();
        await keywords.fill('私下转账');
        await keywords.press('Enter');
        await keywords.fill('Cash Back');
        await keywords.press('Enter');
        await dialog.getByLabel(L.phone).check();
        await dialog.getByText(L.high, { exact: true }).click();
        // What the rule as typed would match, asked of the server before anything is saved.
        await dialog.getByLabel(L.testText).fill('可以私下转账给你，打我电话 138-1234-5678');
        await dialog.getByRole('button', { name: L.runTest }).click();
        await dialog.getByText(L.found).waitFor();
        await expect(dialog.getByTestId('rule-test-text').locator('mark').allTextContents()).resolves.toEqual([
          '私下转账',
          '138-1234-5678',
        ]);
        await screenshot(page, `${L.lang}-audit-rule-editor`);
        await clickUntilSent(page, dialog.getByRole('button', { name: L.save }), 'CreateKeywordRule');
        await dialog.waitFor({ state: 'detached' });
        await page.getByRole('table').getByText(ruleName).waitFor();
        await screenshot(page, `${L.lang}-audit-rules`);
        const rules = ok(await t.gql(RULES, {}, adminToken)).keywordRules as Array<Record<string, unknown>>;
        expect(rules.find((r) => r.name === ruleName)).toMatchObject({
          keywords: ['私下转账', 'Cash Back'],
          semantics: ['PHONE_NUMBER'],
          severity: 'HIGH',
          enabled: true,
        });
      }, 60_000);

      it('sees the alert of a matching message arrive live, opens it, acknowledges and resolves it', async () => {
        await navItem(page, L.lang, L.alerts).click();
        await page.waitForURL('**/audit/alerts');
        await page.getByText(L.live, { exact: true }).waitFor();
        // Marks this page load: a reload would lose it.
        await page.evaluate('window.__sameLoad = true');
        const run = `${L.lang}-${Date.now()}`;
        ok(
          await t.gql(
            INGEST,
            {
              input: {
                messages: [
                  {
                    externalId: `${run}-alert`,
                    employeeId: sales.id,
                    customerId: open.id,
                    senderType: 'EMPLOYEE',
                    type: 'TEXT',
                    text: `我们可以私下转账，cash back 给您 (${run})`,
                    sentAt: ago(MINUTE),
                  },
                ],
              },
            },
            connector,
          ),
        );
        const row = page.getByRole('row').filter({ hasText: ruleName });
        await row.getByText(L.fresh, { exact: true }).waitFor();
        await expect(page.evaluate('window.__sameLoad')).resolves.toBe(true);
        await expect(row.textContent()).resolves.toContain('私下转账');
        await screenshot(page, `${L.lang}-audit-alerts-live`);

        // The message, in its thread.
        await row.getByRole('link', { name: L.openMessage }).click();
        await page.waitForURL(`**/audit/conversations/${conversationIds.open}?**`);
        await page.locator('[aria-current="true"]').getByText(run, { exact: false }).waitFor();
        await page.goBack();
        await page.waitForURL('**/audit/alerts');

        await row.getByRole('button', { name: L.acknowledge }).click();
        let dialog = page.getByRole('dialog');
        await dialog.getByLabel(L.note).fill('正在核实 checking with the rep');
        await clickUntilSent(page, dialog.getByRole('button', { name: L.ackButton, exact: true }), 'UpdateAuditAlert');
        await dialog.waitFor({ state: 'detached' });
        await row.getByText(L.acknowledgedBy).waitFor();

        await row.getByRole('button', { name: L.resolve }).click();
        dialog = page.getByRole('dialog');
        await dialog.getByRole('button', { name: L.resolveButton, exact: true }).click();
        await dialog.getByText(L.noteRequired).waitFor();
        await dialog.getByLabel(L.note).fill('已提醒，不得私下收款 reminded of the policy');
        await screenshot(page, `${L.lang}-audit-alert-resolve`);
        const resolve = dialog.getByRole('button', { name: L.resolveButton, exact: true });
        await clickUntilSent(page, resolve, 'UpdateAuditAlert');
        await dialog.waitFor({ state: 'detached' });
        // Resolved: gone from the inbox's default view (open and acknowledged).
        await row.waitFor({ state: 'detached' });
        const alerts = ok(await t.gql(ALERTS, { filter: { status: ['RESOLVED'] } }, adminToken)).auditAlerts.edges.map(
          (e: { node: Record<string, unknown> }) => e.node,
        );
        expect(alerts.find((a: { rule: { name: string } }) => a.rule.name === ruleName)).toMatchObject({
          status: 'RESOLVED',
          matched: ['私下转账', 'Cash Back'],
          acknowledgedBy: { id: auditor.id },
          acknowledgedNote: '正在核实 checking with the rep',
          resolvedBy: { id: auditor.id },
          resolvedNote: '已提醒，不得私下收款 reminded of the policy',
        });
      }, 90_000);

      it('deletes the rule after confirming (the API no longer has it)', async () => {
        await navItem(page, L.lang, L.rules).click();
        await page.getByRole('button', { name: L.deleteRule(ruleName) }).click();
        const confirm = page.getByRole('dialog');
        const deleteButton = confirm.getByRole('button', { name: L.deleteButton, exact: true });
        await clickUntilSent(page, deleteButton, 'DeleteKeywordRule');
        await page.getByRole('table').getByText(ruleName).waitFor({ state: 'detached' });
        const rules = ok(await t.gql(RULES, {}, adminToken)).keywordRules as Array<{ name: string }>;
        expect(rules.map((r) => r.name)).not.toContain(ruleName);
      }, 60_000);

      it('finds its own reads in the access log, as the API records them', async () => {
        await navItem(page, L.lang, L.accessLog).click();
        await page.waitForURL('**/audit/access-log');
        const table = page.getByRole('table');
        const search = table.getByRole('row').filter({ hasText: L.searched }).filter({ hasText: '价格' });
        await search.first().waitFor();
        await expect(search.first().textContent()).resolves.toContain(auditor.name);
        await table.getByRole('row').filter({ hasText: L.opened }).first().waitFor();
        await screenshot(page, `${L.lang}-audit-access-log`);
        const entries = ok(await t.gql(ACCESS_LOG, {}, adminToken)).auditAccessLog.edges.map(
          (e: { node: { action: string; target: string; viewer: { id: string } | null } }) => e.node,
        );
        const mine = entries.filter((e: { viewer: { id: string } | null }) => e.viewer?.id === auditor.id);
        expect(mine).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              action: 'searchChatMessages',
              target: expect.stringContaining('"query":"价格"'),
            }),
            expect.objectContaining({ action: 'conversation', target: conversationIds.open }),
            expect.objectContaining({ action: 'conversation.messages', target: conversationIds.refused }),
          ]),
        );
      }, 60_000);

      it('offers a sales rep none of the audit pages, and refuses their URLs', async () => {
        const rep = await newConsoleContext(browser, L.lang, { token: sales.token });
        try {
          const repPage = await rep.newPage();
          await expectRefused(
            repPage,
            t.url,
            L.lang,
            [
              '/audit/conversations',
              `/audit/conversations/${conversationIds.open}`,
              '/audit/search',
              '/audit/alerts',
              '/audit/rules',
              '/audit/access-log',
            ],
            L.salesNav,
          );
        } finally {
          await rep.close();
        }
      }, 60_000);
    });
  });
});
