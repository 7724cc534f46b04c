import { FIRSTS_BACKFILL } from 'migrations/1765270000000-kpi-conversation-day-firsts';
import { ALL_COLUMNS } from 'src/modules/kpi/repositories/kpi-rollups.repository';
import { KpiRollupsService } from 'src/modules/kpi/services/kpi-rollups.service';
import { addCustomer, RECORD_ENDED } from './helpers/customers';
import { createDepartment, createEmployee, EmployeeFixture, OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted rejected { index reason } } }`;
const MOVE = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { id department { id } } }`;
const SETTINGS = `mutation($input: UpdateOrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { timezone } }`;

const ZONE = 'America/New_York';
const DAY_MS = 86_400_000;
const TYPES = ['TEXT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'IMAGE', 'AGREE', 'DISAGREE', 'REVOKE'];
const UNCOUNTED = new Set(['AGREE', 'DISAGREE', 'REVOKE']);

interface Msg {
  externalId: string;
  employeeId: string;
  customerId: string;
  senderType: 'EMPLOYEE' | 'CUSTOMER';
  type: string;
  text?: string;
  sentAt: string;
}

/** A seeded generator (mulberry32): a failing run is replayed with its seed, which the test prints. */
function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
  };
}

const localDay = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );

/** The instant of local midnight starting `day` in ZONE (searched: offsets differ across DST). */
function localMidnight(day: string): number {
  for (let offsetH = 3; offsetH <= 6; offsetH++) {
    const t = Date.parse(`${day}T00:00:00Z`) + offsetH * 3_600_000;
    if (localDay(new Date(t).toISOString()) === day && localDay(new Date(t - 1).toISOString()) !== day) return t;
  }
  throw new Error(`no midnight found for ${day}`);
}

type Row = Record<string, string | number | boolean | null>;

/**
 * DOMAIN.md "KPI" computed directly from the messages (a reference written apart from the SQL): the
 * conversation-days and the message counters of each (employee, day).
 */
function reference(messages: readonly Msg[]) {
  const convs = new Map<string, Msg[]>();
  for (const m of messages) {
    if (UNCOUNTED.has(m.type)) continue;
    const key = `${m.employeeId}|${localDay(m.sentAt)}|${m.customerId}`;
    convs.set(key, [...(convs.get(key) ?? []), m]);
  }
  const conversationDays: Row[] = [];
  for (const [key, list] of convs) {
    const [employee_id, day, customer_id] = key.split('|');
    list.sort((x, y) => Date.parse(x.sentAt) - Date.parse(y.sentAt));
    const first = list[0];
    const firstReply = list.find((m) => m.senderType === 'EMPLOYEE');
    const initiated = first.senderType === 'CUSTOMER';
    conversationDays.push({
      employee_id,
      day,
      customer_id,
      messages_sent: list.filter((m) => m.senderType === 'EMPLOYEE').length,
      messages_received: list.filter((m) => m.senderType === 'CUSTOMER').length,
      customer_initiated: initiated,
      first_response_ms:
        initiated && firstReply ? String(Date.parse(firstReply.sentAt) - Date.parse(first.sentAt)) : null,
      first_at: String(Date.parse(first.sentAt)),
      first_employee_at: firstReply ? String(Date.parse(firstReply.sentAt)) : null,
    });
  }
  return conversationDays;
}

// The rollup repository's own counter list: a counter added there is compared here too.
const SUMMED = `${ALL_COLUMNS.join(', ')}, response_buckets, response_chats`;

const sortRows = (rows: Row[]) => [...rows].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

