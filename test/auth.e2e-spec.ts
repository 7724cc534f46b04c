import { codeOf, Connection, nodesOf, ok, startTestApp, TestApp } from './helpers/test-app';
import { createEmployee, PASSWORD, signUpOrg, uniq } from './helpers/fixtures';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token employee { id name email roles status department { id name } } organization { id slug timezone settings { transferAcceptanceMinutes onJobTransferLimit onJobTransferWindowDays momentTaskExpiryHours chatRetentionDays } } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token employee { id } organization { slug } } }`;
const ME = `{ me { id name roles } }`;

describe('auth: sign-up, login, sessions, API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('signUp', () => {
    it('creates the organization, its root department, built-in roles and an admin, and returns a working session', async () => {
      const slug = uniq('acme-');
      const r = ok(
        await t.gql(SIGN_UP, {
          input: {
            organizationName: 'Acme 艾克美',
            slug,
            adminName: 'Ann',
            adminEmail: 'Ann@Example.com',
            adminPassword: 'Quasar-Marmalade-9',
          },
        }),
      );
      expect(r.signUp.organization).toMatchObject({
        slug,
        timezone: 'Asia/Shanghai',
        settings: {
          transferAcceptanceMinutes: 1440,
          onJobTransferLimit: 2,
          onJobTransferWindowDays: 90,
          momentTaskExpiryHours: 72,
          chatRetentionDays: null,
        },
      });
      expect(r.signUp.employee).toMatchObject({
        name: 'Ann',
        email: 'ann@example.com',
        roles: ['admin'],
        status: 'ACTIVE',
      });
      expect(r.signUp.employee.department.name).toBe('Acme 艾克美');
      const orgId = r.signUp.organization.id;
      const roles = await t.db.query(`SELECT name, data_scope, builtin FROM roles WHERE org_id = $1 ORDER BY name`, [
        orgId,
      ]);
      expect(roles.rows).toEqual([
        { name: 'admin', data_scope: 'ORGANIZATION', builtin: true },
        { name: 'auditor', data_scope: 'ORGANIZATION', builtin: true },
        { name: 'manager', data_scope: 'DEPARTMENT', builtin: true },
        { name: 'marketer', data_scope: 'ORGANIZATION', builtin: true },
        { name: 'sales', data_scope: 'SELF', builtin: true },
      ]);
      const emp = await t.db.query(`SELECT password_hash FROM employees WHERE id = $1`, [r.signUp.employee.id]);
      expect(emp.rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(emp.rows[0].password_hash).not.toContain('Quasar-Marmalade-9');
      const me = ok(await t.gql(ME, {}, r.signUp.token));
      expect(me.me).toEqual({ id: r.signUp.employee.id, name: 'Ann', roles: ['admin'] });
    });

    it('accepts a time zone and rejects an unknown one', async () => {
      const good = ok(
        await t.gql(SIGN_UP, {
          input: {
            organizationName: 'Tz',
            slug: uniq('tz-'),
            timezone: 'Europe/Paris',
            adminName: 'A',
            adminEmail: 'a@tz.test',
            adminPassword: 'Quasar-Marmalade-9',
          },
        }),
      );
      expect(good.signUp.organization.timezone).toBe('Europe/Paris');
      const bad = await t.gql(SIGN_UP, {
        input: {
          organizationName: 'Tz',
          slug: uniq('tz-'),
          timezone: 'Mars/Olympus',
          adminName: 'A',
          adminEmail: 'a@tz.test',
          adminPassword: 'Quasar-Marmalade-9',
        },
      });
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].message).toContain('input.timezone');
    });

    it('rejects bad input with every offending field named, and creates nothing', async () => {
      const before = await t.db.query(`SELECT count(*)::int AS n FROM organizations`);
      const r = await t.gql(SIGN_UP, {
        input: {
          organizationName: '  ',
          slug: 'Bad Slug!',
          adminName: 'A',
          adminEmail: 'not-an-email',
          adminPassword: 'short',
        },
      });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      const fields = (r.errors![0].extensions!.fields as Array<{ field: string }>).map((f) => f.field).sort();
      expect(fields).toEqual(['input.adminEmail', 'input.adminPassword', 'input.organizationName', 'input.slug']);
      const after = await t.db.query(`SELECT count(*)::int AS n FROM organizations`);
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });

    it('answers CONFLICT for a slug that is taken', async () => {
      const org = await signUpOrg(t);
      const r = await t.gql(SIGN_UP, {
        input: {
          organizationName: 'Again',
          slug: org.slug,
          adminName: 'A',
          adminEmail: 'b@x.test',
          adminPassword: 'Quasar-Marmalade-9',
        },
      });
      expect(codeOf(r)).toBe('CONFLICT');
    });
  });

  describe('login', () => {
    it('returns a session for the right password, case-insensitively on slug and e-mail', async () => {
      const org = await signUpOrg(t);
      const r = ok(
        await t.gql(LOGIN, {
          input: { slug: org.slug.toUpperCase(), email: `ADMIN@${org.slug}.test`, password: PASSWORD },
        }),
      );
      expect(r.login.employee.id).toBe(org.adminId);
      expect(ok(await t.gql(ME, {}, r.login.token)).me.id).toBe(org.adminId);
    });

    it('answers UNAUTHENTICATED without telling which part was wrong', async () => {
      const org = await signUpOrg(t);
      const wrongPassword = await t.gql(LOGIN, {
        input: { slug: org.slug, email: `admin@${org.slug}.test`, password: 'nope-nope' },
      });
      const wrongEmail = await t.gql(LOGIN, {
        input: { slug: org.slug, email: `nobody@${org.slug}.test`, password: PASSWORD },
      });
      const wrongOrg = await t.gql(LOGIN, {
        input: { slug: 'no-such-org', email: `admin@${org.slug}.test`, password: PASSWORD },
      });
      for (const r of [wrongPassword, wrongEmail, wrongOrg]) {
        expect(codeOf(r)).toBe('UNAUTHENTICATED');
        expect(r.errors![0].message).toBe('Wrong organization, e-mail or password');
      }
    });

    it('rate limits failed logins per (organization, e-mail) from one client: RATE_LIMITED even with the right password', async () => {
      const org = await signUpOrg(t);
      const input = { slug: org.slug, email: `admin@${org.slug}.test`, password: 'wrong-password' };
      for (let i = 0; i < t.config.loginMaxFailuresPerAccount; i++)
        expect(codeOf(await t.gql(LOGIN, { input }))).toBe('UNAUTHENTICATED');
      const limited = await t.gql(LOGIN, { input: { ...input, password: PASSWORD } });
      expect(codeOf(limited)).toBe('RATE_LIMITED');
      expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
      // The counters are stored under hashed keys: no e-mail or IP address in the table.
      const keys = (await t.db.query(`SELECT key FROM rate_limits`)).rows.map((r: { key: string }) => r.key).join(' ');
      expect(keys).not.toMatch(/admin@|127\.0\.0\.1/);
      expect(keys).toMatch(/login-pair:/);
      // Another account of the same organization is not affected.
      const other = await createEmployee(t, org);
      expect(other.token).toBeTruthy();
    });

    it('rate limits failed logins per IP across accounts', async () => {
      const strict = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '3' });
      try {
        const org = await signUpOrg(strict);
        for (let i = 0; i < 3; i++) {
          const r = await strict.gql(LOGIN, {
            input: { slug: org.slug, email: `u${i}@${org.slug}.test`, password: 'wrong-password' },
          });
          expect(codeOf(r)).toBe('UNAUTHENTICATED');
        }
        const r = await strict.gql(LOGIN, {
          input: { slug: org.slug, email: `admin@${org.slug}.test`, password: PASSWORD },
        });
        expect(codeOf(r)).toBe('RATE_LIMITED');
      } finally {
        await strict.close();
      }
    });

    it('refuses a suspended employee', async () => {
      const org = await signUpOrg(t);
      const e = await createEmployee(t, org);
      ok(
        await t.gql(
          `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { status } }`,
          { input: { id: e.id, status: 'SUSPENDED' } },
          org.adminToken,
        ),
      );
      const r = await t.gql(LOGIN, { input: { slug: org.slug, email: e.email, password: PASSWORD } });
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
    });
  });

  describe('sessions', () => {
    it('answers UNAUTHENTICATED for a missing, malformed or tampered token', async () => {
      const org = await signUpOrg(t);
      expect(codeOf(await t.gql(ME))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(ME, {}, 'garbage'))).toBe('UNAUTHENTICATED');
      const [h, p, s] = org.adminToken.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, org: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${s}`;
      expect(codeOf(await t.gql(ME, {}, forged))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(ME, {}, org.adminToken, { authorization: `Basic ${org.adminToken}` }))).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('ends every session of a suspended employee at once', async () => {
      const org = await signUpOrg(t);
      const e = await createEmployee(t, org);
      expect(ok(await t.gql(ME, {}, e.token)).me.id).toBe(e.id);
      ok(
        await t.gql(
          `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { status } }`,
          { input: { id: e.id, status: 'SUSPENDED' } },
          org.adminToken,
        ),
      );
      expect(codeOf(await t.gql(ME, {}, e.token))).toBe('UNAUTHENTICATED');
      // Re-activating does not revive old tokens.
      ok(
        await t.gql(
          `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { status } }`,
          { input: { id: e.id, status: 'ACTIVE' } },
          org.adminToken,
        ),
      );
      expect(codeOf(await t.gql(ME, {}, e.token))).toBe('UNAUTHENTICATED');
    });
  });

  describe('API keys', () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name prefix roles createdAt lastUsedAt revokedAt } } }`;
    const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

    it('creates a key shown once and stored only as a hash; it acts with its roles, organization-wide', async () => {
      const org = await signUpOrg(t);
      const r = ok(await t.gql(CREATE, { input: { name: 'CRM connector', roles: ['manager'] } }, org.adminToken));
      const { secret, apiKey } = r.createApiKey;
      expect(secret).toMatch(/^wk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(apiKey).toMatchObject({ name: 'CRM connector', roles: ['manager'], lastUsedAt: null, revokedAt: null });
      expect(secret).toContain(apiKey.prefix);
      const row = await t.db.query(`SELECT secret_hash FROM api_keys WHERE id = $1`, [apiKey.id]);
      expect(row.rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row.rows)).not.toContain(secret.slice(20));
      // The key works: organization answers, me is FORBIDDEN (a key is not an employee).
      expect(ok(await t.gql(`{ organization { id } }`, {}, secret)).organization.id).toBe(org.orgId);
      expect(codeOf(await t.gql(ME, {}, secret))).toBe('FORBIDDEN');
      // manager role: may read employees organization-wide, may not create them.
      const list = ok(
        await t.gql<{ employees: Connection<{ id: string }> }>(`{ employees { edges { node { id } } } }`, {}, secret),
      );
      expect(nodesOf(list.employees).map((n) => n.id)).toContain(org.adminId);
      const create = await t.gql(
        `mutation { createEmployee(input: { name: "X", email: "x@y.test" }) { id } }`,
        {},
        secret,
      );
      expect(codeOf(create)).toBe('FORBIDDEN');
      type Keys = { apiKeys: Array<{ id: string; lastUsedAt: string | null }> };
      const used = ok(await t.gql<Keys>(`{ apiKeys { id lastUsedAt } }`, {}, org.adminToken));
      expect(used.apiKeys.find((k) => k.id === apiKey.id)?.lastUsedAt).not.toBeNull();
    });

    it('stops working at once when revoked; revoking twice is harmless', async () => {
      const org = await signUpOrg(t);
      const { secret, apiKey } = ok(
        await t.gql(CREATE, { input: { name: 'k', roles: ['admin'] } }, org.adminToken),
      ).createApiKey;
      expect(ok(await t.gql(`{ organization { id } }`, {}, secret)).organization.id).toBe(org.orgId);
      const revoked = ok(await t.gql(REVOKE, { id: apiKey.id }, org.adminToken)).revokeApiKey;
      expect(revoked.revokedAt).not.toBeNull();
      expect(codeOf(await t.gql(`{ organization { id } }`, {}, secret))).toBe('UNAUTHENTICATED');
      expect(ok(await t.gql(REVOKE, { id: apiKey.id }, org.adminToken)).revokeApiKey.revokedAt).toBe(revoked.revokedAt);
    });

    it('guards createApiKey and revokeApiKey: unauthenticated, other organization, forbidden role, bad input', async () => {
      const org = await signUpOrg(t);
      const other = await signUpOrg(t);
      const sales = await createEmployee(t, org, { roles: ['sales'] });
      const { apiKey } = ok(
        await t.gql(CREATE, { input: { name: 'k', roles: ['sales'] } }, org.adminToken),
      ).createApiKey;
      expect(codeOf(await t.gql(CREATE, { input: { name: 'k', roles: ['sales'] } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CREATE, { input: { name: 'k', roles: ['sales'] } }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(REVOKE, { id: apiKey.id }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(REVOKE, { id: apiKey.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(REVOKE, { id: apiKey.id }))).toBe('UNAUTHENTICATED');
      const bad = await t.gql(CREATE, { input: { name: '', roles: [] } }, org.adminToken);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].message).toMatch(/input\.name.*input\.roles|input\.roles.*input\.name/);
      const unknownRole = await t.gql(CREATE, { input: { name: 'k', roles: ['wizard'] } }, org.adminToken);
      expect(codeOf(unknownRole)).toBe('BAD_USER_INPUT');
      expect(unknownRole.errors![0].message).toContain('wizard');
      const count = await t.db.query(`SELECT count(*)::int AS n FROM api_keys WHERE org_id = $1`, [org.orgId]);
      expect(count.rows[0].n).toBe(1);
      // The other organization does not see this organization's keys.
      expect(ok(await t.gql(`{ apiKeys { id } }`, {}, other.adminToken)).apiKeys).toEqual([]);
    });
  });
});
