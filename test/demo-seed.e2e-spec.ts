import {
  DEMO_CHANNELS,
  DEMO_CUSTOMER_COUNT,
  DEMO_DEPARTURE,
  DEMO_ENDED_RELATIONS,
  DEMO_HISTORY_DAYS,
  DEMO_ON_JOB_TRANSFER,
  DEMO_TAG_GROUPS,
} from 'src/demo/crm-data';
import { CustomerPlan, PlannedCustomer, planDemoCustomers } from 'src/demo/customer-plan';
import {
  DEMO_ADMIN,
  DEMO_DEPARTMENTS,
  DEMO_EMPLOYEES,
  DEMO_ORGANIZATION,
  DEMO_PASSWORD,
  demoEmail,
} from 'src/demo/demo-data';
import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { maskPhone } from 'src/modules/customers/services/phone';
import { SeedStep } from 'src/demo/seed-context';
import { DemoSeedResult, seedDemoOnFirstStart } from 'src/demo/seed-demo';
import { DEMO_SEED_STEPS } from 'src/demo/steps';
import { DEMO_CONVERSATIONS, DEMO_KEYWORD_RULE } from 'src/demo/chat-data';
import { codeOf, ok, startTestApp, TestApp } from './helpers/test-app';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token employee { id name roles } organization { id slug } } }`;
const EMPLOYEES = `{ employees(first: 200) {
  edges { node { id name email externalId title customerCapacity status roles department { id name } } }
  pageInfo { hasNextPage } } }`;
const DEPARTMENTS = `{ departments { id name employeeCount parent { id name parent { id name parent { id } } } } }`;
const CUSTOMERS = `query($after: String, $filter: CustomerFilter) { customers(first: 200, after: $after, filter: $filter) {
  edges { node { id externalId name company phone stage tags { name } relations { employee { externalId } } } }
  pageInfo { hasNextPage endCursor } } }`;
const CUSTOMER_360 = `query($id: ID!) { customer(id: $id) {
  id externalId name company phone stage lastContactAt
  relations(includeEnded: true) { status addWay state remark addedAt endedAt employee { externalId } }
  tags { name group { name } }
  notes(first: 50) { edges { node { kind body dueAt doneAt author { externalId } } } }
  timeline(first: 100) { edges { node { type summary occurredAt employee { externalId } } } } } }`;
const CHANNELS = `query($from: Date!, $to: Date!) { channels(first: 50) { edges { node {
  id name state archived welcomeMessage employees { externalId } tags { name }
  stats(from: $from, to: $to) { total { added stillActive lost } series { date summary { added } } } } } } }`;
const HANDOVERS = `{ handovers(first: 20) { edges { node {
  id kind strategy message createdAt fromEmployee { externalId status } requestedBy { externalId name }
  counts { total waiting completed refused failed }
  transfers(first: 100) { edges { node { status takeoverAt customer { id } toEmployee { externalId } } } } } } } }`;

interface EmployeeNode {
  id: string;
  name: string;
  email: string;
  externalId: string | null;
  title: string | null;
  customerCapacity: number;
  status: string;
  roles: string[];
  department: { id: string; name: string };
}

/** Runs `work` with process.stdout captured; returns its result and what was printed. */
async function capturingStdout<T>(work: () => Promise<T>): Promise<{ result: T; out: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    const result = await work();
    return { result, out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

const seedCapturingStdout = (t: TestApp) => capturingStdout(() => seedDemoOnFirstStart(t.app, t.url));

async function login(t: TestApp, email: string, password = DEMO_PASSWORD): Promise<string> {
  return ok(await t.gql(LOGIN, { input: { slug: 'demo', email, password } })).login.token;
}

async function employeesSeenBy(t: TestApp, token: string): Promise<EmployeeNode[]> {
  const data = ok(await t.gql(EMPLOYEES, undefined, token));
  expect(data.employees.pageInfo.hasNextPage).toBe(false);
  return data.employees.edges.map((e: { node: EmployeeNode }) => e.node);
}

interface CustomerNode {
  id: string;
  externalId: string | null;
  name: string;
  company: string | null;
  phone: string | null;
  stage: string;
  tags: Array<{ name: string }>;
  relations: Array<{ employee: { externalId: string } }>;
}

/** Every customer the token may see, paging 200 at a time; checks that no row repeats. */
async function customersSeenBy(
  t: TestApp,
  token: string,
  filter?: Record<string, unknown>,
): Promise<{ nodes: CustomerNode[]; pages: number }> {
  const nodes: CustomerNode[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const data: {
      customers: { edges: Array<{ node: CustomerNode }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = ok(await t.gql(CUSTOMERS, { after, filter }, token));
    const { customers } = data;
    pages++;
    expect(customers.edges.length).toBeLessThanOrEqual(200);
    nodes.push(...customers.edges.map((e) => e.node));
    if (!customers.pageInfo.hasNextPage) break;
    after = customers.pageInfo.endCursor;
  }
  expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
  return { nodes, pages };
}

async function counts(t: TestApp, orgId: string) {
  const q = async (sql: string) => Number((await t.db.query(sql, [orgId])).rows[0].n);
  const n = (table: string) => q(`SELECT count(*) AS n FROM ${table} WHERE org_id = $1`);
  return {
    organizations: Number((await t.db.query(`SELECT count(*) AS n FROM organizations WHERE slug = 'demo'`)).rows[0].n),
    departments: await n('departments'),
    employees: await n('employees'),
    assignments: await q(`SELECT count(*) AS n FROM casbin_rules WHERE ptype = 'g' AND v2 = $1::text`),
    policyVersion: await q(`SELECT policy_version AS n FROM organizations WHERE id = $1`),
    tagGroups: await n('tag_groups'),
    tags: await n('tags'),
    channels: await n('channels'),
    customers: await n('customers'),
    relations: await n('customer_relations'),
    customerTags: await n('customer_tags'),
    notes: await n('customer_notes'),
    timeline: await n('timeline_events'),
    handovers: await n('handovers'),
    transfers: await n('transfers'),
    lastUpdate: await q(
      `SELECT coalesce(extract(epoch FROM max(updated_at)) * 1000, 0) AS n FROM customers WHERE org_id = $1`,
    ),
  };
}

/** Shanghai calendar date (YYYY-MM-DD) of a time. */
const shanghaiDate = (d: Date): string => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

/**
 * What the plan promises once the seed ran: the employees each customer
 * follows actively. Transfers still WAITING leave customers with the old
 * employee; accepted ones moved them (departures dealt round-robin in the
 * order the relations were added); a refused departure ends the relation.
 */
function expectedHolders(plan: CustomerPlan): Map<string, string[]> {
  const departing = plan.customers.filter((c) => !c.manual && c.follows[0].employee === DEMO_DEPARTURE.employee);
  const out = new Map<string, string[]>();
  for (const c of plan.customers) {
    const holders = new Set(c.follows.filter((_, i) => !(i === 0 && c.ended)).map((f) => f.employee));
    if (plan.onJob.accepted.includes(c.key)) {
      holders.delete(DEMO_ON_JOB_TRANSFER.from);
      holders.add(DEMO_ON_JOB_TRANSFER.to);
    }
    if (plan.departure.refused.includes(c.key)) holders.delete(DEMO_DEPARTURE.employee);
    if (plan.departure.accepted.includes(c.key)) {
      holders.delete(DEMO_DEPARTURE.employee);
      holders.add(DEMO_DEPARTURE.takeovers[departing.indexOf(c) % DEMO_DEPARTURE.takeovers.length]);
    }
    out.set(c.key, [...holders].sort());
  }
  return out;
}


async function departmentId(t: TestApp, token: string, name: string): Promise<string> {
  const { departments } = ok(await t.gql(`{ departments { id name } }`, undefined, token));
  return departments.find((d: { name: string }) => d.name === name).id;
}

const regionOf = (key: string): string[] => {
  const under = DEMO_DEPARTMENTS.filter((d) => d.parent === key).map((d) => d.key);
  return [key, ...under.flatMap(regionOf)];
};

describe('demo seed', () => {
  let t: TestApp;
  let first: { result: DemoSeedResult; out: string };
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    first = await seedCapturingStdout(t);
    adminToken = await login(t, DEMO_ADMIN.email);
  }, 120_000);
  afterAll(() => t.close());

  it('creates the organization in a few seconds and prints the login hint', () => {
    expect(first.result.created).toBe(true);
    // Wall-clock bounds only catch the pathological here (the machine may be busy); the seed logs its timings.
    expect(first.result.totalMs).toBeLessThan(60_000);
    expect(first.result.timings.map((s) => s.step)).toEqual([
      'organization',
      'departments',
      'employees',
      'tag-groups',
      'channels',
      'customers',
      'customer-profiles',
      'customer-notes',
      'relations-ended',
      'handovers',
      'chats',
    ]);
    const out = first.out;
    expect(out).toContain(`${t.url}/graphql`);
    expect(out).toContain(`Web console: ${t.url}/\n`);
    expect(out).toContain(
      'Log in to the demo organization: slug demo, email admin@demo.local, password Harbor-lantern-42',
    );
    for (const key of ['linjie', 'zhangwei', 'grace.li', 'qianhao']) expect(out).toContain(demoEmail(key));
    expect(out).toMatch(/manager\s+linjie@demo\.local/);
    expect(out).toMatch(/sales\s+zhangwei@demo\.local/);
    expect(out).toMatch(/marketer\s+grace\.li@demo\.local/);
    expect(out).toMatch(/auditor\s+qianhao@demo\.local/);
    expect(out).toContain('SEED_DEMO=false');
  });

  it('prints a curl login that works as pasted', async () => {
    const line = first.out.split('\n').find((l) => l.trim().startsWith('curl '));
    expect(line).toBeDefined();
    const m = /^\s*curl -s (\S+) -H 'content-type: application\/json' -d '(.*)'$/.exec(line!);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(`${t.url}/graphql`);
    const res = await fetch(m![1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: m![2] });
    const body = (await res.json()) as {
      data?: { login: { token: string; employee: { roles: string[] } } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data!.login.token).toEqual(expect.any(String));
    expect(body.data!.login.employee.roles).toEqual(['admin']);
  });

  it('logs the admin in to the demo organization', async () => {
    const data = ok(
      await t.gql(LOGIN, { input: { slug: 'demo', email: 'admin@demo.local', password: 'Harbor-lantern-42' } }),
    );
    expect(data.login.employee.roles).toEqual(['admin']);
    expect(data.login.organization.slug).toBe('demo');
    const org = ok(
      await t.gql(`{ organization { name slug timezone } me { name title externalId } }`, undefined, adminToken),
    );
    expect(org.organization).toEqual({ name: DEMO_ORGANIZATION.name, slug: 'demo', timezone: 'Asia/Shanghai' });
    expect(org.me).toEqual({ name: DEMO_ADMIN.name, title: DEMO_ADMIN.title, externalId: DEMO_ADMIN.externalId });
  });

  it('builds a three-level department tree', async () => {
    const { departments } = ok(await t.gql(DEPARTMENTS, undefined, adminToken));
    expect(departments).toHaveLength(DEMO_DEPARTMENTS.length + 1);
    expect(departments.length).toBeGreaterThanOrEqual(10);
    const root = departments.filter((d: { parent: unknown }) => d.parent === null);
    expect(root).toHaveLength(1);
    expect(root[0].name).toBe(DEMO_ORGANIZATION.name);
    // employeeCount leaves out the rep who departed.
    expect(root[0].employeeCount).toBe(DEMO_EMPLOYEES.length);
    expect(departments.find((d: { name: string }) => d.name === '杭州门店 Hangzhou Stores').employeeCount).toBe(3);
    const shanghai = departments.find((d: { name: string }) => d.name === '上海门店 Shanghai Stores');
    expect(shanghai.parent.name).toBe('华东大区 East China');
    expect(shanghai.parent.parent.name).toBe(DEMO_ORGANIZATION.name);
    expect(shanghai.parent.parent.parent).toBeNull();
    const depth = (d: { parent: { parent: unknown } | null }): number => (!d.parent ? 1 : !d.parent.parent ? 2 : 3);
    const byDepth = [1, 2, 3].map((n) => departments.filter((d: never) => depth(d) === n).length);
    expect(byDepth).toEqual([1, 5, 6]);
  });

  it('creates about 36 employees with the intended roles', async () => {
    const all = await employeesSeenBy(t, adminToken);
    expect(all).toHaveLength(36);
    const distribution: Record<string, number> = {};
    for (const e of all) for (const r of e.roles) distribution[r] = (distribution[r] ?? 0) + 1;
    expect(distribution).toEqual({ admin: 1, manager: 4, sales: 28, marketer: 2, auditor: 1 });
    // Everyone is active but the rep who left (through departEmployee, customers handed over).
    expect(all.filter((e) => e.status !== 'ACTIVE').map((e) => [e.externalId, e.status])).toEqual([
      [DEMO_DEPARTURE.employee, 'DEPARTED'],
    ]);
    // WeCom-style userids, e-mails from them, titles, departments as in the data file.
    for (const d of DEMO_EMPLOYEES) {
      const e = all.find((x) => x.externalId === d.externalId);
      expect(e).toMatchObject({ name: d.name, email: demoEmail(d.externalId), title: d.title, roles: [...d.roles] });
      expect(e!.department.name).toBe(DEMO_DEPARTMENTS.find((x) => x.key === d.department)!.name);
    }
    // Capacities vary a little around WeCom's 5000 (fixed ones for managers and trainees).
    const sales = all.filter((e) => e.roles.includes('sales'));
    const capacities = new Set(sales.map((e) => e.customerCapacity));
    expect(capacities.size).toBeGreaterThan(2);
    for (const c of capacities) expect(c).toBeGreaterThanOrEqual(1000);
    for (const c of capacities) expect(c).toBeLessThanOrEqual(5500);
  });

  it('lets every employee log in with the shared demo password', async () => {
    const sample = ['linjie', 'zhangwei', 'grace.li', 'qianhao', 'kevin.pan'];
    for (const key of sample) expect(await login(t, demoEmail(key))).toEqual(expect.any(String));
    // …except the rep who left.
    const departed = await t.gql(LOGIN, {
      input: { slug: 'demo', email: demoEmail(DEMO_DEPARTURE.employee), password: DEMO_PASSWORD },
    });
    expect(codeOf(departed)).toBe('UNAUTHENTICATED');
  });

  it('shows a sales user only themselves', async () => {
    const token = await login(t, demoEmail('zhangwei'));
    const seen = await employeesSeenBy(t, token);
    expect(seen.map((e) => e.externalId)).toEqual(['zhangwei']);
  });

  it('shows a regional manager their department tree only', async () => {
    const token = await login(t, demoEmail('linjie'));
    const seen = await employeesSeenBy(t, token);
    const east = regionOf('east');
    const expected = DEMO_EMPLOYEES.filter((e) => east.includes(e.department)).map((e) => e.externalId);
    expect(expected.length).toBe(16);
    expect(seen.map((e) => e.externalId).sort()).toEqual([...expected].sort());

    const storeManager = await employeesSeenBy(t, await login(t, demoEmail('sunyue')));
    expect(storeManager.map((e) => e.department.name).every((n) => n === '上海门店 Shanghai Stores')).toBe(true);
    expect(storeManager).toHaveLength(8);
  });

  it('shows marketers and auditors the whole organization', async () => {
    for (const key of ['grace.li', 'qianhao']) {
      expect(await employeesSeenBy(t, await login(t, demoEmail(key)))).toHaveLength(36);
    }
  });

  describe('customers, channels and hand-overs', () => {
    // The plan's people, funnel, tags and hand-overs do not depend on the time (only its dates do).
    const plan = planDemoCustomers(new Date());
    const holders = expectedHolders(plan);
    const byExternalId = new Map(plan.customers.filter((c) => c.externalId).map((c) => [c.externalId!, c]));
    const idOf = (key: string) => first.result.ids.get(key);
    const planOf = (node: CustomerNode): PlannedCustomer => {
      const c = node.externalId
        ? byExternalId.get(node.externalId)
        : plan.customers.find((x) => x.manual && idOf(x.key) === node.id);
      expect(c).toBeDefined();
      return c!;
    };
    const heldBy = (employees: string[]) =>
      plan.customers.filter((c) => holders.get(c.key)!.some((h) => employees.includes(h)));
    const customerIds = (cs: PlannedCustomer[]) => cs.map((c) => idOf(c.key)).sort();

    it('shows the admin all 400 customers over two pages, as planned, with phone numbers', async () => {
      const { nodes, pages } = await customersSeenBy(t, adminToken);
      expect(nodes).toHaveLength(DEMO_CUSTOMER_COUNT);
      expect(pages).toBe(2);
      expect(nodes.map((n) => n.id).sort()).toEqual(customerIds(plan.customers));
      for (const n of nodes) {
        const c = planOf(n);
        expect({ name: n.name, company: n.company, phone: n.phone, stage: n.stage }).toEqual({
          name: c.name,
          company: c.company,
          phone: c.phone,
          stage: c.stage,
        });
        expect(n.relations.map((r) => r.employee.externalId).sort()).toEqual(holders.get(c.key));
        // WeChat external_userids, mainland mobiles for most, a few Hong Kong numbers.
        if (!c.manual) expect(n.externalId).toMatch(/^wm_[A-Za-z0-9]{8}$/);
        if (n.phone) expect(n.phone).toMatch(/^(1[3-9]\d{9}|\+852[569]\d{7})$/);
      }
      const mainland = nodes.filter((n) => n.phone && /^1[3-9]\d{9}$/.test(n.phone)).length;
      expect(mainland / nodes.length).toBeGreaterThan(0.8);
      expect(new Set(nodes.filter((n) => n.phone).map((n) => n.phone)).size).toBe(nodes.filter((n) => n.phone).length);
      // Chinese and English names, companies for some, every stage of the funnel.
      expect(nodes.filter((n) => /^[A-Z][a-z]+ /.test(n.name)).length).toBeGreaterThan(10);
      expect(nodes.filter((n) => /[\u4e00-\u9fff]/.test(n.name)).length).toBeGreaterThan(300);
      expect(nodes.filter((n) => n.company).length).toBeGreaterThan(40);
      const stages = new Set(nodes.map((n) => n.stage));
      expect([...stages].sort()).toEqual(['CONTACTED', 'INTERESTED', 'LOST', 'NEGOTIATING', 'NEW', 'WON']);
    });

    it('spreads customers over the sales reps, a few holding many; some follow two reps; some are unassigned', async () => {
      const perRep = new Map<string, number>();
      for (const c of plan.customers) for (const h of holders.get(c.key)!) perRep.set(h, (perRep.get(h) ?? 0) + 1);
      const sorted = [...perRep.values()].sort((a, b) => b - a);
      expect(perRep.size).toBeGreaterThanOrEqual(27);
      expect(sorted[0]).toBeGreaterThan(40);
      expect(sorted[0]).toBeGreaterThan(4 * sorted[Math.floor(sorted.length / 2)]);
      expect(sorted.slice(0, 4).reduce((a, b) => a + b, 0)).toBeGreaterThan(DEMO_CUSTOMER_COUNT / 3);
      const two = plan.customers.filter((c) => holders.get(c.key)!.length === 2);
      expect(two.length).toBeGreaterThanOrEqual(10);
      // The same people through the API: the relation lists, and the unassigned filter.
      const { nodes } = await customersSeenBy(t, adminToken);
      expect(
        nodes
          .filter((n) => n.relations.length === 2)
          .map((n) => n.id)
          .sort(),
      ).toEqual(customerIds(two));
      const unassigned = await customersSeenBy(t, adminToken, { unassigned: true });
      const none = plan.customers.filter((c) => holders.get(c.key)!.length === 0);
      expect(none).toHaveLength(
        DEMO_ENDED_RELATIONS.byCustomer + DEMO_ENDED_RELATIONS.byEmployee + DEMO_DEPARTURE.refused,
      );
      expect(unassigned.nodes.map((n) => n.id).sort()).toEqual(customerIds(none));
    });

    it('shows a sales rep only the customers they hold, with their phone numbers', async () => {
      for (const rep of ['zhangwei', DEMO_ON_JOB_TRANSFER.to]) {
        const token = await login(t, demoEmail(rep));
        const { nodes } = await customersSeenBy(t, token);
        const mine = heldBy([rep]);
        expect(nodes.length).toBeGreaterThan(5);
        expect(nodes.map((n) => n.id).sort()).toEqual(customerIds(mine));
        for (const n of nodes) expect(n.phone).toBe(planOf(n).phone);
        // The database agrees: exactly the rep's ACTIVE relations.
        const { rows } = await t.db.query(
          `SELECT r.customer_id FROM customer_relations r JOIN employees e ON e.id = r.employee_id WHERE e.org_id = $1 AND e.external_id = $2 AND r.status = 'ACTIVE'`,
          [first.result.organizationId, rep],
        );
        expect(rows.map((r: { customer_id: string }) => r.customer_id).sort()).toEqual(customerIds(mine));
      }
      // The takeover of the accepted on-the-job transfer holds that customer now.
      const xuting = (await customersSeenBy(t, await login(t, demoEmail(DEMO_ON_JOB_TRANSFER.to)))).nodes.map(
        (n) => n.id,
      );
      expect(xuting).toEqual(expect.arrayContaining(plan.onJob.accepted.map(idOf)));
      expect(xuting).not.toEqual(expect.arrayContaining(plan.onJob.refused.map(idOf)));
    });

    it("shows a manager their region's customers, phone numbers masked", async () => {
      const east = regionOf('east');
      const eastReps = DEMO_EMPLOYEES.filter((e) => east.includes(e.department)).map((e) => e.externalId);
      const { nodes } = await customersSeenBy(t, await login(t, demoEmail('linjie')));
      const expected = heldBy(eastReps);
      expect(nodes.length).toBeGreaterThan(50);
      expect(nodes.length).toBeLessThan(DEMO_CUSTOMER_COUNT - 50);
      expect(nodes.map((n) => n.id).sort()).toEqual(customerIds(expected));
      for (const n of nodes) expect(n.phone).toBe(maskPhone(planOf(n).phone));
      // The departed rep's customers still waiting for their takeovers stay in his region's view.
      const stillWithHim = plan.customers.filter((c) => holders.get(c.key)!.includes(DEMO_DEPARTURE.employee));
      expect(stillWithHim.length).toBeGreaterThan(5);
      expect(nodes.map((n) => n.id)).toEqual(expect.arrayContaining(customerIds(stillWithHim)));
      // The admin's department filter gives the same set; another region's manager sees none of it.
      const filtered = await customersSeenBy(t, adminToken, {
        departmentId: await departmentId(t, adminToken, '华东大区 East China'),
      });
      expect(filtered.nodes.map((n) => n.id).sort()).toEqual(customerIds(expected));
      const south = (await customersSeenBy(t, await login(t, demoEmail('huangli')))).nodes.map((n) => n.id);
      expect(south.length).toBeGreaterThan(50);
      const southReps = DEMO_EMPLOYEES.filter((e) => regionOf('south').includes(e.department)).map((e) => e.externalId);
      expect(south.sort()).toEqual(customerIds(heldBy(southReps)));
    });

    it('creates the tag groups and tags customers with them', async () => {
      const { tagGroups } = ok(await t.gql(`{ tagGroups { name tags { name } } }`, undefined, adminToken));
      expect(tagGroups.map((g: { name: string }) => g.name).sort()).toEqual(DEMO_TAG_GROUPS.map((g) => g.name).sort());
      for (const g of DEMO_TAG_GROUPS) {
        const found = tagGroups.find((x: { name: string }) => x.name === g.name);
        expect(found.tags.map((x: { name: string }) => x.name).sort()).toEqual(g.tags.map((x) => x.name).sort());
      }
      const { nodes } = await customersSeenBy(t, adminToken);
      const tagged = nodes.filter((n) => n.tags.length);
      expect(tagged.length / nodes.length).toBeGreaterThan(0.8);
      const uses = new Map<string, number>();
      for (const n of nodes) for (const x of n.tags) uses.set(x.name, (uses.get(x.name) ?? 0) + 1);
      for (const g of DEMO_TAG_GROUPS) for (const x of g.tags) expect(uses.get(x.name) ?? 0).toBeGreaterThan(3);
    });

    it("counts each channel's customers in its stats and tags them; the rep who left is off the store's code", async () => {
      const now = new Date();
      const from = shanghaiDate(new Date(now.getTime() - (DEMO_HISTORY_DAYS + 5) * 86_400_000));
      const to = shanghaiDate(now);
      const { channels } = ok(await t.gql(CHANNELS, { from, to }, adminToken));
      expect(channels.edges).toHaveLength(DEMO_CHANNELS.length);
      const ended = new Set([...plan.onJob.accepted, ...plan.departure.accepted, ...plan.departure.refused]);
      for (const d of DEMO_CHANNELS) {
        const ch = channels.edges.find((e: { node: { state: string } }) => e.node.state === d.state).node;
        const members = plan.customers.filter((c) => !c.manual && c.follows[0].state === d.state);
        const lost = members.filter((c) => c.ended?.by === 'CUSTOMER' || plan.departure.refused.includes(c.key));
        const stillActive = members.filter((c) => !c.ended && !ended.has(c.key));
        expect(members.length).toBeGreaterThan(5);
        expect({ state: d.state, ...ch.stats.total }).toEqual({
          state: d.state,
          added: members.length,
          stillActive: stillActive.length,
          lost: lost.length,
        });
        expect(ch.stats.series.reduce((a: number, p: { summary: { added: number } }) => a + p.summary.added, 0)).toBe(
          members.length,
        );
        expect(ch).toMatchObject({ name: d.name, archived: !!d.archived, welcomeMessage: d.welcomeMessage });
        expect(ch.employees.map((e: { externalId: string }) => e.externalId).sort()).toEqual(
          d.employees.filter((e) => e !== DEMO_DEPARTURE.employee).sort(),
        );
        const tagNames = d.tags.map((ref) => {
          const [g, k] = ref.split('/');
          return DEMO_TAG_GROUPS.find((x) => x.key === g)!.tags.find((x) => x.key === k)!.name;
        });
        expect(ch.tags.map((x: { name: string }) => x.name).sort()).toEqual([...tagNames].sort());
        // Attribution tagged every customer added through the channel.
        const attributed = await customersSeenBy(t, adminToken, { state: d.state });
        expect(attributed.nodes.map((n) => n.id).sort()).toEqual(customerIds(members));
        for (const n of attributed.nodes) expect(n.tags.map((x) => x.name)).toEqual(expect.arrayContaining(tagNames));
      }
      expect(
        DEMO_CHANNELS.some((d) =>
          plan.customers.some((c) => c.follows[0].state === d.state && c.ended?.by === 'CUSTOMER'),
        ),
      ).toBe(true);
      // The livestream's customers arrived around the event.
      const live = channels.edges.find((e: { node: { state: string } }) => e.node.state === 'livestream-double11').node;
      const days = live.stats.series
        .filter((p: { summary: { added: number } }) => p.summary.added > 0)
        .map((p: { date: string }) => p.date);
      expect(days.length).toBeGreaterThan(3);
      expect(days.length).toBeLessThanOrEqual(12);
      // A sales rep's stats count only their own relations.
      const zhangwei = ok(await t.gql(CHANNELS, { from, to }, await login(t, demoEmail('zhangwei'))));
      const jingan = zhangwei.channels.edges.find(
        (e: { node: { state: string } }) => e.node.state === 'store-shanghai-jingan',
      ).node;
      const his = plan.customers.filter(
        (c) => c.follows[0].state === 'store-shanghai-jingan' && c.follows[0].employee === 'zhangwei',
      );
      expect(jingan.stats.total.added).toBe(his.length);
      expect(jingan.stats.total.added).toBeGreaterThan(0);
    });

    it("fills a customer's 360: relations, tags, notes and tasks by the rep, timeline", async () => {
      // A customer of the flagship rep who came through the store's code, with notes and a done task if there is one.
      const candidates = plan.customers.filter(
        (c) =>
          !c.manual &&
          !c.ended &&
          c.follows[0].employee === 'zhangwei' &&
          c.follows[0].state === 'store-shanghai-jingan' &&
          c.notes.length >= 2 &&
          c.tags.length >= 2,
      );
      expect(candidates.length).toBeGreaterThan(0);
      const c =
        candidates.find((x) => x.notes.some((n) => n.done)) ??
        candidates.find((x) => x.notes.some((n) => n.kind === 'TASK')) ??
        candidates[0];
      const token = await login(t, demoEmail('zhangwei'));
      const { customer } = ok(await t.gql(CUSTOMER_360, { id: idOf(c.key) }, token));
      expect(customer).toMatchObject({ externalId: c.externalId, name: c.name, phone: c.phone, stage: c.stage });
      expect(customer.relations).toHaveLength(1);
      const rel = customer.relations[0];
      expect(rel).toMatchObject({
        status: 'ACTIVE',
        addWay: 'QR_CODE',
        state: 'store-shanghai-jingan',
        remark: c.follows[0].remark,
        endedAt: null,
        employee: { externalId: 'zhangwei' },
      });
      const addedAt = Date.parse(rel.addedAt);
      expect(addedAt).toBeLessThanOrEqual(Date.now());
      expect(addedAt).toBeGreaterThan(Date.now() - (DEMO_HISTORY_DAYS + 2) * 86_400_000);
      expect(customer.tags.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['门店 Store']));
      expect(customer.tags.length).toBe(new Set([...c.tags, 'source/store']).size);
      const notes = customer.notes.edges.map((e: { node: unknown }) => e.node);
      expect(notes).toHaveLength(c.notes.length);
      expect(notes.map((n: { body: string }) => n.body).sort()).toEqual(c.notes.map((n) => n.body).sort());
      for (const n of notes) expect(n.author.externalId).toBe('zhangwei');
      for (const n of c.notes.filter((x) => x.kind === 'TASK')) {
        const found = notes.find((x: { body: string; kind: string }) => x.kind === 'TASK' && x.body === n.body);
        expect(found.dueAt).not.toBeNull();
        expect(found.doneAt === null).toBe(!n.done);
      }
      if (c.notes.some((n) => n.kind === 'CALL' || n.kind === 'VISIT')) expect(customer.lastContactAt).not.toBeNull();
      const types = customer.timeline.edges.map((e: { node: { type: string } }) => e.node.type);
      expect(types).toEqual(
        expect.arrayContaining(['relation.added', 'channel.attributed', 'tags.added', 'note.added']),
      );
      if (c.stage !== 'NEW') expect(types).toContain('stage.changed');
      if (c.notes.some((n) => n.done)) expect(types).toContain('task.done');
      const added = customer.timeline.edges.find(
        (e: { node: { type: string } }) => e.node.type === 'relation.added',
      ).node;
      expect(Date.parse(added.occurredAt)).toBe(addedAt);
      expect(added.employee.externalId).toBe('zhangwei');

      // A customer who left: the ended relation stays as history.
      const lost = plan.customers.find((x) => x.ended?.by === 'CUSTOMER')!;
      const gone = ok(await t.gql(CUSTOMER_360, { id: idOf(lost.key) }, adminToken)).customer;
      expect(gone.relations).toHaveLength(1);
      expect(gone.relations[0]).toMatchObject({
        status: 'DELETED_BY_CUSTOMER',
        employee: { externalId: lost.follows[0].employee },
      });
      expect(Date.parse(gone.relations[0].endedAt)).toBeGreaterThan(Date.parse(gone.relations[0].addedAt));
      expect(Date.parse(gone.relations[0].endedAt)).toBeLessThanOrEqual(Date.now());
      expect(gone.timeline.edges.map((e: { node: { type: string } }) => e.node.type)).toContain('relation.ended');
      // …and is out of the rep's reach now.
      const repToken = await login(t, demoEmail(lost.follows[0].employee));
      expect(codeOf(await t.gql(CUSTOMER_360, { id: idOf(lost.key) }, repToken))).toBe('FORBIDDEN');

      // A customer following two reps.
      const two = plan.customers.find((x) => x.follows.length === 2)!;
      const both = ok(await t.gql(CUSTOMER_360, { id: idOf(two.key) }, adminToken)).customer;
      expect(both.relations.map((r: { employee: { externalId: string } }) => r.employee.externalId).sort()).toEqual(
        two.follows.map((f) => f.employee).sort(),
      );
      expect(both.relations.every((r: { status: string }) => r.status === 'ACTIVE')).toBe(true);
    });

    it('lists the departure and the on-the-job transfer with their counts', async () => {
      const { handovers } = ok(await t.gql(HANDOVERS, undefined, adminToken));
      expect(handovers.edges).toHaveLength(2);
      const nodes = handovers.edges.map((e: { node: unknown }) => e.node);
      const departure = nodes.find((h: { kind: string }) => h.kind === 'DEPARTURE');
      const onJob = nodes.find((h: { kind: string }) => h.kind === 'ON_JOB');

      const departing = plan.customers.filter((c) => !c.manual && c.follows[0].employee === DEMO_DEPARTURE.employee);
      const answered = DEMO_DEPARTURE.accepted + DEMO_DEPARTURE.refused;
      expect(departure).toMatchObject({
        strategy: 'ROUND_ROBIN',
        message: DEMO_DEPARTURE.message,
        fromEmployee: { externalId: DEMO_DEPARTURE.employee, status: 'DEPARTED' },
        requestedBy: { externalId: DEMO_ADMIN.externalId, name: DEMO_ADMIN.name },
        counts: {
          total: departing.length,
          waiting: departing.length - answered,
          completed: DEMO_DEPARTURE.accepted,
          refused: DEMO_DEPARTURE.refused,
          failed: 0,
        },
      });
      expect(departing.length).toBeGreaterThanOrEqual(10);
      const dealt = new Map<string, number>();
      for (const e of departure.transfers.edges)
        dealt.set(e.node.toEmployee.externalId, (dealt.get(e.node.toEmployee.externalId) ?? 0) + 1);
      expect([...dealt.keys()].sort()).toEqual([...DEMO_DEPARTURE.takeovers].sort());
      expect(
        Math.abs(dealt.get(DEMO_DEPARTURE.takeovers[0])! - dealt.get(DEMO_DEPARTURE.takeovers[1])!),
      ).toBeLessThanOrEqual(1);
      // WAITING transfers complete by themselves after the default 24 h acceptance window.
      for (const e of departure.transfers.edges.filter(
        (x: { node: { status: string } }) => x.node.status === 'WAITING',
      )) {
        expect(Date.parse(e.node.takeoverAt) - Date.parse(departure.createdAt)).toBeGreaterThan(23.9 * 3_600_000);
        expect(Date.parse(e.node.takeoverAt) - Date.parse(departure.createdAt)).toBeLessThan(24.1 * 3_600_000);
      }

      expect(onJob).toMatchObject({
        strategy: 'SINGLE',
        message: DEMO_ON_JOB_TRANSFER.message,
        fromEmployee: { externalId: DEMO_ON_JOB_TRANSFER.from, status: 'ACTIVE' },
        requestedBy: { externalId: 'sunyue' },
        counts: {
          total: DEMO_ON_JOB_TRANSFER.customers,
          waiting: DEMO_ON_JOB_TRANSFER.customers - DEMO_ON_JOB_TRANSFER.accepted - DEMO_ON_JOB_TRANSFER.refused,
          completed: DEMO_ON_JOB_TRANSFER.accepted,
          refused: DEMO_ON_JOB_TRANSFER.refused,
          failed: 0,
        },
      });
      const byCustomer = new Map(
        onJob.transfers.edges.map((e: { node: { customer: { id: string }; status: string } }) => [
          e.node.customer.id,
          e.node.status,
        ]),
      );
      expect([...byCustomer.keys()].sort()).toEqual(plan.onJob.customers.map(idOf).sort());
      for (const k of plan.onJob.accepted) expect(byCustomer.get(idOf(k))).toBe('COMPLETED');
      for (const k of plan.onJob.refused) expect(byCustomer.get(idOf(k))).toBe('REFUSED');

      // East China's director sees both (his region); South China's none.
      const linjie = ok(await t.gql(HANDOVERS, undefined, await login(t, demoEmail('linjie')))).handovers.edges;
      expect(linjie.map((e: { node: { kind: string } }) => e.node.kind).sort()).toEqual(['DEPARTURE', 'ON_JOB']);
      expect(ok(await t.gql(HANDOVERS, undefined, await login(t, demoEmail('huangli')))).handovers.edges).toHaveLength(
        0,
      );
    });
  });

  describe('chats', () => {
    const CONVERSATIONS = `{ conversations(first: 50) { edges { node { id messageCount employee { id } } } } }`;
    const SEARCH = `query($q: String!) { searchChatMessages(query: $q, first: 20) { edges { node {
      externalId text contentWithheld } } } }`;
    const ALERTS = `{ auditAlerts(first: 20) { edges { node { matched status rule { name } message { externalId } } } } }`;
    const KPI = `query($input: KpiDashboardInput!) { kpiDashboard(input: $input) { total { chats } } }`;
    let auditor: string;
    beforeAll(async () => {
      auditor = await login(t, demoEmail('qianhao'));
    });

    it("gives the auditor a few days of conversations, in Chinese and English, with the rule's hits as alerts", async () => {
      const conversations = ok(await t.gql(CONVERSATIONS, {}, auditor)).conversations.edges;
      expect(conversations).toHaveLength(DEMO_CONVERSATIONS.length);
      const lines = DEMO_CONVERSATIONS.reduce((n, c) => n + c.lines.length, 0);
      expect(conversations.reduce((n: number, e: { node: { messageCount: number } }) => n + e.node.messageCount, 0))
        .toBe(lines);
      const find = async (q: string) =>
        ok(await t.gql(SEARCH, { q }, auditor)).searchChatMessages.edges.map(
          (e: { node: { externalId: string; text: string | null } }) => e.node,
        );
      expect((await find('保湿精华')).map((m: { text: string }) => m.text)).toEqual([
        '你好，上次推荐的保湿精华用完了，还有货吗？',
      ]);
      expect(await find('sunscreen')).toHaveLength(1);
      const alerts = ok(await t.gql(ALERTS, {}, auditor)).auditAlerts.edges.map(
        (e: { node: { matched: string[]; status: string; rule: { name: string } } }) => e.node,
      );
      expect(alerts.map((a: { matched: string[] }) => a.matched).sort()).toEqual([['pay me directly'], ['私下转账']]);
      expect(alerts.every((a: { status: string; rule: { name: string } }) => a.status === 'OPEN')).toBe(true);
      expect(new Set(alerts.map((a: { rule: { name: string } }) => a.rule.name))).toEqual(
        new Set([DEMO_KEYWORD_RULE.name]),
      );
      // The auditor on the rule's notify list was told of each.
      const notices = ok(
        await t.gql(`{ notifications(first: 20) { edges { node { kind auditAlertId } } } }`, {}, auditor),
      ).notifications.edges.filter((e: { node: { kind: string } }) => e.node.kind === 'AUDIT_ALERT');
      expect(notices).toHaveLength(2);
    });

    it('withholds what a customer said after refusing the archiving, and the KPI counts the chats', async () => {
      const refused = DEMO_CONVERSATIONS.findIndex((c) => c.refusesAt);
      const q = `query($id: ID!) { conversation(id: $id) { consent messages(first: 20) { edges { node {
        externalId contentWithheld } } } } }`;
      const conversations = ok(await t.gql(CONVERSATIONS, {}, auditor)).conversations.edges.map(
        (e: { node: { id: string } }) => e.node.id,
      );
      const threads = await Promise.all(
        conversations.map(async (id: string) => ok(await t.gql(q, { id }, auditor)).conversation),
      );
      const thread = threads.find((c: { messages: { edges: Array<{ node: { externalId: string } }> } }) =>
        c.messages.edges.some((e) => e.node.externalId.startsWith(`demo-chat-${refused + 1}-`)),
      );
      expect(thread.consent).toBe('DISAGREED');
      const withheld = thread.messages.edges
        .filter((e: { node: { contentWithheld: boolean } }) => e.node.contentWithheld)
        .map((e: { node: { externalId: string } }) => e.node.externalId)
        .sort();
      expect(withheld).toEqual([`demo-chat-${refused + 1}-3`, `demo-chat-${refused + 1}-4`]);
      const day = (ms: number) => new Date(Date.now() - ms).toISOString().slice(0, 10);
      const kpi = ok(
        await t.gql(KPI, { input: { from: day(8 * 86_400_000), to: day(0) } }, adminToken),
      ).kpiDashboard;
      expect(kpi.total.chats).toBeGreaterThan(0);
    });
  });

  it('creates nothing the second time and prints the hint again', async () => {
    const before = await counts(t, first.result.organizationId);
    expect(before).toMatchObject({ organizations: 1, departments: 12, employees: 36, assignments: 36 });
    expect(before).toMatchObject({
      tagGroups: 4,
      tags: 14,
      channels: DEMO_CHANNELS.length,
      customers: DEMO_CUSTOMER_COUNT,
      handovers: 2,
    });
    expect(before.relations).toBeGreaterThan(DEMO_CUSTOMER_COUNT);
    expect(before.notes).toBeGreaterThan(200);
    expect(before.timeline).toBeGreaterThan(2000);
    const again = await seedCapturingStdout(t);
    expect(again.result).toMatchObject({ created: false, organizationId: first.result.organizationId });
    expect(await counts(t, first.result.organizationId)).toEqual(before);
    expect(again.out).toContain(
      'Log in to the demo organization: slug demo, email admin@demo.local, password Harbor-lantern-42',
    );
    expect(again.out).toContain('seeded on an earlier start');
    expect(again.out).toContain('SEED_DEMO=false');
  });
});

/** A later step's view of the context: fresh admin Actor, actors of created employees, recorded ids. */
const probed: unknown[] = [];
const probeStep: SeedStep = {
  name: 'probe',
  async run(ctx) {
    const org = await ctx.get(OrganizationsService).get(ctx.orgId);
    expect(ctx.admin).toEqual({
      kind: 'employee',
      orgId: ctx.orgId,
      subject: `emp:${ctx.ids.get('emp:admin')}`,
      employeeId: ctx.ids.get('emp:admin'),
      departmentId: ctx.ids.get('dept:root'),
      policyVersion: org.policyVersion,
    });
    expect(org.policyVersion).toBeGreaterThan(1);
    const sales = await ctx.actorFor('zhangwei');
    expect(sales).toMatchObject({
      kind: 'employee',
      subject: `emp:${ctx.ids.get('emp:zhangwei')}`,
      departmentId: ctx.ids.get('dept:shanghai'),
    });
    expect(ctx.ids.entries('emp:')).toHaveLength(36);
    expect(ctx.ids.entries('dept:')).toHaveLength(12);
    probed.push(ctx.rng.next());
  },
};

describe('demo seed determinism and concurrency', () => {
  it('produces the same people, customers, notes and hand-overs in a fresh database, seeded once even when started twice at once', async () => {
    const snapshot = async (concurrentStarts: number, steps?: readonly SeedStep[]) => {
      const t = await startTestApp();
      try {
        const { result } = await capturingStdout(() =>
          Promise.all(Array.from({ length: concurrentStarts }, () => seedDemoOnFirstStart(t.app, t.url, { steps }))),
        );
        expect(result.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(result.map((r) => r.organizationId)).size).toBe(1);
        const token = await login(t, DEMO_ADMIN.email);
        const all = await employeesSeenBy(t, token);
        const { nodes } = await customersSeenBy(t, token);
        const notes = await t.db.query(
          `SELECT coalesce(c.external_id, c.name) AS who, n.kind, n.body, n.done_at IS NOT NULL AS done, e.external_id AS author
             FROM customer_notes n JOIN customers c ON c.id = n.customer_id JOIN employees e ON e.id = n.author_id`,
        );
        const handovers = ok(await t.gql(HANDOVERS, undefined, token)).handovers.edges.map(
          (e: {
            node: {
              kind: string;
              counts: unknown;
              transfers: { edges: Array<{ node: { status: string; toEmployee: { externalId: string } } }> };
            };
          }) =>
            [
              e.node.kind,
              JSON.stringify(e.node.counts),
              e.node.transfers.edges
                .map((x) => `${x.node.status}>${x.node.toEmployee.externalId}`)
                .sort()
                .join(','),
            ].join('|'),
        );
        return {
          employees: all.map((e) =>
            [e.externalId, e.name, e.title, e.department.name, e.customerCapacity, e.roles.join(','), e.status].join(
              '|',
            ),
          ),
          customers: nodes
            .map((n) =>
              [
                n.externalId,
                n.name,
                n.company,
                n.phone,
                n.stage,
                n.tags
                  .map((x) => x.name)
                  .sort()
                  .join(','),
                n.relations
                  .map((r) => r.employee.externalId)
                  .sort()
                  .join(','),
              ].join('|'),
            )
            .sort(),
          notes: notes.rows.map((r: Record<string, unknown>) => Object.values(r).join('|')).sort(),
          handovers: handovers.sort(),
        };
      } finally {
        await t.close();
      }
    };
    const a = await snapshot(2);
    const b = await snapshot(1, [...DEMO_SEED_STEPS, probeStep]);
    expect(probed).toHaveLength(1);
    expect(a.employees).toHaveLength(36);
    expect(a.customers).toHaveLength(DEMO_CUSTOMER_COUNT);
    expect(a.notes.length).toBeGreaterThan(200);
    expect(a.handovers).toHaveLength(2);
    expect(a).toEqual(b);
  }, 180_000);
});
