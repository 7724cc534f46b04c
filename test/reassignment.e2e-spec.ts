import { createServer } from 'src/bootstrap';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { ReassignmentService } from 'src/modules/reassignment/services/reassignment.service';
import { codeOf, Connection, ok, startTestApp, TestApp } from './helpers/test-app';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { addCustomer, listKeyDrift, RECORD_ADDED } from './helpers/customers';
import { eventually } from './helpers/wait';

const DEPART = `mutation($input: DepartEmployeeInput!) { departEmployee(input: $input) {
  id kind message fromEmployee { id status } requestedBy { id } counts { total waiting completed refused failed }
  transfers(first: 200) { edges { node { id status takeoverAt customer { id } toEmployee { id } fromEmployee { id } } } } } }`;
const TRANSFER = `mutation($input: TransferCustomersInput!) { transferCustomers(input: $input) {
  id kind counts { total waiting completed refused failed } transfers(first: 200) { edges { node { id status customer { id } toEmployee { id } } } } } }`;
const RESPOND = `mutation($input: RecordTransferResponseInput!) { recordTransferResponse(input: $input) { id status resolvedAt } }`;
const SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { id } }`;
const ME = `{ me { id } }`;

/** A handover's transfers as the tests select them. */
interface TransferRow {
  id: string;
  status: string;
  reason?: string | null;
  customer: { id: string };
  toEmployee: { id: string };
  takeoverAt: string;
}
const nodes = (h: { transfers: Connection<TransferRow> }) => h.transfers.edges.map((e) => e.node);

async function activeOwners(t: TestApp, customerId: string): Promise<string[]> {
  const r = await t.db.query(
    `SELECT employee_id FROM customer_relations WHERE customer_id = $1 AND status = 'ACTIVE' ORDER BY employee_id`,
    [customerId],
  );
  return r.rows.map((x) => x.employee_id);
}

async function counter(t: TestApp, employeeId: string): Promise<number> {
  return (await t.db.query(`SELECT active_customer_count FROM employees WHERE id = $1`, [employeeId])).rows[0]
    .active_customer_count;
}

describe('reassignment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function setup(opts: { acceptance?: number; customers?: number; capacities?: number[] } = {}) {
    const org = await signUpOrg(t);
    if (opts.acceptance !== undefined)
      ok(await t.gql(SETTINGS, { input: { transferAcceptanceMinutes: opts.acceptance } }, org.adminToken));
    const leaver = await createEmployee(t, org, { name: 'Leaver' });
    const takers: EmployeeFixture[] = [];
    for (const cap of opts.capacities ?? [5000, 5000])
      takers.push(await createEmployee(t, org, { customerCapacity: cap }));
    const customers: string[] = [];
    for (let i = 0; i < (opts.customers ?? 4); i++)
      customers.push((await addCustomer(t, org.adminToken, leaver.id, { name: `C${i}` })).customerId);
    return { org, leaver, takers, customers };
  }

  /** What DEPART selects of a hand-over. */
  interface Handover {
    id: string;
    kind: string;
    message: string | null;
    fromEmployee: { id: string; status: string };
    requestedBy: { id: string };
    counts: { total: number; waiting: number; completed: number; refused: number; failed: number };
    transfers: Connection<TransferRow>;
  }

  /** `leaverId` departs as the admin decides: the customers go to `takeoverIds` by `strategy`; the hand-over. */
  async function depart(
    org: OrgFixture,
    leaverId: string,
    strategy: string,
    takeoverIds: string[],
    more: { message?: string } = {},
  ): Promise<Handover> {
    const input = { employeeId: leaverId, ...more, takeover: { strategy, takeoverEmployeeIds: takeoverIds } };
    return ok(await t.gql<{ departEmployee: Handover }>(DEPART, { input }, org.adminToken)).departEmployee;
  }

  /** Makes a hand-over's transfers due (their takeoverAt passed `ago`) without waiting for the acceptance period. */
  async function makeDue(handoverId: string, ago: string): Promise<void> {
    await t.db.query(`UPDATE transfers SET takeover_at = now() - $2::interval WHERE handover_id = $1`, [
      handoverId,
      ago,
    ]);
  }

  describe('departEmployee', () => {
    it('marks the employee DEPARTED at once and creates one WAITING transfer per active relation in one hand-over', async () => {
      const { org, leaver, takers, customers } = await setup();
      const before = Date.now();
      const h = await depart(org, leaver.id, 'SINGLE', [takers[0].id], { message: '离职交接' });
      expect(h).toMatchObject({
        kind: 'DEPARTURE',
        message: '离职交接',
        fromEmployee: { id: leaver.id, status: 'DEPARTED' },
        requestedBy: { id: org.adminId },
      });
      expect(h.counts).toEqual({ total: 4, waiting: 4, completed: 0, refused: 0, failed: 0 });
      const ts = nodes(h);
      expect(ts.map((x) => x.customer.id).sort()).toEqual([...customers].sort());
      for (const x of ts) {
        expect(x).toMatchObject({
          status: 'WAITING',
          toEmployee: { id: takers[0].id },
          fromEmployee: { id: leaver.id },
        });
        const delay = new Date(x.takeoverAt).getTime() - before;
        expect(delay).toBeGreaterThan(1439 * 60_000);
        expect(delay).toBeLessThan(1441 * 60_000);
      }
      // Until takeoverAt the customers stay with the old employee; the takeover's capacity is reserved.
      expect(await activeOwners(t, customers[0])).toEqual([leaver.id]);
      // Sessions stop at once; the employee is kept.
      expect(codeOf(await t.gql(ME, {}, leaver.token))).toBe('UNAUTHENTICATED');
      const row = await t.db.query(`SELECT status, departed_at FROM employees WHERE id = $1`, [leaver.id]);
      expect(row.rows[0].status).toBe('DEPARTED');
      expect(row.rows[0].departed_at).not.toBeNull();
      const tl = await t.db.query(
        `SELECT type, summary, employee_id, data FROM timeline_events WHERE customer_id = $1 ORDER BY created_at`,
        [customers[0]],
      );
      expect(tl.rows.map((r) => r.type)).toEqual(['relation.added', 'transfer.requested']);
      const requested = ts.find((x) => x.customer.id === customers[0])!;
      expect(tl.rows[1]).toEqual({
        type: 'transfer.requested',
        summary: 'Hand-over after departure requested',
        employee_id: leaver.id,
        data: { transferId: requested.id, handoverId: h.id, status: 'WAITING', toEmployeeId: requested.toEmployee.id },
      });
      // A relation added for a departed employee is refused, never orphaned.
      expect(
        codeOf(
          await t.gql(
            RECORD_ADDED,
            { input: { employeeId: leaver.id, addWay: 'QR_CODE', customer: { name: 'Late' } } },
            org.adminToken,
          ),
        ),
      ).toBe('CONFLICT');
      // Calling again with nothing unplaced creates nothing and returns the same hand-over.
      const again = await depart(org, leaver.id, 'SINGLE', [takers[1].id]);
      expect(again.id).toBe(h.id);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM transfers WHERE from_employee_id = $1`, [leaver.id])).rows[0]
          .n,
      ).toBe(4);
    });

    it('completes at once with a zero acceptance window: relations move, counters follow, timeline records it', async () => {
      const { org, leaver, takers, customers } = await setup({ acceptance: 0 });
      // The takeover already holds customer 0: that relation is kept, not duplicated.
      await addCustomer(t, org.adminToken, takers[0].id, {}, {});
      const shared = (await t.db.query(`SELECT external_id FROM customers WHERE id = $1`, [customers[0]])).rows[0];
      expect(shared).toBeDefined();
      await t.db.query(
        `INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at) VALUES ($1, $2, $3, 'ACTIVE', 'OTHER', now())`,
        [org.orgId, customers[0], takers[0].id],
      );
      await t.db.query(`UPDATE employees SET active_customer_count = active_customer_count + 1 WHERE id = $1`, [
        takers[0].id,
      ]);
      const before = await counter(t, takers[0].id);
      const h = await depart(org, leaver.id, 'SINGLE', [takers[0].id]);
      expect(h.counts).toEqual({ total: 4, waiting: 0, completed: 4, refused: 0, failed: 0 });
      for (const c of customers) expect(await activeOwners(t, c)).toEqual([takers[0].id]);
      const rels = await t.db.query(
        `SELECT status, add_way FROM customer_relations WHERE employee_id = $1 AND customer_id = ANY($2) ORDER BY status`,
        [leaver.id, customers],
      );
      expect(rels.rows.every((r) => r.status === 'TRANSFERRED_AWAY')).toBe(true);
      const fresh = await t.db.query(
        `SELECT count(*)::int AS n FROM customer_relations WHERE employee_id = $1 AND add_way = 'TRANSFER' AND status = 'ACTIVE'`,
        [takers[0].id],
      );
      expect(fresh.rows[0].n).toBe(3);
      expect(await counter(t, leaver.id)).toBe(0);
      expect(await counter(t, takers[0].id)).toBe(before + 3);
      const tl = await t.db.query(`SELECT type FROM timeline_events WHERE customer_id = $1 ORDER BY created_at, type`, [
        customers[1],
      ]);
      // Nothing waited: one event, the completion (no "requested" written the same instant).
      expect(tl.rows.map((r) => r.type)).toEqual(['relation.added', 'transfer.completed']);
      const tr = await t.db.query(
        `SELECT status, resolved_at IS NOT NULL AS resolved FROM transfers WHERE from_employee_id = $1`,
        [leaver.id],
      );
      expect(tr.rows).toEqual(Array(4).fill({ status: 'COMPLETED', resolved: true }));
      // The list's employee filter (customers.active_employee_ids, applied by the move itself) follows.
      const listed = async (employeeIds: string[]) =>
        ok(
          await t.gql(
            `query($f: CustomerFilter) { customers(filter: $f, first: 50) { edges { node { id } } } }`,
            { f: { employeeIds } },
            org.adminToken,
          ),
        ).customers.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(await listed([leaver.id, takers[1].id])).toEqual([]);
      expect(await listed([leaver.id, takers[0].id])).toEqual(expect.arrayContaining(customers));
    });

    const dist = async (strategy: string, capacities: number[], n: number) => {
      const { org, leaver, takers } = await setup({ customers: n, capacities });
      const h = await depart(org, leaver.id, strategy, takers.map((x) => x.id));
      const per = takers.map(
        (tk) => nodes(h).filter((x) => x.status === 'WAITING' && x.toEmployee.id === tk.id).length,
      );
      return {
        per,
        failed: nodes(h).filter((x: { status: string }) => x.status === 'TAKEOVER_LIMIT_EXCEEDED').length,
        counts: h.counts,
      };
    };

    it('SINGLE gives everything to the first takeover and records TAKEOVER_LIMIT_EXCEEDED beyond its room', async () => {
      expect(await dist('SINGLE', [3, 100], 5)).toMatchObject({
        per: [3, 0],
        failed: 2,
        counts: { total: 5, waiting: 3, failed: 2 },
      });
    });

    it('writes each transfer’s timeline event in the hand-over’s transaction, failed ones too, with or without a window', async () => {
      for (const acceptance of [1440, 0]) {
        const { org, leaver, takers } = await setup({ acceptance, customers: 5, capacities: [3] });
        const h = await depart(org, leaver.id, 'SINGLE', [takers[0].id]);
        const events = await t.db.query(
          `SELECT e.type, e.summary, e.employee_id, e.data->>'status' AS status, tr.status AS transfer_status
             FROM transfers tr JOIN timeline_events e ON e.customer_id = tr.customer_id AND e.data->>'transferId' = tr.id::text
            WHERE tr.handover_id = $1 ORDER BY e.type`,
          [h.id],
        );
        const placed = acceptance ? 'transfer.requested' : 'transfer.completed';
        expect(events.rows.map((r) => r.type)).toEqual(
          [placed, placed, placed, 'transfer.failed', 'transfer.failed'].sort(),
        );
        for (const r of events.rows.filter((x) => x.type === 'transfer.failed')) {
          expect(r).toEqual({
            type: 'transfer.failed',
            summary: 'Hand-over after departure not possible: no takeover has room',
            employee_id: leaver.id,
            status: 'TAKEOVER_LIMIT_EXCEEDED',
            transfer_status: 'TAKEOVER_LIMIT_EXCEEDED',
          });
        }
        // One event per transfer: the failed ones are not recorded twice, the placed ones once.
        expect(
          (await t.db.query(`SELECT count(*)::int AS n FROM timeline_events WHERE data->>'handoverId' = $1`, [h.id]))
            .rows[0].n,
        ).toBe(5);
      }
    });

    it('ROUND_ROBIN deals in turn, skipping a full takeover, and fails only when nobody has room', async () => {
      expect(await dist('ROUND_ROBIN', [100, 100, 100], 7)).toMatchObject({ per: [3, 2, 2], failed: 0 });
      // Exactly an equal share of room each (dealt in turn without a slot list), and one short of it (the slot list).
      expect(await dist('ROUND_ROBIN', [3, 3, 3], 7)).toMatchObject({ per: [3, 2, 2], failed: 0 });
      expect(await dist('ROUND_ROBIN', [2, 3, 3], 7)).toMatchObject({ per: [2, 3, 2], failed: 0 });
      expect(await dist('ROUND_ROBIN', [1, 100], 5)).toMatchObject({ per: [1, 4], failed: 0 });
      expect(await dist('ROUND_ROBIN', [1, 2], 5)).toMatchObject({ per: [1, 2], failed: 2 });
    });

    it('LEAST_LOADED gives each customer to the takeover with the most free capacity', async () => {
      // 10 vs 4 free: 6 go to the first before they alternate.
      expect(await dist('LEAST_LOADED', [10, 4], 8)).toMatchObject({ per: [7, 1], failed: 0 });
    });

    it('hands over what is still unplaced when called again for a departed employee', async () => {
      const { org, leaver, takers } = await setup({ customers: 5, capacities: [2] });
      const first = await depart(org, leaver.id, 'SINGLE', [takers[0].id]);
      expect(first.counts).toMatchObject({ waiting: 2, failed: 3 });
      const other = await createEmployee(t, org);
      const second = await depart(org, leaver.id, 'SINGLE', [other.id]);
      expect(second.id).not.toBe(first.id);
      expect(second.counts).toEqual({ total: 3, waiting: 3, completed: 0, refused: 0, failed: 0 });
      const waiting = await t.db.query(
        `SELECT count(*)::int AS n FROM transfers WHERE from_employee_id = $1 AND status = 'WAITING'`,
        [leaver.id],
      );
      expect(waiting.rows[0].n).toBe(5);
    });

    it('produces one hand-over when two departures of one employee race', async () => {
      const { org, leaver, takers } = await setup({ customers: 6 });
      const input = {
        employeeId: leaver.id,
        takeover: { strategy: 'ROUND_ROBIN', takeoverEmployeeIds: takers.map((x) => x.id) },
      };
      const [a, b] = await Promise.all([
        t.gql(DEPART, { input }, org.adminToken),
        t.gql(DEPART, { input }, org.adminToken),
      ]);
      expect(ok(a).departEmployee.id).toBe(ok(b).departEmployee.id);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM handovers WHERE from_employee_id = $1`, [leaver.id])).rows[0]
          .n,
      ).toBe(1);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM transfers WHERE from_employee_id = $1`, [leaver.id])).rows[0]
          .n,
      ).toBe(6);
    });

    it('never orphans a relation added while the employee departs: it is included or refused', async () => {
      const { org, leaver, takers } = await setup({ customers: 3 });
      const depart = t.gql(
        DEPART,
        { input: { employeeId: leaver.id, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[0].id] } } },
        org.adminToken,
      );
      const adds = Array.from({ length: 5 }, (_, i) =>
        t.gql(
          RECORD_ADDED,
          { input: { employeeId: leaver.id, addWay: 'QR_CODE', customer: { name: `Race ${i}` } } },
          org.adminToken,
        ),
      );
      const [d, ...added] = await Promise.all([depart, ...adds]);
      ok(d);
      for (const r of added) if (r.errors) expect(codeOf(r)).toBe('CONFLICT');
      const orphans = await t.db.query(
        `SELECT r.id FROM customer_relations r WHERE r.employee_id = $1 AND r.status = 'ACTIVE'
           AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.from_relation_id = r.id)`,
        [leaver.id],
      );
      expect(orphans.rows).toEqual([]);
    });

    it('guards: unauthenticated, other organization, forbidden role, bad input', async () => {
      const { org, leaver, takers } = await setup({ customers: 1 });
      const other = await signUpOrg(t);
      const sales = await createEmployee(t, org);
      const input = { employeeId: leaver.id, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[0].id] } };
      expect(codeOf(await t.gql(DEPART, { input }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(DEPART, { input }, sales.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DEPART, { input }, other.adminToken))).toBe('NOT_FOUND');
      const self = await t.gql(
        DEPART,
        { input: { ...input, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [leaver.id] } } },
        org.adminToken,
      );
      expect(codeOf(self)).toBe('BAD_USER_INPUT');
      expect(self.errors![0].message).toContain('input.takeover.takeoverEmployeeIds');
      const none = await t.gql(
        DEPART,
        { input: { ...input, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [] } } },
        org.adminToken,
      );
      expect(codeOf(none)).toBe('BAD_USER_INPUT');
      const foreign = await t.gql(
        DEPART,
        { input: { ...input, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [other.adminId] } } },
        org.adminToken,
      );
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      ok(
        await t.gql(
          `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id } }`,
          { input: { id: takers[1].id, status: 'SUSPENDED' } },
          org.adminToken,
        ),
      );
      expect(
        codeOf(
          await t.gql(
            DEPART,
            { input: { ...input, takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[1].id] } } },
            org.adminToken,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      const status = await t.db.query(`SELECT status FROM employees WHERE id = $1`, [leaver.id]);
      expect(status.rows[0].status).toBe('ACTIVE');
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM handovers WHERE from_employee_id = $1`, [leaver.id])).rows[0]
          .n,
      ).toBe(0);
    });
  });

  describe('transferCustomers (ON_JOB)', () => {
    it('moves chosen customers; a customer is in at most one WAITING transfer (CONFLICT, nothing created)', async () => {
      const { org, leaver, takers, customers } = await setup();
      const h = ok(
        await t.gql(
          TRANSFER,
          {
            input: {
              fromEmployeeId: leaver.id,
              customerIds: customers.slice(0, 2),
              takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[0].id] },
            },
          },
          org.adminToken,
        ),
      ).transferCustomers;
      expect(h).toMatchObject({ kind: 'ON_JOB', counts: { total: 2, waiting: 2 } });
      const before = (await t.db.query(`SELECT count(*)::int AS n FROM transfers`)).rows[0].n;
      const dup = await t.gql(
        TRANSFER,
        {
          input: {
            fromEmployeeId: leaver.id,
            customerIds: customers.slice(1, 3),
            takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[1].id] },
          },
        },
        org.adminToken,
      );
      expect(codeOf(dup)).toBe('CONFLICT');
      expect((await t.db.query(`SELECT count(*)::int AS n FROM transfers`)).rows[0].n).toBe(before);
      const notHeld = await t.gql(
        TRANSFER,
        {
          input: {
            fromEmployeeId: takers[0].id,
            customerIds: [customers[3]],
            takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[1].id] },
          },
        },
        org.adminToken,
      );
      expect(codeOf(notHeld)).toBe('BAD_USER_INPUT');
      expect(notHeld.errors![0].message).toContain('input.customerIds');
    });

    it('allows at most onJobTransferLimit ON_JOB transfers of a customer within the window (WeCom: 2 in 90 days)', async () => {
      const { org, leaver, takers, customers } = await setup({ acceptance: 0, customers: 1, capacities: [100, 100] });
      const c = customers[0];
      const move = async (from: string, to: string) =>
        ok(
          await t.gql(
            TRANSFER,
            {
              input: {
                fromEmployeeId: from,
                customerIds: [c],
                takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [to] },
              },
            },
            org.adminToken,
          ),
        ).transferCustomers;
      expect((await move(leaver.id, takers[0].id)).counts.completed).toBe(1);
      expect((await move(takers[0].id, takers[1].id)).counts.completed).toBe(1);
      const third = await move(takers[1].id, takers[0].id);
      expect(third.counts).toEqual({ total: 1, waiting: 0, completed: 0, refused: 0, failed: 1 });
      expect(nodes(third)[0].status).toBe('TRANSFER_LIMIT_EXCEEDED');
      const failed = await t.db.query(
        `SELECT summary, employee_id FROM timeline_events WHERE customer_id = $1 AND type = 'transfer.failed'`,
        [c],
      );
      expect(failed.rows).toEqual([
        { summary: 'Transfer not possible: transfer limit reached', employee_id: takers[1].id },
      ]);
      expect(await activeOwners(t, c)).toEqual([takers[1].id]);
      // Outside the window the limit resets; a refused transfer does not count.
      await t.db.query(
        `UPDATE transfers SET created_at = now() - interval '91 days' WHERE customer_id = $1 AND status = 'COMPLETED'`,
        [c],
      );
      expect((await move(takers[1].id, takers[0].id)).counts.completed).toBe(1);
    });

    it('guards: unauthenticated, other organization, forbidden role, bad input', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 1 });
      const other = await signUpOrg(t);
      const input = {
        fromEmployeeId: leaver.id,
        customerIds: customers,
        takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[0].id] },
      };
      expect(codeOf(await t.gql(TRANSFER, { input }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(TRANSFER, { input }, leaver.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(TRANSFER, { input }, other.adminToken))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(TRANSFER, { input: { ...input, customerIds: [] } }, org.adminToken))).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        codeOf(
          await t.gql(
            TRANSFER,
            { input: { ...input, takeover: { strategy: 'RANDOM', takeoverEmployeeIds: [takers[0].id] } } },
            org.adminToken,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      const foreignCustomer = (await addCustomer(t, other.adminToken, other.adminId)).customerId;
      expect(
        codeOf(await t.gql(TRANSFER, { input: { ...input, customerIds: [foreignCustomer] } }, org.adminToken)),
      ).toBe('NOT_FOUND');
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM transfers WHERE from_employee_id = $1`, [leaver.id])).rows[0]
          .n,
      ).toBe(0);
    });
  });

  describe('recordTransferResponse', () => {
    it('accepted completes now; refused ON_JOB keeps the customer; refused DEPARTURE loses the customer', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 3 });
      const on = ok(
        await t.gql(
          TRANSFER,
          {
            input: {
              fromEmployeeId: leaver.id,
              customerIds: customers.slice(0, 2),
              takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[0].id] },
            },
          },
          org.adminToken,
        ),
      ).transferCustomers;
      const [accept, refuse] = nodes(on);
      const a = ok(
        await t.gql(RESPOND, { input: { transferId: accept.id, accepted: true } }, org.adminToken),
      ).recordTransferResponse;
      expect(a.status).toBe('COMPLETED');
      expect(await activeOwners(t, accept.customer.id)).toEqual([takers[0].id]);
      const r = ok(
        await t.gql(RESPOND, { input: { transferId: refuse.id, accepted: false } }, org.adminToken),
      ).recordTransferResponse;
      expect(r.status).toBe('REFUSED');
      expect(r.resolvedAt).not.toBeNull();
      expect(await activeOwners(t, refuse.customer.id)).toEqual([leaver.id]);
      expect(codeOf(await t.gql(RESPOND, { input: { transferId: refuse.id, accepted: true } }, org.adminToken))).toBe(
        'CONFLICT',
      );
      expect(codeOf(await t.gql(RESPOND, { input: { transferId: accept.id, accepted: false } }, org.adminToken))).toBe(
        'CONFLICT',
      );

      const dep = await depart(org, leaver.id, 'SINGLE', [takers[1].id]);
      const refusedDeparture = nodes(dep).find((x) => x.customer.id === customers[2])!;
      const updatedBefore = (await t.db.query(`SELECT updated_at FROM customers WHERE id = $1`, [customers[2]])).rows[0]
        .updated_at;
      ok(await t.gql(RESPOND, { input: { transferId: refusedDeparture.id, accepted: false } }, org.adminToken));
      expect(await activeOwners(t, customers[2])).toEqual([]);
      const touched = await t.db.query(`SELECT updated_at > $2 AS ok FROM customers WHERE id = $1`, [
        customers[2],
        updatedBefore,
      ]);
      expect(touched.rows[0].ok).toBe(true);
      const ended = await t.db.query(
        `SELECT status FROM customer_relations WHERE customer_id = $1 AND employee_id = $2`,
        [customers[2], leaver.id],
      );
      expect(ended.rows[0].status).toBe('DELETED_BY_CUSTOMER');
      const unassigned = ok(
        await t.gql(
          `{ customers(filter: { unassigned: true }, first: 200) { edges { node { id } } } }`,
          {},
          org.adminToken,
        ),
      ).customers.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(unassigned).toContain(customers[2]);
      const handover = ok(
        await t.gql(
          `query($id: ID!) { handover(id: $id) { counts { total waiting completed refused failed } } }`,
          { id: dep.id },
          org.adminToken,
        ),
      ).handover;
      const statuses = await t.db.query(
        `SELECT status, count(*)::int AS n FROM transfers WHERE handover_id = $1 GROUP BY status`,
        [dep.id],
      );
      const byStatus = Object.fromEntries(statuses.rows.map((x) => [x.status, x.n]));
      expect(handover.counts).toEqual({
        total: 2,
        waiting: byStatus.WAITING ?? 0,
        completed: byStatus.COMPLETED ?? 0,
        refused: 1,
        failed: 0,
      });
    });

    it('guards: unauthenticated, other organization, forbidden role, bad input', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 1 });
      const other = await signUpOrg(t);
      const h = ok(
        await t.gql(
          TRANSFER,
          {
            input: {
              fromEmployeeId: leaver.id,
              customerIds: customers,
              takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[0].id] },
            },
          },
          org.adminToken,
        ),
      ).transferCustomers;
      const id = nodes(h)[0].id;
      expect(codeOf(await t.gql(RESPOND, { input: { transferId: id, accepted: true } }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(RESPOND, { input: { transferId: id, accepted: true } }, takers[0].token))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await t.gql(RESPOND, { input: { transferId: id, accepted: true } }, other.adminToken))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(RESPOND, { input: { transferId: 'x', accepted: true } }, org.adminToken))).toBe(
        'BAD_USER_INPUT',
      );
      // A custom role that may answer transfers only in its own department tree.
      ok(
        await t.gql(
          `mutation($input: RoleInput!) { createRole(input: $input) { id } }`,
          { input: { name: 'dept-responder', dataScope: 'DEPARTMENT', permissions: ['handover:respond'] } },
          org.adminToken,
        ),
      );
      const dept = ok(
        await t.gql(`mutation { createDepartment(input: { name: "Elsewhere" }) { id } }`, {}, org.adminToken),
      ).createDepartment.id;
      const responder = await createEmployee(t, org, { roles: ['dept-responder'], departmentId: dept });
      expect(codeOf(await t.gql(RESPOND, { input: { transferId: id, accepted: false } }, responder.token))).toBe(
        'FORBIDDEN',
      );
      expect((await t.db.query(`SELECT status FROM transfers WHERE id = $1`, [id])).rows[0].status).toBe('WAITING');
    });
  });

  describe('completion by jobs and sweeps', () => {
    it('completes overdue transfers exactly once, even when two sweeps run at the same time', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 12, capacities: [100, 100] });
      const h = await depart(org, leaver.id, 'ROUND_ROBIN', takers.map((x) => x.id));
      await makeDue(h.id, '1 second');
      const svc = t.app.get(ReassignmentService);
      const started = (await t.db.query(`SELECT now() AS at`)).rows[0].at as Date;
      const [a, b] = await Promise.all([svc.completeDue({ orgId: org.orgId }), svc.completeDue({ orgId: org.orgId })]);
      expect(a + b).toBe(12);
      // Resolved at the completion, not at the request: the KPI's transfersIn / transfersOut count them on that day,
      // per takeover and per employee handing over.
      const resolved = await t.db.query(
        `SELECT to_employee_id, from_employee_id, count(*)::int AS n, bool_and(resolved_at >= $2 AND resolved_at > created_at) AS at_completion
           FROM transfers WHERE handover_id = $1 AND status = 'COMPLETED' GROUP BY 1, 2 ORDER BY 1`,
        [h.id, started],
      );
      expect(resolved.rows).toEqual(
        takers
          .map((x) => ({ to_employee_id: x.id, from_employee_id: leaver.id, n: 6, at_completion: true }))
          .sort((x, y) => (x.to_employee_id < y.to_employee_id ? -1 : 1)),
      );
      expect(await svc.completeDue({ orgId: org.orgId })).toBe(0);
      for (const c of customers) expect((await activeOwners(t, c)).length).toBe(1);
      const dupes = await t.db.query(
        `SELECT customer_id FROM customer_relations WHERE customer_id = ANY($1) AND add_way = 'TRANSFER' GROUP BY customer_id HAVING count(*) > 1`,
        [customers],
      );
      expect(dupes.rows).toEqual([]);
      expect(await counter(t, takers[0].id)).toBe(6);
      expect(await counter(t, takers[1].id)).toBe(6);
      const events = await t.db.query(
        `SELECT count(*)::int AS n FROM timeline_events WHERE customer_id = ANY($1) AND type = 'transfer.completed'`,
        [customers],
      );
      expect(events.rows[0].n).toBe(12);
    });

    it('cancels a due transfer whose relation ended meanwhile or whose takeover is no longer active, and completes the others', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 4, capacities: [100, 100] });
      const h = await depart(org, leaver.id, 'ROUND_ROBIN', takers.map((x) => x.id));
      const to = new Map<string, string>(nodes(h).map((n) => [n.customer.id, n.toEmployee.id]));
      const [kept, ended] = customers.filter((c) => to.get(c) === takers[0].id);
      const ofSuspended = customers.filter((c) => to.get(c) === takers[1].id);
      expect(ofSuspended.length).toBe(2);
      await t.db.query(
        `UPDATE customer_relations SET status = 'DELETED_BY_CUSTOMER', ended_at = now() WHERE employee_id = $1 AND customer_id = $2 AND status = 'ACTIVE'`,
        [leaver.id, ended],
      );
      await t.db.query(`UPDATE employees SET status = 'SUSPENDED' WHERE id = $1`, [takers[1].id]);
      await makeDue(h.id, '1 second');
      expect(await t.app.get(ReassignmentService).completeDue({ orgId: org.orgId })).toBe(4);
      const statuses = await t.db.query(`SELECT customer_id, status FROM transfers WHERE handover_id = $1`, [h.id]);
      expect(Object.fromEntries(statuses.rows.map((r) => [r.customer_id, r.status]))).toEqual({
        [kept]: 'COMPLETED',
        [ended]: 'CANCELED',
        [ofSuspended[0]]: 'CANCELED',
        [ofSuspended[1]]: 'CANCELED',
      });
      expect(await activeOwners(t, kept)).toEqual([takers[0].id]);
      expect(await activeOwners(t, ended)).toEqual([]);
      for (const c of ofSuspended) expect(await activeOwners(t, c)).toEqual([leaver.id]);
      expect(await counter(t, takers[0].id)).toBe(1);
      expect(await counter(t, takers[1].id)).toBe(0);
      const events = await t.db.query(
        `SELECT customer_id, type FROM timeline_events WHERE customer_id = ANY($1) AND type IN ('transfer.completed', 'transfer.canceled')`,
        [customers],
      );
      expect(Object.fromEntries(events.rows.map((r) => [r.customer_id, r.type]))).toEqual({
        [kept]: 'transfer.completed',
        [ended]: 'transfer.canceled',
        [ofSuspended[0]]: 'transfer.canceled',
        [ofSuspended[1]]: 'transfer.canceled',
      });
      expect(events.rows.length).toBe(4);
    });

    it('catches up after downtime: a worker started after takeoverAt completes the transfers through its sweep', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 3 });
      const h = await depart(org, leaver.id, 'SINGLE', [takers[0].id]);
      await makeDue(h.id, '5 minutes');
      // A second worker process starting now runs the reconcile sweep at start.
      const worker = await startTestAppOn(t);
      try {
        const done = await eventually(
          async () =>
            (
              await t.db.query(
                `SELECT count(*)::int AS n FROM transfers WHERE handover_id = $1 AND status = 'COMPLETED'`,
                [h.id],
              )
            ).rows[0].n,
          (n) => n === 3,
        );
        expect(done).toBe(3);
      } finally {
        await worker.close();
      }
      for (const c of customers) expect(await activeOwners(t, c)).toEqual([takers[0].id]);
    });

    it('completes each transfer once when two worker processes start together after downtime', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 20, capacities: [100, 100] });
      const h = await depart(org, leaver.id, 'LEAST_LOADED', takers.map((x) => x.id));
      await makeDue(h.id, '1 minute');
      const [w1, w2] = await Promise.all([startTestAppOn(t), startTestAppOn(t)]);
      try {
        await eventually(
          async () =>
            (
              await t.db.query(
                `SELECT count(*)::int AS n FROM transfers WHERE handover_id = $1 AND status = 'WAITING'`,
                [h.id],
              )
            ).rows[0].n,
          (n) => n === 0,
        );
      } finally {
        await Promise.all([w1.close(), w2.close()]);
      }
      const statuses = await t.db.query(
        `SELECT status, count(*)::int AS n FROM transfers WHERE handover_id = $1 GROUP BY status`,
        [h.id],
      );
      expect(statuses.rows).toEqual([{ status: 'COMPLETED', n: 20 }]);
      const moved = await t.db.query(
        `SELECT count(*)::int AS n FROM customer_relations WHERE customer_id = ANY($1) AND add_way = 'TRANSFER'`,
        [customers],
      );
      expect(moved.rows[0].n).toBe(20);
      expect((await counter(t, takers[0].id)) + (await counter(t, takers[1].id))).toBe(20);
      const events = await t.db.query(
        `SELECT count(*)::int AS n FROM timeline_events WHERE customer_id = ANY($1) AND type = 'transfer.completed'`,
        [customers],
      );
      expect(events.rows[0].n).toBe(20);
    });

    it('runs the delayed completion job idempotently (a duplicate delivery changes nothing)', async () => {
      const { org, leaver, takers } = await setup({ customers: 2 });
      const h = await depart(org, leaver.id, 'SINGLE', [takers[0].id]);
      await t.db.query(`UPDATE transfers SET takeover_at = now() WHERE handover_id = $1`, [h.id]);
      const svc = t.app.get(ReassignmentService);
      expect(await svc.completeDue({ orgId: org.orgId, handoverId: h.id })).toBe(2);
      const snapshot = async () =>
        (await t.db.query(`SELECT id, status, resolved_at FROM transfers WHERE handover_id = $1 ORDER BY id`, [h.id]))
          .rows;
      const first = await snapshot();
      expect(await svc.completeDue({ orgId: org.orgId, handoverId: h.id })).toBe(0);
      expect(await snapshot()).toEqual(first);
      expect(await counter(t, takers[0].id)).toBe(2);
    });
  });

  describe('preview and lists', () => {
    it('previews the distribution without changing anything', async () => {
      const { org, leaver, takers } = await setup({ customers: 5, capacities: [2, 1] });
      const p = ok(
        await t.gql(
          `query($input: PreviewHandoverInput!) { previewHandover(input: $input) { customers placed takeoverLimitExceeded transferLimitExceeded alreadyWaiting takeovers { employee { id } assigned capacityLeft } } }`,
          {
            input: {
              kind: 'DEPARTURE',
              fromEmployeeId: leaver.id,
              takeover: { strategy: 'LEAST_LOADED', takeoverEmployeeIds: takers.map((x) => x.id) },
            },
          },
          org.adminToken,
        ),
      ).previewHandover;
      expect(p).toEqual({
        customers: 5,
        placed: 3,
        takeoverLimitExceeded: 2,
        transferLimitExceeded: 0,
        alreadyWaiting: 0,
        takeovers: [
          { employee: { id: takers[0].id }, assigned: 2, capacityLeft: 2 },
          { employee: { id: takers[1].id }, assigned: 1, capacityLeft: 1 },
        ],
      });
      expect((await t.db.query(`SELECT status FROM employees WHERE id = $1`, [leaver.id])).rows[0].status).toBe(
        'ACTIVE',
      );
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM transfers WHERE from_employee_id = $1`, [leaver.id])).rows[0]
          .n,
      ).toBe(0);
    });

    it('lists hand-overs newest first within the caller’s scope, with transfers paged by status', async () => {
      const { org, leaver, takers, customers } = await setup({ customers: 3 });
      ok(
        await t.gql(
          TRANSFER,
          {
            input: {
              fromEmployeeId: leaver.id,
              customerIds: [customers[0]],
              takeover: { strategy: 'SINGLE', takeoverEmployeeIds: [takers[0].id] },
            },
          },
          org.adminToken,
        ),
      );
      const dep = await depart(org, leaver.id, 'SINGLE', [takers[1].id]);
      const list = ok(
        await t.gql(`{ handovers(first: 10) { edges { node { id kind counts { total } } } } }`, {}, org.adminToken),
      ).handovers.edges.map((e: { node: unknown }) => e.node);
      expect(list.map((h: { kind: string }) => h.kind)).toEqual(['DEPARTURE', 'ON_JOB']);
      expect(list[0]).toEqual({ id: dep.id, kind: 'DEPARTURE', counts: { total: 2 } });
      const byKind = ok(
        await t.gql(`{ handovers(filter: { kind: ON_JOB }) { edges { node { kind } } } }`, {}, org.adminToken),
      ).handovers.edges;
      expect(byKind).toEqual([{ node: { kind: 'ON_JOB' } }]);
      const waiting = ok(await t.gql(`query($id: ID!) { handover(id: $id) { transfers(status: [WAITING], first: 1) { edges { node { status } } pageInfo { hasNextPage } } } }`, { id: dep.id }, org.adminToken)).handover.transfers;
      expect(waiting.edges).toHaveLength(1);
      expect(waiting.pageInfo.hasNextPage).toBe(true);
      const sales = await createEmployee(t, org);
      expect(codeOf(await t.gql(`{ handovers { edges { node { id } } } }`, {}, sales.token))).toBe('FORBIDDEN');
      const other = await signUpOrg(t);
      expect(
        codeOf(await t.gql(`query($id: ID!) { handover(id: $id) { id } }`, { id: dep.id }, other.adminToken)),
      ).toBe('NOT_FOUND');
      expect(ok(await t.gql(`{ handovers { edges { node { id } } } }`, {}, other.adminToken)).handovers.edges).toEqual(
        [],
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

  it('leaves every transfer pointing at its hand-over, employees, relation and customer of the same organization (no foreign keys there)', async () => {
    const r = await t.db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE h.id IS NULL OR f.id IS NULL OR o.id IS NULL OR rel.id IS NULL OR c.id IS NULL)::int AS orphans
         FROM transfers tr
         LEFT JOIN customers c ON c.id = tr.customer_id AND c.org_id = tr.org_id
         LEFT JOIN handovers h ON h.id = tr.handover_id AND h.org_id = tr.org_id AND h.kind = tr.kind AND h.from_employee_id = tr.from_employee_id
         LEFT JOIN employees f ON f.id = tr.from_employee_id AND f.org_id = tr.org_id
         LEFT JOIN employees o ON o.id = tr.to_employee_id AND o.org_id = tr.org_id
         LEFT JOIN customer_relations rel ON rel.id = tr.from_relation_id AND rel.org_id = tr.org_id AND rel.customer_id = tr.customer_id AND rel.employee_id = tr.from_employee_id`,
    );
    expect(r.rows[0].n).toBeGreaterThan(50);
    expect(r.rows[0].orphans).toBe(0);
  });
});


/** Another server process on the same database (a worker that starts later). */
async function startTestAppOn(t: TestApp) {
  const app = await createServer(t.config, new DatabaseConnectionInfo(t.databaseUrl, false), {
    api: false,
    worker: true,
    logger: false,
  });
  return { close: () => app.close() };
}
