import { addCustomer, createTagGroup } from './helpers/customers';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { codeOf, GqlResult, ok, startTestApp, TestApp } from './helpers/test-app';
import { eventually } from './helpers/wait';

const RECORD = `mutation($input: RecordMomentInteractionInput!) { recordMomentInteraction(input: $input) {
  id status stats { assignedEmployees likes comments } } }`;
const CREATE = `mutation($input: CreateMomentInput!) { createMoment(input: $input) { id } }`;
const PUBLISH_NOW = `mutation($id: ID!) { publishMomentNow(id: $id) { id } }`;
const GET = `query($id: ID!) { moment(id: $id) { id status stats { likes comments } } }`;
const TAG_CUSTOMERS = `mutation($input: TagCustomersInput!) { tagCustomers(input: $input) { id } }`;

const fieldOf = (r: GqlResult): string | undefined =>
  (r.errors?.[0]?.extensions?.field as string | undefined) ??
  (r.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined)?.[0]?.field;
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

describe('recordMomentInteraction', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let marketer: EmployeeFixture;
  /** s1 holds vip (tagged) and plain; s2 holds only an untagged customer, so the tagged moment gives s2 no task. */
  let s1: EmployeeFixture;
  let s2: EmployeeFixture;
  let vip: string;
  let plain: string;
  let ofS2: string;
  let momentId: string;
  let otherMoment: string;
  let otherCustomer: string;

  const record = (input: Record<string, unknown>, token = org.adminToken) => t.gql(RECORD, { input }, token);
  const like = (extra: Record<string, unknown> = {}) => ({
    momentId,
    employeeId: s1.id,
    customerId: vip,
    kind: 'LIKE',
    ...extra,
  });
  const comment = (extra: Record<string, unknown> = {}) => ({ ...like(), kind: 'COMMENT', text: 'Nice!', ...extra });
  const stored = async () =>
    (await t.db.query(`SELECT kind, customer_id, employee_id, text, external_id FROM moment_interactions WHERE moment_id = $1 ORDER BY created_at, id`, [momentId])).rows;
  const timeline = async (customerId: string) =>
    (await t.db.query(`SELECT type, employee_id, data FROM timeline_events WHERE customer_id = $1 AND type LIKE 'moment.%' ORDER BY occurred_at, id`, [customerId])).rows;
  const publish = async (o: OrgFixture, token: string, audience: Record<string, unknown>) => {
    const id = ok(await t.gql(CREATE, { input: { text: 'Spring sale', audience } }, token)).createMoment.id;
    ok(await t.gql(PUBLISH_NOW, { id }, token));
    await eventually(() => t.gql(GET, { id }, token).then(ok), (r) => r.moment.status === 'PUBLISHED');
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp();
    [org, other] = await Promise.all([signUpOrg(t), signUpOrg(t)]);
    [marketer, s1, s2] = await Promise.all([
      createEmployee(t, org, { roles: ['marketer'] }),
      createEmployee(t, org, { roles: ['sales'] }),
      createEmployee(t, org, { roles: ['sales'] }),
    ]);
    const tags = await createTagGroup(t, org.adminToken, 'Level', ['VIP']);
    vip = (await addCustomer(t, org.adminToken, s1.id)).customerId;
    plain = (await addCustomer(t, org.adminToken, s1.id)).customerId;
    ofS2 = (await addCustomer(t, org.adminToken, s2.id)).customerId;
    ok(await t.gql(TAG_CUSTOMERS, { input: { customerIds: [vip], tagIds: [tags.VIP] } }, org.adminToken));
    momentId = await publish(org, marketer.token, { employeeIds: [s1.id, s2.id], customerTagIds: [tags.VIP] });
    otherCustomer = (await addCustomer(t, other.adminToken, other.adminId)).customerId;
    otherMoment = await publish(other, other.adminToken, {});
  });
  afterAll(() => t?.close());

  it('records a like once per customer and post, counts it on the moment and writes it on the customer’s timeline', async () => {
    const r = ok(await record(like())).recordMomentInteraction;
    expect(r).toEqual({ id: momentId, status: 'PUBLISHED', stats: { assignedEmployees: 1, likes: 1, comments: 0 } });
    expect(ok(await record(like({ externalId: 'like-again' }))).recordMomentInteraction.stats.likes).toBe(1);
    expect(await stored()).toEqual([
      { kind: 'LIKE', customer_id: vip, employee_id: s1.id, text: null, external_id: null },
    ]);
    expect(await timeline(vip)).toEqual([
      { type: 'moment.liked', employee_id: s1.id, data: expect.objectContaining({ momentId }) },
    ]);
  });

  it('records comments, each channel id once', async () => {
    const first = ok(await record(comment({ externalId: 'c-1', text: '  Love it  ' }))).recordMomentInteraction;
    expect(first.stats).toEqual({ assignedEmployees: 1, likes: 1, comments: 1 });
    expect(
      ok(await record(comment({ externalId: 'c-1', text: 'edited' }))).recordMomentInteraction.stats.comments,
    ).toBe(1);
    expect(ok(await record(comment({ externalId: 'c-2' }))).recordMomentInteraction.stats.comments).toBe(2);
    expect((await stored()).filter((x) => x.kind === 'COMMENT').map((x) => [x.external_id, x.text])).toEqual([
      ['c-1', 'Love it'],
      ['c-2', 'Nice!'],
    ]);
    expect((await timeline(vip)).map((e) => e.type)).toEqual(['moment.liked', 'moment.commented', 'moment.commented']);
    expect(ok(await t.gql(GET, { id: momentId }, marketer.token)).moment.stats).toEqual({ likes: 1, comments: 2 });
  });

  it('accepts only customers the post reached: the employee has a task, the customer is theirs and tagged', async () => {
    const before = await stored();
    const cases: Array<[Record<string, unknown>, string]> = [
      [like({ customerId: plain }), 'input.customerId'],
      [like({ customerId: ofS2 }), 'input.customerId'],
      [like({ employeeId: s2.id, customerId: ofS2 }), 'input.employeeId'],
      [like({ employeeId: marketer.id }), 'input.employeeId'],
    ];
    for (const [input, field] of cases) {
      const r = await record(input);
      expect([input, codeOf(r), fieldOf(r)]).toEqual([input, 'BAD_USER_INPUT', field]);
    }
    expect(await stored()).toEqual(before);
    expect(await timeline(plain)).toEqual([]);
  });

  it('refuses bad input naming the field, and records nothing', async () => {
    const before = await stored();
    const cases: Array<[Record<string, unknown>, string]> = [
      [comment({ text: null }), 'input.text'],
      [comment({ text: '   ' }), 'input.text'],
      [comment({ text: 'x'.repeat(2001) }), 'input.text'],
      [like({ text: 'hi' }), 'input.text'],
      [like({ occurredAt: new Date(Date.now() + 3600_000).toISOString() }), 'input.occurredAt'],
      [like({ momentId: 'nope' }), 'input.momentId'],
      [like({ externalId: 'x'.repeat(129) }), 'input.externalId'],
    ];
    for (const [input, field] of cases) {
      const r = await record(input);
      expect([input, codeOf(r), fieldOf(r)]).toEqual([input, 'BAD_USER_INPUT', field]);
    }
    expect(await stored()).toEqual(before);
  });

  it('answers ids of another organization (or none) NOT_FOUND naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [like({ momentId: otherMoment }), 'input.momentId'],
      [like({ momentId: NO_SUCH_ID }), 'input.momentId'],
      [like({ employeeId: other.adminId }), 'input.employeeId'],
      [like({ customerId: otherCustomer }), 'input.customerId'],
    ];
    for (const [input, field] of cases) {
      const r = await record(input);
      expect([input, codeOf(r), fieldOf(r)]).toEqual([input, 'NOT_FOUND', field]);
    }
  });

  it('needs moment:interact: unauthenticated, sales and marketers are refused', async () => {
    expect(codeOf(await t.gql(RECORD, { input: like() }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await record(like(), s1.token))).toBe('FORBIDDEN');
    expect(codeOf(await record(like(), marketer.token))).toBe('FORBIDDEN');
  });
});
