import { ok, TestApp } from './test-app';

let counter = 0;
export const uniq = (p = 'x') => `${p}${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface OrgFixture {
  orgId: string;
  slug: string;
  adminId: string;
  adminToken: string;
  rootDepartmentId: string;
}

export const PASSWORD = 'correct-horse-9';

/** Signs up a fresh organization and returns its admin's session. */
export async function signUpOrg(t: TestApp, slug = uniq('org-')): Promise<OrgFixture> {
  const data = ok(
    await t.gql(
      `mutation($input: SignUpInput!) { signUp(input: $input) { token employee { id department { id } } organization { id slug } } }`,
      {
        input: {
          organizationName: `Org ${slug}`,
          slug,
          adminName: 'Admin',
          adminEmail: `admin@${slug}.test`,
          adminPassword: PASSWORD,
        },
      },
    ),
  );
  return {
    orgId: data.signUp.organization.id,
    slug,
    adminId: data.signUp.employee.id,
    adminToken: data.signUp.token,
    rootDepartmentId: data.signUp.employee.department.id,
  };
}

export async function createDepartment(t: TestApp, token: string, name: string, parentId?: string): Promise<string> {
  const d = ok(
    await t.gql(`mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { id } }`, {
      input: { name, parentId },
    }, token),
  );
  return d.createDepartment.id;
}

export interface EmployeeFixture {
  id: string;
  email: string;
  token: string;
}

/** Creates an employee with a password and roles, and logs them in. */
export async function createEmployee(
  t: TestApp,
  org: OrgFixture,
  opts: { roles?: string[]; departmentId?: string; name?: string; externalId?: string; customerCapacity?: number } = {},
): Promise<EmployeeFixture> {
  const email = `${uniq('e')}@${org.slug}.test`;
  const created = ok(
    await t.gql(`mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { id } }`, {
      input: {
        name: opts.name ?? 'Employee',
        email,
        password: PASSWORD,
        roles: opts.roles ?? ['sales'],
        departmentId: opts.departmentId ?? org.rootDepartmentId,
        externalId: opts.externalId,
        customerCapacity: opts.customerCapacity,
      },
    }, org.adminToken),
  );
  const login = ok(
    await t.gql(`mutation($input: LoginInput!) { login(input: $input) { token } }`, {
      input: { slug: org.slug, email, password: PASSWORD },
    }),
  );
  return { id: created.createEmployee.id, email, token: login.login.token };
}
