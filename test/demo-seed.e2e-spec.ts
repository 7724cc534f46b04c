import { DEMO_ADMIN, DEMO_DEPARTMENTS, DEMO_EMPLOYEES, DEMO_ORGANIZATION, DEMO_PASSWORD, demoEmail } from '../src/demo/demo-data';
import { OrganizationsService } from '../src/modules/org/services/organizations.service';
import { SeedStep } from '../src/demo/seed-context';
import { DemoSeedResult, seedDemoOnFirstStart } from '../src/demo/seed-demo';
import { DEMO_SEED_STEPS } from '../src/demo/steps';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token employee { id name roles } organization { id slug } } }`;
const EMPLOYEES = `{ employees(first: 200) {
  edges { node { id name email externalId title customerCapacity status roles department { id name } } }
  pageInfo { hasNextPage } } }`;
const DEPARTMENTS = `{ departments { id name employeeCount parent { id name parent { id name parent { id } } } } }`;

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

async function counts(t: TestApp, orgId: string) {
  const q = async (sql: string) => Number((await t.db.query(sql, [orgId])).rows[0].n);
  return {
    organizations: Number((await t.db.query(`SELECT count(*) AS n FROM organizations WHERE slug = 'demo'`)).rows[0].n),
    departments: await q(`SELECT count(*) AS n FROM departments WHERE org_id = $1`),
    employees: await q(`SELECT count(*) AS n FROM employees WHERE org_id = $1`),
    assignments: await q(`SELECT count(*) AS n FROM casbin_rules WHERE ptype = 'g' AND v2 = $1::text`),
    policyVersion: await q(`SELECT policy_version AS n FROM organizations WHERE id = $1`),
  };
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
  }, 60_000);
  afterAll(() => t.close());

  it('creates the organization in a few seconds and prints the login hint', () => {
    expect(first.result.created).toBe(true);
    expect(first.result.totalMs).toBeLessThan(15_000);
    expect(first.result.timings.map((s) => s.step)).toEqual(['organization', 'departments', 'employees']);
    const out = first.out;
    expect(out).toContain(`${t.url}/graphql`);
    expect(out).toContain('Log in to the demo organization: slug demo, email admin@demo.local, password demo-password');
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
    const body = (await res.json()) as { data?: { login: { token: string; employee: { roles: string[] } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.login.token).toEqual(expect.any(String));
    expect(body.data!.login.employee.roles).toEqual(['admin']);
  });

  it('logs the admin in to the demo organization', async () => {
    const data = ok(await t.gql(LOGIN, { input: { slug: 'demo', email: 'admin@demo.local', password: 'demo-password' } }));
    expect(data.login.employee.roles).toEqual(['admin']);
    expect(data.login.organization.slug).toBe('demo');
    const org = ok(await t.gql(`{ organization { name slug timezone } me { name title } }`, undefined, adminToken));
    expect(org.organization).toEqual({ name: DEMO_ORGANIZATION.name, slug: 'demo', timezone: 'Asia/Shanghai' });
    expect(org.me).toEqual({ name: DEMO_ADMIN.name, title: DEMO_ADMIN.title });
  });

  it('builds a three-level department tree', async () => {
    const { departments } = ok(await t.gql(DEPARTMENTS, undefined, adminToken));
    expect(departments).toHaveLength(DEMO_DEPARTMENTS.length + 1);
    expect(departments.length).toBeGreaterThanOrEqual(10);
    const root = departments.filter((d: { parent: unknown }) => d.parent === null);
    expect(root).toHaveLength(1);
    expect(root[0].name).toBe(DEMO_ORGANIZATION.name);
    expect(root[0].employeeCount).toBe(DEMO_EMPLOYEES.length + 1);
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
    expect(all.every((e) => e.status === 'ACTIVE')).toBe(true);
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

  it('creates nothing the second time and prints the hint again', async () => {
    const before = await counts(t, first.result.organizationId);
    expect(before).toMatchObject({ organizations: 1, departments: 12, employees: 36, assignments: 36 });
    const again = await seedCapturingStdout(t);
    expect(again.result).toMatchObject({ created: false, organizationId: first.result.organizationId });
    expect(await counts(t, first.result.organizationId)).toEqual(before);
    expect(again.out).toContain('Log in to the demo organization: slug demo, email admin@demo.local, password demo-password');
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
    expect(sales).toMatchObject({ kind: 'employee', subject: `emp:${ctx.ids.get('emp:zhangwei')}`, departmentId: ctx.ids.get('dept:shanghai') });
    expect(ctx.ids.entries('emp:')).toHaveLength(36);
    expect(ctx.ids.entries('dept:')).toHaveLength(12);
    probed.push(ctx.rng.next());
  },
};

describe('demo seed determinism and concurrency', () => {
  it('produces the same people, departments and capacities in a fresh database, seeded once even when started twice at once', async () => {
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
        return all.map((e) => [e.externalId, e.name, e.title, e.department.name, e.customerCapacity, e.roles.join(',')].join('|'));
      } finally {
        await t.close();
      }
    };
    const a = await snapshot(2);
    const b = await snapshot(1, [...DEMO_SEED_STEPS, probeStep]);
    expect(probed).toHaveLength(1);
    expect(a).toHaveLength(36);
    expect(a).toEqual(b);
  }, 60_000);
});
