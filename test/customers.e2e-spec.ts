import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { codeOf, Connection, nodesOf, ok, startTestApp, TestApp } from './helpers/test-app';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import {
  addCustomer,
  CREATE_CUSTOMER,
  createTagGroup,
  listKeyDrift,
  RECORD_ADDED,
  RECORD_ENDED,
} from './helpers/customers';

const CUSTOMERS = `query($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $after: String) {
  customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`;
const UPDATE = `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { id name company phone stage } }`;
const TAG = `mutation($input: TagCustomersInput!) { tagCustomers(input: $input) { id tags { name } } }`;
const UNTAG = `mutation($input: TagCustomersInput!) { untagCustomers(input: $input) { id tags { name } } }`;
const NOTE = `mutation($input: AddCustomerNoteInput!) { addCustomerNote(input: $input) { id kind body dueAt doneAt author { id } } }`;

const idsOf = (r: { customers: Connection<{ id: string }> }) => r.customers.edges.map((e) => e.node.id);

describe('customers', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let rep: EmployeeFixture;
  let rep2: EmployeeFixture;
  let manager: EmployeeFixture;
  let eastId: string;
  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    eastId = await createDepartment(t, org.adminToken, 'East');
    const west = await createDepartment(t, org.adminToken, 'West');
    manager = await createEmployee(t, org, { roles: ['manager'], departmentId: eastId });
    rep = await createEmployee(t, org, { roles: ['sales'], departmentId: eastId, externalId: 'rep-one' });
    rep2 = await createEmployee(t, org, { roles: ['sales'], departmentId: west });
  });
  afterAll(() => t.close());

  describe('recordCustomerAdded', () => {
    it('upserts the customer on externalId, opens an ACTIVE relation, counts it and writes the timeline', async () => {
      const r = ok(
        await t.gql(
          RECORD_ADDED,
          {
            input: {
              employeeExternalId: 'rep-one',
              addWay: 'QR_CODE',
              state: 'spring-fair',
              remark: 'VIP 会员',
              customer: { externalId: 'wx-1', name: '王芳', phone: '+86 138-1234-5678' },
            },
          },
          org.adminToken,
        ),
      ).recordCustomerAdded;
      expect(r).toMatchObject({
        status: 'ACTIVE',
        addWay: 'QR_CODE',
        state: 'spring-fair',
        remark: 'VIP 会员',
        employee: { id: rep.id },
        customer: { name: '王芳', externalId: 'wx-1' },
      });
      const c = await t.db.query(`SELECT name, phone, stage, search_text FROM customers WHERE id = $1`, [
        r.customer.id,
      ]);
      expect(c.rows[0]).toEqual({ name: '王芳', phone: '13812345678', stage: 'NEW', search_text: '王芳 vip 会员' });
      const e = await t.db.query(`SELECT active_customer_count FROM employees WHERE id = $1`, [rep.id]);
      expect(e.rows[0].active_customer_count).toBe(1);
      const tl = await t.db.query(`SELECT type, employee_id FROM timeline_events WHERE customer_id = $1`, [
        r.customer.id,
      ]);
      expect(tl.rows).toEqual([{ type: 'relation.added', employee_id: rep.id }]);

      // Repeating it for the ACTIVE pair changes and counts nothing (the profile is refreshed).
      const again = ok(
        await t.gql(
          RECORD_ADDED,
          { input: { employeeId: rep.id, addWay: 'OTHER', customer: { externalId: 'wx-1', name: '王芳 Fang' } } },
          org.adminToken,
        ),
      ).recordCustomerAdded;
      expect(again.id).toBe(r.id);
      expect(again.addWay).toBe('QR_CODE');
      expect(
        (await t.db.query(`SELECT active_customer_count FROM employees WHERE id = $1`, [rep.id])).rows[0]
          .active_customer_count,
      ).toBe(1);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM customer_relations WHERE customer_id = $1`, [r.customer.id]))
          .rows[0].n,
      ).toBe(1);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE customer_id = $1`, [r.customer.id]))
          .rows[0].n,
      ).toBe(1);
      expect((await t.db.query(`SELECT name, phone FROM customers WHERE id = $1`, [r.customer.id])).rows[0]).toEqual({
        name: '王芳 Fang',
        phone: '13812345678',
      });

      // The same customer adding a second employee: one customer, two relations.
      const second = ok(
        await t.gql(
          RECORD_ADDED,
          {
            input: { employeeId: rep2.id, addWay: 'PHONE_SEARCH', customer: { externalId: 'wx-1', name: '王芳 Fang' } },
          },
          org.adminToken,
        ),
      ).recordCustomerAdded;
      expect(second.customer.id).toBe(r.customer.id);
      expect(second.id).not.toBe(r.id);
      expect(
        (
          await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND external_id = 'wx-1'`, [
            org.orgId,
          ])
        ).rows[0].n,
      ).toBe(1);
    });

    it('refuses beyond capacity with CONFLICT and adds nothing', async () => {
      const small = await createEmployee(t, org, { customerCapacity: 2 });
      await addCustomer(t, org.adminToken, small.id);
      await addCustomer(t, org.adminToken, small.id);
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE org_id = $1`, [org.orgId]))
        .rows[0].n;
      const r = await t.gql(
        RECORD_ADDED,
        {
          input: { employeeId: small.id, addWay: 'QR_CODE', customer: { name: 'One too many', externalId: uniq('x') } },
        },
        org.adminToken,
      );
      expect(codeOf(r)).toBe('CONFLICT');
      expect(r.errors![0].message).toContain('capacity');
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE org_id = $1`, [org.orgId])).rows[0].n,
      ).toBe(before);
      expect(
        (await t.db.query(`SELECT active_customer_count FROM employees WHERE id = $1`, [small.id])).rows[0]
          .active_customer_count,
      ).toBe(2);
    });

    it('counts concurrent adds exactly once each and never over capacity', async () => {
      const e = await createEmployee(t, org, { customerCapacity: 5 });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t.gql(
            RECORD_ADDED,
            {
              input: {
                employeeId: e.id,
                addWay: 'QR_CODE',
                customer: { name: `Rush ${i}`, externalId: `rush-${e.id}-${i % 6}` },
              },
            },
            org.adminToken,
          ),
        ),
      );
      const okCount = results.filter((r) => !r.errors).length;
      const conflicts = results.filter((r) => codeOf(r) === 'CONFLICT').length;
      expect(okCount + conflicts).toBe(8);
      const active = await t.db.query(
        `SELECT count(*)::int AS n FROM customer_relations WHERE employee_id = $1 AND status = 'ACTIVE'`,
        [e.id],
      );
      const counter = await t.db.query(`SELECT active_customer_count FROM employees WHERE id = $1`, [e.id]);
      expect(active.rows[0].n).toBe(5);
      expect(counter.rows[0].active_customer_count).toBe(5);
    });

    it('guards: unauthenticated, other organization, forbidden role, bad input, suspended employee', async () => {
      const input = { employeeId: rep.id, addWay: 'QR_CODE', customer: { name: 'G' } };
      expect(codeOf(await t.gql(RECORD_ADDED, { input }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(RECORD_ADDED, { input }, rep.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(RECORD_ADDED, { input }, other.adminToken))).toBe('NOT_FOUND');
      const both = await t.gql(RECORD_ADDED, { input: { ...input, employeeExternalId: 'rep-one' } }, org.adminToken);
      expect(codeOf(both)).toBe('BAD_USER_INPUT');
      const bad = await t.gql(
        RECORD_ADDED,
        { input: { ...input, customer: { name: 'x'.repeat(201), phone: '12' } } },
        org.adminToken,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].message).toContain('input.customer.name');
      expect(bad.errors![0].message).toContain('input.customer.phone');
      const phone = await t.gql(
        RECORD_ADDED,
        { input: { ...input, customer: { name: 'P', phone: '1234567' } } },
        org.adminToken,
      );
      expect(codeOf(phone)).toBe('BAD_USER_INPUT');
      expect(phone.errors![0].message).toContain('input.customer.phone');
      const s = await createEmployee(t, org);
      ok(
        await t.gql(
          `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id } }`,
          { input: { id: s.id, status: 'SUSPENDED' } },
          org.adminToken,
        ),
      );
      expect(codeOf(await t.gql(RECORD_ADDED, { input: { ...input, employeeId: s.id } }, org.adminToken))).toBe(
        'CONFLICT',
      );
      // An API key with the admin role is how connectors call it.
      const key = ok(
        await t.gql(
          `mutation { createApiKey(input: { name: "connector", roles: ["admin"] }) { secret } }`,
          {},
          org.adminToken,
        ),
      ).createApiKey.secret;
      expect(
        ok(await t.gql(RECORD_ADDED, { input: { ...input, customer: { name: 'Via key' } } }, key)).recordCustomerAdded
          .status,
      ).toBe('ACTIVE');
    });
  });

  describe('recordRelationEnded', () => {
    it('ends a relation, keeps it as history, and answers CONFLICT when it has ended already', async () => {
      const e = await createEmployee(t, org);
      const { relationId, customerId } = await addCustomer(t, org.adminToken, e.id);
      const ended = ok(
        await t.gql(RECORD_ENDED, { input: { relationId, endedBy: 'CUSTOMER' } }, org.adminToken),
      ).recordRelationEnded;
      expect(ended.status).toBe('DELETED_BY_CUSTOMER');
      expect(ended.endedAt).not.toBeNull();
      expect(
        (await t.db.query(`SELECT active_customer_count FROM employees WHERE id = $1`, [e.id])).rows[0]
          .active_customer_count,
      ).toBe(0);
      expect(codeOf(await t.gql(RECORD_ENDED, { input: { relationId, endedBy: 'CUSTOMER' } }, org.adminToken))).toBe(
        'CONFLICT',
      );
      const c = ok(await t.gql(`query($id: ID!) { customer(id: $id) { relations { id } all: relations(includeEnded: true) { id status } timeline { edges { node { type } } } } }`, { id: customerId }, org.adminToken)).customer;
      expect(c.relations).toEqual([]);
      expect(c.all).toEqual([{ id: relationId, status: 'DELETED_BY_CUSTOMER' }]);
      expect(c.timeline.edges.map((x: { node: { type: string } }) => x.node.type)).toEqual([
        'relation.ended',
        'relation.added',
      ]);
      // Unassigned now.
      const un = ok(await t.gql(CUSTOMERS, { filter: { unassigned: true }, first: 200 }, org.adminToken));
      expect(idsOf(un)).toContain(customerId);
    });

    it("keeps the scope's copy of a customer's active employees exact under concurrent adds and ends", async () => {
      const staff = await Promise.all(
        Array.from({ length: 6 }, () => createEmployee(t, org, { departmentId: eastId })),
      );
      const externalId = uniq('shared-');
      const added = await Promise.all(
        staff.map((e) => addCustomer(t, org.adminToken, e.id, { externalId, name: 'Shared customer' })),
      );
      const customerId = added[0].customerId;
      expect(new Set(added.map((a) => a.customerId))).toEqual(new Set([customerId]));
      const activeIds = async () =>
        (await t.db.query(`SELECT active_employee_ids FROM customers WHERE id = $1`, [customerId])).rows[0]
          .active_employee_ids;
      expect(await activeIds()).toEqual(staff.map((e) => e.id).sort());
      // Three end while two more are added, all at once.
      const more = await Promise.all(Array.from({ length: 2 }, () => createEmployee(t, org, { departmentId: eastId })));
      await Promise.all([
        ...added
          .slice(0, 3)
          .map((a) =>
            t.gql(RECORD_ENDED, { input: { relationId: a.relationId, endedBy: 'EMPLOYEE' } }, org.adminToken).then(ok),
          ),
        ...more.map((e) => addCustomer(t, org.adminToken, e.id, { externalId, name: 'Shared customer' })),
      ]);
      const holding = [...staff.slice(3), ...more].map((e) => e.id).sort();
      expect(await activeIds()).toEqual(holding);
      // What the list's employee filter and a manager's scope read.
      expect(
        idsOf(
          ok(
            await t.gql(CUSTOMERS, { filter: { employeeIds: [staff[0].id, staff[1].id] }, first: 10 }, org.adminToken),
          ),
        ),
      ).toEqual([]);
      expect(
        idsOf(
          ok(await t.gql(CUSTOMERS, { filter: { employeeIds: [staff[0].id, more[1].id] }, first: 10 }, org.adminToken)),
        ),
      ).toEqual([customerId]);
      expect(
        idsOf(ok(await t.gql(CUSTOMERS, { filter: { search: 'Shared customer' }, first: 10 }, manager.token))),
      ).toEqual([customerId]);
    });

    it('guards: unauthenticated, other organization, forbidden, bad input', async () => {
      const { relationId } = await addCustomer(t, org.adminToken, rep.id);
      expect(codeOf(await t.gql(RECORD_ENDED, { input: { relationId, endedBy: 'EMPLOYEE' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(RECORD_ENDED, { input: { relationId, endedBy: 'EMPLOYEE' } }, rep.token))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await t.gql(RECORD_ENDED, { input: { relationId, endedBy: 'EMPLOYEE' } }, other.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(
        codeOf(await t.gql(RECORD_ENDED, { input: { relationId: 'nope', endedBy: 'EMPLOYEE' } }, org.adminToken)),
      ).toBe('BAD_USER_INPUT');
      const future = await t.gql(
        RECORD_ENDED,
        { input: { relationId, endedBy: 'EMPLOYEE', endedAt: '2099-01-01T00:00:00Z' } },
        org.adminToken,
      );
      expect(codeOf(future)).toBe('BAD_USER_INPUT');
      expect(future.errors![0].message).toContain('input.endedAt');
      expect(
        codeOf(
          await t.gql(
            RECORD_ENDED,
            { input: { relationId, endedBy: 'EMPLOYEE', endedAt: '2001-01-01T00:00:00Z' } },
            org.adminToken,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        (await t.db.query(`SELECT status FROM customer_relations WHERE id = $1`, [relationId])).rows[0].status,
      ).toBe('ACTIVE');
    });
  });

  describe('createCustomer and updateCustomer', () => {
    it('lets a sales rep add a customer for themselves with tags, but not for a colleague', async () => {
      const tags = await createTagGroup(t, org.adminToken, uniq('Interest '), ['Skincare', '彩妆']);
      const c = ok(
        await t.gql(
          CREATE_CUSTOMER,
          {
            input: {
              employeeId: rep.id,
              customer: { name: 'Lily 李', company: 'Acme', phone: '13900001111' },
              tagIds: [tags.Skincare],
              remark: 'met at fair',
            },
          },
          rep.token,
        ),
      ).createCustomer;
      expect(c).toMatchObject({
        name: 'Lily 李',
        company: 'Acme',
        phone: '13900001111',
        stage: 'NEW',
        tags: [{ id: tags.Skincare, name: 'Skincare' }],
      });
      expect(c.relations).toEqual([
        { id: expect.any(String), status: 'ACTIVE', addWay: 'OTHER', employee: { id: rep.id } },
      ]);
      expect(
        codeOf(
          await t.gql(CREATE_CUSTOMER, { input: { employeeId: rep2.id, customer: { name: 'Not mine' } } }, rep.token),
        ),
      ).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CREATE_CUSTOMER, { input: { employeeId: rep.id, customer: { name: 'X' } } }))).toBe(
        'UNAUTHENTICATED',
      );
      expect(
        codeOf(
          await t.gql(CREATE_CUSTOMER, { input: { employeeId: rep.id, customer: { name: 'X' } } }, other.adminToken),
        ),
      ).toBe('NOT_FOUND');
      const marketer = await createEmployee(t, org, { roles: ['marketer'] });
      expect(
        codeOf(
          await t.gql(CREATE_CUSTOMER, { input: { employeeId: rep.id, customer: { name: 'X' } } }, marketer.token),
        ),
      ).toBe('FORBIDDEN');
      const otherTag = await createTagGroup(t, other.adminToken, 'Theirs', ['T']);
      const foreign = await t.gql(
        CREATE_CUSTOMER,
        { input: { employeeId: rep.id, customer: { name: 'X' }, tagIds: [otherTag.T] } },
        rep.token,
      );
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(foreign.errors![0].message).toContain('input.tagIds');
      const bad = await t.gql(
        CREATE_CUSTOMER,
        { input: { employeeId: rep.id, customer: { name: '   ', phone: 'call me' } } },
        rep.token,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors![0].message).toMatch(/input\.customer\.name.*input\.customer\.phone/);
      expect(bad.errors![0].message).toContain('input.customer.name: must not be blank');
      expect(bad.errors![0].extensions!.fields).toContainEqual({
        field: 'input.customer.phone',
        message: 'must be a phone number such as 13812345678 or +44 20 7946 0958',
      });
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND name = 'X'`, [org.orgId]))
          .rows[0].n,
      ).toBe(0);
    });

    it('updates the profile and stage, writing the timeline; out of scope is FORBIDDEN, another org NOT_FOUND', async () => {
      const { customerId } = await addCustomer(t, org.adminToken, rep.id, { name: 'Before' });
      const u = ok(
        await t.gql(
          UPDATE,
          { input: { id: customerId, name: 'After', stage: 'INTERESTED', company: '丽美' } },
          rep.token,
        ),
      ).updateCustomer;
      expect(u).toEqual({ id: customerId, name: 'After', company: '丽美', phone: null, stage: 'INTERESTED' });
      const tl = await t.db.query(`SELECT type, data FROM timeline_events WHERE customer_id = $1 ORDER BY created_at`, [
        customerId,
      ]);
      expect(tl.rows.map((r) => r.type)).toEqual(['relation.added', 'stage.changed', 'profile.updated']);
      expect(tl.rows[1].data).toEqual({ from: 'NEW', to: 'INTERESTED' });
      expect(codeOf(await t.gql(UPDATE, { input: { id: customerId, name: 'Hijack' } }, rep2.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(UPDATE, { input: { id: customerId, name: 'Hijack' } }, other.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(UPDATE, { input: { id: customerId, name: 'Hijack' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(UPDATE, { input: { id: customerId, stage: 'SOLD' } }, rep.token))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await t.gql(UPDATE, { input: { id: customerId, name: 'y'.repeat(201) } }, rep.token))).toBe(
        'BAD_USER_INPUT',
      );
      expect((await t.db.query(`SELECT name FROM customers WHERE id = $1`, [customerId])).rows[0].name).toBe('After');
    });
  });

  describe('tags and notes', () => {
    it('tags and untags in bulk, all or nothing', async () => {
      const tags = await createTagGroup(t, org.adminToken, uniq('Level '), ['Gold', 'Silver']);
      const a = await addCustomer(t, org.adminToken, rep.id);
      const b = await addCustomer(t, org.adminToken, rep.id);
      const mine = await addCustomer(t, org.adminToken, rep2.id);
      const r = ok(
        await t.gql(
          TAG,
          { input: { customerIds: [a.customerId, b.customerId], tagIds: [tags.Gold, tags.Silver] } },
          rep.token,
        ),
      ).tagCustomers;
      expect(r.map((c: { tags: Array<{ name: string }> }) => c.tags.map((x) => x.name).sort())).toEqual([
        ['Gold', 'Silver'],
        ['Gold', 'Silver'],
      ]);
      // Tagging again is harmless; a customer out of scope fails the whole request.
      ok(await t.gql(TAG, { input: { customerIds: [a.customerId], tagIds: [tags.Gold] } }, rep.token));
      const partial = await t.gql(
        UNTAG,
        { input: { customerIds: [a.customerId, mine.customerId], tagIds: [tags.Gold] } },
        rep.token,
      );
      expect(codeOf(partial)).toBe('FORBIDDEN');
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM customer_tags WHERE customer_id = $1`, [a.customerId]))
          .rows[0].n,
      ).toBe(2);
      const unknown = await t.gql(
        TAG,
        { input: { customerIds: [a.customerId, '00000000-0000-4000-8000-000000000000'], tagIds: [tags.Gold] } },
        org.adminToken,
      );
      expect(codeOf(unknown)).toBe('NOT_FOUND');
      expect(unknown.errors![0].message).toContain('input.customerIds');
      const un = ok(
        await t.gql(UNTAG, { input: { customerIds: [a.customerId], tagIds: [tags.Gold] } }, rep.token),
      ).untagCustomers;
      expect(un[0].tags.map((x: { name: string }) => x.name)).toEqual(['Silver']);
      // The list filter's copy (customers.tag_ids) follows every change.
      const tagIds = async (id: string) =>
        (await t.db.query(`SELECT tag_ids FROM customers WHERE id = $1`, [id])).rows[0].tag_ids;
      expect(await tagIds(a.customerId)).toEqual([tags.Silver]);
      expect((await tagIds(b.customerId)).sort()).toEqual([tags.Gold, tags.Silver].sort());
      const tl = await t.db.query(`SELECT type FROM timeline_events WHERE customer_id = $1 ORDER BY created_at`, [
        a.customerId,
      ]);
      expect(tl.rows.map((x) => x.type)).toEqual(['relation.added', 'tags.added', 'tags.removed']);
      expect(codeOf(await t.gql(TAG, { input: { customerIds: [], tagIds: [tags.Gold] } }, rep.token))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await t.gql(TAG, { input: { customerIds: [a.customerId], tagIds: [tags.Gold] } }))).toBe(
        'UNAUTHENTICATED',
      );
      expect(
        codeOf(await t.gql(TAG, { input: { customerIds: [a.customerId], tagIds: [tags.Gold] } }, other.adminToken)),
      ).toBe('NOT_FOUND');
      const marketer = await createEmployee(t, org, { roles: ['marketer'] });
      expect(
        codeOf(await t.gql(TAG, { input: { customerIds: [a.customerId], tagIds: [tags.Gold] } }, marketer.token)),
      ).toBe('FORBIDDEN');
    });

    it('keeps the tag filter exact under concurrent tagging and untagging of one customer', async () => {
      const names = Array.from({ length: 8 }, (_, i) => `T${i}`);
      const tags = await createTagGroup(t, org.adminToken, uniq('Concurrent '), names);
      const c = await addCustomer(t, org.adminToken, rep.id);
      await Promise.all(
        names.map((n) =>
          t.gql(TAG, { input: { customerIds: [c.customerId], tagIds: [tags[n]] } }, org.adminToken).then(ok),
        ),
      );
      await Promise.all(
        names
          .slice(0, 3)
          .map((n) =>
            t.gql(UNTAG, { input: { customerIds: [c.customerId], tagIds: [tags[n]] } }, org.adminToken).then(ok),
          ),
      );
      const row = (await t.db.query(`SELECT tag_ids FROM customers WHERE id = $1`, [c.customerId])).rows[0];
      expect(row.tag_ids).toEqual(names.slice(3).map((n) => tags[n]).sort());
      const listed = await t.gql(CUSTOMERS, { filter: { tagIds: [tags.T5] }, first: 10 }, org.adminToken);
      expect(idsOf(ok(listed))).toEqual([c.customerId]);
      expect(idsOf(ok(await t.gql(CUSTOMERS, { filter: { tagIds: [tags.T0] }, first: 10 }, org.adminToken)))).toEqual(
        [],
      );
    });

    it('creates tag groups; duplicates are CONFLICT or BAD_USER_INPUT', async () => {
      const name = uniq('Source ');
      const g = ok(await t.gql(`mutation($input: CreateTagGroupInput!) { createTagGroup(input: $input) { name tags { name group { name } } } }`, { input: { name, tagNames: ['Online', '线下'] } }, org.adminToken)).createTagGroup;
      expect(g.tags.map((x: { name: string }) => x.name).sort()).toEqual(['Online', '线下']);
      expect(g.tags[0].group.name).toBe(name);
      expect(
        codeOf(
          await t.gql(
            `mutation($input: CreateTagGroupInput!) { createTagGroup(input: $input) { id } }`,
            { input: { name, tagNames: [] } },
            org.adminToken,
          ),
        ),
      ).toBe('CONFLICT');
      expect(
        codeOf(
          await t.gql(
            `mutation($input: CreateTagGroupInput!) { createTagGroup(input: $input) { id } }`,
            { input: { name: uniq('g'), tagNames: ['a', 'A'] } },
            org.adminToken,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        codeOf(
          await t.gql(
            `mutation($input: CreateTagGroupInput!) { createTagGroup(input: $input) { id } }`,
            { input: { name: uniq('g'), tagNames: [] } },
            rep.token,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        codeOf(
          await t.gql(`mutation($input: CreateTagGroupInput!) { createTagGroup(input: $input) { id } }`, {
            input: { name: uniq('g'), tagNames: [] },
          }),
        ),
      ).toBe('UNAUTHENTICATED');
      const listed = ok(await t.gql(`{ tagGroups { name } }`, {}, rep.token)).tagGroups.map(
        (x: { name: string }) => x.name,
      );
      expect(listed).toContain(name);
      expect(
        ok(await t.gql(`{ tagGroups { name } }`, {}, other.adminToken)).tagGroups.map((x: { name: string }) => x.name),
      ).not.toContain(name);
    });

    it('adds notes, calls (a contact) and tasks, completes tasks, and pages them', async () => {
      const { customerId } = await addCustomer(t, org.adminToken, rep.id);
      const due = new Date(Date.now() + 86400_000).toISOString();
      const task = ok(
        await t.gql(NOTE, { input: { customerId, kind: 'TASK', body: 'Send samples 寄样品', dueAt: due } }, rep.token),
      ).addCustomerNote;
      expect(task).toMatchObject({
        kind: 'TASK',
        body: 'Send samples 寄样品',
        dueAt: due,
        doneAt: null,
        author: { id: rep.id },
      });
      ok(await t.gql(NOTE, { input: { customerId, kind: 'CALL', body: 'Called, interested' } }, rep.token));
      ok(await t.gql(NOTE, { input: { customerId, body: 'Prefers WeChat' } }, rep.token));
      const done = ok(
        await t.gql(`mutation($id: ID!) { completeCustomerTask(id: $id) { doneAt } }`, { id: task.id }, rep.token),
      ).completeCustomerTask;
      expect(done.doneAt).not.toBeNull();
      const c = ok(await t.gql(`query($id: ID!) { customer(id: $id) { lastContactAt notes(first: 2) { edges { node { kind } } pageInfo { hasNextPage endCursor } } } }`, { id: customerId }, rep.token)).customer;
      expect(c.lastContactAt).not.toBeNull();
      expect(c.notes.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual(['NOTE', 'CALL']);
      const rest = ok(await t.gql(`query($id: ID!, $after: String) { customer(id: $id) { notes(first: 2, after: $after) { edges { node { kind } } pageInfo { hasNextPage } } } }`, { id: customerId, after: c.notes.pageInfo.endCursor }, rep.token)).customer;
      expect(rest.notes.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual(['TASK']);
      expect(rest.notes.pageInfo.hasNextPage).toBe(false);
      const tl = await t.db.query(`SELECT type FROM timeline_events WHERE customer_id = $1 ORDER BY created_at, type`, [
        customerId,
      ]);
      expect(tl.rows.map((x) => x.type)).toEqual([
        'relation.added',
        'note.added',
        'note.added',
        'note.added',
        'task.done',
      ]);
      expect(codeOf(await t.gql(NOTE, { input: { customerId, body: 'x' } }, rep2.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(NOTE, { input: { customerId, body: 'x' } }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(NOTE, { input: { customerId, body: 'x' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(NOTE, { input: { customerId, body: ' ' } }, rep.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(NOTE, { input: { customerId, body: 'x', dueAt: due } }, rep.token))).toBe(
        'BAD_USER_INPUT',
      );
    });

    it('completes a task once, even when asked concurrently; guards: unauthenticated, other organization, forbidden, bad input', async () => {
      const COMPLETE = `mutation($id: ID!) { completeCustomerTask(id: $id) { id kind doneAt } }`;
      const { customerId } = await addCustomer(t, org.adminToken, rep.id);
      const task = ok(
        await t.gql(NOTE, { input: { customerId, kind: 'TASK', body: 'Follow up 回访' } }, rep.token),
      ).addCustomerNote;
      const note = ok(await t.gql(NOTE, { input: { customerId, body: 'Just a note' } }, rep.token)).addCustomerNote;
      const doneAt = async () =>
        (await t.db.query(`SELECT done_at FROM customer_notes WHERE id = $1`, [task.id])).rows[0].done_at;
      // Refused before anything changes.
      expect(codeOf(await t.gql(COMPLETE, { id: task.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(COMPLETE, { id: task.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(COMPLETE, { id: task.id }, rep2.token))).toBe('FORBIDDEN');
      const marketer = await createEmployee(t, org, { roles: ['marketer'] });
      expect(codeOf(await t.gql(COMPLETE, { id: task.id }, marketer.token))).toBe('FORBIDDEN');
      // Out of scope, a rep learns nothing about the note, not even its kind.
      expect(codeOf(await t.gql(COMPLETE, { id: note.id }, rep2.token))).toBe('FORBIDDEN');
      const notTask = await t.gql(COMPLETE, { id: note.id }, rep.token);
      expect(codeOf(notTask)).toBe('BAD_USER_INPUT');
      expect(notTask.errors![0].message).toContain('only TASK notes can be completed');
      expect(codeOf(await t.gql(COMPLETE, { id: 'task-1' }, rep.token))).toBe('BAD_USER_INPUT');
      expect(await doneAt()).toBeNull();
      // Five at once: one completion, one timeline event, the same doneAt for all.
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => t.gql(COMPLETE, { id: task.id }, rep.token).then(ok)),
      );
      const stamps = new Set(
        answers.map((a: { completeCustomerTask: { doneAt: string } }) => a.completeCustomerTask.doneAt),
      );
      expect(stamps.size).toBe(1);
      expect([...stamps][0]).toBe((await doneAt()).toISOString());
      const events = await t.db.query(
        `SELECT count(*)::int AS n FROM timeline_events WHERE customer_id = $1 AND type = 'task.done'`,
        [customerId],
      );
      expect(events.rows[0].n).toBe(1);
      expect(
        (await t.db.query(`SELECT done_at FROM customer_notes WHERE id = $1`, [note.id])).rows[0].done_at,
      ).toBeNull();
    });
  });

  describe('customers list', () => {
    let o: OrgFixture;
    let r1: EmployeeFixture;
    let r2: EmployeeFixture;
    let mgr: EmployeeFixture;
    /** The VIP tag made by the set-up, for the filters below. */
    let vipTag: string;
    const names: Record<string, string> = {};
    beforeAll(async () => {
      o = await signUpOrg(t);
      const d1 = await createDepartment(t, o.adminToken, 'D1');
      const d2 = await createDepartment(t, o.adminToken, 'D2');
      const d1a = await createDepartment(t, o.adminToken, 'D1a', d1);
      mgr = await createEmployee(t, o, { roles: ['manager'], departmentId: d1 });
      r1 = await createEmployee(t, o, { departmentId: d1a });
      r2 = await createEmployee(t, o, { departmentId: d2 });
      const tags = await createTagGroup(t, o.adminToken, 'Tier', ['VIP']);
      const add = async (key: string, emp: string, c: Record<string, string>, extra: Record<string, unknown> = {}) => {
        names[key] = (await addCustomer(t, o.adminToken, emp, c, extra)).customerId;
      };
      await add(
        'zhang',
        r1.id,
        { name: '张三 Zhang San', company: '阿里巴巴', phone: '13800000001', stage: 'WON' },
        { state: 'fair' },
      );
      await add('li', r1.id, { name: '李四 Li Si', company: 'Tencent', stage: 'NEW' }, { remark: '老客户 returning' });
      await add('wang', r2.id, { name: '王五 Wang Wu', company: 'ByteDance', stage: 'WON' });
      ok(await t.gql(TAG, { input: { customerIds: [names.zhang, names.wang], tagIds: [tags.VIP] } }, o.adminToken));
      vipTag = tags.VIP;
    });

    it('scopes rows by role: admin all, manager their department tree, sales their own', async () => {
      const all = idsOf(ok(await t.gql(CUSTOMERS, { first: 50 }, o.adminToken)));
      expect(all.sort()).toEqual([names.zhang, names.li, names.wang].sort());
      expect(idsOf(ok(await t.gql(CUSTOMERS, { first: 50 }, mgr.token))).sort()).toEqual(
        [names.zhang, names.li].sort(),
      );
      expect(idsOf(ok(await t.gql(CUSTOMERS, { first: 50 }, r2.token)))).toEqual([names.wang]);
      expect(codeOf(await t.gql(`query($id: ID!) { customer(id: $id) { id } }`, { id: names.wang }, r1.token))).toBe(
        'FORBIDDEN',
      );
      expect(
        codeOf(await t.gql(`query($id: ID!) { customer(id: $id) { id } }`, { id: names.wang }, other.adminToken)),
      ).toBe('NOT_FOUND');
      expect(idsOf(ok(await t.gql(CUSTOMERS, { first: 50 }, other.adminToken)))).toEqual([]);
    });

    it('masks phone numbers for viewers without contact permission', async () => {
      const q = `query($id: ID!) { customer(id: $id) { phone } }`;
      expect(ok(await t.gql(q, { id: names.zhang }, o.adminToken)).customer.phone).toBe('13800000001');
      expect(ok(await t.gql(q, { id: names.zhang }, r1.token)).customer.phone).toBe('13800000001');
      expect(ok(await t.gql(q, { id: names.zhang }, mgr.token)).customer.phone).toBe('138****0001');
      // In a list too (answered once per request, then per row without a promise), and below a relation.
      const list = `query { customers(first: 50) { edges { node { id phone relations { customer { phone } } } } } }`;
      type Phones = {
        customers: {
          edges: Array<{ node: { id: string; phone: string; relations: Array<{ customer: { phone: string } }> } }>;
        };
      };
      const phones = async (token: string) => {
        const edges = ok<Phones>(await t.gql(list, {}, token)).customers.edges;
        const zhang = edges.find((e) => e.node.id === names.zhang)!.node;
        return [zhang.phone, ...zhang.relations.map((r) => r.customer.phone)];
      };
      expect(await phones(o.adminToken)).toEqual(['13800000001', '13800000001']);
      expect(await phones(r1.token)).toEqual(['13800000001', '13800000001']);
      expect(await phones(mgr.token)).toEqual(['138****0001', '138****0001']);
    });

    it('filters by search (Chinese and English, name, company, phone, remark), stage, tags, employees, department, state', async () => {
      const q = async (filter: object, token = o.adminToken) =>
        idsOf(ok(await t.gql(CUSTOMERS, { filter, first: 50 }, token))).sort();
      expect(await q({ search: '张三' })).toEqual([names.zhang]);
      expect(await q({ search: 'wang' })).toEqual([names.wang]);
      expect(await q({ search: '阿里' })).toEqual([names.zhang]);
      expect(await q({ search: 'TENCENT' })).toEqual([names.li]);
      expect(await q({ search: '0000001' })).toEqual([names.zhang]);
      expect(await q({ search: '老客户' })).toEqual([names.li]);
      expect(await q({ search: '%' })).toEqual([]);
      expect(await q({ stages: ['WON'] })).toEqual([names.zhang, names.wang].sort());
      expect(await q({ tagIds: [vipTag], stages: ['WON'] })).toEqual([names.zhang, names.wang].sort());
      expect(await q({ tagIds: [vipTag] }, mgr.token)).toEqual([names.zhang]);
      expect(await q({ employeeIds: [r2.id] })).toEqual([names.wang]);
      expect(await q({ state: 'fair' })).toEqual([names.zhang]);
      expect(await q({ unassigned: true })).toEqual([]);
      const d1 = ok(await t.gql(`{ departments { id name } }`, {}, o.adminToken)).departments.find(
        (d: { name: string }) => d.name === 'D1',
      ).id;
      expect(await q({ departmentId: d1 })).toEqual([names.zhang, names.li].sort());
      expect(await q({ addedAfter: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
      expect(codeOf(await t.gql(CUSTOMERS, { filter: { departmentId: other.rootDepartmentId } }, o.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(CUSTOMERS, { first: 500 }, o.adminToken))).toBe('BAD_USER_INPUT');
    });

    it('orders by every field in both directions with keyset pages that never skip or repeat', async () => {
      const p = await signUpOrg(t);
      const e = await createEmployee(t, p);
      for (let i = 0; i < 9; i++) await addCustomer(t, p.adminToken, e.id, { name: `C${i % 3} ${i}` });
      for (const field of ['CREATED_AT', 'UPDATED_AT', 'NAME', 'LAST_CONTACT_AT']) {
        for (const direction of ['ASC', 'DESC']) {
          const full = idsOf(ok(await t.gql(CUSTOMERS, { orderBy: { field, direction }, first: 100 }, p.adminToken)));
          const paged: string[] = [];
          let after: string | null = null;
          let first = true;
          do {
            const page: Connection<{ id: string }> = ok(
              await t.gql(CUSTOMERS, { orderBy: { field, direction }, first: 2, after }, p.adminToken),
            ).customers;
            paged.push(...page.edges.map((x) => x.node.id));
            after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
            if (first && field === 'CREATED_AT' && direction === 'ASC')
              await addCustomer(t, p.adminToken, e.id, { name: 'Late' });
            first = false;
          } while (after);
          const expected = field === 'CREATED_AT' && direction === 'ASC' ? paged.length - 1 : full.length;
          expect(new Set(paged).size).toBe(paged.length);
          expect(paged.slice(0, expected)).toEqual(full.slice(0, expected));
        }
      }
      // A rep's own list and a filter on one employee read that
      // employee's relation keyset index: same rows, same order.
      const other = await createEmployee(t, p);
      await addCustomer(t, p.adminToken, other.id, { name: 'Not theirs' });
      const shared = await addCustomer(t, p.adminToken, other.id, { name: 'Shared', externalId: uniq('shared-') });
      const sharedExt = (await t.db.query(`SELECT external_id FROM customers WHERE id = $1`, [shared.customerId]))
        .rows[0].external_id;
      await addCustomer(t, p.adminToken, e.id, { name: 'Shared', externalId: sharedExt });
      for (const direction of ['ASC', 'DESC']) {
        const orderBy = { field: 'CREATED_AT', direction };
        const expected = idsOf(
          ok(
            await t.gql(
              CUSTOMERS,
              { orderBy, first: 100, filter: { departmentId: p.rootDepartmentId, employeeIds: [e.id, e.id] } },
              p.adminToken,
            ),
          ),
        );
        expect(expected.length).toBeGreaterThan(9);
        for (const [token, filter] of [
          [e.token, {}],
          [p.adminToken, { employeeIds: [e.id] }],
          [e.token, { employeeIds: [e.id] }],
        ] as const) {
          const paged: string[] = [];
          let after: string | null = null;
          do {
            const page: Connection<{ id: string }> = ok(
              await t.gql(CUSTOMERS, { orderBy, filter, first: 3, after }, token),
            ).customers;
            paged.push(...page.edges.map((x) => x.node.id));
            after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
          } while (after);
          expect(paged).toEqual(expected);
        }
      }
      expect(idsOf(ok(await t.gql(CUSTOMERS, { filter: { employeeIds: [other.id] }, first: 50 }, e.token)))).toEqual([
        shared.customerId,
      ]);
      const names = ok(
        await t.gql(
          `{ customers(orderBy: { field: NAME, direction: ASC }, first: 3) { edges { node { name } } } }`,
          {},
          p.adminToken,
        ),
      ).customers.edges.map((x: { node: { name: string } }) => x.node.name);
      expect(names).toEqual([...names].sort());
    });

    it('loads a page with relations, employees and tags in a bounded number of SQL statements', async () => {
      const p = await signUpOrg(t);
      const emps = [await createEmployee(t, p), await createEmployee(t, p), await createEmployee(t, p)];
      const tags = await createTagGroup(t, p.adminToken, 'T', ['a', 'b']);
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await addCustomer(t, p.adminToken, emps[i % 3].id)).customerId);
      ok(await t.gql(TAG, { input: { customerIds: ids, tagIds: [tags.a, tags.b] } }, p.adminToken));
      const Q = `query($first: Int) { customers(first: $first) { edges { node { id name phone tags { id name group { id name } }
        relations { id status employee { id name department { id name } roles } } } } } }`;
      const small = await t.gql(Q, { first: 3 }, p.adminToken);
      const large = await t.gql<{ customers: Connection<{ tags: unknown[]; relations: unknown[] }> }>(
        Q,
        { first: 30 },
        p.adminToken,
      );
      expect(small.errors).toBeUndefined();
      const listed = nodesOf(ok(large).customers);
      expect(listed).toHaveLength(30);
      expect(listed.every((n) => n.tags.length === 2 && n.relations.length === 1)).toBe(true);
      // One statement per nested type, however large the page.
      expect(large.sqlStatements).toBe(small.sqlStatements);
      expect(large.sqlStatements).toBeLessThanOrEqual(12);
    });

    it('loads nested rows ahead for fragments, aliases, @skip/@include and both kinds of relations, with the same answers', async () => {
      const p = await signUpOrg(t);
      const [a, b] = [await createEmployee(t, p), await createEmployee(t, p)];
      const tags = await createTagGroup(t, p.adminToken, 'F', ['f1']);
      const one = await addCustomer(t, p.adminToken, a.id);
      const two = await addCustomer(t, p.adminToken, b.id);
      ok(await t.gql(TAG, { input: { customerIds: [one.customerId], tagIds: [tags.f1] } }, p.adminToken));
      ok(await t.gql(RECORD_ENDED, { input: { relationId: two.relationId, endedBy: 'EMPLOYEE' } }, p.adminToken));
      const byId = <N extends { id: string }>(r: { customers: Connection<N> }) =>
        Object.fromEntries(r.customers.edges.map((e) => [e.node.id, e.node]));
      // Plain selection: what the field resolvers alone answer (relations below are asked for one way only).
      const plain = byId(
        ok(
          await t.gql(
            `{ customers(first: 10) { edges { node { id tags { id } relations { id status employee { id } } } } } }`,
            {},
            p.adminToken,
          ),
        ),
      );
      expect(plain[one.customerId]).toEqual({
        id: one.customerId,
        tags: [{ id: tags.f1 }],
        relations: [{ id: one.relationId, status: 'ACTIVE', employee: { id: a.id } }],
      });
      expect(plain[two.customerId]).toEqual({ id: two.customerId, tags: [], relations: [] });
      // Through a fragment, with an alias asking for ended relations too (two ways: not loaded ahead, still right).
      const Q = `query($skipTags: Boolean!, $ended: Boolean) { customers(first: 10) { edges { node { ...C } } } }
        fragment C on Customer { id tags @skip(if: $skipTags) { id } relations { id employee { id } } all: relations(includeEnded: $ended) { id status employee @include(if: true) { id } } }`;
      const both = await t.gql(Q, { skipTags: true, ended: true }, p.adminToken);
      const got = byId(ok(both));
      expect(got[two.customerId]).toEqual({
        id: two.customerId,
        relations: [],
        all: [{ id: two.relationId, status: 'DELETED_BY_EMPLOYEE', employee: { id: b.id } }],
      });
      expect(got[one.customerId]).toEqual({
        id: one.customerId,
        relations: [{ id: one.relationId, employee: { id: a.id } }],
        all: [{ id: one.relationId, status: 'ACTIVE', employee: { id: a.id } }],
      });
      // Ended relations only, loaded ahead: same rows as the field resolvers give.
      const ended = byId(
        ok(
          await t.gql(
            Q.replace('relations { id employee { id } } ', ''),
            { skipTags: false, ended: true },
            p.adminToken,
          ),
        ),
      );
      expect(ended[two.customerId]).toEqual({
        id: two.customerId,
        tags: [],
        all: [{ id: two.relationId, status: 'DELETED_BY_EMPLOYEE', employee: { id: b.id } }],
      });
      // A skipped nested type costs no statement: tags skipped is one statement less than tags selected.
      const withTags = await t.gql(
        Q.replace('relations { id employee { id } } ', ''),
        { skipTags: false, ended: true },
        p.adminToken,
      );
      const withoutTags = await t.gql(
        Q.replace('relations { id employee { id } } ', ''),
        { skipTags: true, ended: true },
        p.adminToken,
      );
      expect(withoutTags.sqlStatements).toBe(withTags.sqlStatements! - 1);
    });

    it("runs a rep's own page and the page's batches as prepared statements, a filtered page unprepared", async () => {
      const p = await signUpOrg(t);
      const e = await createEmployee(t, p, { roles: ['sales'] });
      const tags = await createTagGroup(t, p.adminToken, 'P', ['x']);
      const id = (await addCustomer(t, p.adminToken, e.id)).customerId;
      ok(await t.gql(TAG, { input: { customerIds: [id], tagIds: [tags.x] } }, p.adminToken));
      const Q = `query($filter: CustomerFilter) { customers(filter: $filter, first: 5) { edges { node { id tags { id } relations { id employee { id } } } } } }`;
      const own = ok(await t.gql(Q, {}, e.token)).customers.edges.map((x: { node: unknown }) => x.node);
      expect(own).toEqual([
        { id, tags: [{ id: tags.x }], relations: [expect.objectContaining({ employee: { id: e.id } })] },
      ]);
      const filtered = ok(await t.gql(Q, { filter: { search: 'no-such-customer-name' } }, e.token)).customers.edges;
      expect(filtered).toEqual([]);
      // Every idle connection of the API's pool, held at once, lists what its session prepared.
      const pool = (t.app.get(DataSource).driver as PostgresDriver).master as Pool;
      const clients: PoolClient[] = await Promise.all(Array.from({ length: pool.idleCount }, () => pool.connect()));
      const prepared: string[] = [];
      try {
        for (const c of clients)
          prepared.push(
            ...(await c.query(`SELECT statement FROM pg_prepared_statements`)).rows.map((r) => r.statement as string),
          );
      } finally {
        clients.forEach((c) => c.release());
      }
      const has = (re: RegExp) => prepared.some((sql) => re.test(sql));
      expect(has(/FROM customer_relations sr JOIN customers c[\s\S]*sr\.employee_id = \$2::uuid AND sr\.status = 'ACTIVE' ORDER BY/)).toBe(true);
      expect(has(/FROM customer_tags ct JOIN tags t/)).toBe(true);
      expect(has(/FROM customer_relations\s+WHERE org_id = \$1 AND customer_id = ANY/)).toBe(true);
      expect(has(/FROM employees WHERE org_id = \$1 AND id = ANY/)).toBe(true);
      expect(has(/JOIN organizations o ON o\.id = e\.org_id/)).toBe(true);
      expect(has(/search_text LIKE/)).toBe(false);
    });
  });

  it('leaves the denormalized list keys equal to their sources after everything above', async () => {
    expect(await listKeyDrift(t)).toEqual({
      tagIds: 0,
      activeEmployeeIds: 0,
      customerCreatedAt: 0,
      timelineOrphans: 0,
    });
  });
});
