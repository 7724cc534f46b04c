import { addCustomer } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { codeOf, ok, startTestApp, TestApp } from './helpers/test-app';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted rejected { reason } } }`;
const CREATE_ROLE = `mutation($input: RoleInput!) { createRole(input: $input) { id } }`;
const CONVERSATIONS = `{ conversations(first: 50) { edges { node { id employee { id } } } } }`;
const CONVERSATION = `query($id: ID!) { conversation(id: $id) { id messages(first: 50) { edges { node { externalId } } } } }`;
const SEARCH = `query($q: String!) { searchChatMessages(query: $q, first: 50) { edges { node { externalId } } } }`;
const ACCESS_LOG = `{ auditAccessLog(first: 200) { edges { node { action viewer { id } apiKey { id } } } } }`;

type Edges<T> = { edges: Array<{ node: T }> };
const nodes = <T>(c: Edges<T>) => c.edges.map((e) => e.node);

/**
 * The data scope of chat:read (docs/rules.md "Chat audit"): a custom role with
 * chat:read at DEPARTMENT scope reads the conversations of its department tree
 * only, at SELF scope its own, at ORGANIZATION scope all of them; every read
 * path (the list, one conversation, its messages, search) obeys it, and the
 * access log obeys accessLog:read's scope over who read.
 */
describe('chat audit: reads obey the data scope of chat:read', () => {
  let t: TestApp;
  let org: OrgFixture;
  /** a: department A; a1: A's sub-department A1 (and reads at SELF scope); b: department B. */
  let a: EmployeeFixture;
  let a1: EmployeeFixture;
  let b: EmployeeFixture;
  let orgReader: EmployeeFixture;
  let deptReader: EmployeeFixture;
  let selfReader: EmployeeFixture;
  const conversationOf = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    const admin = org.adminToken;
    const deptA = await createDepartment(t, admin, 'A');
    const deptA1 = await createDepartment(t, admin, 'A1', deptA);
    const deptB = await createDepartment(t, admin, 'B');
    for (const [name, dataScope] of [
      ['chat-org', 'ORGANIZATION'],
      ['chat-dept', 'DEPARTMENT'],
      ['chat-self', 'SELF'],
    ]) {
      ok(await t.gql(CREATE_ROLE, { input: { name, dataScope, permissions: ['chat:read', 'accessLog:read'] } }, admin));
    }
    a = await createEmployee(t, org, { roles: ['sales'], departmentId: deptA });
    a1 = await createEmployee(t, org, { roles: ['chat-self'], departmentId: deptA1 });
    b = await createEmployee(t, org, { roles: ['sales'], departmentId: deptB });
    orgReader = await createEmployee(t, org, { roles: ['chat-org'], departmentId: deptB });
    deptReader = await createEmployee(t, org, { roles: ['chat-dept'], departmentId: deptA });
    selfReader = a1;
    const messages = [];
    for (const [key, e] of [
      ['a', a],
      ['a1', a1],
      ['b', b],
    ] as const) {
      const customer = (await addCustomer(t, admin, e.id, { name: `C ${key}`, externalId: `wm-${key}` })).customerId;
      messages.push({
        externalId: `msg-${key}`,
        employeeId: e.id,
        customerId: customer,
        senderType: 'EMPLOYEE',
        type: 'TEXT',
        text: `scoped hello from ${key}`,
        sentAt: new Date(Date.now() - 60_000).toISOString(),
      });
    }
    expect(ok(await t.gql(INGEST, { input: { messages } }, admin)).ingestChatMessages).toEqual({
      accepted: 3,
      rejected: [],
    });
    const all = nodes<{ id: string; employee: { id: string } }>(
      ok(await t.gql(CONVERSATIONS, {}, admin)).conversations,
    );
    for (const c of all) conversationOf.set(c.employee.id, c.id);
    expect(conversationOf.size).toBe(3);
  });
  afterAll(() => t.close());

  const listed = async (token: string) =>
    nodes<{ employee: { id: string } }>(ok(await t.gql(CONVERSATIONS, {}, token)).conversations)
      .map((c) => c.employee.id)
      .sort();
  const found = async (token: string) =>
    nodes<{ externalId: string }>(ok(await t.gql(SEARCH, { q: 'scoped hello' }, token)).searchChatMessages)
      .map((m) => m.externalId)
      .sort();

  it('lists only the conversations of employees in scope: organization, department tree, self', async () => {
    expect(await listed(orgReader.token)).toEqual([a.id, a1.id, b.id].sort());
    expect(await listed(deptReader.token)).toEqual([a.id, a1.id].sort());
    expect(await listed(selfReader.token)).toEqual([a1.id]);
  });

  it('searches only the messages of employees in scope', async () => {
    expect(await found(orgReader.token)).toEqual(['msg-a', 'msg-a1', 'msg-b']);
    expect(await found(deptReader.token)).toEqual(['msg-a', 'msg-a1']);
    expect(await found(selfReader.token)).toEqual(['msg-a1']);
  });

  it('answers one conversation and its messages in scope, FORBIDDEN outside it (nothing read, nothing logged)', async () => {
    const read = (id: string, token: string) => t.gql(CONVERSATION, { id }, token);
    const thread = ok(await read(conversationOf.get(a1.id)!, deptReader.token)).conversation;
    expect(nodes<{ externalId: string }>(thread.messages).map((m) => m.externalId)).toEqual(['msg-a1']);
    expect(ok(await read(conversationOf.get(b.id)!, orgReader.token)).conversation.id).toBe(conversationOf.get(b.id));
    const logged = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM chat_access_log WHERE org_id = $1`, [org.orgId])).rows[0]
        .n as number;
    const before = await logged();
    const outside: Array<[string, EmployeeFixture]> = [
      [b.id, deptReader],
      [a.id, selfReader],
      [b.id, selfReader],
    ];
    for (const [employee, reader] of outside) {
      const r = await read(conversationOf.get(employee)!, reader.token);
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(r.data?.conversation ?? null).toBeNull();
    }
    expect(await logged()).toBe(before);
  });

  it('shows the access log by the scope of accessLog:read over who read (API keys to organization scope only)', async () => {
    // Each reader has read something by now (the tests above).
    const viewers = async (token: string) =>
      new Set(
        nodes<{ viewer: { id: string } | null }>(ok(await t.gql(ACCESS_LOG, {}, token)).auditAccessLog).map(
          (e) => e.viewer?.id ?? null,
        ),
      );
    const everyone = await viewers(orgReader.token);
    expect(everyone).toEqual(new Set([orgReader.id, deptReader.id, selfReader.id]));
    // deptReader's tree is A and A1: their own reads and selfReader's (in A1), not orgReader's (B) or the admin's.
    expect(await viewers(deptReader.token)).toEqual(new Set([deptReader.id, selfReader.id]));
    expect(await viewers(selfReader.token)).toEqual(new Set([selfReader.id]));
  });
});
