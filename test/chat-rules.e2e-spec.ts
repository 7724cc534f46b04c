import { DispatchingEventBus, EventBus } from 'src/core/realtime/event-bus';
import { PurgeChatMessagesJob } from 'src/modules/chat-audit/jobs/purge-chat-messages.job';
import { ChatRulesCache } from 'src/modules/chat-audit/services/chat-rules-cache';
import { addCustomer } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { Received, sleep, WsConn, wsConnect } from './helpers/subscriptions';
import { codeOf, ok, startTestApp, TestApp } from './helpers/test-app';

const RULE_FIELDS = `id name keywords semantics appliesTo departments { id } severity enabled notify { id } createdAt updatedAt`;
const CREATE = `mutation($input: KeywordRuleInput!) { createKeywordRule(input: $input) { ${RULE_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateKeywordRuleInput!) { updateKeywordRule(input: $input) { ${RULE_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteKeywordRule(id: $id) }`;
const RULES = `{ keywordRules { ${RULE_FIELDS} } }`;
const TEST = `query($rule: KeywordRuleInput!, $text: String!) { testKeywordRule(rule: $rule, text: $text) {
  matches matched positions { kind value start end } } }`;
const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted duplicates rejected { reason } } }`;
const ALERT_FIELDS = `id matched status severity createdAt rule { id name } message { id externalId text }
  acknowledgedBy { id } acknowledgedAt acknowledgedNote resolvedBy { id } resolvedAt resolvedNote`;
const ALERTS = `query($f: AuditAlertFilter, $first: Int, $after: String) { auditAlerts(filter: $f, first: $first, after: $after) {
  edges { node { ${ALERT_FIELDS} } cursor } pageInfo { hasNextPage endCursor } } }`;
const UPDATE_ALERT = `mutation($input: UpdateAuditAlertInput!) { updateAuditAlert(input: $input) { ${ALERT_FIELDS} } }`;
const RAISED = `subscription { auditAlertRaised { id matched rule { id } message { externalId } } }`;
const CREATE_ROLE = `mutation($input: RoleInput!) { createRole(input: $input) { id } }`;

interface Alert {
  id: string;
  matched: string[];
  status: string;
  severity: string;
  rule: { id: string; name: string };
  message: { id: string; externalId: string; text: string | null };
  acknowledgedBy: { id: string } | null;
  acknowledgedAt: string | null;
  acknowledgedNote: string | null;
  resolvedBy: { id: string } | null;
  resolvedAt: string | null;
  resolvedNote: string | null;
}
type Edges<T> = { edges: Array<{ node: T }> };
const nodes = <T>(c: Edges<T>) => c.edges.map((e) => e.node);
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('chat audit: keyword rules and alerts', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let auditor: EmployeeFixture;
  let sales: EmployeeFixture;
  /** In department East (sales) and its sub-department East-1 (sub); west is elsewhere. */
  let sub: EmployeeFixture;
  let west: EmployeeFixture;
  let east: string;
  let eastOne: string;
  let otherDept: string;
  const customerOf = new Map<string, string>();
  const open: WsConn[] = [];

  const admin = () => org.adminToken;
  const rule = (over: Record<string, unknown> = {}) => ({ name: uniq('rule'), keywords: ['kickback'], ...over });
  const create = async (over: Record<string, unknown> = {}, token = admin()) =>
    ok(await t.gql(CREATE, { input: rule(over) }, token)).createKeywordRule as { id: string; keywords: string[] };
  const msg = (employee: EmployeeFixture, text: string | null, over: Record<string, unknown> = {}) => ({
    externalId: uniq('m'),
    employeeId: employee.id,
    customerId: customerOf.get(employee.id),
    senderType: 'EMPLOYEE',
    type: text === null ? 'IMAGE' : 'TEXT',
    text,
    sentAt: ago(60_000),
    ...over,
  });
  const ingest = async (messages: Array<Record<string, unknown>>) =>
    ok(await t.gql(INGEST, { input: { messages } }, admin())).ingestChatMessages;
  /** The alerts stored for a message: (rule, matched). */
  const alertsOf = async (externalId: string) =>
    (
      await t.db.query(
        `SELECT a.rule_id, a.matched, a.severity, a.status FROM chat_audit_alerts a
           JOIN chat_message_keys k ON k.org_id = a.org_id AND k.message_id = a.message_id
          WHERE a.org_id = $1 AND k.external_id = $2 ORDER BY a.rule_id`,
        [org.orgId, externalId],
      )
    ).rows as Array<{ rule_id: string; matched: string[]; severity: string; status: string }>;
  /** Disables every rule, so each test sees only its own. */
  const quiet = () =>
    t.db
      .query(`UPDATE chat_keyword_rules SET enabled = false WHERE org_id = $1`, [org.orgId])
      .then(() =>
        t.db.query(`UPDATE chat_keyword_rule_versions SET version = version + 1 WHERE org_id = $1`, [org.orgId]),
      );

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    east = await createDepartment(t, admin(), 'East');
    eastOne = await createDepartment(t, admin(), 'East-1', east);
    const westDept = await createDepartment(t, admin(), 'West');
    otherDept = await createDepartment(t, other.adminToken, 'Elsewhere');
    auditor = await createEmployee(t, org, { roles: ['auditor'] });
    sales = await createEmployee(t, org, { roles: ['sales'], departmentId: east });
    sub = await createEmployee(t, org, { roles: ['sales'], departmentId: eastOne });
    west = await createEmployee(t, org, { roles: ['sales'], departmentId: westDept });
    for (const e of [sales, sub, west])
      customerOf.set(e.id, (await addCustomer(t, admin(), e.id, { name: 'C', externalId: uniq('wm') })).customerId);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => t.close());

  describe('keyword rule CRUD', () => {
    it('refuses without a token (UNAUTHENTICATED) or the permission (FORBIDDEN), writing nothing', async () => {
      expect(codeOf(await t.gql(CREATE, { input: rule() }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(RULES, {}))).toBe('UNAUTHENTICATED');
      const someId = '00000000-0000-4000-8000-000000000000';
      expect(codeOf(await t.gql(UPDATE, { input: { id: someId, rule: rule() } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(DELETE, { id: someId }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(TEST, { rule: rule(), text: 'x' }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(UPDATE, { input: { id: someId, rule: rule() } }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CREATE, { input: rule() }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(RULES, {}, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(TEST, { rule: rule(), text: 'x' }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DELETE, { id: '00000000-0000-4000-8000-000000000000' }, sales.token))).toBe(
        'FORBIDDEN',
      );
      expect((await t.db.query(`SELECT count(*)::int AS n FROM chat_keyword_rules`)).rows[0].n).toBe(0);
    });

    it('creates a rule (auditor) with its departments and notify list, and lists it', async () => {
      const r = ok(
        await t.gql(
          CREATE,
          {
            input: {
              name: '  Kickbacks ',
              keywords: ['回扣', ' Kickback ', 'KICKBACK'],
              semantics: ['PHONE_NUMBER'],
              appliesTo: ['EMPLOYEE'],
              departmentIds: [east],
              severity: 'HIGH',
              notifyEmployeeIds: [auditor.id],
            },
          },
          auditor.token,
        ),
      ).createKeywordRule;
      expect(r).toMatchObject({
        name: 'Kickbacks',
        keywords: ['回扣', 'Kickback'],
        semantics: ['PHONE_NUMBER'],
        appliesTo: ['EMPLOYEE'],
        departments: [{ id: east }],
        severity: 'HIGH',
        enabled: true,
        notify: [{ id: auditor.id }],
      });
      const row = (
        await t.db.query(`SELECT org_id, keywords, created_by_id FROM chat_keyword_rules WHERE id = $1`, [r.id])
      ).rows[0];
      expect(row).toEqual({ org_id: org.orgId, keywords: ['回扣', 'Kickback'], created_by_id: auditor.id });
      const listed = ok(await t.gql(RULES, {}, auditor.token)).keywordRules as Array<{ id: string }>;
      expect(listed.map((x) => x.id)).toContain(r.id);
      expect(ok(await t.gql(RULES, {}, other.adminToken)).keywordRules).toEqual([]);
    });

    it('refuses bad input as BAD_USER_INPUT naming each field, before writing anything', async () => {
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM chat_keyword_rules`)).rows[0].n;
      const r = await t.gql(
        CREATE,
        {
          input: {
            name: ' ',
            keywords: ['ok', '', 'x'.repeat(101)],
            appliesTo: [],
            departmentIds: [otherDept],
            notifyEmployeeIds: [other.adminId],
          },
        },
        admin(),
      );
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      const fields = (r.errors![0].extensions!.problems as Array<{ field: string }> | undefined)?.map(
        (p) => p.field,
      ) ?? [r.errors![0].message];
      const text = JSON.stringify(r.errors);
      for (const f of [
        'input.name',
        'input.keywords[1]',
        'input.keywords[2]',
        'input.appliesTo',
        'input.departmentIds',
        'input.notifyEmployeeIds',
      ])
        expect([f, text.includes(f)]).toEqual([f, true]);
      expect(fields.length).toBeGreaterThan(0);
      expect(codeOf(await t.gql(CREATE, { input: { name: 'empty', keywords: [] } }, admin()))).toBe('BAD_USER_INPUT');
      expect((await t.db.query(`SELECT count(*)::int AS n FROM chat_keyword_rules`)).rows[0].n).toBe(before);
    });

    it('refuses a notify-list member without alert:read (BAD_USER_INPUT naming the field and who), on create and update', async () => {
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM chat_keyword_rules`)).rows[0].n;
      // west is a sales rep: told of an alert, they could not open it.
      const refused = await t.gql(CREATE, { input: rule({ notifyEmployeeIds: [auditor.id, west.id] }) }, admin());
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      const problems = refused.errors![0].extensions!.fields as Array<{ field: string; message: string }>;
      expect(problems).toEqual([{ field: 'input.notifyEmployeeIds', message: expect.stringContaining(west.id) }]);
      expect(problems[0].message).toMatch(/alert:read/);
      expect(problems[0].message).not.toContain(auditor.id);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM chat_keyword_rules`)).rows[0].n).toBe(before);
      // An update is checked the same way, and leaves the rule as it was.
      const r = await create({ notifyEmployeeIds: [auditor.id] });
      const update = await t.gql(
        UPDATE,
        { input: { id: r.id, rule: rule({ notifyEmployeeIds: [west.id] }) } },
        admin(),
      );
      expect(codeOf(update)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(update.errors)).toContain('input.rule.notifyEmployeeIds');
      const stored = await t.db.query(`SELECT notify_employee_ids FROM chat_keyword_rules WHERE id = $1`, [r.id]);
      expect(stored.rows).toEqual([{ notify_employee_ids: [auditor.id] }]);
    });

    it('caps the keywords of an organization (10,000) across its rules', async () => {
      const many = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}-${i}`);
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) ids.push((await create({ keywords: many(`cap${i}`, 1000), enabled: false })).id);
      const total = (
        await t.db.query(
          `SELECT sum(cardinality(keywords))::int AS n FROM chat_keyword_rules WHERE org_id = $1 AND deleted_at IS NULL`,
          [org.orgId],
        )
      ).rows[0].n as number;
      const r = await t.gql(CREATE, { input: rule({ keywords: many('over', 10_001 - total) }) }, admin());
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].message).toContain('input.keywords');
      for (const id of ids) ok(await t.gql(DELETE, { id }, admin()));
      expect(
        ok(await t.gql(CREATE, { input: rule({ keywords: many('fits', 1000), enabled: false }) }, admin()))
          .createKeywordRule.id,
      ).toBeTruthy();
    });

    it('updates and deletes a rule of the organization; another organization’s is NOT_FOUND', async () => {
      const r = await create({ keywords: ['alpha'] });
      const u = ok(
        await t.gql(
          UPDATE,
          { input: { id: r.id, rule: rule({ name: 'renamed', keywords: ['beta'], enabled: false }) } },
          admin(),
        ),
      ).updateKeywordRule;
      expect(u).toMatchObject({ id: r.id, name: 'renamed', keywords: ['beta'], enabled: false });
      const foreign = await t.gql(UPDATE, { input: { id: r.id, rule: rule() } }, other.adminToken);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(DELETE, { id: r.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(UPDATE, { input: { id: r.id, rule: rule({ name: '' }) } }, admin()))).toBe(
        'BAD_USER_INPUT',
      );
      expect(ok(await t.gql(DELETE, { id: r.id }, admin())).deleteKeywordRule).toBe(true);
      expect(
        (ok(await t.gql(RULES, {}, admin())).keywordRules as Array<{ id: string }>).map((x) => x.id),
      ).not.toContain(r.id);
      expect(codeOf(await t.gql(DELETE, { id: r.id }, admin()))).toBe('NOT_FOUND');
      expect(
        (await t.db.query(`SELECT name, deleted_at IS NOT NULL AS gone FROM chat_keyword_rules WHERE id = $1`, [r.id]))
          .rows[0],
      ).toEqual({ name: 'renamed', gone: true });
    });
  });

  describe('testKeywordRule', () => {
    it('answers what would match with positions, stores nothing', async () => {
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM chat_keyword_rules`)).rows[0].n;
      const r = ok(
        await t.gql(
          TEST,
          {
            rule: { name: 't', keywords: ['回扣', 'vip'], semantics: ['BANK_CARD'] },
            text: 'ＶＩＰ要回扣 卡4111111111111111',
          },
          auditor.token,
        ),
      ).testKeywordRule;
      expect(r).toEqual({
        matches: true,
        matched: ['回扣', 'vip', 'BANK_CARD'],
        positions: [
          { kind: 'KEYWORD', value: 'vip', start: 0, end: 3 },
          { kind: 'KEYWORD', value: '回扣', start: 4, end: 6 },
          { kind: 'SEMANTIC', value: 'BANK_CARD', start: 8, end: 24 },
        ],
      });
      expect(
        ok(await t.gql(TEST, { rule: { name: 't', keywords: ['nope'] }, text: 'hello' }, auditor.token))
          .testKeywordRule,
      ).toEqual({ matches: false, matched: [], positions: [] });
      expect(codeOf(await t.gql(TEST, { rule: { name: '', keywords: ['x'] }, text: 'x' }, auditor.token))).toBe(
        'BAD_USER_INPUT',
      );
      expect((await t.db.query(`SELECT count(*)::int AS n FROM chat_keyword_rules`)).rows[0].n).toBe(before);
    });
  });

  describe('matching at ingest', () => {
    beforeEach(() => quiet());

    it('raises one alert per (rule, message): case-insensitive, Chinese substrings, full-width; a re-ingest raises nothing', async () => {
      const a = await create({ keywords: ['Kickback', '回扣'], severity: 'HIGH' });
      const b = await create({ keywords: ['kick'] });
      const m1 = msg(sales, 'about the KICKBACK, kickback again');
      const m2 = msg(sales, '这次给你回扣吧');
      const m3 = msg(sales, 'ｋｉｃｋｂａｃｋ');
      const m4 = msg(sales, 'nothing to see');
      expect(await ingest([m1, m2, m3, m4])).toMatchObject({ accepted: 4 });
      expect(await alertsOf(m1.externalId)).toEqual(
        [
          { rule_id: a.id, matched: ['Kickback'], severity: 'HIGH', status: 'OPEN' },
          { rule_id: b.id, matched: ['kick'], severity: 'MEDIUM', status: 'OPEN' },
        ].sort((x, y) => x.rule_id.localeCompare(y.rule_id)),
      );
      expect((await alertsOf(m2.externalId)).map((x) => x.matched)).toEqual([['回扣']]);
      expect((await alertsOf(m3.externalId)).length).toBe(2);
      expect(await alertsOf(m4.externalId)).toEqual([]);
      const count = async () =>
        (await t.db.query(`SELECT count(*)::int AS n FROM chat_audit_alerts WHERE org_id = $1`, [org.orgId])).rows[0].n;
      const n = await count();
      expect(await ingest([m1, m2])).toMatchObject({ accepted: 0, duplicates: 2 });
      expect(await count()).toBe(n);
    });

    it('applies each detector: phone, e-mail, red packet, a Luhn-valid card (never a Luhn-invalid one)', async () => {
      const r = await create({ keywords: [], semantics: ['PHONE_NUMBER', 'EMAIL', 'RED_PACKET', 'BANK_CARD'] });
      const cases: Array<[string, string[]]> = [
        ['call me at 138-1234-5678', ['PHONE_NUMBER']],
        ['or +44 20 7946 0958', ['PHONE_NUMBER']],
        ['mail wang@example.com', ['EMAIL']],
        ['发你一个红包', ['RED_PACKET']],
        ['card 4111 1111 1111 1111', ['BANK_CARD']],
        ['card 4111 1111 1111 1112', []],
      ];
      const messages = cases.map(([text]) => msg(sales, text));
      await ingest(messages);
      for (let i = 0; i < cases.length; i++) {
        const got = (await alertsOf(messages[i].externalId)).filter((x) => x.rule_id === r.id).map((x) => x.matched);
        expect([cases[i][0], got]).toEqual([cases[i][0], cases[i][1].length ? [cases[i][1]] : []]);
      }
    });

    it('applies a rule to its sender types and departments with sub-departments only; a disabled rule never', async () => {
      const r = await create({ keywords: ['secret deal'], appliesTo: ['CUSTOMER'], departmentIds: [east] });
      await create({ keywords: ['secret deal'], enabled: false });
      const fromCustomer = msg(sales, 'a secret deal', { senderType: 'CUSTOMER' });
      const fromEmployee = msg(sales, 'a secret deal');
      const subDept = msg(sub, 'a SECRET DEAL', { senderType: 'CUSTOMER' });
      const elsewhere = msg(west, 'a secret deal', { senderType: 'CUSTOMER' });
      await ingest([fromCustomer, fromEmployee, subDept, elsewhere]);
      expect((await alertsOf(fromCustomer.externalId)).map((x) => x.rule_id)).toEqual([r.id]);
      expect(await alertsOf(fromEmployee.externalId)).toEqual([]);
      expect((await alertsOf(subDept.externalId)).map((x) => x.rule_id)).toEqual([r.id]);
      expect(await alertsOf(elsewhere.externalId)).toEqual([]);
    });

    it('sees a rule change at the next ingest, compiling once per change (not per batch)', async () => {
      const cache = t.app.get(ChatRulesCache);
      const r = await create({ keywords: ['first word'] });
      const m1 = msg(sales, 'first word, second word');
      await ingest([m1]);
      expect((await alertsOf(m1.externalId)).map((x) => x.matched)).toEqual([['first word']]);
      const builds = cache.builds;
      await ingest([msg(sales, 'again first word')]);
      await ingest([msg(sales, 'and again')]);
      expect(cache.builds).toBe(builds);
      ok(await t.gql(UPDATE, { input: { id: r.id, rule: rule({ keywords: ['second word'] }) } }, admin()));
      const m2 = msg(sales, 'first word, second word');
      await ingest([m2]);
      expect((await alertsOf(m2.externalId)).map((x) => x.matched)).toEqual([['second word']]);
      expect(cache.builds).toBe(builds + 1);
      ok(await t.gql(DELETE, { id: r.id }, admin()));
      const m3 = msg(sales, 'second word');
      await ingest([m3]);
      expect(await alertsOf(m3.externalId)).toEqual([]);
    });

    it('matches on the NDJSON bulk path too, in its transaction, and announces after commit', async () => {
      const r = await create({ keywords: ['bulk word'], notifyEmployeeIds: [auditor.id] });
      const key = ok(
        await t.gql(
          `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
          { input: { name: uniq('importer'), roles: ['admin'] } },
          admin(),
        ),
      ).createApiKey.secret as string;
      const lines = Array.from({ length: 1500 }, (_, i) =>
        msg(sales, i % 500 === 7 ? `a BULK WORD ${i}` : `plain ${i}`),
      );
      const res = await fetch(`${t.url}/chat/messages/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
        body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 1500, rejected: 0 });
      const hit = lines.filter((_, i) => i % 500 === 7).map((l) => l.externalId);
      for (const ext of hit) expect((await alertsOf(ext)).map((x) => x.rule_id)).toEqual([r.id]);
      const all = (
        await t.db.query(`SELECT count(*)::int AS n FROM chat_audit_alerts WHERE org_id = $1 AND rule_id = $2`, [
          org.orgId,
          r.id,
        ])
      ).rows[0].n;
      expect(all).toBe(3);
      const notes = (
        await t.db.query(
          `SELECT count(*)::int AS n FROM notifications n JOIN chat_audit_alerts a ON a.id = n.audit_alert_id
            WHERE a.rule_id = $1 AND n.employee_id = $2 AND n.kind = 'AUDIT_ALERT'`,
          [r.id, auditor.id],
        )
      ).rows[0].n;
      expect(notes).toBe(3);
    });

    it('sees a change committed by another process (its rules version) at the next batch', async () => {
      const r = await create({ keywords: ['old word'] });
      await ingest([msg(sales, 'warm the cache: old word')]);
      // As another API or worker process would: the rule row and the version, committed elsewhere.
      await t.db.query(`UPDATE chat_keyword_rules SET keywords = '{"new word"}' WHERE id = $1`, [r.id]);
      const m1 = msg(sales, 'old word and new word');
      await ingest([m1]);
      // The version did not move: this process still matches with what it compiled (no read per message).
      expect((await alertsOf(m1.externalId)).map((x) => x.matched)).toEqual([['old word']]);
      await t.db.query(`UPDATE chat_keyword_rule_versions SET version = version + 1 WHERE org_id = $1`, [org.orgId]);
      const m2 = msg(sales, 'old word and new word');
      await ingest([m2]);
      expect((await alertsOf(m2.externalId)).map((x) => x.matched)).toEqual([['new word']]);
    });

    it('never matches a message whose content was withheld (the customer disagreed)', async () => {
      await create({ keywords: ['hidden'] });
      const refusal = msg(sales, null, { type: 'DISAGREE', senderType: 'CUSTOMER', sentAt: ago(120_000) });
      const m = msg(sales, 'hidden words', { sentAt: ago(100_000) });
      // The customer agrees again afterwards (the next tests' messages are stored and matched).
      const agree = msg(sales, null, { type: 'AGREE', senderType: 'CUSTOMER', sentAt: ago(90_000) });
      await ingest([refusal, m, agree]);
      expect(
        (await t.db.query(`SELECT content_withheld FROM chat_messages WHERE external_id = $1`, [m.externalId])).rows,
      ).toEqual([{ content_withheld: true }]);
      expect(await alertsOf(m.externalId)).toEqual([]);
    });
  });

  describe('alerts', () => {
    beforeEach(() => quiet());

    it('puts a notice in each notify-list member’s inbox, and ChatMessage.alerts lists them', async () => {
      // A second alert:read holder, at department scope (the built-in auditor's is organization-wide).
      const lead = await createEmployee(t, org, { roles: ['auditor'], departmentId: east });
      const r = await create({ keywords: ['inbox word'], notifyEmployeeIds: [auditor.id, lead.id] });
      const m = msg(sales, 'the inbox word');
      await ingest([m]);
      const [alert] = await alertsOf(m.externalId);
      expect(alert.rule_id).toBe(r.id);
      const notes = (
        await t.db.query(
          `SELECT n.employee_id, n.kind, a.rule_id FROM notifications n JOIN chat_audit_alerts a ON a.id = n.audit_alert_id
            WHERE n.org_id = $1 AND a.rule_id = $2 ORDER BY n.employee_id`,
          [org.orgId, r.id],
        )
      ).rows;
      expect(notes).toEqual(
        [auditor.id, lead.id].sort().map((id) => ({ employee_id: id, kind: 'AUDIT_ALERT', rule_id: r.id })),
      );
      const inbox = ok(
        await t.gql(`{ notifications { edges { node { kind auditAlertId } } } }`, {}, lead.token),
      ).notifications;
      expect(nodes<{ kind: string; auditAlertId: string }>(inbox)[0]).toMatchObject({ kind: 'AUDIT_ALERT' });
      const q = `query($q: String!) { searchChatMessages(query: $q) { edges { node { externalId alerts { matched rule { id } } } } } }`;
      const found = nodes<{ externalId: string; alerts: unknown[] }>(
        ok(await t.gql(q, { q: 'inbox word' }, auditor.token)).searchChatMessages,
      );
      expect(found).toEqual([{ externalId: m.externalId, alerts: [{ matched: ['inbox word'], rule: { id: r.id } }] }]);
    });

    it('a refusal that erases a message’s content deletes its alerts and their notices (recordConsent, a DISAGREE)', async () => {
      const r = await create({ keywords: ['erase word'], notifyEmployeeIds: [auditor.id] });
      const noticesOf = async (alertIds: string[]) =>
        (
          await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE org_id = $1 AND audit_alert_id = ANY($2)`, [
            org.orgId,
            alertIds,
          ])
        ).rows[0].n as number;
      const alertIdsOf = async (externalId: string) =>
        (
          await t.db.query(
            `SELECT a.id FROM chat_audit_alerts a JOIN chat_message_keys k ON k.org_id = a.org_id AND k.message_id = a.message_id
              WHERE a.org_id = $1 AND k.external_id = $2`,
            [org.orgId, externalId],
          )
        ).rows.map((x: { id: string }) => x.id) as string[];
      const listed = async () =>
        nodes<Alert>(ok(await t.gql(ALERTS, { f: { ruleId: r.id }, first: 50 }, auditor.token)).auditAlerts).map(
          (a) => a.message.externalId,
        );
      for (const [how, refuse] of [
        [
          'recordConsent',
          (customerId: string, at: string) =>
            t.gql(`mutation($input: RecordConsentInput!) { recordConsent(input: $input) }`, {
              input: { customerId, status: 'DISAGREED', changedAt: at },
            }, admin()).then(ok),
        ],
        [
          'a DISAGREE message',
          (customerId: string, at: string) =>
            ingest([msg(sales, null, { customerId, type: 'DISAGREE', senderType: 'CUSTOMER', sentAt: at })]),
        ],
      ] as const) {
        const customerId = (await addCustomer(t, admin(), sales.id, { name: how, externalId: uniq('wm') })).customerId;
        const kept = msg(sales, 'before: erase word', { customerId, sentAt: ago(30 * 60_000) });
        const erased = msg(sales, 'after: erase word', { customerId, sentAt: ago(10 * 60_000) });
        await ingest([kept, erased]);
        const [keptAlert] = await alertIdsOf(kept.externalId);
        const [erasedAlert] = await alertIdsOf(erased.externalId);
        expect([await noticesOf([keptAlert]), await noticesOf([erasedAlert])]).toEqual([1, 1]);
        expect(await listed()).toEqual(expect.arrayContaining([kept.externalId, erased.externalId]));

        await refuse(customerId, ago(20 * 60_000));

        expect(await alertIdsOf(erased.externalId)).toEqual([]);
        expect(await noticesOf([erasedAlert])).toBe(0);
        const inbox = ok(
          await t.gql(`{ notifications(first: 100) { edges { node { auditAlertId } } } }`, {}, auditor.token),
        ).notifications;
        expect(nodes<{ auditAlertId: string }>(inbox).map((n) => n.auditAlertId)).not.toContain(erasedAlert);
        expect(await listed()).not.toContain(erased.externalId);
        // The message sent before the refusal keeps its content, its alert and its notice.
        expect(await alertIdsOf(kept.externalId)).toEqual([keptAlert]);
        expect(await noticesOf([keptAlert])).toBe(1);
      }
    });

    it('lists alerts newest first by keyset pages with filters; FORBIDDEN without alert:read', async () => {
      const r = await create({ keywords: ['paged'] });
      const ms = Array.from({ length: 5 }, (_, i) => msg(sales, `paged ${i}`));
      for (const m of ms) await ingest([m]);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: { edges: Array<{ node: Alert }>; pageInfo: { hasNextPage: boolean; endCursor: string } } = ok(
          await t.gql(ALERTS, { f: { ruleId: r.id }, first: 2, after }, auditor.token),
        ).auditAlerts;
        seen.push(...page.edges.map((e) => e.node.message.externalId));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(ms.map((m) => m.externalId).reverse());
      expect(codeOf(await t.gql(ALERTS, {}, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(ALERTS, {}))).toBe('UNAUTHENTICATED');
      expect(nodes(ok(await t.gql(ALERTS, {}, other.adminToken)).auditAlerts)).toEqual([]);
      expect(codeOf(await t.gql(ALERTS, { after: 'garbage' }, auditor.token))).toBe('BAD_USER_INPUT');
    });

    it('moves OPEN -> ACKNOWLEDGED -> RESOLVED recording who, when and the note; refuses other moves with CONFLICT', async () => {
      await create({ keywords: ['workflow'] });
      const m1 = msg(sales, 'workflow one');
      const m2 = msg(sales, 'workflow two');
      await ingest([m1, m2]);
      const alertId = async (ext: string) =>
        (
          await t.db.query(
            `SELECT a.id FROM chat_audit_alerts a JOIN chat_message_keys k ON k.message_id = a.message_id WHERE k.external_id = $1`,
            [ext],
          )
        ).rows[0].id as string;
      const a1 = await alertId(m1.externalId);
      const move = (id: string, status: string, token = auditor.token, note?: string) =>
        t.gql(UPDATE_ALERT, { input: { id, status, note } }, token);
      expect(codeOf(await move(a1, 'OPEN'))).toBe('CONFLICT');
      const ack = ok(await move(a1, 'ACKNOWLEDGED', auditor.token, 'looking')).updateAuditAlert as Alert;
      expect(ack).toMatchObject({
        status: 'ACKNOWLEDGED',
        acknowledgedBy: { id: auditor.id },
        acknowledgedNote: 'looking',
        resolvedAt: null,
      });
      expect(Date.parse(ack.acknowledgedAt!)).toBeGreaterThan(Date.now() - 60_000);
      expect(codeOf(await move(a1, 'ACKNOWLEDGED'))).toBe('CONFLICT');
      const done = ok(await move(a1, 'RESOLVED', admin(), 'warned')).updateAuditAlert as Alert;
      expect(done).toMatchObject({
        status: 'RESOLVED',
        acknowledgedBy: { id: auditor.id },
        resolvedBy: { id: org.adminId },
        resolvedNote: 'warned',
      });
      expect(codeOf(await move(a1, 'ACKNOWLEDGED'))).toBe('CONFLICT');
      expect(codeOf(await move(a1, 'OPEN'))).toBe('CONFLICT');
      const a2 = await alertId(m2.externalId);
      expect(ok(await move(a2, 'RESOLVED')).updateAuditAlert).toMatchObject({
        status: 'RESOLVED',
        acknowledgedBy: null,
      });
      expect(codeOf(await move(a2, 'RESOLVED', sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await move(a2, 'RESOLVED', other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(UPDATE_ALERT, { input: { id: a2, status: 'RESOLVED' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await move(a2, 'RESOLVED', auditor.token, 'x'.repeat(2001)))).toBe('BAD_USER_INPUT');
      const row = (
        await t.db.query(
          `SELECT status, acknowledged_by_id, resolved_by_id, resolved_note FROM chat_audit_alerts WHERE id = $1`,
          [a1],
        )
      ).rows[0];
      expect(row).toEqual({
        status: 'RESOLVED',
        acknowledged_by_id: auditor.id,
        resolved_by_id: org.adminId,
        resolved_note: 'warned',
      });
    });

    it('delivers auditAlertRaised live to alert:read holders within their scope, never to others', async () => {
      ok(
        await t.gql(
          CREATE_ROLE,
          { input: { name: 'east-alerts', dataScope: 'DEPARTMENT', permissions: ['alert:read'] } },
          admin(),
        ),
      );
      const eastReader = await createEmployee(t, org, { roles: ['east-alerts'], departmentId: east });
      const bus = t.app.get(EventBus) as DispatchingEventBus;
      const subscribe = async (token: string) => {
        const c = wsConnect(t.url, { authorization: `Bearer ${token}` });
        open.push(c);
        await c.acked;
        const before = bus.subscriberCount();
        const r = new Received<{ auditAlertRaised: { matched: string[]; message: { externalId: string } } }>(c, RAISED);
        const end = Date.now() + 10_000;
        while (bus.subscriberCount() <= before && !r.results.length && Date.now() < end) await sleep(20);
        return r;
      };
      const [all, scoped, foreign] = await Promise.all([
        subscribe(auditor.token),
        subscribe(eastReader.token),
        subscribe(other.adminToken),
      ]);
      const refused = await subscribe(sales.token);
      await refused.until((x) => x.results.length > 0 || !!x.error, 'the refusal');
      expect(JSON.stringify(refused.results[0]?.errors ?? refused.error)).toContain('FORBIDDEN');
      await create({ keywords: ['live word'] });
      const inEast = msg(sub, 'live word east');
      const inWest = msg(west, 'live word west');
      const started = Date.now();
      await ingest([inEast, inWest]);
      await all.until((x) => x.data.length === 2, 'both alerts');
      const latency = Date.now() - started;
      expect(all.data.map((d) => d.auditAlertRaised.message.externalId).sort()).toEqual(
        [inEast.externalId, inWest.externalId].sort(),
      );
      await scoped.until((x) => x.data.length === 1, 'the east alert');
      expect(scoped.data[0].auditAlertRaised).toEqual({
        matched: ['live word'],
        message: { externalId: inEast.externalId },
        id: expect.any(String),
        rule: { id: expect.any(String) },
      });
      // One more alert afterwards: anything earlier would have arrived before it.
      const later = msg(sub, 'live word later');
      await ingest([later]);
      await scoped.until((x) => x.data.length === 2, 'the later alert');
      expect(scoped.data.map((d) => d.auditAlertRaised.message.externalId)).toEqual([
        inEast.externalId,
        later.externalId,
      ]);
      expect(foreign.data).toEqual([]);
      expect(latency).toBeLessThan(20_000);
    });

    it('reads the messages of an auditAlertRaised event once: one access-log entry per event, not per alert', async () => {
      const bus = t.app.get(EventBus) as DispatchingEventBus;
      const subscribe = async <T>(token: string, query: string) => {
        const c = wsConnect(t.url, { authorization: `Bearer ${token}` });
        open.push(c);
        await c.acked;
        const before = bus.subscriberCount();
        const r = new Received<T>(c, query);
        const end = Date.now() + 10_000;
        while (bus.subscriberCount() <= before && Date.now() < end) await sleep(20);
        return r;
      };
      type WithText = { auditAlertRaised: { id: string; message: { externalId: string; text: string } } };
      const withText = await subscribe<WithText>(
        auditor.token,
        `subscription { auditAlertRaised { id message { externalId text } } }`,
      );
      // The admin selects no message: reads no content, so logs nothing.
      const idsOnly = await subscribe<{ auditAlertRaised: { id: string } }>(
        admin(),
        `subscription { auditAlertRaised { id matched } }`,
      );
      await create({ keywords: ['batched word'] });
      const since = (await t.db.query<{ at: Date }>(`SELECT now() AS at`)).rows[0].at;
      const batch = [1, 2, 3].map((i) => msg(sales, `batched word ${i}`));
      await ingest(batch);
      await withText.until((x) => x.data.length === 3, 'three alerts');
      await idsOnly.until((x) => x.data.length === 3, 'three alerts without messages');
      expect(withText.data.map((d) => d.auditAlertRaised.message).sort((a, b) => a.text.localeCompare(b.text))).toEqual(
        batch.map((m) => ({ externalId: m.externalId, text: m.text })),
      );
      const logged = async (viewer: string) =>
        (
          await t.db.query<{ target: string }>(
            `SELECT target FROM chat_access_log WHERE org_id = $1 AND viewer_id = $2 AND action = 'auditAlert.message'
                AND occurred_at >= $3`,
            [org.orgId, viewer, since],
          )
        ).rows;
      const entries = await logged(auditor.id);
      expect(entries).toHaveLength(1);
      const ids = (
        await t.db.query<{ message_id: string }>(
          `SELECT message_id FROM chat_message_keys WHERE org_id = $1 AND external_id = ANY($2)`,
          [org.orgId, batch.map((m) => m.externalId)],
        )
      ).rows.map((r) => r.message_id);
      expect(entries[0].target.split(',').sort()).toEqual(ids.sort());
      expect(await logged(org.adminId)).toEqual([]);
    });

    it('shows AuditAlert.message text only within chat:read scope', async () => {
      ok(
        await t.gql(
          CREATE_ROLE,
          { input: { name: 'alerts-only', dataScope: 'ORGANIZATION', permissions: ['alert:read'] } },
          admin(),
        ),
      );
      const reader = await createEmployee(t, org, { roles: ['alerts-only'] });
      const r = await create({ keywords: ['private words'] });
      const m = msg(sales, 'some private words');
      await ingest([m]);
      const get = async (token: string) =>
        nodes<Alert>(ok(await t.gql(ALERTS, { f: { ruleId: r.id } }, token)).auditAlerts)[0].message;
      expect(await get(reader.token)).toMatchObject({ externalId: m.externalId, text: null });
      expect(await get(auditor.token)).toMatchObject({ externalId: m.externalId, text: 'some private words' });
    });
  });

  describe('retention', () => {
    it('purges the alerts of the messages it purges, and keeps those of the messages it keeps', async () => {
      // Its own database: a purge drops month partitions that every organization shares.
      const t2 = await startTestApp();
      try {
        const o = await signUpOrg(t2);
        const rep = await createEmployee(t2, o, { roles: ['sales'] });
        const customerId = (await addCustomer(t2, o.adminToken, rep.id, { externalId: uniq('rc') })).customerId;
        const r = ok(await t2.gql(CREATE, { input: rule({ keywords: ['kickback'] }) }, o.adminToken)).createKeywordRule;
        const old = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
        const message = (externalId: string, days: number) => ({
          externalId,
          employeeId: rep.id,
          customerId,
          senderType: 'EMPLOYEE',
          type: 'TEXT',
          text: `a kickback ${externalId}`,
          sentAt: old(days),
        });
        const sent = [message('k200', 200), message('k95', 95), message('k85', 85), message('k1', 1)];
        expect(ok(await t2.gql(INGEST, { input: { messages: sent } }, o.adminToken)).ingestChatMessages.accepted).toBe(
          4,
        );
        const listed = async () =>
          nodes<Alert>(ok(await t2.gql(ALERTS, { f: { ruleId: r.id }, first: 50 }, o.adminToken)).auditAlerts)
            .map((a) => a.message.externalId)
            .sort();
        expect(await listed()).toEqual(['k1', 'k200', 'k85', 'k95']);
        const setRetention = `mutation($input: UpdateOrganizationSettingsInput!) {
          updateOrganizationSettings(input: $input) { settings { chatRetentionDays } } }`;
        ok(await t2.gql(setRetention, { input: { chatRetentionDays: 90 } }, o.adminToken));

        await t2.app.get(PurgeChatMessagesJob).handle();

        // The API lists only the alerts whose message is kept; no row of a purged message's alert is left.
        expect(await listed()).toEqual(['k1', 'k85']);
        const rows = await t2.db.query(
          `SELECT count(*)::int AS n FROM chat_audit_alerts a WHERE a.org_id = $1
              AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.org_id = a.org_id AND m.id = a.message_id)`,
          [o.orgId],
        );
        expect(rows.rows).toEqual([{ n: 0 }]);
      } finally {
        await t2.close();
      }
    });
  });
});
