import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { MomentTaskKpiCounts } from 'src/modules/moments/moments.fragments';
import { ALL_COLUMNS, KpiDb, KpiRollupsRepository } from 'src/modules/kpi/repositories/kpi-rollups.repository';
import { OrgFixture, signUpOrg } from './helpers/fixtures';
import { startTestApp, TestApp } from './helpers/test-app';

const KPI_TABLES = new Set(['kpi_employee_days', 'kpi_employee_weeks', 'kpi_conversation_days']);
/** Employees seeded with a week of employee-days each (and a conversation-day a day). */
const EMPLOYEES = 3_000;
/** A Monday, and its week's seven days. */
const MONDAY = '2026-11-02';
const WEEK = Array.from({ length: 7 }, (_, i) => new Date(Date.parse(`${MONDAY}T00:00:00Z`) + i * 86_400_000))
  .map((d) => d.toISOString().slice(0, 10));
const DAY = WEEK[2];

interface Read {
  sql: string;
  rows: number;
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of the KPI tables a plan's scans read (returned or filtered out), over all their loops. */
function kpiRowsRead(node: PlanNode): number {
  const own = KPI_TABLES.has(node['Relation Name'] ?? '')
    ? ((node['Actual Rows'] ?? 0) +
        (node['Rows Removed by Filter'] ?? 0) +
        (node['Rows Removed by Index Recheck'] ?? 0)) *
      (node['Actual Loops'] ?? 1)
    : 0;
  return own + (node.Plans ?? []).reduce((n, p) => n + kpiRowsRead(p), 0);
}

/**
 * The statements a hook runs for some (employee, day) pairs (a firing's ten employees of one day) read those
 * pairs' rows through their keys, not the organization's every row: rollups written since the last ANALYZE have
 * no statistics, and a join to the pairs alone was planned as a scan of all the organization's employee-days
 * (issue 18: 35 ms a call, the burst's busiest statement). Each statement is run under EXPLAIN ANALYZE (then for
 * real) in a transaction rolled back at the end; the results are checked too.
 */
describe('KPI rollups: statements over (employee, day) pairs probe their keys', () => {
  let t: TestApp;
  let org: OrgFixture;
  let repo: KpiRollupsRepository;
  const employees: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    repo = t.app.get(KpiRollupsRepository);
    employees.push(...Array.from({ length: EMPLOYEES }, () => randomUUID()));
    // A week of employee-days (one moment task assigned a day) and its week row per employee, and a
    // conversation-day a day: the organization's rows that a pairs statement must not read.
    await t.db.query(
      `INSERT INTO kpi_employee_days (org_id, employee_id, day, moment_tasks_assigned)
       SELECT $1, e, d, 1 FROM unnest($2::uuid[]) e, unnest($3::date[]) d`,
      [org.orgId, employees, WEEK],
    );
    await t.db.query(
      `INSERT INTO kpi_employee_weeks (org_id, employee_id, week, moment_tasks_assigned)
       SELECT $1, e, $3::date, 7 FROM unnest($2::uuid[]) e`,
      [org.orgId, employees, MONDAY],
    );
    await t.db.query(
      `INSERT INTO kpi_conversation_days (org_id, employee_id, day, customer_id, messages_sent, messages_received,
                                          customer_initiated)
       SELECT $1, e, d, gen_random_uuid(), 1, 1, false FROM unnest($2::uuid[]) e, unnest($3::date[]) d`,
      [org.orgId, employees.slice(10), WEEK],
    );
  });
  afterAll(() => t.close());

