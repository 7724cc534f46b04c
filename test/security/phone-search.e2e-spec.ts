import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from 'test/helpers/fixtures';
import { ok, startTestApp, TestApp } from 'test/helpers/test-app';

const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const LIST = `query($filter: CustomerFilter, $orderBy: CustomerOrder) {
  customers(filter: $filter, orderBy: $orderBy, first: 50) { edges { cursor node { id name phone } } pageInfo { hasNextPage endCursor } }
}`;
const UPDATE = `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { id phone } }`;
const RECORD = `mutation($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { customer { id updatedAt } } }`;
const ORDERS = ['CREATED_AT', 'UPDATED_AT', 'NAME', 'LAST_CONTACT_AT'].flatMap((field) => [
  { field, direction: 'ASC' },
  { field, direction: 'DESC' },
]);

interface Listed {
  customers: {
    edges: Array<{ cursor: string; node: { id: string; name: string; phone: string | null } }>;
    pageInfo: unknown;
  };
}

/**
 * A caller who sees a phone masked (outside their customer:contact scope)
 * must learn nothing more about it from any answer: search, filters, sorting,
 * paging, updates. Before the fix, customers.search_text held the phone, so a
 * manager could recover a masked number one digit at a time by searching.
 */
describe('security: masked phones never influence an answer', () => {
  let t: TestApp;
  let org: OrgFixture;
  let rep: EmployeeFixture;
  let manager: EmployeeFixture;
  let managerRep: EmployeeFixture;
  let editor: EmployeeFixture;
  const PHONE = '13812345678';
  let held: string; // rep's customer with PHONE
  let ownOfManagerRep: string; // managerRep's own customer

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    const dept = await createDepartment(t, org.adminToken, 'East');
    rep = await createEmployee(t, org, { roles: ['sales'], departmentId: dept, name: 'Rep' });
    manager = await createEmployee(t, org, { roles: ['manager'], departmentId: dept, name: 'Manager' });
    managerRep = await createEmployee(t, org, { roles: ['manager', 'sales'], departmentId: dept, name: 'Both' });
    ok(await t.gql(`mutation($input: RoleInput!) { createRole(input: $input) { id } }`, {
      input: { name: 'editor', dataScope: 'DEPARTMENT', permissions: ['customer:read', 'customer:update'] },
    }, org.adminToken));
    editor = await createEmployee(t, org, { roles: ['editor'], departmentId: dept, name: 'Editor' });
    const create = async (token: string, employeeId: string, name: string, phone: string) =>
      ok(await t.gql(CREATE_CUSTOMER, { input: { employeeId, customer: { name, phone } } }, token)).createCustomer
        .id as string;
    held = await create(rep.token, rep.id, 'Alpha', PHONE);
    await create(rep.token, rep.id, 'Beta', '13900001111');
    ownOfManagerRep = await create(managerRep.token, managerRep.id, 'Gamma', '13722223333');
  });
  afterAll(() => t.close());

  const list = async (token: string, filter: Record<string, unknown>, orderBy?: Record<string, string>) =>
    ok(await t.gql<Listed>(LIST, { filter, orderBy }, token)).customers;

  it('shows a manager the number masked', async () => {
    const all = await list(manager.token, {});
    expect(all.edges.find((e) => e.node.id === held)!.node.phone).toBe('138****5678');
  });

  it('gives the same answer to every guess of a hidden digit, whatever the order, and never finds the customer by phone', async () => {
    for (const orderBy of [undefined, ...ORDERS]) {
      const answers = [];
      for (let d = 0; d <= 9; d++) answers.push(await list(manager.token, { search: `1381${d}` }, orderBy));
      // Before the fix the search for 13812 found Alpha: the hidden digit was recovered.
      expect(answers.map((a) => a.edges.length)).toEqual(Array(10).fill(0));
      for (const a of answers) expect(a).toEqual(answers[0]);
    }
    expect((await list(manager.token, { search: PHONE })).edges).toEqual([]);
    // Combined with the other filters, the phone still decides nothing.
    expect((await list(manager.token, { search: '12345678', stages: ['NEW'], employeeIds: [rep.id] })).edges).toEqual(
      [],
    );
  });

  it('lets a caller who sees the number search by it: the rep holding the customer and an admin', async () => {
    expect((await list(rep.token, { search: '1234567' })).edges.map((e) => e.node.id)).toEqual([held]);
    expect((await list(org.adminToken, { search: '345678' })).edges.map((e) => e.node.id)).toEqual([held]);
    // The name and company still match as before.
    expect((await list(manager.token, { search: 'alph' })).edges.map((e) => e.node.id)).toEqual([held]);
  });

  it('with roles whose contact scope is narrower than their read scope, shows and matches only the numbers within it', async () => {
    // manager + sales: reads the department, sees phones of their own customers only.
    const all = await list(managerRep.token, {});
    const phones = Object.fromEntries(all.edges.map((e) => [e.node.name, e.node.phone]));
    expect(phones).toEqual({ Alpha: '138****5678', Beta: '139****1111', Gamma: '13722223333' });
    expect((await list(managerRep.token, { search: '2345' })).edges).toEqual([]);
    expect((await list(managerRep.token, { search: '22223' })).edges.map((e) => e.node.id)).toEqual([ownOfManagerRep]);
  });

  it('does not tell a caller who sees the number masked whether the number they set equals the stored one', async () => {
    // The editor may update the department's customers but not see their phones.
    const events = async () =>
      (
        await t.db.query(
          `SELECT data FROM timeline_events WHERE customer_id = $1 AND type = 'profile.updated' ORDER BY id`,
          [held],
        )
      ).rows;
    const before = (await events()).length;
    const r = ok(await t.gql(UPDATE, { input: { id: held, phone: PHONE } }, editor.token)).updateCustomer;
    expect(r.phone).toBe('138****5678');
    // Same number as stored: before the fix no "Updated phone" event was written, telling the guess was right.
    const after = await events();
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1].data).toEqual({ fields: ['phone'] });
  });

  it('does not tell a connector that cannot see phones, through updatedAt, whether the number it sent was stored already', async () => {
    ok(
      await t.gql(
        `mutation($input: RoleInput!) { createRole(input: $input) { id } }`,
        {
          input: { name: 'connector', dataScope: 'ORGANIZATION', permissions: ['customer:record', 'customer:read'] },
        },
        org.adminToken,
      ),
    );
    const key = ok(
      await t.gql(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
        {
          input: { name: 'wecom', roles: ['connector'] },
        },
        org.adminToken,
      ),
    ).createApiKey.secret as string;
    const record = async () =>
      ok(
        await t.gql(
          RECORD,
          {
            input: {
              employeeId: rep.id,
              addWay: 'QR_CODE',
              customer: { externalId: 'wx-phone', name: 'Delta', phone: '13655556666' },
            },
          },
          key,
        ),
      ).recordCustomerAdded.customer as { id: string; updatedAt: string };
    const first = await record();
    await new Promise((r) => setTimeout(r, 20));
    const second = await record();
    expect(second.id).toBe(first.id);
    // Before the fix updatedAt stayed put when the number matched, and moved when it did not.
    expect(new Date(second.updatedAt).getTime()).toBeGreaterThan(new Date(first.updatedAt).getTime());
  });
});
