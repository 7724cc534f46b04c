import { UnitOfWork } from 'src/core/database/unit-of-work';
import { KpiRollupsService } from 'src/modules/kpi/services/kpi-rollups.service';
import { addCustomer } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { startTestApp, TestApp } from './helpers/test-app';

const COUNTERS = ['new_customers', 'lost_customers', 'chats', 'messages_sent', 'messages_received'] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The team rows (kpi_department_days, kpi_organization_days) change by deltas at the end of each transaction
 * (issue 20): writers of one day of one organization no longer wait for each other's commit, and the rows stay
 * the sums of their employee-days, going when they count nothing.
 */
describe('KPI team rows: deltas at the end of the transaction', () => {
  let t: TestApp;
  let org: OrgFixture;
  let uow: UnitOfWork;
  let rollups: KpiRollupsService;
  const employees: EmployeeFixture[] = [];
  const departments: string[] = [];
  const customerOf = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    uow = t.app.get(UnitOfWork);
    rollups = t.app.get(KpiRollupsService);
    departments.push(await createDepartment(t, org.adminToken, uniq('A')));
    departments.push(await createDepartment(t, org.adminToken, uniq('B')));
    const homes = [departments[0], departments[0], departments[1]];
    employees.push(
      ...(await Promise.all(
        homes.map((departmentId, i) => createEmployee(t, org, { roles: ['sales'], departmentId, externalId: `e${i}` })),
      )),
    );
    for (const e of employees) customerOf.set(e.id, (await addCustomer(t, org.adminToken, e.id)).customerId);
  });
  afterAll(() => t.close());

  /** A relation of the employee's customer added at `at`, written in `tx` as CustomersService would. */
  const addRelation = (tx: { query: (sql: string, p: unknown[]) => Promise<unknown> }, employeeId: string, at: Date) =>
    tx.query(
      `INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at)
       VALUES ($1, $2, $3, 'DELETED_BY_EMPLOYEE', 'QR_CODE', $4)`,
      [org.orgId, customerOf.get(employeeId), employeeId, at.toISOString()],
    );

  const teamRows = async (day: string) => {
    const q = async (sql: string) => (await t.db.query(sql, [org.orgId, day])).rows as Array<Record<string, unknown>>;
    const cols = COUNTERS.join(', ');
    return {
      departments: await q(
        `SELECT department_id, ${cols} FROM kpi_department_days WHERE org_id = $1 AND day = $2 ORDER BY 1`,
      ),
      organization: await q(`SELECT ${cols} FROM kpi_organization_days WHERE org_id = $1 AND day = $2`),
    };
  };
  const dayOf = async (at: Date) =>
    (
      await t.db.query(
        `SELECT ($2::timestamptz AT TIME ZONE o.timezone)::date::text AS day FROM organizations o WHERE o.id = $1`,
        [org.orgId, at.toISOString()],
      )
    ).rows[0].day as string;
  const zeros = Object.fromEntries(COUNTERS.map((c) => [c, 0]));

  it('lets a second writer of the same organization and day commit while the first is still open', async () => {
    const at = new Date(Date.now() - 3 * 86_400_000);
    const day = await dayOf(at);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstHooked!: () => void;
    const hooked = new Promise<void>((r) => (firstHooked = r));
    const first = uow.run(async (tx) => {
      await addRelation(tx, employees[0].id, at);
      await rollups.relationsChanged(tx, org.orgId, [{ employeeId: employees[0].id, at }]);
      firstHooked();
      await gate;
    });
    await hooked;
    let secondPid = 0;
    let secondDone = false;
    const second = uow
      .run(async (tx) => {
        secondPid = ((await tx.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>)[0].pid;
        await addRelation(tx, employees[1].id, at);
        await rollups.relationsChanged(tx, org.orgId, [{ employeeId: employees[1].id, at }]);
      })
      .then(() => (secondDone = true));
    // Until the second commits, or waits on a lock (which only the open first transaction can hold).
    let waitedFor: string | null = null;
    while (!secondDone && !waitedFor) {
      if (secondPid) {
        const r = await t.db.query(`SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE pid = $1`, [
          secondPid,
        ]);
        if (r.rows[0]?.wait_event_type === 'Lock') waitedFor = `${r.rows[0].wait_event} lock`;
      }
      await sleep(20);
    }
    release();
    await Promise.all([first, second]);
    expect({ secondDone, waitedFor }).toEqual({ secondDone: true, waitedFor: null });

    // Both committed: each team row is the sum of its employees' rows (A: employees 0 and 1; B had nothing).
    expect(await teamRows(day)).toEqual({
      departments: [{ department_id: departments[0], ...zeros, new_customers: 2 }],
      organization: [{ ...zeros, new_customers: 2 }],
    });
  });

  it('adds a bulk import\'s deltas before its commit (on its own connection)', async () => {
    const at = Date.now() - 7 * 86_400_000;
    const day = await dayOf(new Date(at));
    const line = (i: number, employee: number, senderType: string) =>
      JSON.stringify({
        externalId: uniq('bulk'),
        employeeExternalId: `e${employee}`,
        customerId: customerOf.get(employees[employee].id),
        senderType,
        type: 'TEXT',
        text: 'hello',
        sentAt: new Date(at + i * 60_000).toISOString(),
      });
    const body = [line(0, 0, 'EMPLOYEE'), line(1, 0, 'EMPLOYEE'), line(2, 2, 'CUSTOMER'), line(3, 2, 'CUSTOMER')];
    const res = await fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${org.adminToken}` },
      body: body.join('\n') + '\n',
    });
    expect([res.status, ((await res.json()) as { accepted: number }).accepted]).toEqual([200, 4]);
    const [a, b] = [departments[0], departments[1]].sort();
    const row = (departmentId: string) =>
      departmentId === departments[0]
        ? { department_id: departmentId, ...zeros, chats: 1, messages_sent: 2 }
        : { department_id: departmentId, ...zeros, messages_received: 2 };
    expect(await teamRows(day)).toEqual({
      departments: [row(a), row(b)],
      organization: [{ ...zeros, chats: 1, messages_sent: 2, messages_received: 2 }],
    });
  });

  it('deletes a team row once nothing counts in it, and agrees with a rebuild', async () => {
    const at = new Date(Date.now() - 5 * 86_400_000);
    const day = await dayOf(at);
    const [a, , b] = employees;
    await uow.run(async (tx) => {
      await addRelation(tx, a.id, at);
      await addRelation(tx, b.id, at);
      await rollups.relationsChanged(tx, org.orgId, [
        { employeeId: a.id, at },
        { employeeId: b.id, at },
      ]);
    });
    expect(await teamRows(day)).toEqual({
      departments: [
        { department_id: departments[0], ...zeros, new_customers: 1 },
        { department_id: departments[1], ...zeros, new_customers: 1 },
      ].sort((x, y) => x.department_id.localeCompare(y.department_id)),
      organization: [{ ...zeros, new_customers: 2 }],
    });

    // B's only relation of the day goes: B's row of the day goes, the organization's keeps A's.
    await uow.run(async (tx) => {
      await tx.query(`DELETE FROM customer_relations WHERE employee_id = $1 AND added_at = $2`, [b.id, at]);
      await rollups.relationsChanged(tx, org.orgId, [{ employeeId: b.id, at }]);
    });
    expect(await teamRows(day)).toEqual({
      departments: [{ department_id: departments[0], ...zeros, new_customers: 1 }],
      organization: [{ ...zeros, new_customers: 1 }],
    });
    // Then A's: the day has no team row left.
    await uow.run(async (tx) => {
      await tx.query(`DELETE FROM customer_relations WHERE employee_id = $1 AND added_at = $2`, [a.id, at]);
      await rollups.relationsChanged(tx, org.orgId, [{ employeeId: a.id, at }]);
    });
    expect(await teamRows(day)).toEqual({ departments: [], organization: [] });

    const all = async () => {
      const q = async (table: string) =>
        (await t.db.query(`SELECT * FROM ${table} WHERE org_id = $1 ORDER BY 2, 3`, [org.orgId])).rows;
      return { departments: await q('kpi_department_days'), organization: await q('kpi_organization_days') };
    };
    const incremental = await all();
    const first = (await t.db.query(`SELECT min(day)::text AS d FROM kpi_employee_days WHERE org_id = $1`, [org.orgId]))
      .rows[0].d as string;
    await rollups.rebuild(org.orgId, first < day ? first : day, await dayOf(new Date()));
    expect(await all()).toEqual(incremental);
  });
});
