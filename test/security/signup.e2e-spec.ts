import { OrganizationsService } from 'src/modules/org/services/organizations.service';
import { PasswordService } from 'src/core/security/password.service';
import { gqlFrom } from 'test/helpers/client-address';
import { PASSWORD, uniq } from 'test/helpers/fixtures';
import { codeOf, startTestApp, TestApp } from 'test/helpers/test-app';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token organization { slug } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;

const signUpInput = (slug = uniq('su-')) => ({
  organizationName: `Org ${slug}`,
  slug,
  adminName: 'Admin',
  adminEmail: `admin@${slug}.test`,
  adminPassword: PASSWORD,
});

async function organizationCount(t: TestApp): Promise<number> {
  return (await t.db.query(`SELECT count(*)::int AS n FROM organizations`)).rows[0].n;
}

describe('security: sign-up', () => {
  describe('rate limited per client (SIGNUP_MAX_PER_IP)', () => {
    const LIMIT = 3;
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SIGNUP_MAX_PER_IP: String(LIMIT) });
    });
    afterAll(() => t.close());

    it('answers RATE_LIMITED with retryAfterSeconds past the limit and creates nothing; another client still signs up', async () => {
      for (let i = 0; i < LIMIT; i++)
        expect((await gqlFrom(t.url, '127.0.0.2', SIGN_UP, { input: signUpInput() })).errors).toBeUndefined();
      const before = await organizationCount(t);
      const refused = await gqlFrom(t.url, '127.0.0.2', SIGN_UP, { input: signUpInput() });
      expect(codeOf(refused)).toBe('RATE_LIMITED');
      expect(refused.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
      expect(await organizationCount(t)).toBe(before);
      const other = await gqlFrom(t.url, '127.0.0.3', SIGN_UP, { input: signUpInput() });
      expect(other.errors).toBeUndefined();
      expect(await organizationCount(t)).toBe(before + 1);
    });

    it('holds the limit exactly for a concurrent burst', async () => {
      const before = await organizationCount(t);
      const results = await Promise.all(
        Array.from({ length: 12 }, () => gqlFrom(t.url, '127.0.0.4', SIGN_UP, { input: signUpInput() })),
      );
      expect(results.filter((r) => !r.errors).length).toBe(LIMIT);
      expect(results.filter((r) => codeOf(r) === 'RATE_LIMITED').length).toBe(12 - LIMIT);
      expect(await organizationCount(t)).toBe(before + LIMIT);
    });
  });

  describe('closed by the operator (SIGNUP_ENABLED=false)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SIGNUP_ENABLED: 'false' });
    });
    afterAll(() => t.close());

    it('answers FORBIDDEN saying sign-up is closed, and creates nothing', async () => {
      const before = await organizationCount(t);
      const r = await t.gql(SIGN_UP, { input: signUpInput() });
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(r.errors![0].message).toMatch(/sign-up is closed/i);
      expect(await organizationCount(t)).toBe(before);
    });

    it('still lets the people of existing organizations log in', async () => {
      // An organization the operator created (as the demo seed does, through the service).
      const slug = uniq('closed-');
      const passwordHash = await t.app.get(PasswordService).hash(PASSWORD);
      await t.app.get(OrganizationsService).create({
        name: 'Made by the operator',
        slug,
        admin: { name: 'Admin', email: `admin@${slug}.test`, passwordHash },
      });
      const r = await t.gql(LOGIN, { input: { slug, email: `admin@${slug}.test`, password: PASSWORD } });
      expect(r.errors).toBeUndefined();
      expect(r.data.login.token).toEqual(expect.any(String));
    });
  });
});
