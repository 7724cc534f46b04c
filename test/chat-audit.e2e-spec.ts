import { gramCode } from 'src/modules/chat-audit/services/search-grams';
import { PurgeChatMessagesJob } from 'src/modules/chat-audit/jobs/purge-chat-messages.job';
import { addCustomer } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { codeOf, ok, startTestApp, TestApp } from './helpers/test-app';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted duplicates rejected { index externalId reason } } }`;
const CONSENT = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) }`;
const SEARCH = `query($q: String!, $f: ChatSearchFilter, $first: Int, $after: String) {
  searchChatMessages(query: $q, filter: $f, first: $first, after: $after) {
    edges { node { externalId text contentWithheld senderType sentAt conversation { id } } } pageInfo { hasNextPage endCursor } } }`;
const CONVERSATIONS = `query($f: ConversationFilter) { conversations(filter: $f) { edges { node {
  id messageCount lastMessageAt consent employee { id } customer { id name } } } } }`;
const THREAD = `query($id: ID!) { conversation(id: $id) { id messageCount consent messages(first: 200) {
  edges { node { externalId text contentWithheld type alerts { id } } } } } }`;
const ACCESS_LOG = `{ auditAccessLog(first: 200) { edges { node { action target occurredAt viewer { id } apiKey { id name } } } } }`;

