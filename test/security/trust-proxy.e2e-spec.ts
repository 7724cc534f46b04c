import { PASSWORD, uniq } from 'test/helpers/fixtures';
import { codeOf, startTestApp, TestApp } from 'test/helpers/test-app';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token } }`;
const LIMIT = 2;

const signUp = (t: TestApp, forwardedFor: string) => {
  const slug = uniq('tp-');
  const input = {
    organizationName: `Org ${slug}`,
    slug,
    adminName: 'Admin',
    adminEmail: `a@${slug}.test`,
    adminPassword: PASSWORD,
  };
  return t.gql(SIGN_UP, { input }, undefined, { 'x-forwarded-for': forwardedFor });
};

describe('security: the client address behind proxies (TRUST_PROXY)', () => {
  describe('by default no proxy is trusted', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SIGNUP_MAX_PER_IP: String(LIMIT) });
    });
    afterAll(() => t.close());

    it('ignores X-Forwarded-For, so a client cannot escape a per-client limit by naming other addresses', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await signUp(t, `203.0.113.${i + 1}`)).errors).toBeUndefined();
      expect(codeOf(await signUp(t, '203.0.113.99'))).toBe('RATE_LIMITED');
    });
  });

  describe('TRUST_PROXY=loopback (a reverse proxy on this machine)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ SIGNUP_MAX_PER_IP: String(LIMIT), TRUST_PROXY: 'loopback' });
    });
    afterAll(() => t.close());

    it('limits each client the proxy names on its own', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await signUp(t, '198.51.100.7')).errors).toBeUndefined();
      expect(codeOf(await signUp(t, '198.51.100.7'))).toBe('RATE_LIMITED');
      expect((await signUp(t, '198.51.100.8')).errors).toBeUndefined();
    });
  });
});
