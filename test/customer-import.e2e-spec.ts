import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from 'src/core/errors/app-error';
import {
  CustomerImportError,
  CustomerImportSummary,
  ImportProgress,
  importCustomersCsv,
} from 'src/modules/customers/import/customer-import';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';
import { listKeyDrift } from './helpers/customers';

const FIXTURES = join(__dirname, 'fixtures', 'import');
const MAIN = join(FIXTURES, 'customers.csv');
const CAPACITY = join(FIXTURES, 'capacity.csv');
const UPDATE = join(FIXTURES, 'update.csv');
const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');

/** What customers.csv gives a fresh organization: 10 data rows, 5 imported, 5 rejected. */
const MAIN_COUNTS = { rows: 10, accepted: 5, created: 5, updated: 0, newRelations: 5, unchanged: 0, rejected: 5 };
const MAIN_REJECTS = [
  { line: 6, reasons: [expect.stringMatching(/^phone: must be a phone number/)] },
  { line: 7, reasons: ['name: must not be empty', 'name: must not be blank'] },
  { line: 8, reasons: ['name: must be at most 200 characters'] },
  { line: 9, reasons: [expect.stringMatching(/^stage: must be one of the following values: NEW, CONTACTED/)] },
  { line: 10, reasons: ['externalId: duplicate of line 2 (the first occurrence is imported)'] },
];

const counts = (s: CustomerImportSummary) => ({
  rows: s.rows,
  accepted: s.accepted,
  created: s.created,
  updated: s.updated,
  newRelations: s.newRelations,
  unchanged: s.unchanged,
  rejected: s.rejected,
});