describe('KPI: a rebuild gives what the incremental updates gave', () => {
  let t: TestApp;
  let org: OrgFixture;
  const employees: EmployeeFixture[] = [];
  const customersOf = new Map<string, string[]>();
  const departments: string[] = [];
  /** The conversation-days the first test's updates kept (and its rebuild gave again). */
  let conversationDays: Row[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    ok(await t.gql(SETTINGS, { input: { timezone: ZONE } }, org.adminToken));
    // Two departments (one inside the other) and the root: employees 0-1 in A, 2 in B (under A), 3 at the root.
    departments.push(await createDepartment(t, org.adminToken, uniq('A')));
    departments.push(await createDepartment(t, org.adminToken, uniq('B'), departments[0]));
    const homes = [departments[0], departments[0], departments[1], org.rootDepartmentId];
    // Created together: each one's password hash is the slow part, and a loaded machine has two cores.
    employees.push(
      ...(await Promise.all(homes.map((departmentId) => createEmployee(t, org, { roles: ['sales'], departmentId })))),
    );
  });
  afterAll(() => t.close());

  const snapshot = async () => {
    const q = async (sql: string) => sortRows((await t.db.query(sql, [org.orgId])).rows as Row[]);
    return {
      // With the day's first message (epoch ms; its id) and the employee's first, which the updates keep.
      conversationDays: await q(
        `SELECT employee_id, day::text AS day, customer_id, messages_sent, messages_received, customer_initiated,
                first_response_ms, (extract(epoch FROM first_at) * 1000)::bigint::text AS first_at,
                (extract(epoch FROM first_employee_at) * 1000)::bigint::text AS first_employee_at, first_message_id
           FROM kpi_conversation_days WHERE org_id = $1`,
      ),
      employeeDays: await q(`SELECT employee_id, day::text AS day, ${SUMMED} FROM kpi_employee_days WHERE org_id = $1`),
      departmentDays: await q(
        `SELECT department_id AS team, day::text AS day, ${SUMMED} FROM kpi_department_days WHERE org_id = $1`,
      ),
      organizationDays: await q(`SELECT day::text AS day, ${SUMMED} FROM kpi_organization_days WHERE org_id = $1`),
      employeeWeeks: await q(
        `SELECT employee_id AS team, week::text AS day, ${SUMMED} FROM kpi_employee_weeks WHERE org_id = $1`,
      ),
    };
  };

  /** The team rollups as DOMAIN.md "KPI" adds them up: the employee-days by current department, by day, by week. */
  const teamReference = async (employeeDays: Row[]) => {
    const departmentOf = new Map(
      (await t.db.query(`SELECT id, department_id FROM employees WHERE org_id = $1`, [org.orgId])).rows.map(
        (r: { id: string; department_id: string }) => [r.id, r.department_id],
      ),
    );
    const add = (into: Map<string, Row>, team: string | null, r: Row) => {
      const key = `${team}|${r.day}`;
      const sum: Row = into.get(key) ?? { ...(team ? { team } : {}), day: r.day, histogram: '' };
      for (const c of ALL_COLUMNS) {
        const n = Number(sum[c] ?? 0) + Number(r[c]);
        sum[c] = typeof r[c] === 'number' ? n : String(n);
      }
      const h = new Map<number, number>(JSON.parse(String(sum.histogram || '[]')));
      const buckets = r.response_buckets as unknown as number[];
      const chats = r.response_chats as unknown as number[];
      buckets.forEach((b, i) => h.set(b, (h.get(b) ?? 0) + chats[i]));
      sum.histogram = JSON.stringify([...h].sort((x, y) => x[0] - y[0]));
      into.set(key, sum);
    };
    const departmentDays = new Map<string, Row>();
    const organizationDays = new Map<string, Row>();
    const employeeWeeks = new Map<string, Row>();
    for (const r of employeeDays) {
      add(departmentDays, departmentOf.get(String(r.employee_id))!, r);
      add(organizationDays, null, r);
      const t0 = Date.parse(`${r.day}T00:00:00Z`);
      const monday = new Date(t0 - ((new Date(t0).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
      add(employeeWeeks, String(r.employee_id), { ...r, day: monday });
    }
    const shape = (rows: Row[]) =>
      sortRows(
        rows.map(({ histogram, ...r }) => {
          const h = JSON.parse(String(histogram)) as Array<[number, number]>;
          return { ...r, response_buckets: h.map((x) => x[0]), response_chats: h.map((x) => x[1]) } as unknown as Row;
        }),
      );
    return {
      departmentDays: shape([...departmentDays.values()]),
      organizationDays: shape([...organizationDays.values()]),
      employeeWeeks: shape([...employeeWeeks.values()]),
    };
  };

  it('on random messages and relations arriving late, out of order, concurrently, across local midnights', async () => {
    const seed = Number(process.env.KPI_SEED ?? Date.now() % 1_000_000);
    const rnd = generator(seed);
    // eslint-disable-next-line no-console
    console.log(`KPI_SEED=${seed}`);
    const now = Date.now();
    const days = Array.from({ length: 20 }, (_, i) => localDay(new Date(now - (i + 2) * DAY_MS).toISOString()));
    const midnights = days.map(localMidnight);
    const from = days[days.length - 1];
    const to = days[0];

    // Relations, added (and some ended by the customer or the employee) at random instants of the range.
    const ended: Array<{ employeeId: string; at: number }> = [];
    const added: Array<{ employeeId: string; at: number }> = [];
    for (const e of employees) {
      const mine: string[] = [];
      for (let i = 0; i < 3; i++) {
        const addedAt = rnd.pick(midnights) + (rnd.next() < 0.5 ? rnd.int(120_000) - 60_000 : rnd.int(DAY_MS));
        const r = await addCustomer(t, org.adminToken, e.id, {}, { addedAt: new Date(addedAt).toISOString() });
        mine.push(r.customerId);
        added.push({ employeeId: e.id, at: addedAt });
        if (rnd.next() < 0.4) {
          const endedAt = Math.min(addedAt + rnd.int(5 * DAY_MS), now - DAY_MS);
          const endedBy = rnd.pick(['CUSTOMER', 'EMPLOYEE']);
          ok(
            await t.gql(
              RECORD_ENDED,
              { input: { relationId: r.relationId, endedBy, endedAt: new Date(endedAt).toISOString() } },
              org.adminToken,
            ),
          );
          if (endedBy === 'CUSTOMER') ended.push({ employeeId: e.id, at: endedAt });
        }
      }
      customersOf.set(e.id, mine);
    }

    // Conversations: bursts around local midnights and at random, with distinct instants.
    const used = new Set<number>();
    const messages: Msg[] = [];
    while (messages.length < 700) {
      const e = rnd.pick(employees);
      const base =
        rnd.next() < 0.5 ? rnd.pick(midnights) + rnd.int(600_000) - 300_000 : rnd.pick(midnights) + rnd.int(DAY_MS);
      if (used.has(base) || base > now - 60_000) continue;
      used.add(base);
      const type = rnd.pick(TYPES);
      messages.push({
        externalId: uniq('r'),
        employeeId: e.id,
        customerId: rnd.pick(customersOf.get(e.id)!),
        senderType: rnd.next() < 0.5 ? 'EMPLOYEE' : 'CUSTOMER',
        type,
        text: type === 'TEXT' ? 'hello' : undefined,
        sentAt: new Date(base).toISOString(),
      });
    }
    // Arrival: shuffled, in batches of 1 to 80, some sent twice, three batches at a time.
    const arrival = [...messages];
    for (let i = arrival.length - 1; i > 0; i--) {
      const j = rnd.int(i + 1);
      [arrival[i], arrival[j]] = [arrival[j], arrival[i]];
    }
    const batches: Msg[][] = [];
    for (let i = 0; i < arrival.length; ) {
      const n = 1 + rnd.int(80);
      const batch = arrival.slice(i, i + n);
      if (rnd.next() < 0.2 && i > 0) batch.push(rnd.pick(arrival.slice(0, i)));
      batches.push(batch);
      i += n;
    }
    for (let i = 0; i < batches.length; i += 3) {
      // Halfway, employee 0 moves from A to B and employee 2 from B to the root: their history goes along.
      if (i === 3 * Math.floor(batches.length / 6)) {
        ok(await t.gql(MOVE, { input: { id: employees[0].id, departmentId: departments[1] } }, org.adminToken));
        ok(await t.gql(MOVE, { input: { id: employees[2].id, departmentId: org.rootDepartmentId } }, org.adminToken));
      }
      await Promise.all(
        batches.slice(i, i + 3).map(async (batch) => {
          const r = ok(await t.gql(INGEST, { input: { messages: batch } }, org.adminToken));
          expect(r.ingestChatMessages.rejected).toEqual([]);
        }),
      );
    }

    const incremental = await snapshot();
    // The first message's id is the server's (compared with the rebuild's below); each row has one.
    expect(incremental.conversationDays.filter((r) => typeof r.first_message_id !== 'string')).toEqual([]);
    expect(sortRows(incremental.conversationDays.map(({ first_message_id: _, ...r }) => r))).toEqual(
      sortRows(reference(messages)),
    );
    // The relation counters against the reference.
    const count = (list: Array<{ employeeId: string; at: number }>) => {
      const m = new Map<string, number>();
      for (const x of list) {
        const key = `${x.employeeId}|${localDay(new Date(x.at).toISOString())}`;
        m.set(key, (m.get(key) ?? 0) + 1);
      }
      return m;
    };
    const [newRef, lostRef] = [count(added), count(ended)];
    for (const r of incremental.employeeDays) {
      const key = `${r.employee_id}|${r.day}`;
      expect([key, r.new_customers, r.lost_customers]).toEqual([key, newRef.get(key) ?? 0, lostRef.get(key) ?? 0]);
    }
    const withRelations = incremental.employeeDays.filter((r) => Number(r.new_customers) || Number(r.lost_customers));
    expect(withRelations.length).toBe(new Set([...newRef.keys(), ...lostRef.keys()]).size);
    expect(incremental.employeeDays.filter((r) => (r.response_buckets as unknown as number[]).length).length)
      .toBeGreaterThan(0);
    // The team rollups the hooks kept: the employee-days added up by each one's department now, and by day.
    const teams = await teamReference(incremental.employeeDays);
    expect(new Set(incremental.departmentDays.map((r) => r.team)).size).toBe(3);
    expect(incremental.departmentDays).toEqual(teams.departmentDays);
    expect(incremental.organizationDays).toEqual(teams.organizationDays);
    expect(incremental.employeeWeeks).toEqual(teams.employeeWeeks);

    // A rebuild of the range (and of one more day each side) gives the same rows.
    const before = localDay(new Date(Date.parse(`${from}T12:00:00Z`) - DAY_MS).toISOString());
    const after = localDay(new Date(Date.parse(`${to}T12:00:00Z`) + DAY_MS).toISOString());
    // Every table tampered with first: the rebuild must rewrite them all.
    await t.db.query(`UPDATE kpi_employee_days SET chats = chats + 1, response_buckets = '{}', response_chats = '{}'
                       WHERE org_id = $1`, [org.orgId]);
    await t.db.query(`DELETE FROM kpi_department_days WHERE org_id = $1 AND day = $2`, [org.orgId, days[5]]);
    await t.db.query(`UPDATE kpi_department_days SET transfers_in = 7 WHERE org_id = $1`, [org.orgId]);
    await t.db.query(`UPDATE kpi_organization_days SET new_customers = 9 WHERE org_id = $1`, [org.orgId]);
    await t.db.query(`UPDATE kpi_employee_weeks SET replied_chats = 0 WHERE org_id = $1`, [org.orgId]);
    await t.app.get(KpiRollupsService).rebuild(org.orgId, before, after);
    expect(await snapshot()).toEqual(incremental);
    conversationDays = incremental.conversationDays;
  });

  it("fills existing conversation-days' firsts from the archive (the migration) as the updates keep them", async () => {
    expect(conversationDays.length).toBeGreaterThan(0);
    await t.db.query(
      `UPDATE kpi_conversation_days SET first_at = NULL, first_message_id = NULL, first_employee_at = NULL
        WHERE org_id = $1`,
      [org.orgId],
    );
    await t.db.query(FIRSTS_BACKFILL);
    expect((await snapshot()).conversationDays).toEqual(conversationDays);
  });
});
