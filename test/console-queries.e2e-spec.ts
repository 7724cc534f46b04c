import { addCustomer, RECORD_ENDED } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { codeOf, GqlResult, ok, startTestApp, TestApp } from './helpers/test-app';

/**
 * What the console's sales pages read besides the lists they had: the
 * caller's follow-up tasks (myCustomerTasks), the customer list's total
 * (CustomerConnection.totalCount) and the caller's own permissions
 * (myPermissions), with the STYLE.md matrix for each root field.
 */
const TASKS = `query($done: Boolean, $dueBefore: DateTime, $first: Int, $after: String) {
  myCustomerTasks(done: $done, dueBefore: $dueBefore, first: $first, after: $after) {
    edges { cursor node { id kind body dueAt doneAt author { id } customer { id name } } }
    pageInfo { hasNextPage endCursor } } }`;
const NOTE = `mutation($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) { id } }`;
const COMPLETE = `mutation($id: ID!) { completeCustomerTask(id: $id) { id doneAt } }`;
const TOTAL = `query($filter: CustomerFilter, $first: Int, $after: String) {
  customers(filter: $filter, first: $first, after: $after) {
    totalCount totalCountPrecision edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
const PAGE_ONLY = `query($filter: CustomerFilter) { customers(filter: $filter, first: 5) { edges { node { id } } } }`;
const PAGE_AND_TOTAL = `query($filter: CustomerFilter) { customers(filter: $filter, first: 5) { totalCount edges { node { id } } } }`;
const PERMISSIONS = `{ myPermissions { key resource action dataScope } }`;
const CREATE_ROLE = `mutation($input: RoleInput!) { createRole(input: $input) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

interface TaskNode {
  id: string;
  kind: string;
  body: string;
  dueAt: string | null;
  doneAt: string | null;
  author: { id: string };
  customer: { id: string; name: string };
}
interface TaskPage {
  edges: Array<{ cursor: string; node: TaskNode }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface Granted {
  key: string;
  resource: string;
  action: string;
  dataScope: string;
}

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const tasksOf = (r: GqlResult): TaskPage => ok(r).myCustomerTasks as TaskPage;
const bodies = (p: TaskPage) => p.edges.map((e) => e.node.body);
const fieldOf = (r: GqlResult) =>
  (r.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined)?.[0]?.field;

describe('console queries', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let manager: EmployeeFixture;
  let rep: EmployeeFixture;
  let rep2: EmployeeFixture;
  let marketer: EmployeeFixture;
  /** rep follows a and b; rep2 follows c; rep followed d until the customer deleted them. */
  let a: string;
  let b: string;
  let c: string;
  let d: string;
  const task = async (token: string, customerId: string, body: string, dueAt?: string) =>
    ok(await t.gql(NOTE, { input: { customerId, kind: 'TASK', body, dueAt } }, token)).addCustomerNote.id as string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    const east = await createDepartment(t, org.adminToken, 'East');
    const west = await createDepartment(t, org.adminToken, 'West');
    manager = await createEmployee(t, org, { roles: ['manager'], departmentId: east });
    rep = await createEmployee(t, org, { roles: ['sales'], departmentId: east });
    rep2 = await createEmployee(t, org, { roles: ['sales'], departmentId: west });
    marketer = await createEmployee(t, org, { roles: ['marketer'] });
    a = (await addCustomer(t, org.adminToken, rep.id, { name: 'Alpha 阿尔法', stage: 'INTERESTED' })).customerId;
    b = (await addCustomer(t, org.adminToken, rep.id, { name: 'Beta' })).customerId;
    c = (await addCustomer(t, org.adminToken, rep2.id, { name: 'Gamma' })).customerId;
    const lost = await addCustomer(t, org.adminToken, rep.id, { name: 'Delta' });
    d = lost.customerId;

    await task(rep.token, a, 'later', days(3));
    await task(rep.token, a, 'overdue', days(-1));
    await task(rep.token, b, 'undated');
    await task(org.adminToken, a, 'from the admin', days(1));
    const done = await task(rep.token, b, 'done already', days(-2));
    ok(await t.gql(COMPLETE, { id: done }, rep.token));
    ok(await t.gql(NOTE, { input: { customerId: a, kind: 'CALL', body: 'a call, not a task' } }, rep.token));
    await task(rep2.token, c, 'rep2 task', days(-5));
    await task(rep.token, d, 'on a lost customer', days(-3));
    ok(await t.gql(RECORD_ENDED, { input: { relationId: lost.relationId, endedBy: 'CUSTOMER' } }, org.adminToken));
    const otherRep = await createEmployee(t, other, { roles: ['sales'] });
    const x = (await addCustomer(t, other.adminToken, otherRep.id, { name: 'Elsewhere' })).customerId;
    await task(otherRep.token, x, 'other org task', days(-1));
  });
  afterAll(() => t.close());

  describe('myCustomerTasks', () => {
    it('lists the open tasks on the customers the caller follows, due first and undated last, with their customer', async () => {
      const p = tasksOf(await t.gql(TASKS, { done: false }, rep.token));
      expect(bodies(p)).toEqual(['overdue', 'from the admin', 'later', 'undated']);
      expect(p.edges[0].node).toMatchObject({
        kind: 'TASK',
        doneAt: null,
        author: { id: rep.id },
        customer: { id: a, name: 'Alpha 阿尔法' },
      });
      expect(p.edges[1].node.author.id).toBe(org.adminId);
      expect(p.edges[3].node).toMatchObject({ dueAt: null, customer: { id: b, name: 'Beta' } });
      expect(p.pageInfo.hasNextPage).toBe(false);
    });

    it('filters on done (both when omitted) and on dueBefore (undated tasks left out)', async () => {
      expect(bodies(tasksOf(await t.gql(TASKS, { done: true }, rep.token)))).toEqual(['done already']);
      expect(bodies(tasksOf(await t.gql(TASKS, {}, rep.token)))).toEqual([
        'done already',
        'overdue',
        'from the admin',
        'later',
        'undated',
      ]);
      const overdue = tasksOf(await t.gql(TASKS, { done: false, dueBefore: new Date().toISOString() }, rep.token));
      expect(bodies(overdue)).toEqual(['overdue']);
    });

    it('pages with keyset cursors through the same order, nothing repeated or skipped', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const p = tasksOf(await t.gql(TASKS, { first: 2, after }, rep.token));
        seen.push(...bodies(p));
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
        // A task added while paging, due before the cursor, is not repeated; one due after it still comes.
        if (i === 0) await task(rep.token, b, 'added while paging', days(10));
      }
      expect(seen).toEqual(['done already', 'overdue', 'from the admin', 'later', 'added while paging', 'undated']);
    });

    it('lists for each caller only their own: the tasks they wrote in scope, or on customers they follow', async () => {
      // The admin follows nobody: only the task they wrote. The manager follows nobody and wrote nothing.
      expect(bodies(tasksOf(await t.gql(TASKS, { done: false }, org.adminToken)))).toEqual(['from the admin']);
      expect(bodies(tasksOf(await t.gql(TASKS, {}, manager.token)))).toEqual([]);
      expect(bodies(tasksOf(await t.gql(TASKS, {}, rep2.token)))).toEqual(['rep2 task']);
      // Another organization's tasks are never listed (its admin follows and wrote nothing either).
      expect(bodies(tasksOf(await t.gql(TASKS, {}, other.adminToken)))).toEqual([]);
    });

    it('leaves out a task the caller wrote on a customer no longer in their scope', async () => {
      const all = tasksOf(await t.gql(TASKS, { first: 200 }, rep.token));
      expect(all.edges.map((e) => e.node.customer.id)).not.toContain(d);
      expect(bodies(all)).not.toContain('on a lost customer');
    });

    it('completing a task from the list moves it from the open to the done list', async () => {
      const open = tasksOf(await t.gql(TASKS, { done: false }, rep.token));
      const later = open.edges.find((e) => e.node.body === 'later')!.node;
      ok(await t.gql(COMPLETE, { id: later.id }, rep.token));
      expect(bodies(tasksOf(await t.gql(TASKS, { done: false }, rep.token)))).not.toContain('later');
      expect(bodies(tasksOf(await t.gql(TASKS, { done: true }, rep.token)))).toContain('later');
    });

    it('refuses the unauthenticated, API keys and roles without customer:read', async () => {
      expect(codeOf(await t.gql(TASKS, {}))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(TASKS, {}, marketer.token))).toBe('FORBIDDEN');
      const { secret } = ok(
        await t.gql(CREATE_KEY, { input: { name: 'tasks', roles: ['admin'] } }, org.adminToken),
      ).createApiKey;
      expect(codeOf(await t.gql(TASKS, {}, secret))).toBe('FORBIDDEN');
    });

    it('answers BAD_USER_INPUT naming first or after for a bad page size or a forged cursor', async () => {
      for (const first of [0, 201]) {
        const r = await t.gql(TASKS, { first }, rep.token);
        expect([codeOf(r), fieldOf(r)]).toEqual(['BAD_USER_INPUT', 'first']);
      }
      const forged = [
        ['yesterday', 'not-a-uuid'],
        ['not a date', '00000000-0000-4000-8000-000000000000'],
        [1, 2],
      ];
      for (const values of forged) {
        const r = await t.gql(TASKS, { after: Buffer.from(JSON.stringify(values)).toString('base64url') }, rep.token);
        expect([codeOf(r), fieldOf(r)]).toEqual(['BAD_USER_INPUT', 'after']);
      }
    });
  });

  describe('customers totalCount', () => {
    it('counts what the list reaches with the same filter and scope', async () => {
      const mine = ok(await t.gql(TOTAL, {}, rep.token)).customers;
      expect([mine.totalCount, mine.totalCountPrecision, mine.edges.length]).toEqual([2, 'EXACT', 2]);
      const filtered = ok(await t.gql(TOTAL, { filter: { stages: ['INTERESTED'] }, first: 1 }, rep.token)).customers;
      expect([filtered.totalCount, filtered.edges[0].node.id]).toEqual([1, a]);
      // The manager's team (East) holds a and b; the admin sees all four, Delta unassigned among them.
      expect(ok(await t.gql(TOTAL, {}, manager.token)).customers.totalCount).toBe(2);
      expect(ok(await t.gql(TOTAL, {}, org.adminToken)).customers.totalCount).toBe(4);
      expect(ok(await t.gql(TOTAL, { filter: { unassigned: true } }, org.adminToken)).customers.totalCount).toBe(1);
      expect(ok(await t.gql(TOTAL, { filter: { employeeIds: [rep2.id] } }, org.adminToken)).customers.totalCount).toBe(
        1,
      );
      expect(ok(await t.gql(TOTAL, { filter: { search: 'alpha' } }, rep.token)).customers.totalCount).toBe(1);
      // The total is the whole match, not the page.
      const page = ok(await t.gql(TOTAL, { first: 1 }, org.adminToken)).customers;
      expect([page.totalCount, page.edges.length, page.pageInfo.hasNextPage]).toEqual([4, 1, true]);
    });

    it('is counted only when selected: one statement more', async () => {
      const without = await t.gql(PAGE_ONLY, {}, org.adminToken);
      const withTotal = await t.gql(PAGE_AND_TOTAL, {}, org.adminToken);
      expect(ok(withTotal).customers.totalCount).toBe(4);
      expect(withTotal.sqlStatements! - without.sqlStatements!).toBe(1);
    });

    it('stops counting past 10,000: the floor with AT_LEAST', async () => {
      const big = await signUpOrg(t);
      await t.db.query(
        `INSERT INTO customers (org_id, name, search_text) SELECT $1, 'Bulk ' || g, 'bulk ' || g FROM generate_series(1, 10001) g`,
        [big.orgId],
      );
      const all = ok(await t.gql(TOTAL, { first: 1 }, big.adminToken)).customers;
      expect([all.totalCount, all.totalCountPrecision]).toEqual([10000, 'AT_LEAST']);
      await t.db.query(`DELETE FROM customers WHERE org_id = $1 AND name = 'Bulk 1'`, [big.orgId]);
      const exact = ok(await t.gql(TOTAL, { first: 1 }, big.adminToken)).customers;
      expect([exact.totalCount, exact.totalCountPrecision]).toEqual([10000, 'EXACT']);
    });
  });

  describe('myPermissions', () => {
    const keys = (r: GqlResult) => (ok(r).myPermissions as Granted[]).map((p) => `${p.key}@${p.dataScope}`);

    it('lists a sales rep’s and a manager’s permissions with their data scope', async () => {
      const sales = keys(await t.gql(PERMISSIONS, {}, rep.token));
      expect(sales).toEqual(
        expect.arrayContaining(['customer:read@SELF', 'customer:note@SELF', 'momentTask:confirm@SELF']),
      );
      expect(sales.some((k) => k.startsWith('handover:') || k.startsWith('moment:'))).toBe(false);
      const team = keys(await t.gql(PERMISSIONS, {}, manager.token));
      expect(team).toEqual(expect.arrayContaining(['customer:read@DEPARTMENT', 'handover:create@DEPARTMENT']));
      expect(team).not.toContain('customer:note@DEPARTMENT');
    });

    it('expands the admin’s wildcard to the whole catalogue, organization-wide', async () => {
      const catalog = ok(await t.gql(`{ permissionCatalog { key } }`, {}, org.adminToken)).permissionCatalog as Array<{
        key: string;
      }>;
      const granted = ok(await t.gql(PERMISSIONS, {}, org.adminToken)).myPermissions as Granted[];
      expect(granted.map((p) => p.key)).toEqual(catalog.map((p) => p.key));
      expect(new Set(granted.map((p) => p.dataScope))).toEqual(new Set(['ORGANIZATION']));
      expect(granted[0]).toEqual({
        key: `${granted[0].resource}:${granted[0].action}`,
        resource: granted[0].resource,
        action: granted[0].action,
        dataScope: 'ORGANIZATION',
      });
    });

    it('gives a custom role exactly what it was granted, and the widest scope when roles add up', async () => {
      ok(
        await t.gql(
          CREATE_ROLE,
          { input: { name: 'reader', dataScope: 'DEPARTMENT', permissions: ['customer:read'] } },
          org.adminToken,
        ),
      );
      const reader = await createEmployee(t, org, { roles: ['reader'] });
      expect(keys(await t.gql(PERMISSIONS, {}, reader.token))).toEqual(['customer:read@DEPARTMENT']);
      const both = await createEmployee(t, org, { roles: ['reader', 'sales'] });
      const granted = keys(await t.gql(PERMISSIONS, {}, both.token));
      expect(granted).toContain('customer:read@DEPARTMENT');
      expect(granted).toContain('customer:note@SELF');
    });

    it('answers an API key with its roles’ permissions and the unauthenticated with UNAUTHENTICATED', async () => {
      const { secret } = ok(
        await t.gql(CREATE_KEY, { input: { name: 'perm', roles: ['marketer'] } }, org.adminToken),
      ).createApiKey;
      const granted = ok(await t.gql(PERMISSIONS, {}, secret)).myPermissions as Granted[];
      expect(granted.map((p) => p.key)).toContain('moment:schedule');
      expect(granted.map((p) => p.key)).not.toContain('customer:read');
      expect(codeOf(await t.gql(PERMISSIONS, {}))).toBe('UNAUTHENTICATED');
    });
  });
});
