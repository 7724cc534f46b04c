import { codeOf, Connection, GqlResult, nodesOf, ok, startTestApp, TestApp } from './helpers/test-app';
import { createTagGroup, listKeyDrift } from './helpers/customers';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';

const CHANNEL = `id name state welcomeMessage archived archivedAt employees { id name } tags { id name }`;
const CREATE = `mutation($input: CreateChannelInput!) { createChannel(input: $input) { ${CHANNEL} } }`;
const UPDATE = `mutation($input: UpdateChannelInput!) { updateChannel(input: $input) { ${CHANNEL} } }`;
const ARCHIVE = `mutation($id: ID!) { archiveChannel(id: $id) { ${CHANNEL} } }`;
const GET = `query($id: ID!) { channel(id: $id) { ${CHANNEL} } }`;
const LIST = `query($filter: ChannelFilter, $first: Int, $after: String) {
  channels(filter: $filter, first: $first, after: $after) { edges { cursor node { id name state archived } } pageInfo { hasNextPage endCursor } } }`;
type ChannelList = { channels: Connection<{ id: string; name: string; state: string; archived: boolean }> };
const STATS = `query($id: ID!, $from: Date!, $to: Date!) { channel(id: $id) { stats(from: $from, to: $to) {
  from to timezone total { added stillActive lost } series { date summary { added stillActive lost } } } } }`;
const RECORD_ADDED = `mutation($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { id state welcomeMessage customer { id tags { id name } } } }`;
const RECORD_ENDED = `mutation($input: RecordRelationEndedInput!) { recordRelationEnded(input: $input) { id status } }`;
const TAG_CUSTOMERS = `mutation($input: TagCustomersInput!) { tagCustomers(input: $input) { id } }`;
const UPDATE_EMP = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id status } }`;
const UPDATE_SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { timezone } }`;

/** Field paths of a BAD_USER_INPUT error. */
const fieldsOf = (r: GqlResult): string[] =>
  ((r.errors?.[0]?.extensions?.fields as Array<{ field: string }>) ?? []).map((f) => f.field).sort();
const fieldOf = (r: GqlResult) => r.errors?.[0]?.extensions?.field;

