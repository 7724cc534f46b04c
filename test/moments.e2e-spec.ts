import { Pool } from 'pg';
import { createServer } from 'src/bootstrap';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { bullJobId, QueueService } from 'src/core/queue';
import { PUBLISH_MOMENT, publishJobId } from 'src/modules/moments/jobs/job-names';
import { ExpireMomentTasksJob } from 'src/modules/moments/jobs/expire-moment-tasks.job';
import { PublishMomentJob } from 'src/modules/moments/jobs/publish-moment.job';
import { EventBus } from 'src/core/realtime/event-bus';
import { MOMENT_TASK_ASSIGNED, MomentsService } from 'src/modules/moments/services/moments.service';
import { addCustomer, createTagGroup, RECORD_ENDED } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { codeOf, Connection, GqlResult, ok, startTestApp, TestApp } from './helpers/test-app';
import { eventually } from './helpers/wait';

const MOMENT = `id text status scheduledAt publishedAt createdAt attachments { type url title }
  audience { employees { id } departments { id } customerTags { id } } createdBy { id }
  stats { assignedEmployees publishedEmployees reachableCustomers likes comments }`;
const CREATE = `mutation($input: CreateMomentInput!) { createMoment(input: $input) { ${MOMENT} } }`;
const UPDATE = `mutation($input: UpdateMomentInput!) { updateMoment(input: $input) { ${MOMENT} } }`;
const SCHEDULE = `mutation($input: ScheduleMomentInput!) { scheduleMoment(input: $input) { ${MOMENT} } }`;
const PUBLISH_NOW = `mutation($id: ID!) { publishMomentNow(id: $id) { ${MOMENT} } }`;
const CANCEL = `mutation($id: ID!) { cancelMoment(id: $id) { ${MOMENT} } }`;
const CONFIRM = `mutation($id: ID!) { confirmMomentTask(id: $id) { id status publishedAt visibleCustomerCount remindedCount employee { id } moment { id } } }`;
const GET = `query($id: ID!) { moment(id: $id) { ${MOMENT} } }`;
const LIST = `query($filter: MomentFilter, $first: Int, $after: String) {
  moments(filter: $filter, first: $first, after: $after) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }`;
const LIST_DEEP = `query($first: Int) { moments(first: $first) { edges { node { ${MOMENT} tasks(first: 3) { edges { node { id employee { id name } } } } } } } }`;
const TASKS = `query($id: ID!, $status: [MomentTaskStatus!], $first: Int, $after: String) { moment(id: $id) {
  tasks(status: $status, first: $first, after: $after) { edges { cursor node { id status visibleCustomerCount employee { id } } } pageInfo { hasNextPage endCursor } } } }`;
const MY_TASKS = `query($status: [MomentTaskStatus!], $first: Int, $after: String) { myMomentTasks(status: $status, first: $first, after: $after) {
  edges { cursor node { id status visibleCustomerCount publishedAt remindedCount moment { id text } employee { id } } } pageInfo { hasNextPage endCursor } } }`;
const REACH = `query($audience: MomentAudienceInput!) { momentReach(audience: $audience) { employees customers } }`;
const CALENDAR = `query($from: Date!, $to: Date!, $perDay: Int) {
  momentCalendar(from: $from, to: $to, perDay: $perDay) { date total moments { id scheduledAt status } } }`;
const SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { id } }`;
const REMIND = `mutation($momentId: ID!) { remindMomentTasks(momentId: $momentId) }`;
const TAG_CUSTOMERS = `mutation($input: TagCustomersInput!) { tagCustomers(input: $input) { id } }`;
const UPDATE_EMP = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id status } }`;

const fieldsOf = (r: GqlResult): string[] =>
  ((r.errors?.[0]?.extensions?.fields as Array<{ field: string }>) ?? []).map((f) => f.field).sort();
const fieldOf = (r: GqlResult) => r.errors?.[0]?.extensions?.field;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