interface Msg {
  externalId: string;
  employeeId?: string;
  employeeExternalId?: string;
  customerId?: string;
  customerExternalId?: string;
  senderType: 'EMPLOYEE' | 'CUSTOMER';
  type: string;
  text?: string | null;
  payload?: unknown;
  sentAt: string;
}

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('chat audit: archive', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let sales: EmployeeFixture;
  let sales2: EmployeeFixture;
  let auditor: EmployeeFixture;
  let customer: string;
  let customer2: string;
  let salesDept: string;
  const ingest = (messages: Msg[], token = org.adminToken) => t.gql(INGEST, { input: { messages } }, token);
  const text = (externalId: string, over: Partial<Msg> = {}): Msg => ({
    externalId,
    employeeId: sales.id,
    customerId: customer,
    senderType: 'EMPLOYEE',
    type: 'TEXT',
    text: `hello ${externalId}`,
    sentAt: ago(HOUR),
    ...over,
  });
  const stored = async (externalId: string) =>
    (await t.db.query(`SELECT text, payload, content_withheld, search_grams FROM chat_messages WHERE org_id = $1 AND external_id = $2`, [org.orgId, externalId])).rows;

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    salesDept = await createDepartment(t, org.adminToken, 'Sales East');
    sales = await createEmployee(t, org, { roles: ['sales'], externalId: 'zhangsan', departmentId: salesDept });
    sales2 = await createEmployee(t, org, { roles: ['sales'], externalId: 'lisi' });
    auditor = await createEmployee(t, org, { roles: ['auditor'] });
    customer = (await addCustomer(t, org.adminToken, sales.id, { name: 'Wang', externalId: 'wmWang' })).customerId;
    customer2 = (await addCustomer(t, org.adminToken, sales2.id, { name: 'Zhao', externalId: 'wmZhao' })).customerId;
  });
  afterAll(() => t.close());

  describe('ingestChatMessages', () => {
    it('refuses a caller without a token (UNAUTHENTICATED) or without chat:ingest (FORBIDDEN), storing nothing', async () => {
      expect(codeOf(await t.gql(INGEST, { input: { messages: [text(uniq('m'))] } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await ingest([text(uniq('m'))], auditor.token))).toBe('FORBIDDEN');
      expect(codeOf(await ingest([text(uniq('m'))], sales.token))).toBe('FORBIDDEN');
      expect((await t.db.query(`SELECT count(*)::int AS n FROM chat_messages`)).rows[0].n).toBe(0);
    });

    it('refuses more than 1000 messages as BAD_USER_INPUT naming the field', async () => {
      const r = await ingest(Array.from({ length: 1001 }, (_, i) => text(`big-${i}`)));
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].message).toContain('input.messages');
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM chat_message_keys WHERE external_id LIKE 'big-%'`)).rows[0].n,
      ).toBe(0);
    });

    it("rejects each bad message with its index and reason and stores the rest, another organization's people included", async () => {
      const foreigner = (
        await addCustomer(t, other.adminToken, other.adminId, { name: 'Foreign', externalId: 'wmForeign' })
      ).customerId;
      const r = ok(
        await ingest([
          text('ok-1', {
            employeeId: undefined,
            employeeExternalId: 'zhangsan',
            customerId: undefined,
            customerExternalId: 'wmWang',
            text: '第一条',
          }),
          text('bad-emp', { employeeId: undefined, employeeExternalId: 'nobody' }),
          text('bad-cust', { customerId: foreigner }),
          text('bad-text', { text: '  ' }),
          text('bad-time', { sentAt: new Date(Date.now() + 10 * 60_000).toISOString() }),
          text('ok-2', { senderType: 'CUSTOMER', type: 'IMAGE', text: null }),
          text('bad-other-emp', { employeeId: other.adminId }),
        ]),
      ).ingestChatMessages;
      expect(r).toEqual({
        accepted: 2,
        duplicates: 0,
        rejected: [
          { index: 1, externalId: 'bad-emp', reason: 'employee: unknown employee' },
          { index: 2, externalId: 'bad-cust', reason: 'customer: unknown customer' },
          { index: 3, externalId: 'bad-text', reason: 'text: required for a TEXT message' },
          { index: 4, externalId: 'bad-time', reason: 'sentAt: more than 5 minutes in the future' },
          { index: 6, externalId: 'bad-other-emp', reason: 'employee: unknown employee' },
        ],
      });
      const rows = (
        await t.db.query(
          `SELECT external_id, employee_id, customer_id, text, sender_type, type FROM chat_messages WHERE org_id = $1 ORDER BY external_id`,
          [org.orgId],
        )
      ).rows;
      expect(rows).toEqual([
        {
          external_id: 'ok-1',
          employee_id: sales.id,
          customer_id: customer,
          text: '第一条',
          sender_type: 'EMPLOYEE',
          type: 'TEXT',
        },
        {
          external_id: 'ok-2',
          employee_id: sales.id,
          customer_id: customer,
          text: null,
          sender_type: 'CUSTOMER',
          type: 'IMAGE',
        },
      ]);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM chat_messages WHERE org_id = $1`, [other.orgId])).rows[0].n,
      ).toBe(0);
    });

    it('stores text, payload and external ids exactly as sent, tabs, newlines and backslashes included', async () => {
      // The batch is staged with COPY's text format: each of its special characters must come back as sent.
      const tricky = 'tab\there\nline\r\nback\\slash \\N \\. end\\';
      const id = uniq('esc\\\t-');
      const payload = { note: 'a\\b\t"q"\n', list: ['\\N', '\\.'] };
      const r = ok(
        await ingest([
          text(id, { text: tricky }),
          text(`${id}-p`, { type: 'LINK', text: '\\.', payload }),
          text(`${id}-n`, { type: 'IMAGE', text: null }),
        ]),
      ).ingestChatMessages;
      expect(r).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
      const rows = (
        await t.db.query(
          `SELECT external_id, text, payload FROM chat_messages WHERE org_id = $1 AND external_id LIKE $2 ORDER BY external_id`,
          [org.orgId, `${id.replace(/\\/g, '\\\\')}%`],
        )
      ).rows;
      expect(rows).toEqual([
        { external_id: id, text: tricky, payload: null },
        { external_id: `${id}-n`, text: null, payload: null },
        { external_id: `${id}-p`, text: '\\.', payload },
      ]);
      // Searchable as stored: the grams staged with the row match the text.
      const grams = (await stored(id))[0].search_grams as string[];
      const expected = (await t.db.query(`SELECT chat_search_grams($1) AS g`, [tricky])).rows[0].g as string[];
      expect([...grams].sort()).toEqual([...expected].sort());
    });

    it('is idempotent on externalId: a repeat (in the same call, a later call, or sent in another month) is a duplicate, never a copy', async () => {
      const id = uniq('dup-');
      const first = ok(
        await ingest([text(id, { sentAt: '2026-01-15T08:00:00Z' }), text(id, { sentAt: '2026-01-15T08:00:00Z' })]),
      ).ingestChatMessages;
      expect(first).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
      // Same external id, another month: another partition, still a duplicate.
      const again = ok(
        await ingest([text(id, { sentAt: '2025-11-03T08:00:00Z', text: 'changed' }), text(`${id}-new`)]),
      ).ingestChatMessages;
      expect(again).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
      const rows = (
        await t.db.query(`SELECT tableoid::regclass::text AS part, text FROM chat_messages WHERE external_id = $1`, [
          id,
        ])
      ).rows;
      expect(rows).toEqual([{ part: 'chat_messages_p202601', text: `hello ${id}` }]);
    });

    it('keeps each conversation (employee x customer) with its message count and last message time', async () => {
      const before = (
        await t.db.query(`SELECT message_count FROM chat_conversations WHERE employee_id = $1 AND customer_id = $2`, [
          sales2.id,
          customer2,
        ])
      ).rows;
      expect(before).toEqual([]);
      const times = [ago(3 * HOUR), ago(2 * HOUR), ago(5 * HOUR)];
      ok(
        await ingest(
          times.map((sentAt, i) => text(uniq(`conv-${i}-`), { employeeId: sales2.id, customerId: customer2, sentAt })),
        ),
      );
      ok(
        await ingest([
          text(uniq('conv-dup-'), { employeeId: sales2.id, customerId: customer2, sentAt: ago(4 * HOUR) }),
        ]),
      );
      const conv = (
        await t.db.query(
          `SELECT message_count, last_message_at FROM chat_conversations WHERE employee_id = $1 AND customer_id = $2`,
          [sales2.id, customer2],
        )
      ).rows;
      expect(conv).toEqual([{ message_count: 4, last_message_at: new Date(times[1]) }]);
      const list = ok(await t.gql(CONVERSATIONS, { f: { customerId: customer2 } }, auditor.token)).conversations.edges;
      expect(list.map((e: { node: unknown }) => e.node)).toEqual([
        expect.objectContaining({
          messageCount: 4,
          lastMessageAt: new Date(times[1]).toISOString(),
          consent: 'UNKNOWN',
          employee: { id: sales2.id },
          customer: { id: customer2, name: 'Zhao' },
        }),
      ]);
      // The department filter reaches the employees of the department's tree only.
      const east = ok(await t.gql(CONVERSATIONS, { f: { departmentId: salesDept } }, auditor.token)).conversations
        .edges;
      expect(east.map((e: { node: { employee: { id: string } } }) => e.node.employee.id)).toEqual([sales.id]);
    });
  });

  describe('consent', () => {
    let cust: string;
    beforeAll(async () => {
      cust = (await addCustomer(t, org.adminToken, sales.id, { name: 'Consent', externalId: uniq('wmC') })).customerId;
    });
    const m = (externalId: string, sentAt: string, over: Partial<Msg> = {}) =>
      text(externalId, { customerId: cust, sentAt, text: `secret ${externalId}`, ...over });

    it('never stores the content of messages sent after a DISAGREE message, in the same call or out of order', async () => {
      ok(
        await ingest([
          m('c-before', ago(10 * HOUR)),
          m('c-after', ago(8 * HOUR)),
          m('c-disagree', ago(9 * HOUR), { type: 'DISAGREE', text: null, senderType: 'CUSTOMER' }),
        ]),
      );
      expect(await stored('c-before')).toEqual([
        {
          text: 'secret c-before',
          payload: null,
          content_withheld: false,
          search_grams: expect.arrayContaining([gramCode('se'), gramCode('s')]),
        },
      ]);
      expect(await stored('c-after')).toEqual([
        { text: null, payload: null, content_withheld: true, search_grams: [] },
      ]);
      // A later message, arriving in a later call.
      ok(await ingest([m('c-later', ago(7 * HOUR))]));
      expect((await stored('c-later'))[0]).toEqual(expect.objectContaining({ text: null, content_withheld: true }));
      // Withheld messages still count in their conversation.
      const conv = (await t.db.query(`SELECT message_count FROM chat_conversations WHERE customer_id = $1`, [cust]))
        .rows;
      expect(conv).toEqual([{ message_count: 4 }]);
    });

    it('stores content again after an AGREE, and answers the conversation\'s consent now', async () => {
      ok(
        await ingest([
          m('c-agree', ago(6 * HOUR), { type: 'AGREE', text: null, senderType: 'CUSTOMER' }),
          m('c-agreed', ago(5 * HOUR)),
        ]),
      );
      expect((await stored('c-agreed'))[0]).toEqual(
        expect.objectContaining({ text: 'secret c-agreed', content_withheld: false }),
      );
      const list = ok(await t.gql(CONVERSATIONS, { f: { customerId: cust } }, auditor.token)).conversations.edges;
      expect(list[0].node.consent).toBe('AGREED');
    });

    it('recordConsent DISAGREED erases content already stored from its time on, for the one employee when given', async () => {
      const c3 = (await addCustomer(t, org.adminToken, sales.id, { name: 'Late', externalId: uniq('wmL') })).customerId;
      ok(
        await ingest([
          text('l-s1-old', { customerId: c3, sentAt: ago(9 * HOUR), text: 'old one' }),
          text('l-s1-new', { customerId: c3, sentAt: ago(3 * HOUR), text: 'new one' }),
          text('l-s2-new', { customerId: c3, employeeId: sales2.id, sentAt: ago(3 * HOUR), text: 'other rep' }),
        ]),
      );
      const r = ok(
        await t.gql(
          CONSENT,
          { input: { customerId: c3, employeeId: sales.id, status: 'DISAGREED', changedAt: ago(4 * HOUR) } },
          org.adminToken,
        ),
      );
      expect(r.recordConsent).toBe('DISAGREED');
      expect((await stored('l-s1-old'))[0].text).toBe('old one');
      expect((await stored('l-s1-new'))[0]).toEqual({
        text: null,
        payload: null,
        content_withheld: true,
        search_grams: [],
      });
      expect((await stored('l-s2-new'))[0].text).toBe('other rep');
      const rows = (
        await t.db.query(
          `SELECT status, source, employee_id, recorded_by_id FROM chat_consents WHERE customer_id = $1`,
          [c3],
        )
      ).rows;
      expect(rows).toEqual([
        { status: 'DISAGREED', source: 'API', employee_id: sales.id, recorded_by_id: org.adminId },
      ]);
    });

    it('recordConsent DISAGREED while an ingest of the customer is in flight: the ingest stores no content after it', async () => {
      const c4 = (await addCustomer(t, org.adminToken, sales.id, { name: 'Race', externalId: uniq('wmR') })).customerId;
      ok(await ingest([text('r-first', { customerId: c4, sentAt: ago(9 * HOUR), text: 'before the race' })]));
      // A rule the in-flight message hits: its alert and notice are written in the ingest's transaction, and must
      // go with the content the re-check erases before the commit.
      const ruleInput = { name: uniq('flight'), keywords: ['said in flight'], notifyEmployeeIds: [auditor.id] };
      const ruleId = ok(
        await t.gql(
          `mutation($input: KeywordRuleInput!) { createKeywordRule(input: $input) { id } }`,
          { input: ruleInput },
          org.adminToken,
        ),
      ).createKeywordRule.id as string;
      // Holds the ingest between its messages INSERT and its commit: KPI's hook, which runs after the INSERT, takes
      // the organization's KPI lock shared; this connection holds it exclusively until released.
      const holder = await t.db.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT pg_advisory_xact_lock(hashtext('kpi-rollups'), hashtext($1::text))`, [org.orgId]);
        const inFlight = ingest([
          text('r-in-flight', { customerId: c4, sentAt: ago(2 * HOUR), text: 'said in flight' }),
        ]);
        const waiting = async () =>
          (
            await t.db.query(
              `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
            )
          ).rows[0].n;
        for (let i = 0; i < 300 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
        expect(await waiting()).toBe(1);
        // The refusal commits while the ingest's messages are written but not committed.
        const input = { customerId: c4, status: 'DISAGREED', changedAt: ago(3 * HOUR) };
        const r = ok(await t.gql(CONSENT, { input }, org.adminToken));
        expect(r.recordConsent).toBe('DISAGREED');
        await holder.query('ROLLBACK');
        expect(ok(await inFlight).ingestChatMessages.accepted).toBe(1);
      } finally {
        holder.release();
      }
      expect((await stored('r-first'))[0].text).toBe('before the race');
      expect((await stored('r-in-flight'))[0]).toEqual({
        text: null,
        payload: null,
        content_withheld: true,
        search_grams: [],
      });
      const left = await t.db.query(
        `SELECT (SELECT count(*)::int FROM chat_audit_alerts WHERE org_id = $1 AND rule_id = $2) AS alerts,
                (SELECT count(*)::int FROM notifications n WHERE n.org_id = $1 AND n.kind = 'AUDIT_ALERT'
                    AND NOT EXISTS (SELECT 1 FROM chat_audit_alerts a WHERE a.id = n.audit_alert_id)) AS orphans`,
        [org.orgId, ruleId],
      );
      expect(left.rows[0]).toEqual({ alerts: 0, orphans: 0 });
      ok(await t.gql(`mutation($id: ID!) { deleteKeywordRule(id: $id) }`, { id: ruleId }, org.adminToken));
    });

    it('recordConsent DISAGREED while an ingest commits: the refusal waits for it and erases its content', async () => {
      const c5 = (await addCustomer(t, org.adminToken, sales.id, { name: 'Commit', externalId: uniq('wmK') }))
        .customerId;
      const at = Date.now() - 2 * HOUR;
      // The organization's KPI row of that day exists (another customer's conversation), so the ingest's last
      // step, adding its new conversation-day to the team rows after its consent re-check, waits for this
      // connection's lock on that row: between the re-check and the commit.
      ok(await ingest([text('k-first', { sentAt: new Date(at - 1000).toISOString(), text: 'first' })]));
      const holder = await t.db.connect();
      try {
        await holder.query('BEGIN');
        const locked = await holder.query(`SELECT 1 FROM kpi_organization_days WHERE org_id = $1 FOR UPDATE`, [
          org.orgId,
        ]);
        expect(locked.rowCount).toBeGreaterThan(0);
        const inFlight = ingest([
          text('k-in-flight', { customerId: c5, sentAt: new Date(at).toISOString(), text: 'said while committing' }),
        ]);
        const blocked = async (kind: string) =>
          (
            await t.db.query(
              `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                WHERE l.locktype = $1 AND NOT l.granted AND a.datname = current_database()`,
              [kind],
            )
          ).rows[0].n;
        // The ingest waits on the KPI row (a transactionid lock: the holder's transaction).
        const until = async (kind: string) => {
          for (let i = 0; i < 300 && (await blocked(kind)) === 0; i++) await new Promise((r) => setTimeout(r, 50));
        };
        await until('transactionid');
        expect(await blocked('transactionid')).toBe(1);
        const input = { customerId: c5, status: 'DISAGREED', changedAt: new Date(at - 500).toISOString() };
        const consent = t.gql(CONSENT, { input }, org.adminToken);
        // The refusal has committed and now waits for the ingest's commit (the exclusive consent lock).
        await until('advisory');
        expect(await blocked('advisory')).toBe(1);
        await holder.query('ROLLBACK');
        expect(ok(await inFlight).ingestChatMessages.accepted).toBe(1);
        expect(ok(await consent).recordConsent).toBe('DISAGREED');
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
      }
      expect((await stored('k-first'))[0].text).toBe('first');
      expect((await stored('k-in-flight'))[0]).toEqual(expect.objectContaining({ text: null, content_withheld: true }));
    });

    it('recordConsent: UNAUTHENTICATED, FORBIDDEN without chat:consent, NOT_FOUND for another organization, BAD_USER_INPUT', async () => {
      const input = { customerId: cust, status: 'AGREED' };
      expect(codeOf(await t.gql(CONSENT, { input }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CONSENT, { input }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CONSENT, { input }, other.adminToken))).toBe('NOT_FOUND');
      const bad = await t.gql(CONSENT, { input: { customerId: 'nope', status: 'AGREED' } }, org.adminToken);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].message).toContain('input.customerId');
      const future = await t.gql(
        CONSENT,
        { input: { ...input, changedAt: new Date(Date.now() + HOUR).toISOString() } },
        org.adminToken,
      );
      expect(codeOf(future)).toBe('BAD_USER_INPUT');
      expect(
        (
          await t.db.query(`SELECT count(*)::int AS n FROM chat_consents WHERE customer_id = $1 AND source = 'API'`, [
            cust,
          ])
        ).rows[0].n,
      ).toBe(0);
    });
  });

  describe('reads and the access log', () => {
    it('searches Chinese from one character and English case-insensitively, newest first, without withheld content', async () => {
      const c = (await addCustomer(t, org.adminToken, sales.id, { name: 'Search', externalId: uniq('wmS') }))
        .customerId;
      ok(
        await ingest([
          text('s-1', { customerId: c, sentAt: ago(30 * HOUR), text: '请加我微信 thanks' }),
          text('s-2', { customerId: c, sentAt: ago(20 * HOUR), text: '微信红包已发', senderType: 'CUSTOMER' }),
          text('s-3', { customerId: c, sentAt: ago(10 * HOUR), text: 'Send the WeChat ID' }),
          text('s-4', { customerId: c, sentAt: ago(5 * HOUR), text: '信用卡' }),
        ]),
      );
      const ids = async (q: string, f?: Record<string, unknown>) =>
        ok(await t.gql(SEARCH, { q, f: { customerId: c, ...f } }, auditor.token)).searchChatMessages.edges.map(
          (e: { node: { externalId: string } }) => e.node.externalId,
        );
      expect(await ids('微信')).toEqual(['s-2', 's-1']);
      expect(await ids('信')).toEqual(['s-4', 's-2', 's-1']);
      expect(await ids('wechat')).toEqual(['s-3']);
      expect(await ids('THANKS')).toEqual(['s-1']);
      expect(await ids('微信', { senderType: 'CUSTOMER' })).toEqual(['s-2']);
      expect(await ids('信', { from: ago(25 * HOUR), to: ago(6 * HOUR) })).toEqual(['s-2']);
      expect(await ids('信', { employeeIds: [sales2.id] })).toEqual([]);
      // Withheld content is not found: 'secret' was erased or never stored for the consent customer.
      const all = ok(await t.gql(SEARCH, { q: 'secret c-after' }, auditor.token)).searchChatMessages.edges;
      expect(all).toEqual([]);
      // Paging: newest first, nothing repeated or skipped.
      const p1 = ok(await t.gql(SEARCH, { q: '信', f: { customerId: c }, first: 2 }, auditor.token)).searchChatMessages;
      const p2 = ok(
        await t.gql(SEARCH, { q: '信', f: { customerId: c }, first: 2, after: p1.pageInfo.endCursor }, auditor.token),
      ).searchChatMessages;
      expect([...p1.edges, ...p2.edges].map((e: { node: { externalId: string } }) => e.node.externalId)).toEqual([
        's-4',
        's-2',
        's-1',
      ]);
      expect([p1.pageInfo.hasNextPage, p2.pageInfo.hasNextPage]).toEqual([true, false]);
    });

    it('refuses chat reads without chat:read (FORBIDDEN) and bad search input (BAD_USER_INPUT)', async () => {
      expect(codeOf(await t.gql(SEARCH, { q: '信' }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(SEARCH, { q: '信' }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CONVERSATIONS, {}, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(ACCESS_LOG, {}, sales.token))).toBe('FORBIDDEN');
      const empty = await t.gql(SEARCH, { q: '' }, auditor.token);
      expect([codeOf(empty), empty.errors![0].message]).toEqual(['BAD_USER_INPUT', 'query: must not be empty']);
      expect(codeOf(await t.gql(SEARCH, { q: 'x'.repeat(101) }, auditor.token))).toBe('BAD_USER_INPUT');
    });

    it('shows a conversation thread oldest first with withheld content as withheld, NOT_FOUND across organizations', async () => {
      const [{ id }] = (
        await t.db.query(
          `SELECT c.id FROM chat_conversations c JOIN chat_messages m ON m.conversation_id = c.id WHERE m.external_id = 'c-after'`,
        )
      ).rows;
      const conv = ok(await t.gql(THREAD, { id }, auditor.token)).conversation;
      const byId = Object.fromEntries(
        conv.messages.edges.map((e: { node: { externalId: string } }) => [e.node.externalId, e.node]),
      );
      expect(conv.messages.edges.map((e: { node: { externalId: string } }) => e.node.externalId)).toEqual([
        'c-before',
        'c-disagree',
        'c-after',
        'c-later',
        'c-agree',
        'c-agreed',
      ]);
      expect(byId['c-after']).toEqual({
        externalId: 'c-after',
        text: null,
        contentWithheld: true,
        type: 'TEXT',
        alerts: [],
      });
      expect(byId['c-before'].text).toBe('secret c-before');
      expect(codeOf(await t.gql(THREAD, { id }, other.adminToken))).toBe('NOT_FOUND');
    });

    it('logs every read of chat content (who, what, when) and shows the log to auditors, API keys included', async () => {
      const key = ok(
        await t.gql(
          `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
          { input: { name: 'siem', roles: ['auditor'] } },
          org.adminToken,
        ),
      ).createApiKey;
      const before = Date.now();
      ok(await t.gql(SEARCH, { q: '微信', f: { senderType: 'CUSTOMER' } }, auditor.token));
      ok(await t.gql(SEARCH, { q: 'thanks' }, key.secret));
      const [{ id }] = (await t.db.query(`SELECT id FROM chat_conversations WHERE customer_id = $1`, [customer2])).rows;
      ok(await t.gql(THREAD, { id }, auditor.token));
      const log = ok(await t.gql(ACCESS_LOG, {}, auditor.token)).auditAccessLog.edges.map(
        (e: { node: Record<string, unknown> }) => e.node,
      );
      const recent = log.filter((e: { occurredAt: string }) => Date.parse(e.occurredAt) >= before - 1000).slice(0, 4);
      expect(
        recent.map((e: { action: string; target: string; viewer: unknown; apiKey: unknown }) => [
          e.action,
          e.target,
          e.viewer,
          e.apiKey,
        ]),
      ).toEqual([
        ['conversation.messages', id, { id: auditor.id }, null],
        ['conversation', id, { id: auditor.id }, null],
        [
          'searchChatMessages',
          JSON.stringify({ query: 'thanks', filter: {} }),
          null,
          { id: key.apiKey.id, name: 'siem' },
        ],
        [
          'searchChatMessages',
          JSON.stringify({ query: '微信', filter: { senderType: 'CUSTOMER' } }),
          { id: auditor.id },
          null,
        ],
      ]);
      // Listing conversations shows no content and is not logged; reading the log is not either.
      const n = (await t.db.query(`SELECT count(*)::int AS n FROM chat_access_log`)).rows[0].n;
      ok(await t.gql(CONVERSATIONS, {}, auditor.token));
      ok(await t.gql(ACCESS_LOG, {}, auditor.token));
      expect((await t.db.query(`SELECT count(*)::int AS n FROM chat_access_log`)).rows[0].n).toBe(n);
    });

    it('keeps the access log append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
      const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM chat_access_log`)).rows[0].n;
      const n = await count();
      expect(n).toBeGreaterThan(0);
      await expect(t.db.query(`UPDATE chat_access_log SET action = 'x'`)).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      await expect(t.db.query(`DELETE FROM chat_access_log`)).rejects.toThrow(/append-only: DELETE refused/);
      await expect(t.db.query(`TRUNCATE chat_access_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
      expect(await count()).toBe(n);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM chat_access_log WHERE action = 'x'`)).rows[0].n).toBe(0);
    });
  });

  describe('retention', () => {
    it("drops months entirely past every organization's retention, deletes only the boundary month's old rows, and keeps organizations without retention", async () => {
      const t2 = await startTestApp();
      try {
        const a = await signUpOrg(t2);
        const b = await signUpOrg(t2);
        const ea = await createEmployee(t2, a, { externalId: 'ea' });
        const eb = await createEmployee(t2, b, { externalId: 'eb' });
        const ca = (await addCustomer(t2, a.adminToken, ea.id, { externalId: 'ca' })).customerId;
        const cb = (await addCustomer(t2, b.adminToken, eb.id, { externalId: 'cb' })).customerId;
        const DAY = 24 * HOUR;
        const send = (o: OrgFixture, e: string, c: string, ids: Array<[string, number]>) =>
          t2.gql(
            INGEST,
            {
              input: {
                messages: ids.map(([x, days]) => ({
                  externalId: x,
                  employeeId: e,
                  customerId: c,
                  senderType: 'EMPLOYEE',
                  type: 'TEXT',
                  text: x,
                  sentAt: ago(days * DAY),
                })),
              },
            },
            o.adminToken,
          );
        // a: 400, 200 (two old months), 95 and 85 days ago (around a 90-day cutoff), 1 day ago.
        ok(
          await send(a, ea.id, ca, [
            ['a400', 400],
            ['a200', 200],
            ['a95', 95],
            ['a85', 85],
            ['a1', 1],
          ]),
        );
        // b keeps everything (no retention) and shares the 200-day month with a.
        ok(await send(b, eb.id, cb, [['b200', 200]]));
        const setRetention = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { settings { chatRetentionDays } } }`;
        ok(await t2.gql(setRetention, { input: { chatRetentionDays: 90 } }, a.adminToken));
        const monthOf = (days: number) => {
          const d = new Date(Date.now() - days * DAY);
          return `chat_messages_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
        };
        const exists = async (name: string) =>
          (await t2.db.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [name])).rows[0].e;
        expect(await exists(monthOf(400))).toBe(true);

        const result = await t2.app.get(PurgeChatMessagesJob).handle();
        expect(result.dropped).toEqual([`${monthOf(400).slice(15, 19)}-${monthOf(400).slice(19)}-01`]);
        expect(await exists(monthOf(400))).toBe(false);
        // The month shared with b stays; a's row in it is deleted, b's kept.
        expect(await exists(monthOf(200))).toBe(true);
        const left = (await t2.db.query(`SELECT external_id FROM chat_messages ORDER BY external_id`)).rows.map(
          (r) => r.external_id,
        );
        expect(left).toEqual(['a1', 'a85', 'b200']);
        // Keys of purged messages are forgotten, the conversation recounted.
        expect(
          (
            await t2.db.query(`SELECT external_id FROM chat_message_keys WHERE org_id = $1 ORDER BY 1`, [a.orgId])
          ).rows.map((r) => r.external_id),
        ).toEqual(['a1', 'a85']);
        expect(
          (await t2.db.query(`SELECT message_count FROM chat_conversations WHERE org_id = $1`, [a.orgId])).rows,
        ).toEqual([{ message_count: 2 }]);
        // The coming months are ready.
        expect(await exists(monthOf(-31))).toBe(true);
        // Idempotent; and messages older than the retention are refused at ingest rather than stored and purged.
        expect(await t2.app.get(PurgeChatMessagesJob).handle()).toEqual({ dropped: [], deleted: 0 });
        const late = ok(await send(a, ea.id, ca, [['a120', 120]])).ingestChatMessages;
        expect(late.rejected).toEqual([
          { index: 0, externalId: 'a120', reason: "sentAt: older than the organization's chat retention (90 days)" },
        ]);
      } finally {
        await t2.close();
      }
    });
  });
});
