import { randomBytes } from 'node:crypto';
import { EmployeeFixture, OrgFixture, PASSWORD, uniq } from 'test/helpers/fixtures';
import { codeOf, GqlResult, ok, startTestApp, TestApp } from 'test/helpers/test-app';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token employee { id department { id } } organization { id slug } } }`;
const CREATE = `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id } }`;
const UPDATE = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id } }`;
const CHANGE = `mutation($input: ChangeMyPasswordInput!) { changeMyPassword(input: $input) { token employee { id } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;
const ME = `{ me { id } }`;

/** The person every password is tried for: their name, e-mail and organization must not make their password. */
const PERSON_NAME = 'Zephyrine Quibbleton';
const ORG_NAME = 'Flumbergast Trading';
const personEmail = (slug: string) => `zephyrine.quibbleton@${slug}.test`;

const PERSONAL = /your name, e-mail address or organization/;
/** Each refused password, and what the answer must say about it. Every one was accepted before the policy. */
const REFUSED: Array<[string, string, RegExp]> = [
  ['a common password', 'iloveyou2024', /commonly used password/],
  ['a password made of the e-mail', 'zephyrine.quibbleton1', PERSONAL],
  ['a password made of the name', 'quibbleton-zephyrine', PERSONAL],
  ['a password made of the organization', 'Flumbergast-7', PERSONAL],
  ['a short password (7 characters)', 'Zq7!xk2', /must be at least 8 characters/],
  ['a long password (257 characters)', 'Orbit-lantern-'.repeat(19).slice(0, 257), /must be at most 256 characters/],
];
const STRONG = 'Orbit-lantern-harbor-7';
/** The longest password accepted: 256 random characters (the old limit was 200). */
const LONGEST = randomBytes(192).toString('base64');

interface EntryPoint {
  field: string;
  /** Tries the password; `took` says whether it became the person's password (read from the database). */
  attempt(password: string): Promise<{ result: GqlResult; took(): Promise<boolean>; login(): Promise<GqlResult> }>;
}

describe('security: password policy (NIST SP 800-63B, zxcvbn-ts)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const login = (slug: string, email: string, password: string) => t.gql(LOGIN, { input: { slug, email, password } });

  /** An organization named ORG_NAME whose admin is not the person. */
  async function personsOrganization(): Promise<OrgFixture> {
    const slug = uniq('flumbergast-');
    const input = {
      organizationName: ORG_NAME,
      slug,
      adminName: 'Admin',
      adminEmail: `admin@${slug}.test`,
      adminPassword: PASSWORD,
    };
    const d = ok(await t.gql(SIGN_UP, { input })).signUp;
    return {
      orgId: d.organization.id,
      slug,
      adminId: d.employee.id,
      adminToken: d.token,
      rootDepartmentId: d.employee.department.id,
    };
  }

  /** The person as an employee (created with the fixtures' password) of their organization. */
  async function person(): Promise<{ org: OrgFixture; employee: EmployeeFixture }> {
    const org = await personsOrganization();
    const created = ok(
      await t.gql(
        CREATE,
        { input: { name: PERSON_NAME, email: personEmail(org.slug), password: PASSWORD } },
        org.adminToken,
      ),
    );
    const session = ok(await login(org.slug, personEmail(org.slug), PASSWORD)).login.token;
    return { org, employee: { id: created.createEmployee.id, email: personEmail(org.slug), token: session } };
  }

  async function hashOf(employeeId: string): Promise<string> {
    return (await t.db.query(`SELECT password_hash FROM employees WHERE id = $1`, [employeeId])).rows[0].password_hash;
  }

  /** An entry point that sets the existing person's password. */
  const passwordChange = (
    field: string,
    send: (p: { org: OrgFixture; employee: EmployeeFixture }, password: string) => Promise<GqlResult>,
  ) =>
    ({
      field,
      async attempt(password: string) {
        const p = await person();
        const before = await hashOf(p.employee.id);
        const result = await send(p, password);
        return {
          result,
          took: async () => (await hashOf(p.employee.id)) !== before,
          login: () => login(p.org.slug, p.employee.email, password),
        };
      },
    }) satisfies EntryPoint;

  const ENTRY_POINTS: Record<string, EntryPoint> = {
    signUp: {
      field: 'input.adminPassword',
      async attempt(password) {
        const slug = uniq('flumbergast-');
        const input = {
          organizationName: ORG_NAME,
          slug,
          adminName: PERSON_NAME,
          adminEmail: personEmail(slug),
          adminPassword: password,
        };
        const result = await t.gql(SIGN_UP, { input });
        return {
          result,
          took: async () => (await t.db.query(`SELECT 1 FROM organizations WHERE slug = $1`, [slug])).rowCount === 1,
          login: () => login(slug, personEmail(slug), password),
        };
      },
    },
    createEmployee: {
      field: 'input.password',
      async attempt(password) {
        const org = await personsOrganization();
        const email = personEmail(org.slug);
        const result = await t.gql(CREATE, { input: { name: PERSON_NAME, email, password } }, org.adminToken);
        return {
          result,
          took: async () =>
            (await t.db.query(`SELECT 1 FROM employees WHERE org_id = $1 AND email = $2`, [org.orgId, email]))
              .rowCount === 1,
          login: () => login(org.slug, email, password),
        };
      },
    },
    'updateEmployee (an admin sets it)': passwordChange('input.password', (p, password) =>
      t.gql(UPDATE, { input: { id: p.employee.id, password } }, p.org.adminToken),
    ),
    'changeMyPassword (the employee changes it)': passwordChange('input.newPassword', (p, password) =>
      t.gql(CHANGE, { input: { currentPassword: PASSWORD, newPassword: password } }, p.employee.token),
    ),
  };

  describe.each(Object.entries(ENTRY_POINTS))('%s', (_, entry) => {
    it.each(REFUSED)(
      'refuses %s with BAD_USER_INPUT naming the field and saying why, and changes nothing',
      async (_case, password, why) => {
        const { result, took } = await entry.attempt(password);
        expect(codeOf(result)).toBe('BAD_USER_INPUT');
        const problems = result.errors![0].extensions!.fields as Array<{ field: string; message: string }>;
        expect(problems.map((p) => p.field)).toEqual([entry.field]);
        expect(problems[0].message).toMatch(why);
        expect(await took()).toBe(false);
      },
    );

    it.each([
      ['a strong password', STRONG],
      ['the longest (256 random characters)', LONGEST],
    ])('accepts %s, which then signs in', async (_case, password) => {
      const { result, took, login: signIn } = await entry.attempt(password);
      expect(result.errors).toBeUndefined();
      expect(await took()).toBe(true);
      expect(ok(await signIn()).login.token).toEqual(expect.any(String));
    });
  });

  describe('password changes', () => {
    it('updateEmployee with a password ends the sessions of the employee', async () => {
      const p = await person();
      ok(await t.gql(UPDATE, { input: { id: p.employee.id, password: STRONG } }, p.org.adminToken));
      expect(codeOf(await t.gql(ME, {}, p.employee.token))).toBe('UNAUTHENTICATED');
    });

    it('changeMyPassword ends the old sessions and returns a working new one', async () => {
      const p = await person();
      const changed = ok(
        await t.gql(CHANGE, { input: { currentPassword: PASSWORD, newPassword: STRONG } }, p.employee.token),
      ).changeMyPassword;
      expect(changed.employee.id).toBe(p.employee.id);
      expect(codeOf(await t.gql(ME, {}, p.employee.token))).toBe('UNAUTHENTICATED');
      expect(ok(await t.gql(ME, {}, changed.token)).me.id).toBe(p.employee.id);
      expect(codeOf(await login(p.org.slug, p.employee.email, PASSWORD))).toBe('UNAUTHENTICATED');
    });

    it('changeMyPassword refuses a wrong current password, and the same password again, naming the field', async () => {
      const p = await person();
      const wrong = await t.gql(
        CHANGE,
        { input: { currentPassword: 'not-my-password', newPassword: STRONG } },
        p.employee.token,
      );
      expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
      expect(wrong.errors![0].message).toMatch(/^input\.currentPassword: /);
      const same = await t.gql(
        CHANGE,
        { input: { currentPassword: PASSWORD, newPassword: PASSWORD } },
        p.employee.token,
      );
      expect(codeOf(same)).toBe('BAD_USER_INPUT');
      expect(same.errors![0].message).toMatch(/^input\.newPassword: must differ/);
      expect(ok(await t.gql(ME, {}, p.employee.token)).me.id).toBe(p.employee.id);
    });

    it('changeMyPassword rate limits wrong current passwords: a concurrent burst checks at most the limit, then even the right one waits', async () => {
      const p = await person();
      const limit = t.config.loginMaxFailuresPerAccount;
      const burst = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          t.gql(CHANGE, { input: { currentPassword: `guess-${i}-wrong`, newPassword: STRONG } }, p.employee.token),
        ),
      );
      const checked = burst.filter((r) => codeOf(r) === 'BAD_USER_INPUT').length;
      expect(checked).toBeLessThanOrEqual(limit);
      expect(burst.filter((r) => codeOf(r) === 'RATE_LIMITED').length).toBe(30 - checked);
      const right = await t.gql(
        CHANGE,
        { input: { currentPassword: PASSWORD, newPassword: STRONG } },
        p.employee.token,
      );
      expect(codeOf(right)).toBe('RATE_LIMITED');
      expect(right.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    });

    it('changeMyPassword: UNAUTHENTICATED without a session, FORBIDDEN for an API key (not an employee)', async () => {
      const org = await personsOrganization();
      const input = { currentPassword: PASSWORD, newPassword: STRONG };
      expect(codeOf(await t.gql(CHANGE, { input }))).toBe('UNAUTHENTICATED');
      const key = ok(
        await t.gql(`mutation { createApiKey(input: { name: "k", roles: ["admin"] }) { secret } }`, {}, org.adminToken),
      ).createApiKey.secret;
      expect(codeOf(await t.gql(CHANGE, { input }, key))).toBe('FORBIDDEN');
    });
  });
});