describe('moments', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let marketer: EmployeeFixture;
  /** deptA > deptA1; deptB: s1 in A, s2 and s3 (suspended) in A1, s4 and s5 in B. */
  let deptA: string;
  let deptA1: string;
  let deptB: string;
  let s1: EmployeeFixture;
  let s2: EmployeeFixture;
  let s3: EmployeeFixture;
  let s4: EmployeeFixture;
  let s5: EmployeeFixture;
  let vip: string;
  let fair: string;
  let cold: string;
  let otherEmployee: EmployeeFixture;
  let otherDept: string;
  let otherTag: string;

  const create = async (input: Record<string, unknown>, token = marketer.token) =>
    ok(await t.gql(CREATE, { input }, token)).createMoment;
  const draft = (extra: Record<string, unknown> = {}) => create({ text: 'Spring sale', audience: {}, ...extra });
  const row = async (id: string) =>
    (await t.db.query(`SELECT status, version, scheduled_at, published_at, text, attachments, audience_employee_ids, audience_department_ids, audience_tag_ids, created_by_id, org_id FROM moments WHERE id = $1`, [id])).rows[0];
  const tasksOf = async (momentId: string): Promise<Record<string, number>> => {
    const r = await t.db.query(
      `SELECT employee_id, visible_customer_count FROM moment_tasks WHERE moment_id = $1 AND org_id = $2`,
      [momentId, org.orgId],
    );
    return Object.fromEntries(r.rows.map((x) => [x.employee_id, x.visible_customer_count]));
  };
  const taskCount = async (momentId: string) =>
    Number((await t.db.query(`SELECT count(*) FROM moment_tasks WHERE moment_id = $1`, [momentId])).rows[0].count);
  const published = (id: string) => eventually(() => row(id), (r) => r.status === 'PUBLISHED');
  const queue = () => t.app.get(QueueService);
  /** Whether the publish job of (moment, version) is still stored (waiting, delayed or running). */
  const jobExists = async (momentId: string, version: number) =>
    !!(await (
      await queue().queueFor(PUBLISH_MOMENT)
    ).getJob(bullJobId(PUBLISH_MOMENT, publishJobId(momentId, version))));
  /**
   * Enqueues a publish job for a given version by hand (a stale
   * job that was already queued) and waits until it has run.
   */
  const runJob = async (orgId: string, momentId: string, version: number) => {
    await queue().enqueue(PUBLISH_MOMENT, { orgId, momentId, version }, { jobId: publishJobId(momentId, version) });
    const gone = await eventually(() => jobExists(momentId, version), (exists) => !exists);
    expect(gone).toBe(false);
  };

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    other = await signUpOrg(t);
    marketer = await createEmployee(t, org, { name: 'Mark', roles: ['marketer'] });
    deptA = await createDepartment(t, org.adminToken, 'Sales A');
    deptA1 = await createDepartment(t, org.adminToken, 'Sales A1', deptA);
    deptB = await createDepartment(t, org.adminToken, 'Sales B');
    s1 = await createEmployee(t, org, { name: 'S1', departmentId: deptA });
    s2 = await createEmployee(t, org, { name: 'S2', departmentId: deptA1 });
    s3 = await createEmployee(t, org, { name: 'S3', departmentId: deptA1 });
    s4 = await createEmployee(t, org, { name: 'S4', departmentId: deptB });
    s5 = await createEmployee(t, org, { name: 'S5', departmentId: deptB });
    ({ VIP: vip, Fair: fair, Cold: cold } = await createTagGroup(t, org.adminToken, 'Source', ['VIP', 'Fair', 'Cold']));
    otherEmployee = await createEmployee(t, other, { name: 'Olga' });
    otherDept = await createDepartment(t, other.adminToken, 'Theirs');
    ({ Other: otherTag } = await createTagGroup(t, other.adminToken, 'Theirs', ['Other']));

    // Customers: s1 has c1 (VIP), c2 (none), c6 (VIP + Fair) and an ended c7 (VIP); s2 has c3 (Fair);
    // s3 (suspended) has c4 (VIP); s4 has c5 (VIP); s5 has none.
    const add = (e: EmployeeFixture) => addCustomer(t, org.adminToken, e.id);
    const c1 = await add(s1);
    await add(s1);
    const c6 = await add(s1);
    const c7 = await add(s1);
    const c3 = await add(s2);
    const c4 = await add(s3);
    const c5 = await add(s4);
    const tag = (customerIds: string[], tagIds: string[]) =>
      t.gql(TAG_CUSTOMERS, { input: { customerIds, tagIds } }, org.adminToken).then(ok);
    await tag([c1.customerId, c6.customerId, c7.customerId, c4.customerId, c5.customerId], [vip]);
    await tag([c6.customerId, c3.customerId], [fair]);
    ok(await t.gql(RECORD_ENDED, { input: { relationId: c7.relationId, endedBy: 'EMPLOYEE' } }, org.adminToken));
    ok(await t.gql(UPDATE_EMP, { input: { id: s3.id, status: 'SUSPENDED' } }, org.adminToken));
  });
  afterAll(() => t.close());

  describe('createMoment', () => {
    it('creates a DRAFT with its attachments and audience, created by the caller', async () => {
      const m = await create({
        text: '春季新品上市 Spring is here',
        attachments: [
          { type: 'IMAGE', url: 'https://cdn.test/1.jpg' },
          { type: 'IMAGE', url: 'http://cdn.test/2.jpg', title: ' Cover ' },
        ],
        audience: { employeeIds: [s1.id, s1.id], departmentIds: [deptB], customerTagIds: [vip] },
      });
      expect(m).toMatchObject({
        text: '春季新品上市 Spring is here',
        status: 'DRAFT',
        scheduledAt: null,
        publishedAt: null,
        attachments: [
          { type: 'IMAGE', url: 'https://cdn.test/1.jpg', title: null },
          { type: 'IMAGE', url: 'http://cdn.test/2.jpg', title: 'Cover' },
        ],
        audience: { employees: [{ id: s1.id }], departments: [{ id: deptB }], customerTags: [{ id: vip }] },
        createdBy: { id: marketer.id },
        stats: { assignedEmployees: 0, publishedEmployees: 0, reachableCustomers: 0, likes: 0, comments: 0 },
      });
      const r = await row(m.id);
      expect(r).toMatchObject({
        status: 'DRAFT',
        scheduled_at: null,
        org_id: org.orgId,
        created_by_id: marketer.id,
        audience_employee_ids: [s1.id],
        audience_department_ids: [deptB],
        audience_tag_ids: [vip],
      });
      expect(r.attachments).toEqual([
        { type: 'IMAGE', url: 'https://cdn.test/1.jpg', title: null },
        { type: 'IMAGE', url: 'http://cdn.test/2.jpg', title: 'Cover' },
      ]);
      expect(await taskCount(m.id)).toBe(0);
    });

    it('creates a SCHEDULED moment when given a time, with its job queued', async () => {
      const at = inMs(60_000);
      const m = await draft({ scheduledAt: at });
      expect(m).toMatchObject({ status: 'SCHEDULED', scheduledAt: at });
      const r = await row(m.id);
      expect(r.status).toBe('SCHEDULED');
      expect(new Date(r.scheduled_at).toISOString()).toBe(at);
      expect(await jobExists(m.id, r.version)).toBe(true);
    });

    it('accepts one VIDEO, or one LINK with a title', async () => {
      expect((await draft({ attachments: [{ type: 'VIDEO', url: 'https://v.test/a.mp4' }] })).attachments).toEqual([
        { type: 'VIDEO', url: 'https://v.test/a.mp4', title: null },
      ]);
      const link = await draft({
        attachments: [{ type: 'LINK', url: 'https://shop.test/sale?x=1', title: 'x'.repeat(64) }],
      });
      expect(link.attachments).toEqual([{ type: 'LINK', url: 'https://shop.test/sale?x=1', title: 'x'.repeat(64) }]);
    });

    it('refuses callers without moment:create and without a session', async () => {
      const before = Number((await t.db.query(`SELECT count(*) FROM moments`)).rows[0].count);
      expect(codeOf(await t.gql(CREATE, { input: { text: 'x', audience: {} } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CREATE, { input: { text: 'x', audience: {} } }, s1.token))).toBe('FORBIDDEN');
      expect(Number((await t.db.query(`SELECT count(*) FROM moments`)).rows[0].count)).toBe(before);
    });

    it('answers BAD_USER_INPUT naming the field', async () => {
      const bad = async (input: Record<string, unknown>) => {
        const r = await t.gql(CREATE, { input: { text: 'Hello', audience: {}, ...input } }, marketer.token);
        expect(codeOf(r)).toBe('BAD_USER_INPUT');
        return fieldsOf(r);
      };
      const img = (i: number) => ({ type: 'IMAGE', url: `https://cdn.test/${i}.jpg` });
      expect(await bad({ text: '   ' })).toEqual(['input.text']);
      expect(await bad({ text: '' })).toContain('input.text');
      expect(await bad({ text: 'x'.repeat(2001) })).toEqual(['input.text']);
      expect(await bad({ attachments: Array.from({ length: 10 }, (_, i) => img(i)) })).toEqual(['input.attachments']);
      expect(await bad({ attachments: [img(0), { type: 'VIDEO', url: 'https://v.test/a.mp4' }] })).toEqual([
        'input.attachments[1].type',
      ]);
      expect(await bad({ attachments: [img(0), { type: 'LINK', url: 'https://x.test', title: 'T' }] })).toEqual([
        'input.attachments[1].type',
      ]);
      expect(
        await bad({
          attachments: [
            { type: 'VIDEO', url: 'https://v.test/a' },
            { type: 'VIDEO', url: 'https://v.test/b' },
          ],
        }),
      ).toEqual(['input.attachments[1]']);
      expect(
        await bad({
          attachments: [
            { type: 'LINK', url: 'https://x.test', title: 'a' },
            { type: 'LINK', url: 'https://y.test', title: 'b' },
          ],
        }),
      ).toEqual(['input.attachments[1]']);
      expect(await bad({ attachments: [{ type: 'LINK', url: 'https://x.test', title: 'x'.repeat(65) }] })).toEqual([
        'input.attachments[0].title',
      ]);
      expect(await bad({ attachments: [{ type: 'LINK', url: 'https://x.test' }] })).toEqual([
        'input.attachments[0].title',
      ]);
      expect(await bad({ attachments: [img(0), { type: 'IMAGE', url: 'ftp://cdn.test/1.jpg' }] })).toEqual([
        'input.attachments[1].url',
      ]);
      expect(await bad({ attachments: [{ type: 'IMAGE', url: 'javascript:alert(1)' }] })).toEqual([
        'input.attachments[0].url',
      ]);
      expect(await bad({ scheduledAt: new Date(Date.now() - 60_000).toISOString() })).toEqual(['input.scheduledAt']);
      expect(await bad({ audience: { employeeIds: ['nope'] } })).toEqual(['input.audience.employeeIds']);
      expect(await bad({ audience: { customerTagIds: ['nope'] } })).toEqual(['input.audience.customerTagIds']);
    });

    it('answers NOT_FOUND naming the field for unknown or other-organization audience ids', async () => {
      const notFound = async (audience: Record<string, unknown>) => {
        const r = await t.gql(CREATE, { input: { text: 'Hello', audience } }, marketer.token);
        expect(codeOf(r)).toBe('NOT_FOUND');
        return fieldOf(r);
      };
      expect(await notFound({ employeeIds: [s1.id, otherEmployee.id] })).toBe('input.audience.employeeIds');
      expect(await notFound({ employeeIds: [NO_SUCH_ID] })).toBe('input.audience.employeeIds');
      expect(await notFound({ departmentIds: [deptA, otherDept] })).toBe('input.audience.departmentIds');
      expect(await notFound({ customerTagIds: [otherTag] })).toBe('input.audience.customerTagIds');
      const theirs = Number(
        (
          await t.db.query(
            `SELECT count(*) FROM moments WHERE audience_employee_ids && $1::uuid[] OR audience_tag_ids && $2::uuid[]`,
            [[otherEmployee.id], [otherTag]],
          )
        ).rows[0].count,
      );
      expect(theirs).toBe(0);
    });
  });

  describe('updateMoment', () => {
    it('changes what is given and keeps the rest', async () => {
      const m = await draft({
        attachments: [{ type: 'VIDEO', url: 'https://v.test/a.mp4' }],
        audience: { employeeIds: [s1.id] },
      });
      const u = ok(
        await t.gql(
          UPDATE,
          { input: { id: m.id, text: 'Summer sale', audience: { departmentIds: [deptA], customerTagIds: [fair] } } },
          marketer.token,
        ),
      ).updateMoment;
      expect(u).toMatchObject({
        text: 'Summer sale',
        status: 'DRAFT',
        attachments: [{ type: 'VIDEO' }],
        audience: { employees: [], departments: [{ id: deptA }], customerTags: [{ id: fair }] },
      });
      const r = await row(m.id);
      expect(r).toMatchObject({
        text: 'Summer sale',
        audience_employee_ids: [],
        audience_department_ids: [deptA],
        audience_tag_ids: [fair],
      });
      expect(r.attachments).toEqual([{ type: 'VIDEO', url: 'https://v.test/a.mp4', title: null }]);
      ok(await t.gql(UPDATE, { input: { id: m.id, attachments: [] } }, marketer.token));
      expect((await row(m.id)).attachments).toEqual([]);
    });

    it('keeps a SCHEDULED moment scheduled (same job)', async () => {
      const m = await draft({ scheduledAt: inMs(60_000) });
      const before = await row(m.id);
      ok(await t.gql(UPDATE, { input: { id: m.id, text: 'Edited' } }, marketer.token));
      const after = await row(m.id);
      expect(after).toMatchObject({ status: 'SCHEDULED', text: 'Edited', version: before.version });
      expect(await jobExists(m.id, after.version)).toBe(true);
    });

    it('guards: unauthenticated, other organization, missing permission, bad input, closed moment', async () => {
      const m = await draft();
      expect(codeOf(await t.gql(UPDATE, { input: { id: m.id, text: 'x' } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(UPDATE, { input: { id: m.id, text: 'x' } }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(UPDATE, { input: { id: m.id, text: 'x' } }, s1.token))).toBe('FORBIDDEN');
      const bad = await t.gql(
        UPDATE,
        {
          input: {
            id: m.id,
            text: ' ',
            attachments: [
              { type: 'IMAGE', url: 'https://a.test/1.jpg' },
              { type: 'VIDEO', url: 'https://a.test/v' },
            ],
          },
        },
        marketer.token,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual(['input.text']);
      const mixed = await t.gql(
        UPDATE,
        {
          input: {
            id: m.id,
            attachments: [
              { type: 'IMAGE', url: 'https://a.test/1.jpg' },
              { type: 'VIDEO', url: 'https://a.test/v' },
            ],
          },
        },
        marketer.token,
      );
      expect(fieldsOf(mixed)).toEqual(['input.attachments[1].type']);
      const foreign = await t.gql(
        UPDATE,
        { input: { id: m.id, audience: { employeeIds: [otherEmployee.id] } } },
        marketer.token,
      );
      expect([codeOf(foreign), fieldOf(foreign)]).toEqual(['NOT_FOUND', 'input.audience.employeeIds']);
      expect((await row(m.id)).text).toBe('Spring sale');
      ok(await t.gql(CANCEL, { id: m.id }, marketer.token));
      const closed = await t.gql(UPDATE, { input: { id: m.id, text: 'x' } }, marketer.token);
      expect(codeOf(closed)).toBe('CONFLICT');
      expect((await row(m.id)).text).toBe('Spring sale');
    });
  });

  describe('firing', () => {
    it('fires a scheduled moment at its time, once: department tree plus listed employees, ACTIVE only, tag-filtered counts', async () => {
      const at = inMs(1500);
      const m = await create({
        text: 'VIP preview',
        audience: { employeeIds: [s4.id], departmentIds: [deptA], customerTagIds: [vip, fair] },
        scheduledAt: at,
      });
      expect(m.status).toBe('SCHEDULED');
      expect(await taskCount(m.id)).toBe(0);
      const r = await published(m.id);
      expect(r.status).toBe('PUBLISHED');
      expect(new Date(r.published_at).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
      // s1: c1 and c6 (c6 has both tags, counted once; c2 untagged, c7 ended); s2: c3 (Fair); s4: c5.
      // s3 is suspended; s5 (deptB) is not listed; the admin and the marketer are not in deptA.
      expect(await tasksOf(m.id)).toEqual({ [s1.id]: 2, [s2.id]: 1, [s4.id]: 1 });
      const got = ok(await t.gql(GET, { id: m.id }, marketer.token)).moment;
      expect(got).toMatchObject({
        status: 'PUBLISHED',
        stats: { assignedEmployees: 3, publishedEmployees: 0, reachableCustomers: 4 },
      });
      // Running the job again (at-least-once delivery) changes nothing.
      await runJob(org.orgId, m.id, r.version);
      expect(await tasksOf(m.id)).toEqual({ [s1.id]: 2, [s2.id]: 1, [s4.id]: 1 });
      expect((await row(m.id)).published_at).toEqual(r.published_at);
    });

    it('gives no task to employees without a customer having the tags', async () => {
      const m = await create({
        text: 'Cold leads',
        audience: { departmentIds: [deptA, deptB], customerTagIds: [cold] },
        scheduledAt: inMs(300),
      });
      await published(m.id);
      expect(await tasksOf(m.id)).toEqual({});
    });

    it('publishMomentNow with an empty audience gives every ACTIVE employee a task counting all their ACTIVE customers', async () => {
      const m = await draft();
      const now = ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token)).publishMomentNow;
      expect(['PUBLISHING', 'PUBLISHED']).toContain(now.status);
      expect(now.scheduledAt).not.toBeNull();
      await published(m.id);
      expect(await tasksOf(m.id)).toEqual({
        [org.adminId]: 0,
        [marketer.id]: 0,
        [s1.id]: 3,
        [s2.id]: 1,
        [s4.id]: 1,
        [s5.id]: 0,
      });
      const theirs = await t.db.query(
        `SELECT count(*)::int AS n FROM moment_tasks WHERE moment_id = $1 AND org_id <> $2`,
        [m.id, org.orgId],
      );
      expect(theirs.rows[0].n).toBe(0);
    });

    it('rescheduling makes the old job a no-op: it fires once, at the new time', async () => {
      const m = await draft({ audience: { employeeIds: [s1.id] }, scheduledAt: inMs(1500) });
      const v1 = (await row(m.id)).version;
      const later = inMs(3500);
      const s = ok(await t.gql(SCHEDULE, { input: { id: m.id, scheduledAt: later } }, marketer.token)).scheduleMoment;
      expect(s).toMatchObject({ status: 'SCHEDULED', scheduledAt: later });
      const v2 = (await row(m.id)).version;
      expect(v2).toBeGreaterThan(v1);
      expect(await jobExists(m.id, v1)).toBe(false);
      expect(await jobExists(m.id, v2)).toBe(true);
      // A job of the old version that was already queued (e.g. it could not be removed) does nothing.
      await runJob(org.orgId, m.id, v1);
      expect((await row(m.id)).status).toBe('SCHEDULED');
      await sleep(Math.max(0, Date.parse(later) - Date.now() - 1000));
      expect((await row(m.id)).status).toBe('SCHEDULED');
      expect(await taskCount(m.id)).toBe(0);
      const r = await published(m.id);
      expect(new Date(r.published_at).getTime()).toBeGreaterThanOrEqual(Date.parse(later));
      expect(await tasksOf(m.id)).toEqual({ [s1.id]: 3 });
    });

    it('the reconcile sweep fires a due moment whose job was lost', async () => {
      const m = await draft({ audience: { employeeIds: [s2.id] } });
      await t.db.query(`UPDATE moments SET status = 'SCHEDULED', scheduled_at = now() - interval '1 minute', version = version + 1 WHERE id = $1`, [m.id]);
      expect(await t.app.get(MomentsService).enqueueDue()).toBeGreaterThanOrEqual(1);
      await published(m.id);
      expect(await tasksOf(m.id)).toEqual({ [s2.id]: 1 });
    });
  });

  describe('failure', () => {
    it('a moment whose firing keeps failing becomes FAILED after the last attempt, not before, and gets no task', async () => {
      // A moment that is SCHEDULED far ahead with no job queued, fired by calling the job handler as the worker would.
      const m = await draft({ audience: { employeeIds: [s1.id, s2.id] } });
      await t.db.query(
        `UPDATE moments SET status = 'SCHEDULED', scheduled_at = now() + interval '1 hour', version = version + 1 WHERE id = $1`,
        [m.id],
      );
      const { version } = await row(m.id);
      await t.db.query(`CREATE FUNCTION test_fail_moment_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.moment_id = '${m.id}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
      await t.db.query(
        `CREATE TRIGGER test_fail_moment_tasks BEFORE INSERT ON moment_tasks FOR EACH ROW EXECUTE FUNCTION test_fail_moment_tasks()`,
      );
      try {
        const job = t.app.get(PublishMomentJob);
        const ctx = (attempt: number) => ({
          jobId: 'test',
          name: PUBLISH_MOMENT,
          attempt,
          maxAttempts: 5,
          progress: async () => undefined,
        });
        await expect(job.handle({ orgId: org.orgId, momentId: m.id, version }, ctx(1))).rejects.toThrow(
          'injected failure',
        );
        expect((await row(m.id)).status).toBe('SCHEDULED');
        await expect(job.handle({ orgId: org.orgId, momentId: m.id, version }, ctx(5))).rejects.toThrow(
          'injected failure',
        );
        expect((await row(m.id)).status).toBe('FAILED');
        expect(await taskCount(m.id)).toBe(0);
        // A stale job's last attempt does not touch a moment that moved on.
        const stale = await draft();
        await expect(job.handle({ orgId: org.orgId, momentId: stale.id, version: 99 }, ctx(5))).resolves.toBe(false);
        expect((await row(stale.id)).status).toBe('DRAFT');
      } finally {
        await t.db.query(`DROP TRIGGER test_fail_moment_tasks ON moment_tasks`);
        await t.db.query(`DROP FUNCTION test_fail_moment_tasks()`);
      }
      expect(codeOf(await t.gql(CANCEL, { id: m.id }, marketer.token))).toBe('CONFLICT');
    });
  });

  describe('firing in slices', () => {
    it('commits each slice of the audience once: after a failed slice the moment stays PUBLISHING, and the retry completes it with no task, notice or event twice', async () => {
      const service = t.app.get(MomentsService);
      const saved = { ...service.fireSlices };
      // s1, s2, s4, s5 (s3 is suspended) in id order: slices of 1, 2 and 1 employees.
      Object.assign(service.fireSlices, { first: 1, next: 2 });
      const audience = [s1.id, s2.id, s3.id, s4.id, s5.id];
      const ordered = [s1.id, s2.id, s4.id, s5.id].sort();
      const m = await draft({ audience: { employeeIds: audience } });
      await t.db.query(
        `UPDATE moments SET status = 'SCHEDULED', scheduled_at = now() + interval '1 hour', version = version + 1 WHERE id = $1`,
        [m.id],
      );
      const { version } = await row(m.id);
      const events: string[][] = [];
      const stream = t.app.get(EventBus).subscribe(MOMENT_TASK_ASSIGNED, org.orgId);
      const reading = (async () => {
        for await (const e of stream) if (e.payload.momentId === m.id) events.push(e.employeeIds ?? []);
      })();
      // The second slice's first employee cannot get a task on the first attempt.
      await t.db.query(`CREATE FUNCTION test_fail_slice() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.moment_id = '${m.id}' AND NEW.employee_id = '${ordered[1]}' THEN RAISE EXCEPTION 'injected slice failure'; END IF;
        RETURN NEW; END $$`);
      await t.db.query(
        `CREATE TRIGGER test_fail_slice BEFORE INSERT ON moment_tasks FOR EACH ROW EXECUTE FUNCTION test_fail_slice()`,
      );
      const job = t.app.get(PublishMomentJob);
      const ctx = (attempt: number) => ({
        jobId: 'test',
        name: PUBLISH_MOMENT,
        attempt,
        maxAttempts: 5,
        progress: async () => undefined,
      });
      const notices = async () =>
        (
          await t.db.query(
            `SELECT employee_id, count(*)::int AS n FROM notifications
              WHERE moment_id = $1 AND kind = 'MOMENT_TASK_ASSIGNED' GROUP BY employee_id`,
            [m.id],
          )
        ).rows.reduce(
          (o: Record<string, number>, r: { employee_id: string; n: number }) => ({ ...o, [r.employee_id]: r.n }),
          {},
        );
      try {
        await expect(job.handle({ orgId: org.orgId, momentId: m.id, version }, ctx(1))).rejects.toThrow(
          'injected slice failure',
        );
        // The first slice committed and was told; the moment is PUBLISHING, no longer cancellable.
        expect((await row(m.id)).status).toBe('PUBLISHING');
        expect(Object.keys(await tasksOf(m.id))).toEqual([ordered[0]]);
        expect(await notices()).toEqual({ [ordered[0]]: 1 });
        expect(codeOf(await t.gql(CANCEL, { id: m.id }, marketer.token))).toBe('CONFLICT');
      } finally {
        await t.db.query(`DROP TRIGGER test_fail_slice ON moment_tasks`);
        await t.db.query(`DROP FUNCTION test_fail_slice()`);
      }
      try {
        await expect(job.handle({ orgId: org.orgId, momentId: m.id, version }, ctx(2))).resolves.toBe(true);
        const r = await row(m.id);
        expect(r.status).toBe('PUBLISHED');
        expect(await tasksOf(m.id)).toEqual({ [s1.id]: 3, [s2.id]: 1, [s4.id]: 1, [s5.id]: 0 });
        expect(await notices()).toEqual(Object.fromEntries(ordered.map((id) => [id, 1])));
        // One event per slice that inserted tasks, each naming its own employees: everyone is told once.
        await eventually(async () => events.flat().length, (n) => n >= ordered.length);
        await sleep(300);
        expect(events.flat().sort()).toEqual(ordered);
        expect(events.map((ids) => [...ids].sort())).toEqual([[ordered[0]], [ordered[1], ordered[2]], [ordered[3]]]);
        // A third run of the job (at-least-once delivery) is stale: nothing changes.
        await expect(job.handle({ orgId: org.orgId, momentId: m.id, version }, ctx(3))).resolves.toBe(false);
        expect((await row(m.id)).published_at).toEqual(r.published_at);
      } finally {
        Object.assign(service.fireSlices, saved);
        await stream.return?.();
        await reading;
      }
    });
  });

  describe('scheduleMoment', () => {
    it('guards: unauthenticated, other organization, missing permission, bad input, closed moment', async () => {
      const m = await draft();
      const at = inMs(60_000);
      expect(codeOf(await t.gql(SCHEDULE, { input: { id: m.id, scheduledAt: at } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(SCHEDULE, { input: { id: m.id, scheduledAt: at } }, other.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(SCHEDULE, { input: { id: m.id, scheduledAt: at } }, s1.token))).toBe('FORBIDDEN');
      const past = await t.gql(
        SCHEDULE,
        { input: { id: m.id, scheduledAt: new Date(Date.now() - 1000).toISOString() } },
        marketer.token,
      );
      expect([codeOf(past), fieldsOf(past)]).toEqual(['BAD_USER_INPUT', ['input.scheduledAt']]);
      const badId = await t.gql(SCHEDULE, { input: { id: 'nope', scheduledAt: at } }, marketer.token);
      expect([codeOf(badId), fieldsOf(badId)]).toEqual(['BAD_USER_INPUT', ['input.id']]);
      expect(await row(m.id)).toMatchObject({ status: 'DRAFT', scheduled_at: null });
      ok(await t.gql(CANCEL, { id: m.id }, marketer.token));
      expect(codeOf(await t.gql(SCHEDULE, { input: { id: m.id, scheduledAt: at } }, marketer.token))).toBe('CONFLICT');
      expect((await row(m.id)).status).toBe('CANCELED');
    });

    it('schedules a DRAFT', async () => {
      const m = await draft();
      const at = inMs(60_000);
      expect(
        ok(await t.gql(SCHEDULE, { input: { id: m.id, scheduledAt: at } }, marketer.token)).scheduleMoment,
      ).toMatchObject({ status: 'SCHEDULED', scheduledAt: at });
      const r = await row(m.id);
      expect(r.status).toBe('SCHEDULED');
      expect(new Date(r.scheduled_at).toISOString()).toBe(at);
      expect(await jobExists(m.id, r.version)).toBe(true);
    });

    it('prioritizes publish jobs by due time, not by when they were scheduled (issue 18: a burst)', async () => {
      // Scheduled first but due last: its job must still come after the others (both backends claim waiting
      // jobs by priority, then in the order they were added).
      const dueIn = [60_900, 60_000, 60_500];
      const ids: string[] = [];
      for (const ms of dueIn) {
        const m = await draft();
        ok(await t.gql(SCHEDULE, { input: { id: m.id, scheduledAt: inMs(ms) } }, marketer.token));
        ids.push(m.id);
      }
      const q = await queue().queueFor(PUBLISH_MOMENT);
      const priorities: number[] = [];
      for (const id of ids) {
        const job = await q.getJob(bullJobId(PUBLISH_MOMENT, publishJobId(id, (await row(id)).version)));
        priorities.push(job!.priority);
      }
      expect(priorities.every((p) => p >= 1)).toBe(true);
      // In due order: the second (60.0 s), the third (60.5 s), the first (60.9 s).
      expect([priorities[1] < priorities[2], priorities[2] < priorities[0]]).toEqual([true, true]);
      for (const id of ids) ok(await t.gql(CANCEL, { id }, marketer.token));
    });
  });

  describe('cancelMoment', () => {
    it('cancels a scheduled moment: it never fires, even from a job already queued', async () => {
      const m = await draft({ audience: { employeeIds: [s1.id] }, scheduledAt: inMs(1500) });
      const v1 = (await row(m.id)).version;
      const c = ok(await t.gql(CANCEL, { id: m.id }, marketer.token)).cancelMoment;
      expect(c.status).toBe('CANCELED');
      expect(await jobExists(m.id, v1)).toBe(false);
      await runJob(org.orgId, m.id, v1);
      await sleep(2000);
      expect((await row(m.id)).status).toBe('CANCELED');
      expect(await taskCount(m.id)).toBe(0);
      // Cancelling again changes nothing.
      const again = ok(await t.gql(CANCEL, { id: m.id }, marketer.token)).cancelMoment;
      expect(again.status).toBe('CANCELED');
      expect((await row(m.id)).version).toBe(v1 + 1);
    });

    it('guards: unauthenticated, other organization, missing permission, bad input, published moment', async () => {
      const m = await draft();
      expect(codeOf(await t.gql(CANCEL, { id: m.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CANCEL, { id: m.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(CANCEL, { id: m.id }, s1.token))).toBe('FORBIDDEN');
      const bad = await t.gql(CANCEL, { id: 'nope' }, marketer.token);
      expect([codeOf(bad), fieldsOf(bad)]).toEqual(['BAD_USER_INPUT', ['id']]);
      expect(codeOf(await t.gql(CANCEL, { id: NO_SUCH_ID }, marketer.token))).toBe('NOT_FOUND');
      expect((await row(m.id)).status).toBe('DRAFT');
      ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
      await published(m.id);
      expect(codeOf(await t.gql(CANCEL, { id: m.id }, marketer.token))).toBe('CONFLICT');
      expect((await row(m.id)).status).toBe('PUBLISHED');
    });
  });

  describe('publishMomentNow', () => {
    it('guards: unauthenticated, other organization, missing permission, bad input, already published', async () => {
      const m = await draft({ audience: { employeeIds: [s4.id] } });
      expect(codeOf(await t.gql(PUBLISH_NOW, { id: m.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(PUBLISH_NOW, { id: m.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(PUBLISH_NOW, { id: m.id }, s1.token))).toBe('FORBIDDEN');
      const bad = await t.gql(PUBLISH_NOW, { id: 'nope' }, marketer.token);
      expect([codeOf(bad), fieldsOf(bad)]).toEqual(['BAD_USER_INPUT', ['id']]);
      expect((await row(m.id)).status).toBe('DRAFT');
      ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
      await published(m.id);
      expect(await tasksOf(m.id)).toEqual({ [s4.id]: 1 });
      expect(codeOf(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token))).toBe('CONFLICT');
      expect(await taskCount(m.id)).toBe(1);
    });

    it('fires a scheduled moment now, and its old job does nothing', async () => {
      const m = await draft({ audience: { employeeIds: [s2.id] }, scheduledAt: inMs(60_000) });
      const v1 = (await row(m.id)).version;
      ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
      const r = await published(m.id);
      expect(await jobExists(m.id, v1)).toBe(false);
      expect(await tasksOf(m.id)).toEqual({ [s2.id]: 1 });
      expect(new Date(r.published_at).getTime()).toBeLessThan(Date.now() + 1000);
    });
  });

  describe('tasks', () => {
    let momentId: string;
    beforeAll(async () => {
      const m = await draft({ text: 'Task moment', audience: { departmentIds: [deptA, deptB] } });
      ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
      await published(m.id);
      momentId = m.id;
    });
    const taskOf = async (employeeId: string) =>
      (
        await t.db.query(
          `SELECT id, status, published_at FROM moment_tasks WHERE moment_id = $1 AND employee_id = $2`,
          [momentId, employeeId],
        )
      ).rows[0];

    it('myMomentTasks lists the caller’s own tasks with their moment', async () => {
      const mine = ok(await t.gql(MY_TASKS, { status: ['PENDING'] }, s1.token)).myMomentTasks;
      expect(mine.edges.length).toBeGreaterThanOrEqual(1);
      for (const e of mine.edges) expect(e.node.employee.id).toBe(s1.id);
      expect(mine.edges[0].node).toMatchObject({
        status: 'PENDING',
        visibleCustomerCount: 3,
        remindedCount: 0,
        publishedAt: null,
        moment: { id: momentId, text: 'Task moment' },
      });
      const n = Number(
        (await t.db.query(`SELECT count(*) FROM moment_tasks WHERE employee_id = $1 AND status = 'PENDING'`, [s1.id]))
          .rows[0].count,
      );
      // Paging one at a time neither skips nor repeats a task.
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const p: Connection<{ id: string }> = ok(
          await t.gql(MY_TASKS, { status: ['PENDING'], first: 1, after }, s1.token),
        ).myMomentTasks;
        seen.push(...p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(seen.length).toBe(n);
      expect(new Set(seen).size).toBe(n);
      expect(codeOf(await t.gql(MY_TASKS, {}))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(MY_TASKS, {}, marketer.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(MY_TASKS, { first: 201 }, s1.token))).toBe('BAD_USER_INPUT');
    });

    it('confirmMomentTask: only the task’s own employee confirms it, once', async () => {
      const task = await taskOf(s4.id);
      expect(task.status).toBe('PENDING');
      expect(codeOf(await t.gql(CONFIRM, { id: task.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CONFIRM, { id: task.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(CONFIRM, { id: task.id }, s1.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CONFIRM, { id: task.id }, org.adminToken))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CONFIRM, { id: task.id }, marketer.token))).toBe('FORBIDDEN');
      const bad = await t.gql(CONFIRM, { id: 'nope' }, s4.token);
      expect([codeOf(bad), fieldsOf(bad)]).toEqual(['BAD_USER_INPUT', ['id']]);
      expect(codeOf(await t.gql(CONFIRM, { id: NO_SUCH_ID }, s4.token))).toBe('NOT_FOUND');
      expect((await taskOf(s4.id)).status).toBe('PENDING');

      const done = ok(await t.gql(CONFIRM, { id: task.id }, s4.token)).confirmMomentTask;
      expect(done).toMatchObject({
        id: task.id,
        status: 'PUBLISHED',
        visibleCustomerCount: 1,
        employee: { id: s4.id },
        moment: { id: momentId },
      });
      const after = await taskOf(s4.id);
      expect(after.status).toBe('PUBLISHED');
      expect(after.published_at).not.toBeNull();
      const again = ok(await t.gql(CONFIRM, { id: task.id }, s4.token)).confirmMomentTask;
      expect(again.publishedAt).toBe(done.publishedAt);
      expect((await taskOf(s4.id)).published_at).toEqual(after.published_at);
      const stats = ok(await t.gql(GET, { id: momentId }, marketer.token)).moment.stats;
      expect(stats).toEqual({
        assignedEmployees: 4,
        publishedEmployees: 1,
        reachableCustomers: 5,
        likes: 0,
        comments: 0,
      });
    });

    it('remindMomentTasks reminds the PENDING tasks, at most 3 times per moment in 24 hours, then RATE_LIMITED', async () => {
      const m = await draft({ text: 'Remind me', audience: { departmentIds: [deptA, deptB] } });
      // Not fired yet: nothing to remind.
      const early = await t.gql(REMIND, { momentId: m.id }, marketer.token);
      expect([codeOf(early), fieldOf(early)]).toEqual(['CONFLICT', 'momentId']);
      ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
      await published(m.id);
      const s4Task = (
        await t.db.query(`SELECT id FROM moment_tasks WHERE moment_id = $1 AND employee_id = $2`, [m.id, s4.id])
      ).rows[0].id;
      ok(await t.gql(CONFIRM, { id: s4Task }, s4.token));
      const counts = async () =>
        Object.fromEntries(
          (
            await t.db.query(`SELECT employee_id, reminded_count FROM moment_tasks WHERE moment_id = $1`, [m.id])
          ).rows.map((r) => [r.employee_id, r.reminded_count]),
        );
      // Guards, each refused with nothing reminded.
      expect(codeOf(await t.gql(REMIND, { momentId: m.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(REMIND, { momentId: m.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(REMIND, { momentId: m.id }, s1.token))).toBe('FORBIDDEN');
      const bad = await t.gql(REMIND, { momentId: 'nope' }, marketer.token);
      expect([codeOf(bad), fieldsOf(bad)]).toEqual(['BAD_USER_INPUT', ['momentId']]);
      const unknown = await t.gql(REMIND, { momentId: NO_SUCH_ID }, marketer.token);
      expect([codeOf(unknown), fieldOf(unknown)]).toEqual(['NOT_FOUND', 'momentId']);
      expect(await counts()).toEqual({ [s1.id]: 0, [s2.id]: 0, [s4.id]: 0, [s5.id]: 0 });

      // Three reminders: the three PENDING tasks each time; the PUBLISHED one is left alone.
      for (let i = 1; i <= 3; i++)
        expect(ok(await t.gql(REMIND, { momentId: m.id }, marketer.token)).remindMomentTasks).toBe(3);
      expect(await counts()).toEqual({ [s1.id]: 3, [s2.id]: 3, [s4.id]: 0, [s5.id]: 3 });
      const fourth = await t.gql(REMIND, { momentId: m.id }, marketer.token);
      expect(codeOf(fourth)).toBe('RATE_LIMITED');
      const retry = fourth.errors![0].extensions!.retryAfterSeconds as number;
      expect(retry).toBeGreaterThan(86_000);
      expect(retry).toBeLessThanOrEqual(86_400);
      expect(await counts()).toEqual({ [s1.id]: 3, [s2.id]: 3, [s4.id]: 0, [s5.id]: 3 });
      const mine = ok(await t.gql(MY_TASKS, { status: ['PENDING'], first: 200 }, s5.token)).myMomentTasks;
      expect(
        mine.edges.find((e: { node: { moment: { id: string } } }) => e.node.moment.id === m.id).node.remindedCount,
      ).toBe(3);

      // The window slides: once the oldest reminder is over 24 hours old, one more is allowed; the last 3 are kept.
      await t.db.query(`UPDATE moments SET reminded_at[1] = now() - interval '25 hours' WHERE id = $1`, [m.id]);
      expect(ok(await t.gql(REMIND, { momentId: m.id }, marketer.token)).remindMomentTasks).toBe(3);
      expect(codeOf(await t.gql(REMIND, { momentId: m.id }, marketer.token))).toBe('RATE_LIMITED');
      const kept = (
        await t.db.query(
          `SELECT cardinality(reminded_at) AS n, reminded_at[1] > now() - interval '1 hour' AS recent FROM moments WHERE id = $1`,
          [m.id],
        )
      ).rows[0];
      expect(kept).toEqual({ n: 3, recent: true });
      expect((await counts())[s1.id]).toBe(4);
    });

    it('remindMomentTasks holds the limit under concurrent calls', async () => {
      const m = await draft({ text: 'Remind at once', audience: { employeeIds: [s1.id, s2.id] } });
      ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
      await published(m.id);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => t.gql(REMIND, { momentId: m.id }, marketer.token)),
      );
      expect(answers.filter((a) => !a.errors).map((a) => a.data!.remindMomentTasks)).toEqual([2, 2, 2]);
      expect(answers.filter((a) => a.errors).map(codeOf)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
      const r = await t.db.query(`SELECT reminded_count FROM moment_tasks WHERE moment_id = $1`, [m.id]);
      expect(r.rows.map((x) => x.reminded_count)).toEqual([3, 3]);
    });

    it("expires tasks left PENDING for the organization's momentTaskExpiryHours; confirming one is then CONFLICT", async () => {
      const m = await draft({ text: 'Expiring', audience: { employeeIds: [s1.id, s2.id, s4.id] } });
      ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
      await published(m.id);
      const task = async (e: EmployeeFixture) =>
        (
          await t.db.query(`SELECT id, status FROM moment_tasks WHERE moment_id = $1 AND employee_id = $2`, [
            m.id,
            e.id,
          ])
        ).rows[0];
      ok(await t.gql(CONFIRM, { id: (await task(s4)).id }, s4.token));
      // s1's task is 73 hours old (over the default 72), s2's 71: only s1's expires; s4's is PUBLISHED and stays.
      await t.db.query(
        `UPDATE moment_tasks SET created_at = now() - interval '73 hours' WHERE moment_id = $1 AND employee_id = ANY($2::uuid[])`,
        [m.id, [s1.id, s4.id]],
      );
      await t.db.query(
        `UPDATE moment_tasks SET created_at = now() - interval '71 hours' WHERE moment_id = $1 AND employee_id = $2`,
        [m.id, s2.id],
      );
      const job = t.app.get(ExpireMomentTasksJob);
      // (The worker's own schedule may get there first; either way the states below hold.)
      await job.handle();
      expect([(await task(s1)).status, (await task(s2)).status, (await task(s4)).status]).toEqual([
        'EXPIRED',
        'PENDING',
        'PUBLISHED',
      ]);
      const late = await t.gql(CONFIRM, { id: (await task(s1)).id }, s1.token);
      expect([codeOf(late), fieldOf(late)]).toEqual(['CONFLICT', 'id']);
      // A shorter setting of the organization applies at the next run; another organization's setting does not.
      ok(
        await t.gql(
          `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { settings { momentTaskExpiryHours } } }`,
          { input: { momentTaskExpiryHours: 24 } },
          org.adminToken,
        ),
      );
      try {
        await job.handle();
        expect((await task(s2)).status).toBe('EXPIRED');
      } finally {
        ok(
          await t.gql(
            `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { settings { momentTaskExpiryHours } } }`,
            { input: { momentTaskExpiryHours: 72 } },
            org.adminToken,
          ),
        );
      }
      // Nothing is left to expire, and the job says so.
      expect(await job.handle()).toBe(0);
      // Expired tasks are not reminded.
      expect(ok(await t.gql(REMIND, { momentId: m.id }, marketer.token)).remindMomentTasks).toBe(0);
    });

    it('Moment.tasks pages and filters by status', async () => {
      const all = ok(await t.gql(TASKS, { id: momentId, first: 200 }, marketer.token)).moment.tasks;
      expect(all.edges.map((e: { node: { employee: { id: string } } }) => e.node.employee.id).sort()).toEqual(
        [s1.id, s2.id, s4.id, s5.id].sort(),
      );
      const page1 = ok(await t.gql(TASKS, { id: momentId, first: 3 }, marketer.token)).moment.tasks;
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = ok(await t.gql(TASKS, { id: momentId, first: 3, after: page1.pageInfo.endCursor }, marketer.token))
        .moment.tasks;
      expect(page2.pageInfo.hasNextPage).toBe(false);
      expect([...page1.edges, ...page2.edges].map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
        all.edges.map((e: { node: { id: string } }) => e.node.id).sort(),
      );
      const pending = ok(await t.gql(TASKS, { id: momentId, status: ['PENDING'] }, marketer.token)).moment.tasks;
      expect(pending.edges.map((e: { node: { employee: { id: string } } }) => e.node.employee.id).sort()).toEqual(
        [s1.id, s2.id, s5.id].sort(),
      );
    });
  });

  describe('momentReach', () => {
    const reach = async (audience: Record<string, unknown>, token = marketer.token) =>
      ok(await t.gql(REACH, { audience }, token)).momentReach as { employees: number; customers: number };

    it('counts by the publish rules: department tree plus listed employees, ACTIVE only, tag-filtered customers', async () => {
      // deptA: s1 (c1, c2, c6) and, in A1, s2 (c3) and the suspended s3 (c4).
      expect(await reach({ departmentIds: [deptA] })).toEqual({ employees: 2, customers: 4 });
      // VIP: s1's c1 and c6 (c7's relation ended); s2 has no VIP customer, so no task.
      expect(await reach({ departmentIds: [deptA], customerTagIds: [vip] })).toEqual({ employees: 1, customers: 2 });
      // Listed s4 and s5 plus deptA1 (s2); any of VIP or Fair: s2's c3 and s4's c5; s5 has none.
      expect(
        await reach({ employeeIds: [s4.id, s5.id], departmentIds: [deptA1], customerTagIds: [vip, fair] }),
      ).toEqual({ employees: 2, customers: 2 });
      expect(await reach({ employeeIds: [s3.id] })).toEqual({ employees: 0, customers: 0 });
      expect(await reach({ customerTagIds: [cold] })).toEqual({ employees: 0, customers: 0 });
    });

    it('equals what firing the same audience creates, the empty audience (everyone ACTIVE) included', async () => {
      for (const audience of [{}, { departmentIds: [deptB], customerTagIds: [vip] }, { employeeIds: [s1.id, s5.id] }]) {
        const before = await reach(audience);
        const m = await draft({ audience });
        ok(await t.gql(PUBLISH_NOW, { id: m.id }, marketer.token));
        expect((await published(m.id)).status).toBe('PUBLISHED');
        const tasks = await tasksOf(m.id);
        expect(before).toEqual({
          employees: Object.keys(tasks).length,
          customers: Object.values(tasks).reduce((a, b) => a + b, 0),
        });
      }
      expect((await reach({})).employees).toBeGreaterThan(5);
    });

    it('guards: unauthenticated, other organization NOT_FOUND, missing permission FORBIDDEN, bad input', async () => {
      const audience = { departmentIds: [deptA] };
      expect(codeOf(await t.gql(REACH, { audience }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(REACH, { audience }, s1.token))).toBe('FORBIDDEN');
      const theirs = await t.gql(REACH, { audience: { departmentIds: [otherDept] } }, marketer.token);
      expect(codeOf(theirs)).toBe('NOT_FOUND');
      expect(fieldOf(theirs)).toBe('audience.departmentIds');
      const theirTag = await t.gql(REACH, { audience: { customerTagIds: [otherTag] } }, marketer.token);
      expect(codeOf(theirTag)).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(REACH, { audience: { employeeIds: [otherEmployee.id] } }, marketer.token))).toBe(
        'NOT_FOUND',
      );
      const bad = await t.gql(REACH, { audience: { employeeIds: ['nope'] } }, marketer.token);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual(['audience.employeeIds']);
      expect(await reach(audience, org.adminToken)).toEqual({ employees: 2, customers: 4 });
    });
  });

  describe('queries', () => {
    it('moment: other organization NOT_FOUND, missing permission FORBIDDEN, malformed id BAD_USER_INPUT', async () => {
      const m = await draft();
      expect(codeOf(await t.gql(GET, { id: m.id }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(GET, { id: m.id }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(GET, { id: m.id }, s1.token))).toBe('FORBIDDEN');
      expect(fieldsOf(await t.gql(GET, { id: 'nope' }, marketer.token))).toEqual(['id']);
      expect(ok(await t.gql(GET, { id: m.id }, org.adminToken)).moment.id).toBe(m.id);
    });

    it('moments pages newest first without skipping or repeating, filtered by status and schedule', async () => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const p: Connection<{ id: string }> = ok(await t.gql(LIST, { first: 4, after }, marketer.token)).moments;
        ids.push(...p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      const db = (
        await t.db.query(`SELECT id FROM moments WHERE org_id = $1 ORDER BY created_at DESC, id DESC`, [org.orgId])
      ).rows.map((r) => r.id);
      expect(db.length).toBeGreaterThan(8);
      expect(ids).toEqual(db);
      const drafts = ok(await t.gql(LIST, { filter: { status: ['DRAFT'] }, first: 200 }, marketer.token)).moments.edges;
      const dbDrafts = (
        await t.db.query(
          `SELECT id FROM moments WHERE org_id = $1 AND status = 'DRAFT' ORDER BY created_at DESC, id DESC`,
          [org.orgId],
        )
      ).rows.map((r) => r.id);
      expect(drafts.map((e: { node: { id: string } }) => e.node.id)).toEqual(dbDrafts);
      const soon = ok(
        await t.gql(
          LIST,
          { filter: { scheduledFrom: inMs(30_000), scheduledTo: inMs(120_000) }, first: 200 },
          marketer.token,
        ),
      ).moments.edges;
      const dbSoon = (await t.db.query(`SELECT id FROM moments WHERE org_id = $1 AND scheduled_at >= now() + interval '30 seconds' AND scheduled_at < now() + interval '120 seconds'`, [org.orgId])).rows.map((r) => r.id);
      expect(soon.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(dbSoon.sort());
      expect(dbSoon.length).toBeGreaterThan(0);
      expect(ok(await t.gql(LIST, {}, other.adminToken)).moments.edges).toEqual([]);
      expect(codeOf(await t.gql(LIST, {}, s1.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(LIST, { after: 'garbage' }, marketer.token))).toBe('BAD_USER_INPUT');
      const forged = Buffer.from(JSON.stringify(['yesterday', 'nope'])).toString('base64url');
      expect(fieldsOf(await t.gql(LIST, { after: forged }, marketer.token))).toEqual(['after']);
      expect(fieldsOf(await t.gql(MY_TASKS, { after: forged }, s1.token))).toEqual(['after']);
    });

    it('momentCalendar: days in the organization’s time zone with their moments by time, on the scheduled_at index', async () => {
      const cal = await signUpOrg(t);
      const tz = 'America/New_York';
      ok(await t.gql(SETTINGS, { input: { timezone: tz } }, cal.adminToken));
      const dayIn = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(iso));
      // Three days ahead (UTC), around New York's midnight: 04:30Z is the evening before there, 05:30Z after.
      const d = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 3));
      const at = (h: number, m = 0) => new Date(d.getTime() + (h * 60 + m) * 60_000).toISOString();
      const schedule = async (text: string, scheduledAt: string) =>
        (await create({ text, audience: {}, scheduledAt }, cal.adminToken)).id as string;
      const morning = await schedule('morning', at(12));
      const late = await schedule('late evening', at(24 + 4, 30));
      const early = await schedule('after midnight', at(24 + 5, 30));
      const canceled = await schedule('canceled', at(12, 30));
      ok(await t.gql(CANCEL, { id: canceled }, cal.adminToken));
      await create({ text: 'a draft has no day', audience: {} }, cal.adminToken);
      await create({ text: 'another organization', audience: {}, scheduledAt: at(12) }, org.adminToken);

      const first = dayIn(at(12));
      const last = dayIn(at(24 + 5, 30));
      const days = ok(await t.gql(CALENDAR, { from: first, to: last }, cal.adminToken)).momentCalendar;
      const want = new Map<string, Array<[string, string]>>();
      const all = [
        [morning, at(12)],
        [canceled, at(12, 30)],
        [late, at(24 + 4, 30)],
        [early, at(24 + 5, 30)],
      ];
      for (const [id, iso] of all) {
        want.set(dayIn(iso), [...(want.get(dayIn(iso)) ?? []), [id, iso]]);
      }
      // The evening moment is on the first day there (the same UTC day as the next morning's).
      expect(dayIn(at(24 + 4, 30))).toBe(first);
      expect(days.map((x: { date: string }) => x.date)).toEqual([first, last]);
      for (const day of days) {
        const expected = (want.get(day.date) ?? []).sort((a, b) => a[1].localeCompare(b[1]));
        expect(day.total).toBe(expected.length);
        expect(day.moments.map((m: { id: string; scheduledAt: string }) => [m.id, m.scheduledAt])).toEqual(
          expected.map(([id, iso]) => [id, iso]),
        );
      }
      expect(days[0].moments.map((m: { status: string }) => m.status)).toEqual(['SCHEDULED', 'CANCELED', 'SCHEDULED']);

      // perDay: the earliest ones and the day's total; a range with no moment lists its days, empty.
      const one = ok(await t.gql(CALENDAR, { from: first, to: first, perDay: 1 }, cal.adminToken)).momentCalendar;
      expect(one).toEqual([{ date: first, total: 3, moments: [expect.objectContaining({ id: morning })] }]);
      const before = ok(await t.gql(CALENDAR, { from: '2020-02-28', to: '2020-03-01' }, cal.adminToken));
      expect(before.momentCalendar).toEqual(
        ['2020-02-28', '2020-02-29', '2020-03-01'].map((date) => ({ date, total: 0, moments: [] })),
      );

      expect(codeOf(await t.gql(CALENDAR, { from: first, to: last }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CALENDAR, { from: first, to: last }, s1.token))).toBe('FORBIDDEN');
      expect(fieldsOf(await t.gql(CALENDAR, { from: last, to: first }, cal.adminToken))).toEqual(['to']);
      expect(fieldsOf(await t.gql(CALENDAR, { from: '2026-01-01', to: '2026-03-04' }, cal.adminToken))).toEqual(['to']);
      expect(fieldsOf(await t.gql(CALENDAR, { from: first, to: last, perDay: 0 }, cal.adminToken))).toEqual(['perDay']);
      expect(codeOf(await t.gql(CALENDAR, { from: '2026-02-30', to: last }, cal.adminToken))).toBe('BAD_USER_INPUT');

      // The statement is a range scan of the organization's scheduled moments (idx_moments_org_id_scheduled_at).
      await t.db.query('SET enable_seqscan = off');
      try {
        const plan = (
          await t.db.query(
            `EXPLAIN SELECT id FROM moments m WHERE m.org_id = $1 AND m.scheduled_at IS NOT NULL
               AND m.scheduled_at >= ($2::date::timestamp AT TIME ZONE $4) AND m.scheduled_at < (($3::date + 1)::timestamp AT TIME ZONE $4)`,
            [cal.orgId, first, last, tz],
          )
        ).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        expect(plan).toMatch(/idx_moments_org_id_scheduled_at/);
      } finally {
        await t.db.query('RESET enable_seqscan');
      }
    });

    it('a page of moments with audience, stats, creator and tasks costs the same statements for 2 or 8 moments', async () => {
      // The newest 8, alike: both pages select the same nested rows of each kind.
      for (let i = 0; i < 8; i++)
        await draft({
          text: `Alike ${i}`,
          audience: { employeeIds: [s1.id], departmentIds: [deptA], customerTagIds: [vip] },
        });
      const few = await t.gql(LIST_DEEP, { first: 2 }, marketer.token);
      const many = await t.gql(LIST_DEEP, { first: 8 }, marketer.token);
      expect(ok(few).moments.edges).toHaveLength(2);
      expect(ok(many).moments.edges).toHaveLength(8);
      expect(few.sqlStatements).toBeGreaterThan(0);
      expect(many.sqlStatements).toBe(few.sqlStatements);
    });
  });
});

describe('moments when the worker is down at the scheduled time', () => {
  it('fire once the worker starts again', async () => {
    const t = await startTestApp();
    const org = await signUpOrg(t);
    const s = await createEmployee(t, org, { name: 'Late' });
    await addCustomer(t, org.adminToken, s.id);
    const at = Date.now() + 1500;
    const m = ok(
      await t.gql(
        CREATE,
        {
          input: {
            text: 'While you were away',
            audience: { employeeIds: [s.id] },
            scheduledAt: new Date(at).toISOString(),
          },
        },
        org.adminToken,
      ),
    ).createMoment;
    const { config, databaseUrl } = t;
    await t.close();
    await sleep(Math.max(0, at - Date.now()) + 1000);
    const db = new Pool({ connectionString: databaseUrl, max: 1 });
    // Due, but nobody fired it.
    expect((await db.query(`SELECT status FROM moments WHERE id = $1`, [m.id])).rows[0].status).toBe('SCHEDULED');
    const worker = await createServer(config, new DatabaseConnectionInfo(databaseUrl, false), {
      api: false,
      worker: true,
      logger: false,
    });
    try {
      const r = await eventually(
        async () => (await db.query(`SELECT status, published_at FROM moments WHERE id = $1`, [m.id])).rows[0],
        (x) => x.status === 'PUBLISHED',
      );
      expect(r.status).toBe('PUBLISHED');
      const tasks = await db.query(
        `SELECT employee_id, visible_customer_count FROM moment_tasks WHERE moment_id = $1`,
        [m.id],
      );
      expect(tasks.rows).toEqual([{ employee_id: s.id, visible_customer_count: 1 }]);
    } finally {
      await worker.close();
      await db.end();
    }
  });
});
