import { codeOf, ok, startTestApp, TestApp } from 'test/helpers/test-app';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from 'test/helpers/fixtures';
import { addCustomer, createTagGroup } from 'test/helpers/customers';

/**
 * Collections kept on one row have a documented bound, enforced with a clear
 * error instead of growing without limit: tags on a customer
 * (customers.tag_ids, 100) and the depth of the department tree (every path
 * below a level carries it, 15 levels as in WeCom).
 */
const TAG = `mutation($input: TagCustomersInput!) { tagCustomers(input: $input) { id } }`;

describe('collection bounds (security)', () => {
  let t: TestApp;
  let org: OrgFixture;
  let rep: EmployeeFixture;
  let tagIds: string[];

  /** Rows in customer_tags and the length of customers.tag_ids (kept by triggers): always equal. */
  const tagCount = async (customerId: string) =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n, (SELECT cardinality(tag_ids) FROM customers WHERE id = $1) AS held
           FROM customer_tags WHERE customer_id = $1`,
        [customerId],
      )
    ).rows[0];

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    rep = await createEmployee(t, org, { roles: ['sales'] });
    const names = Array.from({ length: 130 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    const tags = await createTagGroup(t, org.adminToken, 'Many', names);
    tagIds = Object.keys(tags).sort().map((name) => tags[name]);
  });
  afterAll(async () => t?.close());

  it('refuses tagging a customer past 100 tags: CONFLICT naming input.tagIds, nothing applied', async () => {
    const { customerId } = await addCustomer(t, org.adminToken, rep.id);
    ok(await t.gql(TAG, { input: { customerIds: [customerId], tagIds: tagIds.slice(0, 100) } }, org.adminToken));
    const input = { customerIds: [customerId], tagIds: tagIds.slice(90, 101) };
    const again = await t.gql(TAG, { input }, org.adminToken);
    const ext = again.errors?.[0]?.extensions;
    expect([codeOf(again), ext?.field, ext?.ids]).toEqual(['CONFLICT', 'input.tagIds', [customerId]]);
    expect(await tagCount(customerId)).toEqual({ n: 100, held: 100 });
    // Tags it holds already are no growth.
    ok(await t.gql(TAG, { input: { customerIds: [customerId], tagIds: tagIds.slice(0, 10) } }, org.adminToken));
  });

  it('holds the bound under concurrency: of two calls adding 60 tags each to a customer, one is refused', async () => {
    const { customerId } = await addCustomer(t, org.adminToken, rep.id);
    const [a, b] = await Promise.all([
      t.gql(TAG, { input: { customerIds: [customerId], tagIds: tagIds.slice(0, 60) } }, org.adminToken),
      t.gql(TAG, { input: { customerIds: [customerId], tagIds: tagIds.slice(60, 120) } }, org.adminToken),
    ]);
    expect([codeOf(a), codeOf(b)].sort()).toEqual(['CONFLICT', undefined].sort());
    expect(await tagCount(customerId)).toEqual({ n: 60, held: 60 });
  });

  it('lets a channel tag a customer up to the bound only; the relation is recorded, the timeline says', async () => {
    const { customerId } = await addCustomer(t, org.adminToken, rep.id, { externalId: 'full-1' });
    ok(await t.gql(TAG, { input: { customerIds: [customerId], tagIds: tagIds.slice(0, 98) } }, org.adminToken));
    ok(await t.gql(`mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }`, {
      input: { name: 'Fair', state: 'fair', employeeIds: [rep.id], tagIds: tagIds.slice(95, 105) },
    }, org.adminToken));
    const other = await createEmployee(t, org, { roles: ['sales'] });
    await addCustomer(t, org.adminToken, other.id, { externalId: 'full-1' }, { state: 'fair' });
    expect(await tagCount(customerId)).toEqual({ n: 100, held: 100 });
    const event = await t.db.query(
      `SELECT summary, data->'tagIds' AS "tagIds" FROM timeline_events
        WHERE customer_id = $1 AND type = 'channel.attributed'`,
      [customerId],
    );
    const summary =
      'Added through channel “Fair”; tagged with 2 tag(s); ' +
      '5 tag(s) not added: the customer holds the most tags allowed';
    expect(event.rows).toEqual([{ summary, tagIds: tagIds.slice(98, 100) }]);
  });

  it('refuses a department deeper than 15 levels, created or moved, with CONFLICT naming input.parentId', async () => {
    const chain = [org.rootDepartmentId];
    for (let level = 2; level <= 15; level++) {
      chain.push(await createDepartment(t, org.adminToken, `L${level}`, chain[chain.length - 1]));
    }
    const create = await t.gql(`mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { id } }`, {
      input: { name: 'L16', parentId: chain[14] },
    }, org.adminToken);
    expect([codeOf(create), create.errors?.[0]?.extensions?.field]).toEqual(['CONFLICT', 'input.parentId']);
    // A two-level subtree fits under level 13, not under level 14.
    const top = await createDepartment(t, org.adminToken, 'Sub');
    await createDepartment(t, org.adminToken, 'Sub child', top);
    const MOVE = `mutation($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { id } }`;
    const move = (parentId: string) => t.gql(MOVE, { input: { id: top, parentId } }, org.adminToken);
    const deep = await move(chain[13]);
    expect([codeOf(deep), deep.errors?.[0]?.extensions?.field]).toEqual(['CONFLICT', 'input.parentId']);
    ok(await move(chain[12]));
    const depth = await t.db.query(
      `SELECT max(cardinality(string_to_array(trim(both '/' from path), '/')))::int AS d
         FROM departments WHERE org_id = $1`,
      [org.orgId],
    );
    expect(depth.rows[0].d).toBe(15);
  });
});