describe('customer CSV import', () => {
  let t: TestApp;
  let tmp: string;
  beforeAll(async () => {
    t = await startTestApp();
    tmp = mkdtempSync(join(tmpdir(), 'wecrm-import-'));
  });
  afterAll(() => t.close());

  async function setup(
    opts: { customerCapacity?: number; name?: string } = {},
  ): Promise<{ org: OrgFixture; emp: EmployeeFixture }> {
    const org = await signUpOrg(t);
    const emp = await createEmployee(t, org, { name: opts.name ?? '李销售', customerCapacity: opts.customerCapacity });
    return { org, emp };
  }

  async function customersOf(orgId: string) {
    return (
      await t.db.query(
        `SELECT external_id, name, company, phone, stage, search_text FROM customers WHERE org_id = $1 ORDER BY external_id NULLS LAST, name`,
        [orgId],
      )
    ).rows;
  }

  async function relationsOf(orgId: string, employeeId: string) {
    return (
      await t.db.query(
        `SELECT c.external_id, r.id, r.status, r.add_way, r.state, r.remark FROM customer_relations r JOIN customers c ON c.id = r.customer_id
          WHERE r.org_id = $1 AND r.employee_id = $2 ORDER BY c.external_id NULLS LAST, c.name`,
        [orgId, employeeId],
      )
    ).rows;
  }

  async function timelineOf(orgId: string) {
    return (
      await t.db.query(
        `SELECT c.external_id, e.type, e.summary, e.employee_id, e.data FROM timeline_events e JOIN customers c ON c.id = e.customer_id
          WHERE e.org_id = $1 ORDER BY c.external_id NULLS LAST, c.name`,
        [orgId],
      )
    ).rows;
  }

  async function activeCount(employeeId: string): Promise<number> {
    return (await t.db.query(`SELECT active_customer_count FROM employees WHERE id = $1`, [employeeId])).rows[0]
      .active_customer_count;
  }

  it('imports the mixed fixture: Chinese and English names, quoted commas and line breaks, BOM, CRLF; rejects bad rows with line and reason', async () => {
    const { org, emp } = await setup();
    const reportPath = join(tmp, 'main-rejected.csv');
    const progress: ImportProgress[] = [];
    const s = await importCustomersCsv(t.app, {
      orgId: org.orgId,
      employeeId: emp.id,
      path: MAIN,
      reportPath,
      onProgress: (p) => progress.push(p),
    });

    expect(counts(s)).toEqual(MAIN_COUNTS);
    expect(s.dryRun).toBe(false);
    expect(s.columns).toEqual(['External_ID', 'Name', 'Company', 'Phone', 'Stage', 'Remark', 'State', 'WeChat']);
    expect(s.warnings).toEqual(['unknown column "WeChat" (column 8) is ignored']);
    expect(s.rejects.map(({ line, reasons }) => ({ line, reasons }))).toEqual(MAIN_REJECTS);
    expect(s.batches).toBe(1);

    // Customers, normalized like recordCustomerAdded (phones, stage case); the duplicate of wm-001 did not rename it.
    const customers = await customersOf(org.orgId);
    expect(customers.map(({ search_text, ...c }) => c)).toEqual([
      {
        external_id: 'wm-001',
        name: '张三',
        company: '上海某某科技有限公司, 华东',
        phone: '13812345678',
        stage: 'NEW',
      },
      { external_id: 'wm-002', name: 'John Smith', company: 'Acme, Inc.', phone: '+442079460958', stage: 'CONTACTED' },
      { external_id: 'wm-003', name: 'Li "Lee" Si', company: '北京', phone: '13900001111', stage: 'INTERESTED' },
      { external_id: 'wm-008', name: 'Zhao, Liu', company: null, phone: '13700001111', stage: 'WON' },
      { external_id: 'wm-009', name: 'Émile Zola', company: 'Les Éditions', phone: '+33123456789', stage: 'NEW' },
    ]);
    // search_text includes the relation remark, as addRelation keeps it.
    expect(customers[0].search_text).toBe('张三 上海某某科技有限公司, 华东 老客户');
    expect(customers[3].search_text).toBe('zhao, liu vip');

    // One ACTIVE IMPORT relation per customer, with state and remark (the quoted line break kept).
    const relations = await relationsOf(org.orgId, emp.id);
    expect(relations.map(({ id, ...r }) => r)).toEqual([
      { external_id: 'wm-001', status: 'ACTIVE', add_way: 'IMPORT', state: 'qr-spring', remark: '老客户' },
      {
        external_id: 'wm-002',
        status: 'ACTIVE',
        add_way: 'IMPORT',
        state: null,
        remark: 'Met at the fair\r\nasked for a quote',
      },
      { external_id: 'wm-003', status: 'ACTIVE', add_way: 'IMPORT', state: null, remark: null },
      { external_id: 'wm-008', status: 'ACTIVE', add_way: 'IMPORT', state: null, remark: 'VIP' },
      { external_id: 'wm-009', status: 'ACTIVE', add_way: 'IMPORT', state: null, remark: null },
    ]);
    // One relation.added timeline event per new relation, pointing at it.
    const timeline = await timelineOf(org.orgId);
    expect(timeline).toEqual(
      relations.map((r) => ({
        external_id: r.external_id,
        type: 'relation.added',
        summary: 'Imported by CSV',
        employee_id: emp.id,
        data: { relationId: r.id, addWay: 'IMPORT', state: r.state },
      })),
    );
    expect(await activeCount(emp.id)).toBe(5);

    // The report: BOM, line and reason, then the original columns with their original values.
    const report = readFileSync(reportPath, 'utf8');
    expect(report.startsWith('\ufeff')).toBe(true);
    const lines = report.slice(1).split('\r\n');
    expect(lines[0]).toBe('line,reason,External_ID,Name,Company,Phone,Stage,Remark,State,WeChat');
    expect(lines[1]).toBe(
      '6,phone: must be a phone number such as 13812345678 or +44 20 7946 0958,wm-004,王五,,call me,NEW,,,',
    );
    expect(lines[2]).toBe('7,name: must not be empty; name: must not be blank,wm-005,,Empty Name Ltd,,,,,');
    expect(lines[3]).toBe(`8,name: must be at most 200 characters,wm-006,${'A'.repeat(201)},,,,,,`);
    // A reason with commas is quoted, as any field.
    expect(lines[4]).toBe(
      '9,"stage: must be one of the following values: NEW, CONTACTED, INTERESTED, NEGOTIATING, WON, LOST",wm-007,María García,,,SOLD,,,',
    );
    expect(lines[5]).toBe(
      '10,externalId: duplicate of line 2 (the first occurrence is imported),wm-001,张三 (again),,,,,,',
    );
    expect(lines.slice(6)).toEqual(['']);

    // Progress: by bytes up to the whole file, ending with done.
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({
      done: true,
      rows: 10,
      accepted: 5,
      rejected: 5,
      totalBytes: readFileSync(MAIN).length,
    });
    expect(last.bytesRead).toBe(last.totalBytes);
  });

  it('is idempotent on externalId: importing the file again creates, relates and counts nothing', async () => {
    const { org, emp } = await setup();
    await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: MAIN });
    const before = {
      customers: await customersOf(org.orgId),
      relations: await relationsOf(org.orgId, emp.id),
      timeline: await timelineOf(org.orgId),
    };
    const updatedAt = (await t.db.query(`SELECT max(updated_at) AS m FROM customers WHERE org_id = $1`, [org.orgId]))
      .rows[0].m;

    const again = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: MAIN });
    expect(counts(again)).toEqual({ ...MAIN_COUNTS, created: 0, newRelations: 0, unchanged: 5 });
    expect(again.rejects.map((r) => r.line)).toEqual([6, 7, 8, 9, 10]);
    expect(await customersOf(org.orgId)).toEqual(before.customers);
    expect(await relationsOf(org.orgId, emp.id)).toEqual(before.relations);
    expect(await timelineOf(org.orgId)).toEqual(before.timeline);
    expect(await activeCount(emp.id)).toBe(5);
    // Identical profiles are not rewritten.
    expect(
      (await t.db.query(`SELECT max(updated_at) AS m FROM customers WHERE org_id = $1`, [org.orgId])).rows[0].m,
    ).toEqual(updatedAt);

    // The GraphQL path agrees: recordCustomerAdded for an imported pair changes nothing.
    const rel = ok(
      await t.gql(
        `mutation($input: RecordCustomerAddedInput!) { recordCustomerAdded(input: $input) { addWay status customer { externalId name } } }`,
        { input: { employeeId: emp.id, customer: { externalId: 'wm-001', name: '张三' }, addWay: 'QR_CODE' } },
        org.adminToken,
      ),
    ).recordCustomerAdded;
    expect(rel).toEqual({ addWay: 'IMPORT', status: 'ACTIVE', customer: { externalId: 'wm-001', name: '张三' } });
    expect(await activeCount(emp.id)).toBe(5);
  });

  it('upserts like recordCustomerAdded: profiles updated on externalId, another employee gets own relations, rows without externalId are new each time', async () => {
    const { org, emp } = await setup();
    await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: MAIN });

    const s = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: UPDATE });
    // wm-001 renamed (updated, already held); wm-003 identical (held); wm-010 and two rows without externalId are new.
    expect(counts(s)).toEqual({
      rows: 5,
      accepted: 5,
      created: 3,
      updated: 1,
      newRelations: 3,
      unchanged: 2,
      rejected: 0,
    });
    expect(s.warnings).toEqual(['2 row(s) have no externalId: importing the file again creates them again']);
    const byExt = Object.fromEntries((await customersOf(org.orgId)).map((c) => [c.external_id ?? c.name, c]));
    // Name replaced, company given replaced, phone not given kept, stage only set on insert.
    expect(byExt['wm-001']).toMatchObject({ name: '张三丰', company: '新公司', phone: '13812345678', stage: 'NEW' });
    expect(byExt['wm-001'].search_text).toBe('张三丰 新公司 老客户');
    expect(byExt['wm-003']).toMatchObject({ name: 'Li "Lee" Si', company: '北京', phone: '13900001111' });
    expect(byExt['wm-010']).toMatchObject({ name: 'New Person', stage: 'NEW' });
    expect(byExt['无编号客户 A']).toMatchObject({ external_id: null });
    expect(await activeCount(emp.id)).toBe(8);

    // Rows without externalId cannot be matched: a second run creates them again.
    const twice = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: UPDATE });
    expect(counts(twice)).toEqual({
      rows: 5,
      accepted: 5,
      created: 2,
      updated: 0,
      newRelations: 2,
      unchanged: 3,
      rejected: 0,
    });
    expect(
      (
        await t.db.query(`SELECT count(*)::int AS n FROM customers WHERE org_id = $1 AND external_id IS NULL`, [
          org.orgId,
        ])
      ).rows[0].n,
    ).toBe(4);
    expect(await activeCount(emp.id)).toBe(10);

    // Another employee importing the first file: the customers are
    // matched (wm-001 gets its name back), the relations are theirs.
    const other = await createEmployee(t, org, { name: 'Other Rep' });
    const theirs = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: other.id, path: MAIN });
    expect(counts(theirs)).toEqual({ ...MAIN_COUNTS, created: 0, updated: 1, newRelations: 5 });
    expect((await customersOf(org.orgId)).find((c) => c.external_id === 'wm-001')).toMatchObject({
      name: '张三',
      company: '上海某某科技有限公司, 华东',
    });
    expect((await relationsOf(org.orgId, other.id)).map((r) => r.external_id)).toEqual([
      'wm-001',
      'wm-002',
      'wm-003',
      'wm-008',
      'wm-009',
    ]);
    expect(await activeCount(other.id)).toBe(5);
    expect(await activeCount(emp.id)).toBe(10);
  });

  it("runs the relation hooks like recordCustomerAdded: a row whose state is a live channel's is attributed and tagged", async () => {
    const { org, emp } = await setup();
    const group = ok(
      await t.gql(
        `mutation($input: CreateTagGroupInput!) { createTagGroup(input: $input) { tags { id name } } }`,
        { input: { name: '来源', tagNames: ['展会'] } },
        org.adminToken,
      ),
    ).createTagGroup;
    const tagId = group.tags[0].id;
    ok(
      await t.gql(
        `mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }`,
        { input: { name: 'Spring fair', state: 'qr-spring', employeeIds: [emp.id], tagIds: [tagId] } },
        org.adminToken,
      ),
    );
    const s = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: MAIN });
    expect(counts(s)).toEqual(MAIN_COUNTS);
    const tagged = await t.db.query(
      `SELECT c.external_id FROM customer_tags ct JOIN customers c ON c.id = ct.customer_id WHERE ct.org_id = $1 AND ct.tag_id = $2`,
      [org.orgId, tagId],
    );
    expect(tagged.rows).toEqual([{ external_id: 'wm-001' }]);
    const attributed = await t.db.query(
      `SELECT c.external_id, e.data->>'state' AS state FROM timeline_events e JOIN customers c ON c.id = e.customer_id WHERE e.org_id = $1 AND e.type = 'channel.attributed'`,
      [org.orgId],
    );
    expect(attributed.rows).toEqual([{ external_id: 'wm-001', state: 'qr-spring' }]);
  });

  it('respects capacity: an employee with customerCapacity 3 gets 3, the rest are rejected "over capacity" and write nothing', async () => {
    const { org, emp } = await setup({ customerCapacity: 3 });
    // Batches of 2 put the capacity boundary inside the second batch.
    const s = await importCustomersCsv(t.app, {
      orgId: org.orgId,
      employeeId: emp.id,
      path: CAPACITY,
      batchSize: 2,
      reportPath: join(tmp, 'cap.csv'),
    });
    expect(counts(s)).toEqual({
      rows: 6,
      accepted: 3,
      created: 3,
      updated: 0,
      newRelations: 3,
      unchanged: 0,
      rejected: 3,
    });
    expect(s.rejects.map(({ line, reasons }) => ({ line, reasons }))).toEqual([
      { line: 5, reasons: ['over capacity'] },
      { line: 6, reasons: ['over capacity'] },
      { line: 7, reasons: ['over capacity'] },
    ]);
    expect((await customersOf(org.orgId)).map((c) => c.external_id)).toEqual(['cap-1', 'cap-2', 'cap-3']);
    expect(await activeCount(emp.id)).toBe(3);
    expect(readFileSync(join(tmp, 'cap.csv'), 'utf8').split('\r\n').slice(1, 4)).toEqual([
      '5,over capacity,cap-4,Capacity 4,13800000004',
      '6,over capacity,cap-5,Capacity 5,13800000005',
      '7,over capacity,cap-6,Capacity 6,13800000006',
    ]);
    // Held customers still match at capacity (unchanged); the others are still over.
    const again = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: CAPACITY });
    expect(counts(again)).toEqual({
      rows: 6,
      accepted: 3,
      created: 0,
      updated: 0,
      newRelations: 0,
      unchanged: 3,
      rejected: 3,
    });
    expect(await activeCount(emp.id)).toBe(3);
  });

  it('rejects rows with a NUL (PostgreSQL cannot store it), each with its reason; imports the others', async () => {
    const { org, emp } = await setup();
    const path = join(tmp, 'nul.csv');
    const rows = ['externalId,name,company,remark', 'nul-1,Before,,', 'nul-2,Bad\u0000name,,'];
    rows.push('nul-3,After,Co\u0000rp,', 'nul-4,Last,,r\u0000');
    writeFileSync(path, rows.join('\r\n') + '\r\n');
    const s = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path });
    expect(counts(s)).toEqual({
      rows: 4, accepted: 1, created: 1, updated: 0, newRelations: 1, unchanged: 0, rejected: 3,
    });
    expect(s.rejects.map(({ line, reasons }) => ({ line, reasons }))).toEqual([
      { line: 3, reasons: ['name: must not contain NUL characters (U+0000)'] },
      { line: 4, reasons: ['company: must not contain NUL characters (U+0000)'] },
      { line: 5, reasons: ['remark: must not contain NUL characters (U+0000)'] },
    ]);
    expect((await customersOf(org.orgId)).map((c) => c.external_id)).toEqual(['nul-1']);
  });

  it('serializes concurrent imports for one employee on the employee row: capacity holds across them', async () => {
    const { org, emp } = await setup({ customerCapacity: 5 });
    const csv = (prefix: string) =>
      Readable.from([`externalId,name\n${[1, 2, 3, 4].map((i) => `${prefix}-${i},${prefix} ${i}`).join('\n')}\n`]);
    const [a, b] = await Promise.all([
      importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, stream: csv('a'), batchSize: 4 }),
      importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, stream: csv('b'), batchSize: 4 }),
    ]);
    expect(a.newRelations + b.newRelations).toBe(5);
    expect(a.rejected + b.rejected).toBe(3);
    expect([...a.rejects, ...b.rejects].every((r) => r.reasons[0] === 'over capacity')).toBe(true);
    expect(await activeCount(emp.id)).toBe(5);
    expect((await relationsOf(org.orgId, emp.id)).length).toBe(5);
    expect((await customersOf(org.orgId)).length).toBe(5);
  });

  it('dry run validates, checks capacity and counts exactly like a real run, and writes nothing', async () => {
    const { org, emp } = await setup({ customerCapacity: 3 });
    const reportPath = join(tmp, 'dry-rejected.csv');
    const dry = await importCustomersCsv(t.app, {
      orgId: org.orgId,
      employeeId: emp.id,
      path: MAIN,
      dryRun: true,
      batchSize: 2,
      reportPath,
    });
    expect(dry.dryRun).toBe(true);
    // Capacity 3 across rolled-back batches: wm-001..003 fit, wm-008 and wm-009 would not.
    expect(counts(dry)).toEqual({
      rows: 10,
      accepted: 3,
      created: 3,
      updated: 0,
      newRelations: 3,
      unchanged: 0,
      rejected: 7,
    });
    expect(dry.rejects.filter((r) => r.reasons[0] === 'over capacity').map((r) => r.line)).toEqual([11, 12]);
    expect(await customersOf(org.orgId)).toEqual([]);
    expect(
      (await t.db.query(`SELECT count(*)::int AS n FROM customer_relations WHERE org_id = $1`, [org.orgId])).rows[0].n,
    ).toBe(0);
    expect(
      (await t.db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE org_id = $1`, [org.orgId])).rows[0].n,
    ).toBe(0);
    expect(await activeCount(emp.id)).toBe(0);
    // The report is a file, not data: a dry run writes it.
    expect(readFileSync(reportPath, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(8);
    // The real run then does what the dry run said.
    const real = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: MAIN, batchSize: 2 });
    expect(counts(real)).toEqual(counts(dry));
  });

  it('refuses a suspended or departed employee, and an unknown one, before writing anything', async () => {
    const { org, emp } = await setup();
    ok(
      await t.gql(
        `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { status } }`,
        { input: { id: emp.id, status: 'SUSPENDED' } },
        org.adminToken,
      ),
    );
    const suspended = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: MAIN }).catch(
      (e) => e,
    );
    expect(suspended).toBeInstanceOf(AppError);
    expect(suspended.code).toBe('CONFLICT');
    expect(suspended.message).toBe('employee 李销售 is suspended and cannot take customers');

    // departEmployee belongs to the reassignment module; the status is what the import checks.
    const gone = await createEmployee(t, org, { name: 'Gone' });
    await t.db.query(`UPDATE employees SET status = 'DEPARTED', departed_at = now() WHERE id = $1`, [gone.id]);
    const departed = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: gone.id, path: MAIN }).catch(
      (e) => e,
    );
    expect(departed.code).toBe('CONFLICT');
    expect(departed.message).toBe('employee Gone is departed and cannot take customers');

    // Another organization's employee is not found.
    const other = await signUpOrg(t);
    const foreign = await importCustomersCsv(t.app, { orgId: other.orgId, employeeId: gone.id, path: MAIN }).catch(
      (e) => e,
    );
    expect(foreign.code).toBe('NOT_FOUND');
    expect(await customersOf(org.orgId)).toEqual([]);
    expect(await customersOf(other.orgId)).toEqual([]);
  });

  it('stops at the next batch when the employee departs mid-import; committed batches stay', async () => {
    const { org, emp } = await setup();
    async function* slowCsv() {
      yield 'externalId,name\nm-1,First\n';
      // Wait until the first row's batch is committed, then the employee leaves.
      for (let i = 0; i < 200 && (await relationsOf(org.orgId, emp.id)).length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      await t.db.query(`UPDATE employees SET status = 'DEPARTED' WHERE id = $1`, [emp.id]);
      yield 'm-2,Second\nm-3,Third\n';
    }
    const e = await importCustomersCsv(t.app, {
      orgId: org.orgId,
      employeeId: emp.id,
      stream: Readable.from(slowCsv(), { objectMode: false }),
      batchSize: 1,
    }).catch((x) => x);
    expect(e).toBeInstanceOf(CustomerImportError);
    expect(e.message).toMatch(/^employee 李销售 is departed and cannot take customers \(stopped after 1 batch\(es\) of 1 rows, which stay imported\)$/);
    expect(e.summary).toMatchObject({ newRelations: 1, created: 1, batches: 1 });
    expect((await customersOf(org.orgId)).map((c) => c.external_id)).toEqual(['m-1']);
    expect(await activeCount(emp.id)).toBe(1);
  });

  it('fails clearly on a file without a name column, an empty file and an unreadable path', async () => {
    const { org, emp } = await setup();
    const run = (stream: Readable) =>
      importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, stream }).catch((e) => e);
    const noName = await run(Readable.from(['externalId,company\nx,y\n']));
    expect(noName.code).toBe('BAD_USER_INPUT');
    expect(noName.message).toContain('the header row has no name column');
    expect((await run(Readable.from(['']))).message).toContain('the file is empty');
    const missing = await importCustomersCsv(t.app, {
      orgId: org.orgId,
      employeeId: emp.id,
      path: join(tmp, 'nope.csv'),
    }).catch((e) => e);
    expect(missing).toBeInstanceOf(CustomerImportError);
    expect(missing.message).toMatch(/^cannot read .*nope\.csv: ENOENT/);
  });

  describe('CLI', () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          env: {
            ...process.env,
            DATABASE_URL: t.databaseUrl,
            LOG_LEVEL: 'error',
            SEED_DEMO: 'false',
            JWT_SECRET: 'cli-test-secret-that-is-long-enough-0123456789',
            DATA_DIR: tmp,
          },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    it('imports with node dist/src/cli.js import-customers, prints the summary, writes the report, exits 0', async () => {
      const { org, emp } = await setup();
      const report = join(tmp, 'cli-rejected.csv');
      const r = await run([
        'import-customers',
        '--org',
        org.slug,
        '--employee',
        emp.email,
        '--file',
        MAIN,
        '--report',
        report,
      ]);
      expect(r.stderr).toContain('warning: unknown column "WeChat" (column 8) is ignored');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Imported: customers.csv for 李销售 <${emp.email}> in ${org.slug}`);
      expect(r.stdout).toMatch(/rows read\s+10\n/);
      expect(r.stdout).toMatch(/created\s+5\s+new customers/);
      expect(r.stdout).toMatch(/updated\s+0\s/);
      expect(r.stdout).toMatch(/new relations\s+5\s/);
      expect(r.stdout).toMatch(/unchanged\s+0\s/);
      expect(r.stdout).toMatch(new RegExp(`rejected\\s+5\\s+report: ${report.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(r.stdout).toMatch(/elapsed\s+[\d.]+ s\s+\([\d,]+ rows\/s\)/);
      expect(r.stdout).toContain('line 7: name: must not be empty; name: must not be blank');
      // Not a TTY: progress lines on stderr, the last one at 100%.
      expect(r.stderr).toMatch(/100%\s+10 rows\s+[\d,]+ rows\/s\s+accepted 5\s+rejected 5\n/);
      expect(readFileSync(report, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(6);
      expect(await activeCount(emp.id)).toBe(5);
      // KPI counts the imported relations as new customers in the command's own graph, as it does on the API.
      const kpi = await t.db.query(
        `SELECT coalesce(sum(new_customers), 0)::int AS n FROM kpi_employee_days WHERE employee_id = $1`,
        [emp.id],
      );
      expect(kpi.rows[0].n).toBe(5);

      // Again, naming the employee by id: nothing new.
      const again = await run(['import-customers', '--org', org.slug, '--employee', emp.id, '--file', MAIN]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/created\s+0\s/);
      expect(again.stdout).toMatch(/unchanged\s+5\s/);
      expect(again.stdout).toContain('rejected rows:\n  line 6: phone: must be a phone number');

      // Dry run says so and writes nothing.
      const other = await createEmployee(t, org, { name: 'Dry', externalId: 'dry-rep' });
      const dry = await run([
        'import-customers',
        '--org',
        org.slug,
        '--employee',
        'dry-rep',
        '--file',
        MAIN,
        '--dry-run',
      ]);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`Dry run (nothing was written): customers.csv for Dry <${other.email}>`);
      expect(dry.stdout).toMatch(/new relations\s+5\s/);
      expect(await activeCount(other.id)).toBe(0);
    }, 60_000);

    it('exits 2 on usage errors and 1 on fatal ones (unknown org or employee, departed employee, unreadable file)', async () => {
      const { org, emp } = await setup();
      const usage = await run(['import-customers', '--org', org.slug, '--file', MAIN]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('import-customers: missing --employee');
      expect(usage.stderr).toContain('usage: node dist/src/cli.js import-customers');
      expect(
        (await run(['import-customers', '--org', org.slug, '--employee', emp.email, '--file', MAIN, '--frobnicate']))
          .code,
      ).toBe(2);
      expect(
        (
          await run([
            'import-customers',
            '--org',
            org.slug,
            '--employee',
            emp.email,
            '--file',
            MAIN,
            '--batch-size',
            '0',
          ])
        ).code,
      ).toBe(2);

      const unreadable = await run([
        'import-customers',
        '--org',
        org.slug,
        '--employee',
        emp.email,
        '--file',
        join(tmp, 'missing.csv'),
      ]);
      expect(unreadable.code).toBe(1);
      expect(unreadable.stderr).toMatch(/error: cannot read .*missing\.csv: ENOENT/);

      const noReport = await run([
        'import-customers',
        '--org',
        org.slug,
        '--employee',
        emp.email,
        '--file',
        MAIN,
        '--report',
        join(tmp, 'no-such-dir', 'r.csv'),
      ]);
      expect(noReport.code).toBe(1);
      expect(noReport.stderr).toMatch(/error: cannot write the report .*r\.csv: ENOENT/);

      const [noOrg, noEmp] = await Promise.all([
        run(['import-customers', '--org', 'no-such-org', '--employee', emp.email, '--file', MAIN]),
        run(['import-customers', '--org', org.slug, '--employee', 'nobody@nowhere.test', '--file', MAIN]),
      ]);
      expect(noOrg.code).toBe(1);
      expect(noOrg.stderr).toContain('error: organization "no-such-org" not found');
      expect(noEmp.code).toBe(1);
      expect(noEmp.stderr).toContain(`error: employee "nobody@nowhere.test" not found in ${org.slug}`);

      await t.db.query(`UPDATE employees SET status = 'DEPARTED' WHERE id = $1`, [emp.id]);
      const departed = await run(['import-customers', '--org', org.slug, '--employee', emp.email, '--file', MAIN]);
      expect(departed.code).toBe(1);
      expect(departed.stderr).toContain(
        `error: employee 李销售 <${emp.email}> is departed and cannot take customers; nothing was imported`,
      );
      expect(await customersOf(org.orgId)).toEqual([]);
    }, 60_000);
  });

  it('imports 20,000 generated rows (figures printed, no time assertion)', async () => {
    const { org, emp } = await setup({ customerCapacity: 100_000 });
    const file = join(tmp, 'bench-20k.csv');
    const out = createWriteStream(file);
    out.write('externalId,name,company,phone,stage,remark\n');
    const stages = ['NEW', 'CONTACTED', 'INTERESTED', 'NEGOTIATING', 'WON', 'LOST'];
    for (let i = 0; i < 20_000; i++) {
      const name = i % 2 ? `Customer ${i}` : `客户${i}号`;
      out.write(`bench-${i},${name},"Company ${i % 97}, Ltd",138${String(i).padStart(8, '0')},${stages[i % 6]},${i % 5 ? '' : 'VIP'}\n`);
    }
    out.end();
    await once(out, 'finish');

    const first = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: file });
    expect(counts(first)).toEqual({
      rows: 20_000,
      accepted: 20_000,
      created: 20_000,
      updated: 0,
      newRelations: 20_000,
      unchanged: 0,
      rejected: 0,
    });
    expect(await activeCount(emp.id)).toBe(20_000);
    expect(
      (await t.db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE org_id = $1`, [org.orgId])).rows[0].n,
    ).toBe(20_000);
    const again = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: file });
    expect(counts(again)).toEqual({
      rows: 20_000,
      accepted: 20_000,
      created: 0,
      updated: 0,
      newRelations: 0,
      unchanged: 20_000,
      rejected: 0,
    });
    const dry = await importCustomersCsv(t.app, { orgId: org.orgId, employeeId: emp.id, path: file, dryRun: true });
    // eslint-disable-next-line no-console
    console.log(
      [
        'customer import, 20,000 rows, batches of 1,000:',
        `  first import   ${first.elapsedMs} ms  ${first.rowsPerSecond} rows/s`,
        `  re-import      ${again.elapsedMs} ms  ${again.rowsPerSecond} rows/s (all unchanged)`,
        `  dry run        ${dry.elapsedMs} ms  ${dry.rowsPerSecond} rows/s`,
      ].join('\n'),
    );
  }, 300_000);

  it('leaves the denormalized list keys equal to their sources', async () => {
    expect(await listKeyDrift(t)).toEqual({
      tagIds: 0,
      activeEmployeeIds: 0,
      customerCreatedAt: 0,
      timelineOrphans: 0,
    });
  });
});