/** YYYY-MM-DD of today in a time zone, and day arithmetic on such strings. */
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('channels', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let alice: EmployeeFixture;
  let bob: EmployeeFixture;
  let manager: EmployeeFixture;
  let marketer: EmployeeFixture;
  let otherEmployee: EmployeeFixture;
  let vip: string;
  let fair: string;
  let otherTag: string;

  const create = async (input: Record<string, unknown>, token = org.adminToken) =>
    ok(await t.gql(CREATE, { input }, token)).createChannel;
  const channelCount = async (orgId = org.orgId) =>
    Number((await t.db.query(`SELECT count(*) FROM channels WHERE org_id = $1`, [orgId])).rows[0].count);
  const addCustomer = async (input: Record<string, unknown>) =>
    ok(await t.gql(RECORD_ADDED, { input: { addWay: 'QR_CODE', ...input } }, org.adminToken)).recordCustomerAdded;
  const attributedEvents = async (customerId: string) =>
    (await t.db.query(`SELECT summary, data, employee_id FROM timeline_events WHERE org_id = $1 AND customer_id = $2 AND type = 'channel.attributed'`, [org.orgId, customerId]))
      .rows;
  const customerTagIds = async (customerId: string) =>
    (
      await t.db.query(`SELECT tag_id FROM customer_tags WHERE customer_id = $1 ORDER BY tag_id`, [customerId])
    ).rows.map((r) => r.tag_id);

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    alice = await createEmployee(t, org, { name: 'Alice', roles: ['sales'] });
    bob = await createEmployee(t, org, { name: 'Bob', roles: ['sales'] });
    manager = await createEmployee(t, org, { name: 'Mia', roles: ['manager'] });
    marketer = await createEmployee(t, org, { name: 'Mark', roles: ['marketer'] });
    otherEmployee = await createEmployee(t, other, { name: 'Olga' });
    ({ VIP: vip, Fair: fair } = await createTagGroup(t, org.adminToken, 'Source', ['VIP', 'Fair']));
    ({ Other: otherTag } = await createTagGroup(t, other.adminToken, 'Theirs', ['Other']));
  });
  afterAll(() => t.close());

  describe('createChannel', () => {
    it('creates a channel with its employees, tags and welcome message', async () => {
      const c = await create({
        name: ' Spring Fair ',
        state: 'spring-fair_2025',
        employeeIds: [bob.id, alice.id, alice.id],
        tagIds: [vip, fair, vip],
        welcomeMessage: '欢迎光临 Spring Fair!',
      });
      expect(c).toMatchObject({
        name: 'Spring Fair',
        state: 'spring-fair_2025',
        welcomeMessage: '欢迎光临 Spring Fair!',
        archived: false,
        archivedAt: null,
        employees: [
          { id: alice.id, name: 'Alice' },
          { id: bob.id, name: 'Bob' },
        ],
        tags: [
          { id: fair, name: 'Fair' },
          { id: vip, name: 'VIP' },
        ],
      });
      const row = (
        await t.db.query(`SELECT org_id, name, state, welcome_message, archived_at FROM channels WHERE id = $1`, [c.id])
      ).rows[0];
      expect(row).toEqual({
        org_id: org.orgId,
        name: 'Spring Fair',
        state: 'spring-fair_2025',
        welcome_message: '欢迎光临 Spring Fair!',
        archived_at: null,
      });
      const emps = await t.db.query(
        `SELECT employee_id, org_id FROM channel_employees WHERE channel_id = $1 ORDER BY employee_id`,
        [c.id],
      );
      expect(emps.rows).toEqual([alice.id, bob.id].sort().map((id) => ({ employee_id: id, org_id: org.orgId })));
      const tags = await t.db.query(`SELECT tag_id, org_id FROM channel_tags WHERE channel_id = $1 ORDER BY tag_id`, [
        c.id,
      ]);
      expect(tags.rows).toEqual([vip, fair].sort().map((id) => ({ tag_id: id, org_id: org.orgId })));
    });

    it('generates a short unique state when none is given', async () => {
      const a = await create({ name: 'Generated A', employeeIds: [alice.id] });
      const b = await create({ name: 'Generated B', employeeIds: [alice.id] });
      expect(a.state).toMatch(/^ch_[a-z0-9]{8}$/);
      expect(b.state).toMatch(/^ch_[a-z0-9]{8}$/);
      expect(a.state).not.toBe(b.state);
      expect(a).toMatchObject({ welcomeMessage: null, tags: [] });
      expect((await t.db.query(`SELECT state FROM channels WHERE id = $1`, [a.id])).rows[0].state).toBe(a.state);
    });

    it('refuses unauthenticated callers and roles without channel:manage, and stores nothing', async () => {
      const before = await channelCount();
      const input = { name: 'Not allowed', employeeIds: [alice.id] };
      expect(codeOf(await t.gql(CREATE, { input }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CREATE, { input }, 'not-a-token'))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CREATE, { input }, alice.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CREATE, { input }, manager.token))).toBe('FORBIDDEN');
      expect(await channelCount()).toBe(before);
    });

    it("answers NOT_FOUND for another organization's employees and tags, naming the field", async () => {
      const before = await channelCount();
      const emp = await t.gql(
        CREATE,
        { input: { name: 'Theirs', employeeIds: [alice.id, otherEmployee.id] } },
        org.adminToken,
      );
      expect(codeOf(emp)).toBe('NOT_FOUND');
      expect(fieldOf(emp)).toBe('input.employeeIds');
      expect(emp.errors![0].extensions!.ids).toEqual([otherEmployee.id]);
      const tag = await t.gql(
        CREATE,
        { input: { name: 'Theirs', employeeIds: [alice.id], tagIds: [vip, otherTag] } },
        org.adminToken,
      );
      expect(codeOf(tag)).toBe('NOT_FOUND');
      expect(fieldOf(tag)).toBe('input.tagIds');
      expect(await channelCount()).toBe(before);
    });

    it('reports every invalid field as BAD_USER_INPUT', async () => {
      const before = await channelCount();
      const bad = await t.gql(
        CREATE,
        {
          input: {
            name: '   ',
            state: 'has space',
            employeeIds: [],
            tagIds: ['nope'],
            welcomeMessage: 'x'.repeat(4001),
          },
        },
        org.adminToken,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual([
        'input.employeeIds',
        'input.name',
        'input.state',
        'input.tagIds',
        'input.welcomeMessage',
      ]);
      const long = await t.gql(
        CREATE,
        { input: { name: 'n'.repeat(101), state: 's'.repeat(31), employeeIds: ['not-an-id'] } },
        org.adminToken,
      );
      expect(fieldsOf(long)).toEqual(['input.employeeIds', 'input.name', 'input.state']);
      // WeCom's limit: exactly 30 characters is fine.
      const thirty = await create({ name: 'Thirty', state: 'S'.repeat(30), employeeIds: [alice.id] });
      expect(thirty.state).toBe('S'.repeat(30));
      // Employees who cannot serve (suspended) are refused.
      const suspended = await createEmployee(t, org, { name: 'Sam' });
      ok(await t.gql(UPDATE_EMP, { input: { id: suspended.id, status: 'SUSPENDED' } }, org.adminToken));
      const inactive = await t.gql(
        CREATE,
        { input: { name: 'Suspended', employeeIds: [alice.id, suspended.id] } },
        org.adminToken,
      );
      expect(codeOf(inactive)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(inactive)).toEqual(['input.employeeIds']);
      expect(await channelCount()).toBe(before + 1);
    });

    it('keeps names (case-insensitive) and states unique per organization', async () => {
      const before = await channelCount();
      const name = await t.gql(CREATE, { input: { name: 'SPRING FAIR', employeeIds: [alice.id] } }, org.adminToken);
      expect(codeOf(name)).toBe('CONFLICT');
      expect(fieldOf(name)).toBe('input.name');
      const state = await t.gql(
        CREATE,
        { input: { name: 'Another', state: 'spring-fair_2025', employeeIds: [alice.id] } },
        org.adminToken,
      );
      expect(codeOf(state)).toBe('CONFLICT');
      expect(fieldOf(state)).toBe('input.state');
      expect(await channelCount()).toBe(before);
      // Another organization may use the same name and state.
      const theirs = await create(
        { name: 'Spring Fair', state: 'spring-fair_2025', employeeIds: [otherEmployee.id] },
        other.adminToken,
      );
      expect(theirs.state).toBe('spring-fair_2025');
    });
  });

  describe('updateChannel', () => {
    let channel: { id: string; state: string };
    beforeAll(async () => {
      channel = await create({
        name: 'Store QR',
        state: 'store-qr',
        employeeIds: [alice.id, bob.id],
        tagIds: [vip],
        welcomeMessage: 'Hi',
      });
    });

    it('renames and replaces employees, tags and the welcome message; the state stays', async () => {
      const u = ok(
        await t.gql(
          UPDATE,
          {
            input: {
              id: channel.id,
              name: 'Store QR (Nanjing Rd)',
              employeeIds: [bob.id],
              tagIds: [fair],
              welcomeMessage: null,
            },
          },
          org.adminToken,
        ),
      ).updateChannel;
      expect(u).toMatchObject({
        id: channel.id,
        name: 'Store QR (Nanjing Rd)',
        state: 'store-qr',
        welcomeMessage: null,
        employees: [{ id: bob.id }],
        tags: [{ id: fair }],
      });
      const row = (await t.db.query(`SELECT name, state, welcome_message FROM channels WHERE id = $1`, [channel.id]))
        .rows[0];
      expect(row).toEqual({ name: 'Store QR (Nanjing Rd)', state: 'store-qr', welcome_message: null });
      expect(
        (await t.db.query(`SELECT employee_id FROM channel_employees WHERE channel_id = $1`, [channel.id])).rows,
      ).toEqual([{ employee_id: bob.id }]);
      expect((await t.db.query(`SELECT tag_id FROM channel_tags WHERE channel_id = $1`, [channel.id])).rows).toEqual([
        { tag_id: fair },
      ]);
      // Omitted fields stay; [] clears the tags.
      const u2 = ok(
        await t.gql(UPDATE, { input: { id: channel.id, tagIds: [], welcomeMessage: 'Hello again' } }, org.adminToken),
      ).updateChannel;
      expect(u2).toMatchObject({
        name: 'Store QR (Nanjing Rd)',
        welcomeMessage: 'Hello again',
        employees: [{ id: bob.id }],
        tags: [],
      });
      expect(
        Number(
          (await t.db.query(`SELECT count(*) FROM channel_tags WHERE channel_id = $1`, [channel.id])).rows[0].count,
        ),
      ).toBe(0);
    });

    it('guards: unauthenticated, forbidden role, another organization, bad input, conflicts; nothing changes', async () => {
      const snapshot = async () =>
        (await t.db.query(`SELECT name, welcome_message, updated_at FROM channels WHERE id = $1`, [channel.id]))
          .rows[0];
      const before = await snapshot();
      const input = { id: channel.id, name: 'Changed' };
      expect(codeOf(await t.gql(UPDATE, { input }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(UPDATE, { input }, alice.token))).toBe('FORBIDDEN');
      const theirs = (await t.db.query(`SELECT id FROM channels WHERE org_id = $1 LIMIT 1`, [other.orgId])).rows[0].id;
      const foreign = await t.gql(UPDATE, { input: { id: theirs, name: 'Hijack' } }, org.adminToken);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(fieldOf(foreign)).toBe('input.id');
      expect((await t.db.query(`SELECT name FROM channels WHERE id = $1`, [theirs])).rows[0].name).toBe('Spring Fair');
      expect(codeOf(await t.gql(UPDATE, { input: { id: channel.id, tagIds: [otherTag] } }, org.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(
        codeOf(await t.gql(UPDATE, { input: { id: channel.id, employeeIds: [otherEmployee.id] } }, org.adminToken)),
      ).toBe('NOT_FOUND');
      const bad = await t.gql(
        UPDATE,
        { input: { id: channel.id, name: ' ', employeeIds: [], welcomeMessage: 'x'.repeat(4001) } },
        org.adminToken,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual(['input.employeeIds', 'input.name', 'input.welcomeMessage']);
      const taken = await t.gql(UPDATE, { input: { id: channel.id, name: 'spring fair' } }, org.adminToken);
      expect(codeOf(taken)).toBe('CONFLICT');
      expect(fieldOf(taken)).toBe('input.name');
      expect(await snapshot()).toEqual(before);
      // The state is not an input: it never changes.
      expect(codeOf(await t.gql(UPDATE, { input: { id: channel.id, state: 'other' } }, org.adminToken))).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  describe('archiveChannel', () => {
    it('archives once, keeps the state reserved and refuses further changes', async () => {
      const c = await create({ name: 'Old poster', state: 'old-poster', employeeIds: [alice.id] });
      const a = ok(await t.gql(ARCHIVE, { id: c.id }, org.adminToken)).archiveChannel;
      expect(a).toMatchObject({ id: c.id, archived: true, state: 'old-poster' });
      const row = (await t.db.query(`SELECT archived_at FROM channels WHERE id = $1`, [c.id])).rows[0];
      expect(new Date(a.archivedAt).getTime()).toBe(row.archived_at.getTime());
      // Archiving again changes nothing.
      const again = ok(await t.gql(ARCHIVE, { id: c.id }, org.adminToken)).archiveChannel;
      expect(again.archivedAt).toBe(a.archivedAt);
      expect(codeOf(await t.gql(UPDATE, { input: { id: c.id, name: 'Revived' } }, org.adminToken))).toBe('CONFLICT');
      const reuse = await t.gql(
        CREATE,
        { input: { name: 'New poster', state: 'old-poster', employeeIds: [alice.id] } },
        org.adminToken,
      );
      expect(codeOf(reuse)).toBe('CONFLICT');
      expect(fieldOf(reuse)).toBe('input.state');
    });

    it('guards: unauthenticated, forbidden role, another organization, bad id', async () => {
      const c = await create({ name: 'Keep me', employeeIds: [alice.id] });
      expect(codeOf(await t.gql(ARCHIVE, { id: c.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(ARCHIVE, { id: c.id }, alice.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(ARCHIVE, { id: c.id }, manager.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(ARCHIVE, { id: c.id }, other.adminToken))).toBe('NOT_FOUND');
      const bad = await t.gql(ARCHIVE, { id: 'not-a-uuid' }, org.adminToken);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual(['id']);
      expect(
        (await t.db.query(`SELECT archived_at FROM channels WHERE id = $1`, [c.id])).rows[0].archived_at,
      ).toBeNull();
    });
  });

  describe('channel and channels queries', () => {
    it('lets channel:read holders read one channel; others are refused; other organizations get NOT_FOUND', async () => {
      const c = await create({ name: 'Readable', employeeIds: [alice.id], tagIds: [vip] });
      for (const token of [alice.token, manager.token, org.adminToken]) {
        expect(ok(await t.gql(GET, { id: c.id }, token)).channel).toMatchObject({
          id: c.id,
          name: 'Readable',
          employees: [{ id: alice.id }],
          tags: [{ id: vip }],
        });
      }
      expect(codeOf(await t.gql(GET, { id: c.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(GET, { id: c.id }, marketer.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(GET, { id: c.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(GET, { id: 'nope' }, org.adminToken))).toBe('BAD_USER_INPUT');
    });

    it('pages by name without skipping or repeating, and filters by search, archived and employee', async () => {
      const all: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: ChannelList['channels'] = ok(
          await t.gql<ChannelList>(LIST, { first: 3, after }, alice.token),
        ).channels;
        all.push(...nodesOf(page).map((n) => n.name));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      const names = (
        await t.db.query(`SELECT name FROM channels WHERE org_id = $1 ORDER BY name, id`, [org.orgId])
      ).rows.map((r) => r.name);
      expect(names.length).toBeGreaterThan(6);
      expect(all).toEqual(names);
      const list = async (filter: Record<string, unknown>) =>
        nodesOf(ok(await t.gql<ChannelList>(LIST, { filter, first: 200 }, org.adminToken)).channels).map((n) => n.name);
      expect(await list({ search: 'FAIR' })).toEqual(['Spring Fair']);
      expect(await list({ search: 'store-q' })).toEqual(['Store QR (Nanjing Rd)']);
      expect(await list({ search: '100%' })).toEqual([]);
      expect(await list({ archived: true })).toEqual(['Old poster']);
      expect(await list({ archived: false })).not.toContain('Old poster');
      expect((await list({ archived: false })).length).toBe(names.length - 1);
      expect(await list({ employeeId: bob.id })).toEqual(['Spring Fair', 'Store QR (Nanjing Rd)']);
      const foreign = await t.gql(LIST, { filter: { employeeId: otherEmployee.id } }, org.adminToken);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(LIST, { first: 201 }, org.adminToken))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(LIST, { after: 'garbage' }, org.adminToken))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(LIST, {}, marketer.token))).toBe('FORBIDDEN');
      // The other organization sees only its own.
      expect(nodesOf(ok(await t.gql<ChannelList>(LIST, {}, other.adminToken)).channels).map((n) => n.name)).toEqual([
        'Spring Fair',
      ]);
    });

    it('batches employees, tags and stats: the statement count does not grow with the page', async () => {
      const q = `query($first: Int) { channels(first: $first) { edges { node { id employees { id } tags { id } stats(from: "2025-01-01", to: "2025-01-31") { total { added } } } } } }`;
      // Both pages hold channels with employees and tags (by name:
      // Generated A, Generated B, Keep me, Old poster, Readable, ...).
      const few = await t.gql<{ channels: Connection<{ tags: Array<{ id: string }> }> }>(
        q,
        { first: 5 },
        org.adminToken,
      );
      const many = await t.gql(q, { first: 8 }, org.adminToken);
      expect(nodesOf(ok(few).channels).some((n) => n.tags.length > 0)).toBe(true);
      expect(ok(many).channels.edges.length).toBe(8);
      expect(few.sqlStatements).toBeGreaterThan(0);
      expect(many.sqlStatements).toBe(few.sqlStatements);
    });
  });

  describe('attribution of new relations', () => {
    let fairChannel: { id: string; state: string; welcomeMessage: string };
    beforeAll(async () => {
      fairChannel = await create({
        name: 'Expo booth',
        state: 'expo-booth',
        employeeIds: [alice.id],
        tagIds: [vip, fair],
        welcomeMessage: 'Thanks for visiting our booth!',
      });
    });

    it("tags the customer, records channel.attributed and returns the channel's welcome message", async () => {
      const rel = await addCustomer({
        employeeId: alice.id,
        customer: { name: 'Zhang Wei', externalId: 'wx-expo-1' },
        state: 'expo-booth',
      });
      expect(rel.welcomeMessage).toBe('Thanks for visiting our booth!');
      expect(rel.state).toBe('expo-booth');
      expect(rel.customer.tags.map((x: { id: string }) => x.id).sort()).toEqual([vip, fair].sort());
      expect(await customerTagIds(rel.customer.id)).toEqual([vip, fair].sort());
      const events = await attributedEvents(rel.customer.id);
      expect(events).toHaveLength(1);
      expect(events[0].summary).toContain('Expo booth');
      expect(events[0].employee_id).toBe(alice.id);
      expect(events[0].data).toMatchObject({ channelId: fairChannel.id, state: 'expo-booth', relationId: rel.id });
      expect([...events[0].data.tagIds].sort()).toEqual([vip, fair].sort());
      // Repeating the report for the ACTIVE pair changes nothing and greets no one.
      const again = await addCustomer({
        employeeId: alice.id,
        customer: { name: 'Zhang Wei', externalId: 'wx-expo-1' },
        state: 'expo-booth',
      });
      expect(again.id).toBe(rel.id);
      expect(again.welcomeMessage).toBeNull();
      expect(await attributedEvents(rel.customer.id)).toHaveLength(1);
    });

    it('adds only the tags the customer lacks', async () => {
      const first = await addCustomer({ employeeId: bob.id, customer: { name: 'Li Na', externalId: 'wx-expo-2' } });
      ok(await t.gql(TAG_CUSTOMERS, { input: { customerIds: [first.customer.id], tagIds: [vip] } }, org.adminToken));
      const rel = await addCustomer({
        employeeId: alice.id,
        customer: { name: 'Li Na', externalId: 'wx-expo-2' },
        state: 'expo-booth',
      });
      expect(rel.customer.id).toBe(first.customer.id);
      expect(await customerTagIds(rel.customer.id)).toEqual([vip, fair].sort());
      const events = await attributedEvents(rel.customer.id);
      expect(events).toHaveLength(1);
      expect(events[0].data.tagIds).toEqual([fair]);
    });

    it('changes nothing for an unknown state, an archived channel or another organization’s state', async () => {
      const archived = await create({
        name: 'Closed booth',
        state: 'closed-booth',
        employeeIds: [alice.id],
        tagIds: [vip],
        welcomeMessage: 'Old greeting',
      });
      ok(await t.gql(ARCHIVE, { id: archived.id }, org.adminToken));
      ok(
        await t.gql(
          CREATE,
          {
            input: {
              name: 'Their booth',
              state: 'their-booth',
              employeeIds: [otherEmployee.id],
              welcomeMessage: 'Theirs',
            },
          },
          other.adminToken,
        ),
      );
      const cases = [
        { state: 'no-such-channel', externalId: 'wx-none-1' },
        { state: 'closed-booth', externalId: 'wx-none-2' },
        { state: 'their-booth', externalId: 'wx-none-3' },
        { state: undefined, externalId: 'wx-none-4' },
      ];
      for (const c of cases) {
        const rel = await addCustomer({
          employeeId: alice.id,
          customer: { name: 'Nobody', externalId: c.externalId },
          state: c.state,
        });
        expect(rel.state).toBe(c.state ?? null);
        expect(rel.welcomeMessage).toBeNull();
        expect(rel.customer.tags).toEqual([]);
        expect(await customerTagIds(rel.customer.id)).toEqual([]);
        expect(await attributedEvents(rel.customer.id)).toEqual([]);
        // The relation itself is recorded as usual.
        expect(
          (await t.db.query(`SELECT status, state FROM customer_relations WHERE id = $1`, [rel.id])).rows[0],
        ).toEqual({ status: 'ACTIVE', state: c.state ?? null });
      }
    });
  });

  describe('stats', () => {
    let channel: { id: string; state: string };
    const today = todayIn('Asia/Shanghai');
    const d = (n: number) => addDays(today, -n);
    const zeros = { added: 0, stillActive: 0, lost: 0 };

    beforeAll(async () => {
      channel = await create({ name: 'Stats poster', state: 'stats-poster', employeeIds: [alice.id, bob.id] });
      const noise = await create({ name: 'Noise poster', state: 'noise-poster', employeeIds: [alice.id] });
      let n = 0;
      const add = async (employeeId: string, addedAt: string, state: string | null = channel.state) =>
        (await addCustomer({ employeeId, customer: { name: `Stats ${n++}` }, state, addedAt })).id as string;
      const end = async (relationId: string, endedBy: 'CUSTOMER' | 'EMPLOYEE') =>
        ok(await t.gql(RECORD_ENDED, { input: { relationId, endedBy } }, org.adminToken));
      // Asia/Shanghai is UTC+8: 15:00Z is 23:00 the same day there, 23:30Z is 07:30 the next day.
      await add(alice.id, `${d(4)}T15:00:00Z`); // d4, still active
      await add(alice.id, `${d(3)}T02:00:00Z`); // d3, still active
      await end(await add(alice.id, `${d(3)}T05:00:00Z`), 'CUSTOMER'); // d3, lost
      await end(await add(bob.id, `${d(4)}T23:30:00Z`), 'EMPLOYEE'); // d3 in Shanghai (d4 in UTC), ended by the employee: neither
      await add(bob.id, `${d(2)}T03:00:00Z`); // d2, still active
      // Not counted: another channel's state, no state, another organization's channel with the same state.
      await add(alice.id, `${d(3)}T03:00:00Z`, noise.state);
      await add(alice.id, `${d(3)}T03:00:00Z`, null);
      ok(
        await t.gql(
          CREATE,
          { input: { name: 'Their stats', state: 'stats-poster', employeeIds: [otherEmployee.id] } },
          other.adminToken,
        ),
      );
      ok(
        await t.gql(
          RECORD_ADDED,
          {
            input: {
              employeeId: otherEmployee.id,
              customer: { name: 'Theirs' },
              addWay: 'QR_CODE',
              state: 'stats-poster',
              addedAt: `${d(3)}T02:00:00Z`,
            },
          },
          other.adminToken,
        ),
      );
    });

    it('counts added, still active and lost per day in the organization time zone', async () => {
      const s = ok(await t.gql(STATS, { id: channel.id, from: d(5), to: today }, org.adminToken)).channel.stats;
      expect(s).toEqual({
        from: d(5),
        to: today,
        timezone: 'Asia/Shanghai',
        total: { added: 5, stillActive: 3, lost: 1 },
        series: [
          { date: d(5), summary: zeros },
          { date: d(4), summary: { added: 1, stillActive: 1, lost: 0 } },
          { date: d(3), summary: { added: 3, stillActive: 1, lost: 1 } },
          { date: d(2), summary: { added: 1, stillActive: 1, lost: 0 } },
          { date: d(1), summary: zeros },
          { date: today, summary: zeros },
        ],
      });
      // A one-day range.
      const one = ok(await t.gql(STATS, { id: channel.id, from: d(3), to: d(3) }, org.adminToken)).channel.stats;
      expect(one.total).toEqual({ added: 3, stillActive: 1, lost: 1 });
      expect(one.series).toHaveLength(1);
    });

    it('follows the organization time zone', async () => {
      ok(await t.gql(UPDATE_SETTINGS, { input: { timezone: 'UTC' } }, org.adminToken));
      try {
        const s = ok(await t.gql(STATS, { id: channel.id, from: d(4), to: d(2) }, org.adminToken)).channel.stats;
        expect(s.timezone).toBe('UTC');
        // In UTC the 23:30Z relation falls on d4.
        expect(s.series).toEqual([
          { date: d(4), summary: { added: 2, stillActive: 1, lost: 0 } },
          { date: d(3), summary: { added: 2, stillActive: 1, lost: 1 } },
          { date: d(2), summary: { added: 1, stillActive: 1, lost: 0 } },
        ]);
        expect(s.total).toEqual({ added: 5, stillActive: 3, lost: 1 });
      } finally {
        ok(await t.gql(UPDATE_SETTINGS, { input: { timezone: 'Asia/Shanghai' } }, org.adminToken));
      }
    });

    it("counts within the caller's data scope: sales see their own relations", async () => {
      const s = ok(await t.gql(STATS, { id: channel.id, from: d(4), to: d(2) }, bob.token)).channel.stats;
      expect(s.series).toEqual([
        { date: d(4), summary: zeros },
        { date: d(3), summary: { added: 1, stillActive: 0, lost: 0 } },
        { date: d(2), summary: { added: 1, stillActive: 1, lost: 0 } },
      ]);
      expect(s.total).toEqual({ added: 2, stillActive: 1, lost: 0 });
      // The manager's department tree (the root department) holds everyone.
      expect(
        ok(await t.gql(STATS, { id: channel.id, from: d(4), to: d(2) }, manager.token)).channel.stats.total,
      ).toEqual({ added: 5, stillActive: 3, lost: 1 });
    });

    it('refuses reversed, too long and malformed ranges', async () => {
      const reversed = await t.gql(STATS, { id: channel.id, from: d(1), to: d(2) }, org.adminToken);
      expect(codeOf(reversed)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(reversed)).toEqual(['to']);
      const long = await t.gql(STATS, { id: channel.id, from: '2024-01-01', to: '2025-01-01' }, org.adminToken);
      expect(codeOf(long)).toBe('BAD_USER_INPUT');
      expect(long.errors![0].message).toContain('366');
      const year = ok(await t.gql(STATS, { id: channel.id, from: '2024-01-01', to: '2024-12-31' }, org.adminToken))
        .channel.stats;
      expect(year.series).toHaveLength(366);
      expect(codeOf(await t.gql(STATS, { id: channel.id, from: '2025-02-30', to: '2025-03-01' }, org.adminToken))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await t.gql(STATS, { id: channel.id, from: '2025/03/01', to: '2025-03-01' }, org.adminToken))).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  it('leaves the denormalized list keys equal to their sources', async () => {
    expect(await listKeyDrift(t)).toEqual({
      tagIds: 0,
      activeEmployeeIds: 0,
      customerCreatedAt: 0,
      timelineOrphans: 0,
    });
  });
});