  /**
   * In a transaction rolled back after `work`: `plain`, and `db` recording the KPI rows each of its statements
   * read (`reads`, by EXPLAIN ANALYZE in a savepoint rolled back, then the statement itself).
   */
  async function explained(work: (tx: { db: KpiDb; plain: KpiDb; reads: Read[] }) => Promise<void>) {
    const client: PoolClient = await t.db.connect();
    const reads: Read[] = [];
    const plain: KpiDb = {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T,
    };
    const db: KpiDb = {
      query: async <T>(sql: string, params?: unknown[]) => {
        await client.query('SAVEPOINT explained');
        const plan = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
        await client.query('ROLLBACK TO SAVEPOINT explained');
        const root = (plan.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan;
        reads.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 80), rows: kpiRowsRead(root) });
        return (await client.query(sql, params)).rows as T;
      },
    };
    await client.query('BEGIN');
    try {
      await work({ db, plain, reads });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  /** Ten employees of one day, the first three's rows of that day counting nothing. */
  const pairs = async (db: KpiDb) => {
    const ten = employees.slice(0, 10);
    await db.query(
      `UPDATE kpi_employee_days SET moment_tasks_assigned = 0 WHERE org_id = $1 AND employee_id = ANY($2) AND day = $3`,
      [org.orgId, ten.slice(0, 3), DAY],
    );
    return { kind: 'pairs', ownerIds: ten, days: ten.map(() => DAY) } as const;
  };
  /** At most the week's days of each pair, far below the organization's 21,000 employee-days. */
  const LIMIT = 10 * 7 + 10;
  const rowsOf = async (db: KpiDb, table: string, ids: readonly string[]) =>
    db.query<Array<{ employee_id: string; day: string; n: number }>>(
      `SELECT employee_id, ${table === 'kpi_employee_weeks' ? 'week' : 'day'}::text AS day, moment_tasks_assigned AS n
         FROM ${table} WHERE org_id = $1 AND employee_id = ANY($2) ORDER BY 1, 2`,
      [org.orgId, ids],
    );

  it('sums the pairs (teamDaySums) from their rows only', async () => {
    await explained(async ({ db, plain, reads }) => {
      const sel = await pairs(plain);
      const sums = await repo.teamDaySums(db, org.orgId, sel);
      // Employees without a department (random ids): one row, the day's, 7 tasks (3 rows count nothing).
      const tasks = ALL_COLUMNS.indexOf('moment_tasks_assigned');
      expect(sums.map((s) => ({ departmentId: s.departmentId, day: s.day, tasks: s.counters[tasks] }))).toEqual([
        { departmentId: null, day: DAY, tasks: 7 },
      ]);
      expect(reads).toHaveLength(1);
      expect(reads.filter((r) => r.rows > LIMIT)).toEqual([]);
    });
  });

  it('deletes the pairs that count nothing (dropEmpty) and reads no other row', async () => {
    await explained(async ({ db, plain, reads }) => {
      const sel = await pairs(plain);
      await repo.dropEmpty(db, org.orgId, sel);
      const left = await rowsOf(plain, 'kpi_employee_days', sel.ownerIds);
      expect(left.filter((r) => r.day === DAY).map((r) => r.employee_id)).toEqual(
        [...sel.ownerIds.slice(3)].sort(),
      );
      expect(left).toHaveLength(10 * 7 - 3);
      expect(reads).toHaveLength(1);
      expect(reads.filter((r) => r.rows > LIMIT)).toEqual([]);
    });
  });

  it('recomputes the message counters of the pairs from their conversation-days only', async () => {
    await explained(async ({ db, plain, reads }) => {
      const sel = await pairs(plain);
      await repo.recomputeMessageCounters(db, org.orgId, sel);
      // No conversation-day for the ten: the three rows counting nothing go, the others stay (their tasks).
      const left = await rowsOf(plain, 'kpi_employee_days', sel.ownerIds);
      expect(left.filter((r) => r.day === DAY).map((r) => r.employee_id)).toEqual(
        [...sel.ownerIds.slice(3)].sort(),
      );
      expect(reads.filter((r) => r.rows > LIMIT)).toEqual([]);
    });
  });

  it('recomputes the source counters of the pairs and drops only those left empty', async () => {
    await explained(async ({ db, plain, reads }) => {
      const sel = await pairs(plain);
      // No moment task exists: each pair's count is 0, so the ten rows of that day count nothing and go.
      const counts = MomentTaskKpiCounts.of(org.orgId, 'UTC', sel);
      await repo.recomputeSourceCounters(db, org.orgId, 'momentTasks', sel, counts);
      const left = await rowsOf(plain, 'kpi_employee_days', sel.ownerIds);
      expect(left.filter((r) => r.day === DAY)).toEqual([]);
      expect(left).toHaveLength(10 * 6);
      expect(reads.filter((r) => r.rows > LIMIT)).toEqual([]);
    });
  });

  it('recomputes the weeks of the pairs (recomputeEmployeeWeeks) from their days only', async () => {
    await explained(async ({ db, plain, reads }) => {
      const sel = await pairs(plain);
      await repo.recomputeEmployeeWeeks(db, org.orgId, sel);
      const weeks = await rowsOf(plain, 'kpi_employee_weeks', sel.ownerIds);
      expect(weeks.map((w) => [w.day, w.n])).toEqual(
        [...sel.ownerIds].sort().map((id) => [MONDAY, sel.ownerIds.indexOf(id) < 3 ? 6 : 7]),
      );
      expect(reads).toHaveLength(1);
      expect(reads.filter((r) => r.rows > LIMIT)).toEqual([]);
    });
  });

  it('deletes the week of a pair left without any day (recomputeEmployeeWeeks)', async () => {
    await explained(async ({ db, plain }) => {
      const sel = await pairs(plain);
      await plain.query(`DELETE FROM kpi_employee_days WHERE org_id = $1 AND employee_id = $2`, [
        org.orgId,
        sel.ownerIds[5],
      ]);
      await repo.recomputeEmployeeWeeks(db, org.orgId, sel);
      const weeks = await rowsOf(plain, 'kpi_employee_weeks', sel.ownerIds);
      expect(weeks.map((w) => w.employee_id)).toEqual(sel.ownerIds.filter((_, i) => i !== 5).sort());
    });
  });
});
