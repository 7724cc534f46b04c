import { codeOf, Connection, ok, startTestApp, TestApp } from './helpers/test-app';
import { createDepartment, createEmployee, OrgFixture, signUpOrg } from './helpers/fixtures';

const UPDATE_SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { timezone settings { transferAcceptanceMinutes onJobTransferLimit onJobTransferWindowDays momentTaskExpiryHours chatRetentionDays } } }`;
const CREATE_DEPT = `mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { id name parent { id } } }`;
const UPDATE_DEPT = `mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { id name parent { id name } } }`;
const DELETE_DEPT = `mutation($id: ID!) { deleteDepartment(id: $id) }`;
const CREATE_EMP = `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id name email title externalId roles status customerCapacity activeCustomerCount department { id } } }`;
const UPDATE_EMP = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id name title roles status customerCapacity department { id } } }`;
const EMPLOYEES = `query($filter: EmployeeFilter, $first: Int, $after: String) { employees(filter: $filter, first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`;

describe('organizations, departments, employees, roles', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
  });
  afterAll(() => t.close());

  describe('organization settings', () => {
    it('updates settings and stores them', async () => {
      const r = ok(
        await t.gql(
          UPDATE_SETTINGS,
          {
            input: {
              timezone: 'Asia/Tokyo',
              transferAcceptanceMinutes: 0,
              onJobTransferLimit: 3,
              chatRetentionDays: 180,
            },
          },
          org.adminToken,
        ),
      );
      expect(r.updateOrganizationSettings).toEqual({
        timezone: 'Asia/Tokyo',
        settings: {
          transferAcceptanceMinutes: 0,
          onJobTransferLimit: 3,
          onJobTransferWindowDays: 90,
          momentTaskExpiryHours: 72,
          chatRetentionDays: 180,
        },
      });
      const row = await t.db.query(
        `SELECT timezone, transfer_acceptance_minutes, chat_retention_days FROM organizations WHERE id = $1`,
        [org.orgId],
      );
      expect(row.rows[0]).toEqual({ timezone: 'Asia/Tokyo', transfer_acceptance_minutes: 0, chat_retention_days: 180 });
      // null keeps chat forever
      const cleared = ok(await t.gql(UPDATE_SETTINGS, { input: { chatRetentionDays: null } }, org.adminToken));
      expect(cleared.updateOrganizationSettings.settings.chatRetentionDays).toBeNull();
    });

    it('guards the mutation: unauthenticated, forbidden role, bad input; another organization is untouched', async () => {
      const manager = await createEmployee(t, org, { roles: ['manager'] });
      expect(codeOf(await t.gql(UPDATE_SETTINGS, { input: { onJobTransferLimit: 1 } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(UPDATE_SETTINGS, { input: { onJobTransferLimit: 1 } }, manager.token))).toBe(
        'FORBIDDEN',
      );
      const bad = await t.gql(
        UPDATE_SETTINGS,
        { input: { onJobTransferLimit: -1, timezone: 'Nowhere/City', momentTaskExpiryHours: 0 } },
        org.adminToken,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].message).toContain('input.onJobTransferLimit');
      expect(bad.errors![0].message).toContain('input.momentTaskExpiryHours');
      const badTz = await t.gql(UPDATE_SETTINGS, { input: { timezone: 'Nowhere/City' } }, org.adminToken);
      expect(codeOf(badTz)).toBe('BAD_USER_INPUT');
      // Updating one organization never touches another.
      const theirs = await t.db.query(`SELECT on_job_transfer_limit, timezone FROM organizations WHERE id = $1`, [
        other.orgId,
      ]);
      expect(theirs.rows[0]).toEqual({ on_job_transfer_limit: 2, timezone: 'Asia/Shanghai' });
      expect(ok(await t.gql(`{ organization { id slug } }`, {}, other.adminToken)).organization).toEqual({
        id: other.orgId,
        slug: other.slug,
      });
    });
  });

  describe('departments', () => {
    it('builds a tree, renames, moves with cycle prevention, deletes only when empty', async () => {
      const east = ok(
        await t.gql(CREATE_DEPT, { input: { name: '华东大区', parentId: org.rootDepartmentId } }, org.adminToken),
      ).createDepartment;
      const shanghai = await createDepartment(t, org.adminToken, '上海', east.id);
      const store = await createDepartment(t, org.adminToken, 'Store 1', shanghai);
      expect(east.parent.id).toBe(org.rootDepartmentId);
      // A department cannot move under itself or a descendant.
      const cycle = await t.gql(UPDATE_DEPT, { input: { id: east.id, parentId: store } }, org.adminToken);
      expect(codeOf(cycle)).toBe('BAD_USER_INPUT');
      expect(cycle.errors![0].message).toContain('input.parentId');
      const self = await t.gql(UPDATE_DEPT, { input: { id: east.id, parentId: east.id } }, org.adminToken);
      expect(codeOf(self)).toBe('BAD_USER_INPUT');
      // Move Shanghai (with its store) to the root and rename it.
      const moved = ok(
        await t.gql(
          UPDATE_DEPT,
          { input: { id: shanghai, parentId: org.rootDepartmentId, name: '上海区' } },
          org.adminToken,
        ),
      ).updateDepartment;
      expect(moved).toEqual({
        id: shanghai,
        name: '上海区',
        parent: { id: org.rootDepartmentId, name: expect.any(String) },
      });
      const paths = await t.db.query(`SELECT id, path FROM departments WHERE id = ANY($1)`, [[shanghai, store]]);
      const byId = Object.fromEntries(paths.rows.map((r) => [r.id, r.path]));
      expect(byId[shanghai]).toBe(`/${org.rootDepartmentId}/${shanghai}/`);
      expect(byId[store]).toBe(`/${org.rootDepartmentId}/${shanghai}/${store}/`);
      // Sibling names are unique.
      expect(
        codeOf(
          await t.gql(CREATE_DEPT, { input: { name: '华东大区', parentId: org.rootDepartmentId } }, org.adminToken),
        ),
      ).toBe('CONFLICT');
      // Delete only when empty.
      expect(codeOf(await t.gql(DELETE_DEPT, { id: shanghai }, org.adminToken))).toBe('CONFLICT');
      await createEmployee(t, org, { departmentId: store });
      expect(codeOf(await t.gql(DELETE_DEPT, { id: store }, org.adminToken))).toBe('CONFLICT');
      expect(ok(await t.gql(DELETE_DEPT, { id: east.id }, org.adminToken)).deleteDepartment).toBe(true);
      expect((await t.db.query(`SELECT 1 FROM departments WHERE id = $1`, [east.id])).rowCount).toBe(0);
      expect(codeOf(await t.gql(DELETE_DEPT, { id: org.rootDepartmentId }, org.adminToken))).toBe('CONFLICT');
      // The tree as the API shows it, with subtree employee counts.
      const tree = ok(
        await t.gql(`{ departments { id name parent { id } children { id } employeeCount } }`, {}, org.adminToken),
      ).departments;
      const sh = tree.find((d: { id: string }) => d.id === shanghai);
      expect(sh.children).toEqual([{ id: store }]);
      expect(sh.employeeCount).toBe(1);
    });

    it('guards department mutations: unauthenticated, another organization (NOT_FOUND), forbidden role, bad input', async () => {
      const sales = await createEmployee(t, org, { roles: ['sales'] });
      const mine = await createDepartment(t, org.adminToken, 'Guarded');
      expect(codeOf(await t.gql(CREATE_DEPT, { input: { name: 'X' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CREATE_DEPT, { input: { name: 'X' } }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(UPDATE_DEPT, { input: { id: mine, name: 'Y' } }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DELETE_DEPT, { id: mine }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CREATE_DEPT, { input: { name: 'X', parentId: mine } }, other.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(UPDATE_DEPT, { input: { id: mine, name: 'Stolen' } }, other.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(DELETE_DEPT, { id: mine }, other.adminToken))).toBe('NOT_FOUND');
      const bad = await t.gql(
        CREATE_DEPT,
        { input: { name: 'x'.repeat(101), parentId: 'not-a-uuid' } },
        org.adminToken,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].message).toContain('input.name');
      expect(bad.errors![0].message).toContain('input.parentId');
      const row = await t.db.query(`SELECT name FROM departments WHERE id = $1`, [mine]);
      expect(row.rows[0].name).toBe('Guarded');
    });
  });

  describe('employees', () => {
    it('creates an employee with roles and department; the password is hashed', async () => {
      const dept = await createDepartment(t, org.adminToken, 'Sales Team A');
      const r = ok(
        await t.gql(
          CREATE_EMP,
          {
            input: {
              name: '王小明',
              email: 'Wang@Org.test',
              password: 'Quasar-Marmalade-9',
              title: '销售',
              externalId: 'wangxm',
              departmentId: dept,
              roles: ['sales', 'marketer'],
              customerCapacity: 100,
            },
          },
          org.adminToken,
        ),
      ).createEmployee;
      expect(r).toMatchObject({
        name: '王小明',
        email: 'wang@org.test',
        title: '销售',
        externalId: 'wangxm',
        status: 'ACTIVE',
        customerCapacity: 100,
        activeCustomerCount: 0,
        department: { id: dept },
      });
      expect([...r.roles].sort()).toEqual(['marketer', 'sales']);
      const g = await t.db.query(`SELECT v1 FROM casbin_rules WHERE ptype = 'g' AND v0 = $1 AND v2 = $2 ORDER BY v1`, [
        `emp:${r.id}`,
        org.orgId,
      ]);
      expect(g.rows.map((x) => x.v1)).toEqual(['marketer', 'sales']);
      const h = await t.db.query(`SELECT password_hash FROM employees WHERE id = $1`, [r.id]);
      expect(h.rows[0].password_hash).toMatch(/^\$argon2id\$/);
      // Defaults: sales role, capacity 5000.
      const d = ok(
        await t.gql(CREATE_EMP, { input: { name: 'Default', email: 'default@org.test' } }, org.adminToken),
      ).createEmployee;
      expect(d).toMatchObject({ roles: ['sales'], customerCapacity: 5000, department: null });
    });

    it('refuses duplicates and bad input, naming the fields, and creates nothing', async () => {
      ok(
        await t.gql(CREATE_EMP, { input: { name: 'Dup', email: 'dup@org.test', externalId: 'dup1' } }, org.adminToken),
      );
      expect(codeOf(await t.gql(CREATE_EMP, { input: { name: 'Dup', email: 'DUP@org.test' } }, org.adminToken))).toBe(
        'CONFLICT',
      );
      expect(
        codeOf(
          await t.gql(
            CREATE_EMP,
            { input: { name: 'Dup', email: 'dup2@org.test', externalId: 'dup1' } },
            org.adminToken,
          ),
        ),
      ).toBe('CONFLICT');
      const bad = await t.gql(
        CREATE_EMP,
        { input: { name: '', email: 'nope', password: 'short', customerCapacity: -1 } },
        org.adminToken,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      for (const f of ['input.name', 'input.email', 'input.password', 'input.customerCapacity'])
        expect(bad.errors![0].message).toContain(f);
      const role = await t.gql(
        CREATE_EMP,
        { input: { name: 'R', email: 'r@org.test', roles: ['overlord'] } },
        org.adminToken,
      );
      expect(codeOf(role)).toBe('BAD_USER_INPUT');
      expect(role.errors![0].message).toContain('input.roles');
      const dept = await t.gql(
        CREATE_EMP,
        { input: { name: 'R', email: 'r@org.test', departmentId: other.rootDepartmentId } },
        org.adminToken,
      );
      expect(codeOf(dept)).toBe('NOT_FOUND');
      const n = await t.db.query(
        `SELECT count(*)::int AS n FROM employees WHERE org_id = $1 AND email = 'r@org.test'`,
        [org.orgId],
      );
      expect(n.rows[0].n).toBe(0);
    });

    it('answers CONFLICT, never a server error, for duplicates created at the same moment', async () => {
      const input = { name: 'Racer', email: 'racer@org.test', externalId: 'racer' };
      const results = await Promise.all([0, 1, 2, 3].map(() => t.gql(CREATE_EMP, { input }, org.adminToken)));
      expect(results.filter((r) => !r.errors).length).toBe(1);
      expect(results.filter((r) => r.errors).map(codeOf)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      const n = await t.db.query(
        `SELECT count(*)::int AS n FROM employees WHERE org_id = $1 AND email = 'racer@org.test'`,
        [org.orgId],
      );
      expect(n.rows[0].n).toBe(1);
    });

    it('updates an employee; DEPARTED is refused; the last admin is kept', async () => {
      const e = await createEmployee(t, org);
      const dept = await createDepartment(t, org.adminToken, 'Moved Here');
      const r = ok(
        await t.gql(
          UPDATE_EMP,
          {
            input: {
              id: e.id,
              name: 'Renamed',
              title: 'Lead',
              roles: ['manager'],
              customerCapacity: 10,
              departmentId: dept,
            },
          },
          org.adminToken,
        ),
      ).updateEmployee;
      expect(r).toEqual({
        id: e.id,
        name: 'Renamed',
        title: 'Lead',
        roles: ['manager'],
        status: 'ACTIVE',
        customerCapacity: 10,
        department: { id: dept },
      });
      const departed = await t.gql(UPDATE_EMP, { input: { id: e.id, status: 'DEPARTED' } }, org.adminToken);
      expect(codeOf(departed)).toBe('BAD_USER_INPUT');
      expect(departed.errors![0].message).toContain('departEmployee');
      expect((await t.db.query(`SELECT status FROM employees WHERE id = $1`, [e.id])).rows[0].status).toBe('ACTIVE');
      const lastAdmin = await t.gql(UPDATE_EMP, { input: { id: org.adminId, roles: ['sales'] } }, org.adminToken);
      expect(codeOf(lastAdmin)).toBe('CONFLICT');
    });

    it('guards updateEmployee: unauthenticated, other organization, forbidden role, bad input', async () => {
      const e = await createEmployee(t, org);
      const sales = await createEmployee(t, org);
      expect(codeOf(await t.gql(UPDATE_EMP, { input: { id: e.id, name: 'X' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(UPDATE_EMP, { input: { id: e.id, name: 'X' } }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(UPDATE_EMP, { input: { id: e.id, name: 'X' } }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(UPDATE_EMP, { input: { id: 'nope', name: 'X' } }, org.adminToken))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await t.gql(CREATE_EMP, { input: { name: 'X', email: 'x@x.test' } }, sales.token))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await t.gql(CREATE_EMP, { input: { name: 'X', email: 'x@x.test' } }))).toBe('UNAUTHENTICATED');
      expect((await t.db.query(`SELECT name FROM employees WHERE id = $1`, [e.id])).rows[0].name).toBe('Employee');
      // employee(id) of another organization is NOT_FOUND, never FORBIDDEN.
      expect(codeOf(await t.gql(`query($id: ID!) { employee(id: $id) { id } }`, { id: e.id }, other.adminToken))).toBe(
        'NOT_FOUND',
      );
    });

    it('pages with keyset cursors without skipping or repeating, even while rows are inserted', async () => {
      const o = await signUpOrg(t);
      for (let i = 0; i < 7; i++) await createEmployee(t, o, { name: `Pager ${i}` });
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: Connection<{ id: string }> = ok(
          await t.gql(EMPLOYEES, { first: 3, after }, o.adminToken),
        ).employees;
        seen.push(...page.edges.map((e) => e.node.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        if (pages === 0) await createEmployee(t, o, { name: 'Inserted meanwhile' });
        pages++;
      } while (after);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(9); // admin + 7 + the one inserted meanwhile (ordered last)
      expect(codeOf(await t.gql(EMPLOYEES, { first: 201 }, o.adminToken))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(EMPLOYEES, { first: 0 }, o.adminToken))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(EMPLOYEES, { after: 'bogus' }, o.adminToken))).toBe('BAD_USER_INPUT');
    });

    it('filters by department tree, status, role and search (Chinese and English)', async () => {
      const o = await signUpOrg(t);
      const region = await createDepartment(t, o.adminToken, 'Region');
      const city = await createDepartment(t, o.adminToken, 'City', region);
      const a = await createEmployee(t, o, { name: '张伟 Zhang Wei', departmentId: region, roles: ['manager'] });
      const b = await createEmployee(t, o, { name: '李娜 Li Na', departmentId: city });
      const c = await createEmployee(t, o, { name: 'Chen', departmentId: o.rootDepartmentId });
      ok(await t.gql(UPDATE_EMP, { input: { id: c.id, status: 'SUSPENDED' } }, o.adminToken));
      const ids = async (filter: object) =>
        ok(await t.gql(EMPLOYEES, { filter, first: 50 }, o.adminToken))
          .employees.edges.map((e: { node: { id: string } }) => e.node.id)
          .sort();
      expect(await ids({ departmentId: region })).toEqual([a.id, b.id].sort());
      expect(await ids({ departmentId: region, includeSubDepartments: false })).toEqual([a.id]);
      expect(await ids({ status: ['SUSPENDED'] })).toEqual([c.id]);
      expect(await ids({ role: 'manager' })).toEqual([a.id]);
      expect(await ids({ search: '李娜' })).toEqual([b.id]);
      expect(await ids({ search: 'zhang' })).toEqual([a.id]);
      expect(await ids({ search: '%' })).toEqual([]);
      // Data scope: a manager sees their department tree, a sales rep only themselves.
      const managerView = ok(await t.gql(EMPLOYEES, { first: 50 }, a.token))
        .employees.edges.map((e: { node: { id: string } }) => e.node.id)
        .sort();
      expect(managerView).toEqual([a.id, b.id].sort());
      const salesView = ok(await t.gql(EMPLOYEES, { first: 50 }, b.token)).employees.edges.map(
        (e: { node: { id: string } }) => e.node.id,
      );
      expect(salesView).toEqual([b.id]);
      expect(codeOf(await t.gql(`query($id: ID!) { employee(id: $id) { id } }`, { id: a.id }, b.token))).toBe(
        'FORBIDDEN',
      );
      expect(ok(await t.gql(`query($id: ID!) { employee(id: $id) { id } }`, { id: b.id }, a.token)).employee.id).toBe(
        b.id,
      );
    });
  });

  describe('roles', () => {
    const CREATE_ROLE = `mutation($input: RoleInput!) { createRole(input: $input) { id name dataScope builtin permissions } }`;

    const CATALOG = `{ permissionCatalog { key resource action description } }`;

    it('lists the permission catalogue with descriptions, every entry grantable to a custom role', async () => {
      const o = await signUpOrg(t);
      const catalog: Array<{ key: string; resource: string; action: string; description: string }> = ok(
        await t.gql(CATALOG, {}, o.adminToken),
      ).permissionCatalog;
      // 48 with kpi:target (KPI monthly targets).
      expect(catalog.length).toBe(48);
      expect(catalog.find((p) => p.key === 'kpi:target')?.description).toBe(
        'Set monthly KPI targets of employees and departments within the data scope.',
      );
      expect(catalog.find((p) => p.key === 'apiKey:revoke')).toEqual({
        key: 'apiKey:revoke',
        resource: 'apiKey',
        action: 'revoke',
        description: 'Revoke API keys.',
      });
      for (const p of catalog) {
        expect(p.key).toBe(`${p.resource}:${p.action}`);
        expect(p.description.length).toBeGreaterThan(5);
      }
      expect(new Set(catalog.map((p) => p.key)).size).toBe(catalog.length);
      // What the catalogue lists is exactly what createRole accepts.
      const all = ok(
        await t.gql(
          CREATE_ROLE,
          { input: { name: 'everything', dataScope: 'SELF', permissions: catalog.map((p) => p.key) } },
          o.adminToken,
        ),
      ).createRole;
      expect([...all.permissions].sort()).toEqual(catalog.map((p) => p.key).sort());
      // The same catalogue for every organization; managers (role:read) read it too.
      const manager = await createEmployee(t, other, { roles: ['manager'] });
      expect(ok(await t.gql(CATALOG, {}, manager.token)).permissionCatalog).toEqual(catalog);
    });

    it('refuses the permission catalogue without a session or without role:read', async () => {
      const sales = await createEmployee(t, org, { roles: ['sales'] });
      expect(codeOf(await t.gql(CATALOG, {}))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CATALOG, {}, sales.token))).toBe('FORBIDDEN');
      // An unknown argument is refused before any resolver runs.
      const bad = await t.gql(`{ permissionCatalog(resource: "customer") { key } }`, {}, org.adminToken);
      expect(bad.errors?.[0].message).toContain('Unknown argument "resource"');
    });

    it('lists built-in roles and creates a custom role whose permissions take effect at once', async () => {
      const o = await signUpOrg(t);
      const roles = ok(await t.gql(`{ roles { name builtin dataScope } }`, {}, o.adminToken)).roles;
      expect(
        roles
          .filter((r: { builtin: string }) => r.builtin)
          .map((r: { name: string }) => r.name)
          .sort(),
      ).toEqual(['admin', 'auditor', 'manager', 'marketer', 'sales']);
      const e = await createEmployee(t, o, { roles: ['sales'] });
      expect(codeOf(await t.gql(CREATE_DEPT, { input: { name: 'By custom role' } }, e.token))).toBe('FORBIDDEN');
      const role = ok(
        await t.gql(
          CREATE_ROLE,
          {
            input: {
              name: 'org-designer',
              dataScope: 'ORGANIZATION',
              permissions: ['department:create', 'department:read'],
            },
          },
          o.adminToken,
        ),
      ).createRole;
      expect(role).toMatchObject({
        name: 'org-designer',
        builtin: false,
        permissions: ['department:create', 'department:read'],
      });
      ok(await t.gql(UPDATE_EMP, { input: { id: e.id, roles: ['sales', 'org-designer'] } }, o.adminToken));
      expect(ok(await t.gql(CREATE_DEPT, { input: { name: 'By custom role' } }, e.token)).createDepartment.name).toBe(
        'By custom role',
      );
      // Still assigned: cannot be deleted.
      expect(codeOf(await t.gql(`mutation($id: ID!) { deleteRole(id: $id) }`, { id: role.id }, o.adminToken))).toBe(
        'CONFLICT',
      );
      const bad = await t.gql(
        CREATE_ROLE,
        { input: { name: 'x', dataScope: 'SELF', permissions: ['rockets:launch'] } },
        o.adminToken,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(
        codeOf(
          await t.gql(CREATE_ROLE, { input: { name: 'admin', dataScope: 'SELF', permissions: [] } }, o.adminToken),
        ),
      ).toBe('CONFLICT');
      expect(
        codeOf(await t.gql(CREATE_ROLE, { input: { name: 'hacker', dataScope: 'SELF', permissions: [] } }, e.token)),
      ).toBe('FORBIDDEN');
      // Update: permissions and scope replaced; takes effect at once.
      const UPDATE_ROLE = `mutation($input: UpdateRoleInput!) { updateRole(input: $input) { name dataScope permissions } }`;
      const updated = ok(
        await t.gql(
          UPDATE_ROLE,
          {
            input: { id: role.id, role: { name: 'org-designer', dataScope: 'SELF', permissions: ['department:read'] } },
          },
          o.adminToken,
        ),
      ).updateRole;
      expect(updated).toEqual({ name: 'org-designer', dataScope: 'SELF', permissions: ['department:read'] });
      expect(codeOf(await t.gql(CREATE_DEPT, { input: { name: 'No longer allowed' } }, e.token))).toBe('FORBIDDEN');
      expect(
        codeOf(
          await t.gql(
            UPDATE_ROLE,
            { input: { id: role.id, role: { name: 'renamed', dataScope: 'SELF', permissions: [] } } },
            o.adminToken,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        codeOf(
          await t.gql(
            UPDATE_ROLE,
            { input: { id: role.id, role: { name: 'org-designer', dataScope: 'SELF', permissions: [] } } },
            e.token,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        codeOf(
          await t.gql(UPDATE_ROLE, {
            input: { id: role.id, role: { name: 'org-designer', dataScope: 'SELF', permissions: [] } },
          }),
        ),
      ).toBe('UNAUTHENTICATED');
      expect(
        codeOf(
          await t.gql(
            UPDATE_ROLE,
            { input: { id: role.id, role: { name: 'org-designer', dataScope: 'SELF', permissions: [] } } },
            other.adminToken,
          ),
        ),
      ).toBe('NOT_FOUND');
      const builtinId = ok(await t.gql(`{ roles { id name builtin } }`, {}, o.adminToken)).roles.find(
        (r: { name: string }) => r.name === 'sales',
      ).id;
      expect(
        codeOf(
          await t.gql(
            UPDATE_ROLE,
            { input: { id: builtinId, role: { name: 'sales', dataScope: 'ORGANIZATION', permissions: ['kpi:read'] } } },
            o.adminToken,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      // Delete once nobody holds it.
      const DELETE_ROLE = `mutation($id: ID!) { deleteRole(id: $id) }`;
      expect(codeOf(await t.gql(DELETE_ROLE, { id: role.id }, e.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DELETE_ROLE, { id: role.id }, other.adminToken))).toBe('NOT_FOUND');
      ok(await t.gql(UPDATE_EMP, { input: { id: e.id, roles: ['sales'] } }, o.adminToken));
      expect(ok(await t.gql(DELETE_ROLE, { id: role.id }, o.adminToken)).deleteRole).toBe(true);
      expect(
        (
          await t.db.query(`SELECT count(*)::int AS n FROM casbin_rules WHERE v0 = 'org-designer' AND v1 = $1`, [
            o.orgId,
          ])
        ).rows[0].n,
      ).toBe(0);
      expect(
        (
          await t.db.query(`SELECT count(*)::int AS n FROM roles WHERE org_id = $1 AND name = 'org-designer'`, [
            o.orgId,
          ])
        ).rows[0].n,
      ).toBe(0);
      // The role exists only in its organization.
      const theirs = await t.gql(
        UPDATE_EMP,
        { input: { id: other.adminId, roles: ['admin', 'org-designer'] } },
        other.adminToken,
      );
      expect(codeOf(theirs)).toBe('BAD_USER_INPUT');
    });
  });
});
