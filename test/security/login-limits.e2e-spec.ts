import { PasswordService } from 'src/core/security/password.service';
import { gqlFrom } from 'test/helpers/client-address';
import { OrgFixture, PASSWORD, signUpOrg } from 'test/helpers/fixtures';
import { codeOf, GqlResult, startTestApp, TestApp } from 'test/helpers/test-app';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;
const WRONG = 'wrong-password-0';

/** Counts by answer: the token, UNAUTHENTICATED (a checked wrong password), RATE_LIMITED (not checked). */
function tally(results: GqlResult[]) {
  const count = (code: string) => results.filter((r) => codeOf(r) === code).length;
  return {
    tokens: results.filter((r) => !r.errors && r.data?.login?.token).length,
    unauthenticated: count('UNAUTHENTICATED'),
    rateLimited: count('RATE_LIMITED'),
    other: results
      .filter((r) => !['UNAUTHENTICATED', 'RATE_LIMITED', undefined].includes(codeOf(r)))
      .map((r) => r.errors),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Login limits under concurrency and abuse (issue 15, class 2). Clients are
 * told apart by their address: each test plays them from distinct 127.0.0.x.
 */
describe('security: login limits', () => {
  let t: TestApp;
  let verify: jest.SpyInstance;
  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeEach(() => {
    // Counts argon2 verifications: the checks the limits exist to bound.
    verify = jest.spyOn(t.app.get(PasswordService), 'verify');
  });
  afterEach(() => verify.mockRestore());
  afterAll(() => t.close());

  const loginAs = (app: TestApp, org: OrgFixture, from: string, password: string) =>
    gqlFrom(app.url, from, LOGIN, { input: { slug: org.slug, email: `admin@${org.slug}.test`, password } });

  it('checks at most LOGIN_MAX_FAILURES_PER_ACCOUNT passwords of a burst of 100 concurrent wrong ones, and refuses the rest', async () => {
    const org = await signUpOrg(t);
    const limit = t.config.loginMaxFailuresPerAccount;
    const results = await Promise.all(Array.from({ length: 100 }, () => loginAs(t, org, '127.0.0.2', WRONG)));
    const n = tally(results);
    expect(n.other).toEqual([]);
    expect(verify).toHaveBeenCalledTimes(n.unauthenticated);
    expect(n.unauthenticated).toBeLessThanOrEqual(limit);
    expect(n.rateLimited).toBe(100 - n.unauthenticated);
    for (const r of results.filter((x) => codeOf(x) === 'RATE_LIMITED')) {
      expect(r.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    }
    // The right password from that client is refused too, unchecked.
    const after = await loginAs(t, org, '127.0.0.2', PASSWORD);
    expect(codeOf(after)).toBe('RATE_LIMITED');
    expect(verify).toHaveBeenCalledTimes(n.unauthenticated);
  });

  it('issues no token past the limit in a burst that holds the right password: every check is reserved before any ends', async () => {
    const org = await signUpOrg(t);
    const limit = t.config.loginMaxFailuresPerAccount;
    // Hold every password check until each attempt of the burst is either
    // being checked or answered: the interleaving the old code lost to (all
    // counted "0 failures so far" before any failure was recorded).
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const original = verify.getMockImplementation() ?? PasswordService.prototype.verify;
    const service = t.app.get(PasswordService);
    verify.mockImplementation(async (hash: string | null | undefined, password: string) => {
      await gate;
      return original.call(service, hash, password);
    });
    const total = 100;
    const answered: GqlResult[] = [];
    const burst = Array.from({ length: total }, (_, i) =>
      loginAs(t, org, '127.0.0.3', i % 5 === 4 ? PASSWORD : `${WRONG}${i}`).then((r) => {
        answered.push(r);
        return r;
      }),
    );
    while (answered.length + verify.mock.calls.length < total && verify.mock.calls.length <= limit) await sleep(10);
    const checksWhileHeld = verify.mock.calls.length;
    release();
    const n = tally(await Promise.all(burst));
    expect(checksWhileHeld).toBeLessThanOrEqual(limit);
    expect(n.other).toEqual([]);
    expect(n.tokens + n.unauthenticated).toBe(checksWhileHeld);
    expect(n.rateLimited).toBe(total - checksWhileHeld);
  });

  it("lets another client log in to the victim's account while the attacker's client is locked out of it", async () => {
    const org = await signUpOrg(t);
    await Promise.all(Array.from({ length: 30 }, () => loginAs(t, org, '127.0.0.4', WRONG)));
    expect(codeOf(await loginAs(t, org, '127.0.0.4', PASSWORD))).toBe('RATE_LIMITED');
    const victim = await loginAs(t, org, '127.0.0.5', PASSWORD);
    expect(victim.errors).toBeUndefined();
    expect(victim.data.login.token).toEqual(expect.any(String));
  });

  it('ends consecutive failures of a client with a success', async () => {
    const org = await signUpOrg(t);
    const limit = t.config.loginMaxFailuresPerAccount;
    for (let i = 0; i < limit - 1; i++)
      expect(codeOf(await loginAs(t, org, '127.0.0.6', WRONG))).toBe('UNAUTHENTICATED');
    expect((await loginAs(t, org, '127.0.0.6', PASSWORD)).errors).toBeUndefined();
    for (let i = 0; i < limit; i++) expect(codeOf(await loginAs(t, org, '127.0.0.6', WRONG))).toBe('UNAUTHENTICATED');
    expect(codeOf(await loginAs(t, org, '127.0.0.6', WRONG))).toBe('RATE_LIMITED');
  });

  describe('per account from all clients', () => {
    let slow: TestApp;
    const PER_CLIENT = 2;
    const BEFORE_DELAY = 4;
    const MAX_DELAY = 2;
    beforeAll(async () => {
      slow = await startTestApp({
        LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_CLIENT),
        LOGIN_ACCOUNT_FAILURES_BEFORE_DELAY: String(BEFORE_DELAY),
        LOGIN_ACCOUNT_MAX_DELAY_SECONDS: String(MAX_DELAY),
      });
    });
    afterAll(() => slow.close());

    /** BEFORE_DELAY failures from BEFORE_DELAY / PER_CLIENT attacker clients (none of them over its own limit). */
    async function distributedAttack(org: OrgFixture, firstHost: number): Promise<void> {
      for (let c = 0; c < BEFORE_DELAY / PER_CLIENT; c++) {
        for (let i = 0; i < PER_CLIENT; i++) {
          expect(codeOf(await loginAs(slow, org, `127.0.1.${firstHost + c}`, WRONG))).toBe('UNAUTHENTICATED');
        }
      }
    }

    it('slows a distributed attack with a doubling delay capped at LOGIN_ACCOUNT_MAX_DELAY_SECONDS, never locking the account for the window', async () => {
      const org = await signUpOrg(slow);
      await distributedAttack(org, 10);
      // Past the free failures: one attempt per delay, from any client.
      expect(codeOf(await loginAs(slow, org, '127.0.1.20', WRONG))).toBe('UNAUTHENTICATED');
      const delayed = await loginAs(slow, org, '127.0.1.21', PASSWORD);
      expect(codeOf(delayed)).toBe('RATE_LIMITED');
      const retry = delayed.errors![0].extensions!.retryAfterSeconds as number;
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(MAX_DELAY);
      // The owner waits the delay (seconds, not the 15-minute window) and gets in.
      await sleep(retry * 1000 + 100);
      const owner = await loginAs(slow, org, '127.0.1.21', PASSWORD);
      expect(owner.errors).toBeUndefined();
      expect(owner.data.login.token).toEqual(expect.any(String));
    });

    it('spares a client that signed in to the account before', async () => {
      const org = await signUpOrg(slow);
      expect((await loginAs(slow, org, '127.0.1.30', PASSWORD)).errors).toBeUndefined();
      await distributedAttack(org, 40);
      expect(codeOf(await loginAs(slow, org, '127.0.1.50', WRONG))).toBe('UNAUTHENTICATED');
      expect(codeOf(await loginAs(slow, org, '127.0.1.51', PASSWORD))).toBe('RATE_LIMITED');
      const known = await loginAs(slow, org, '127.0.1.30', PASSWORD);
      expect(known.errors).toBeUndefined();
      expect(known.data.login.token).toEqual(expect.any(String));
    });
  });

  it('holds the limits in memory, per process, while the counters table fails, and keeps logins working', async () => {
    const org = await signUpOrg(t);
    await t.db.query(`ALTER TABLE rate_limits RENAME TO rate_limits_away`);
    try {
      const results = await Promise.all(Array.from({ length: 30 }, () => loginAs(t, org, '127.0.0.7', WRONG)));
      const n = tally(results);
      expect(n.other).toEqual([]);
      expect(n.unauthenticated).toBeLessThanOrEqual(t.config.loginMaxFailuresPerAccount);
      expect(n.rateLimited).toBe(30 - n.unauthenticated);
      const owner = await loginAs(t, org, '127.0.0.8', PASSWORD);
      expect(owner.errors).toBeUndefined();
    } finally {
      await t.db.query(`ALTER TABLE rate_limits_away RENAME TO rate_limits`);
    }
  });
});
