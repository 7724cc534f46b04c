import { MigrationInterface, QueryRunner } from 'typeorm';

const COUNTERS = `"new_customers" integer NOT NULL DEFAULT '0', "lost_customers" integer NOT NULL DEFAULT '0', "chats" integer NOT NULL DEFAULT '0', "messages_sent" integer NOT NULL DEFAULT '0', "messages_received" integer NOT NULL DEFAULT '0', "customer_initiated_chats" integer NOT NULL DEFAULT '0', "replied_chats" integer NOT NULL DEFAULT '0', "first_response_ms_sum" bigint NOT NULL DEFAULT '0', "moment_tasks_assigned" integer NOT NULL DEFAULT '0', "moment_tasks_published" integer NOT NULL DEFAULT '0', "transfers_in" integer NOT NULL DEFAULT '0', "transfers_out" integer NOT NULL DEFAULT '0', "response_buckets" smallint array NOT NULL DEFAULT '{}', "response_chats" integer array NOT NULL DEFAULT '{}'`;
const COLUMN_LIST = [
  'new_customers',
  'lost_customers',
  'chats',
  'messages_sent',
  'messages_received',
  'customer_initiated_chats',
  'replied_chats',
  'first_response_ms_sum',
  'moment_tasks_assigned',
  'moment_tasks_published',
  'transfers_in',
  'transfers_out',
];
const SUMS = COLUMN_LIST.map((c) => `sum(${c}) AS sum_${c}`).join(', ');
const COLUMNS = COLUMN_LIST.join(', ');

/**
 * KPI dashboards cheap at scale (issue 20):
 * - the first-response histogram of an (employee, day) moves into two parallel array columns of
 *   `kpi_employee_days` (`response_buckets` ascending, `response_chats` the replied chats of each), one row
 *   instead of one per bucket; `kpi_response_buckets` goes;
 * - `kpi_department_days` (per department and day: the sums of the employee-days of the department's current
 *   employees) and `kpi_organization_days` (per day: the sums of all the organization's employee-days), so a
 *   department's or the organization's daily series reads a row per day;
 * - `kpi_employee_weeks` (per employee and week, Monday first: the sums of its employee-days), so a ranking over
 *   a range reads its whole weeks as one row each and only the days at its ends;
 * - the employee-day key covers the counters and the histogram (INCLUDE), so a ranking over a range is an
 *   index-only scan.
 * Existing rollups are carried over, so no rebuild is needed.
 */
export class KpiTeamDays1765170000000 implements MigrationInterface {
  name = 'KpiTeamDays1765170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "kpi_employee_days" ADD "response_buckets" smallint array NOT NULL DEFAULT '{}', ADD "response_chats" integer array NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE kpi_employee_days d SET response_buckets = h.buckets, response_chats = h.chats
                     FROM (SELECT org_id, employee_id, day, array_agg(bucket ORDER BY bucket) AS buckets,
                                  array_agg(chats ORDER BY bucket) AS chats
                             FROM kpi_response_buckets GROUP BY 1, 2, 3) h
                    WHERE d.org_id = h.org_id AND d.employee_id = h.employee_id AND d.day = h.day`);
    await q.query(`DROP TABLE "kpi_response_buckets"`);
    await q.query(`CREATE INDEX "idx_kpi_employee_days_ranking" ON "kpi_employee_days"("org_id", "employee_id", "day") INCLUDE (${COLUMNS}, response_buckets, response_chats)`);

    await q.query(`CREATE TABLE "kpi_department_days" ("org_id" uuid NOT NULL, "department_id" uuid NOT NULL, "day" date NOT NULL, ${COUNTERS}, CONSTRAINT "pk_kpi_department_days" PRIMARY KEY ("org_id", "department_id", "day"))`);
    await q.query(`CREATE INDEX "idx_kpi_department_days_org_id_day" ON "kpi_department_days"("org_id", "day")`);
    await q.query(`ALTER TABLE "kpi_department_days" ADD CONSTRAINT "fk_kpi_department_days_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "kpi_department_days" ADD CONSTRAINT "fk_kpi_department_days_department_id" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`CREATE TABLE "kpi_organization_days" ("org_id" uuid NOT NULL, "day" date NOT NULL, ${COUNTERS}, CONSTRAINT "pk_kpi_organization_days" PRIMARY KEY ("org_id", "day"))`);
    await q.query(`ALTER TABLE "kpi_organization_days" ADD CONSTRAINT "fk_kpi_organization_days_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await q.query(`CREATE TABLE "kpi_employee_weeks" ("org_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "week" date NOT NULL, ${COUNTERS}, CONSTRAINT "pk_kpi_employee_weeks" PRIMARY KEY ("org_id", "employee_id", "week"))`);
    await q.query(`CREATE INDEX "idx_kpi_employee_weeks_org_id_week" ON "kpi_employee_weeks"("org_id", "week")`);
    await q.query(`ALTER TABLE "kpi_employee_weeks" ADD CONSTRAINT "fk_kpi_employee_weeks_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    // Carried over from the employee-days (the same sums the hooks and the rebuild write).
    const byDepartment = 'JOIN employees e ON e.id = d.employee_id';
    await q.query(carryOver('kpi_department_days', 'department_id', 'e.department_id', byDepartment));
    await q.query(carryOver('kpi_organization_days', null, 'NULL::uuid', ''));
    await q.query(carryOver('kpi_employee_weeks', 'employee_id', 'd.employee_id', '', `date_trunc('week', d.day)::date`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "kpi_employee_weeks"`);
    await q.query(`DROP TABLE "kpi_organization_days"`);
    await q.query(`DROP TABLE "kpi_department_days"`);
    await q.query(`DROP INDEX "idx_kpi_employee_days_ranking"`);
    await q.query(`CREATE TABLE "kpi_response_buckets" ("org_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "day" date NOT NULL, "bucket" smallint NOT NULL, "chats" integer NOT NULL, CONSTRAINT "pk_kpi_response_buckets" PRIMARY KEY ("org_id", "employee_id", "day", "bucket"))`);
    await q.query(`CREATE INDEX "idx_kpi_response_buckets_org_id_day" ON "kpi_response_buckets"("org_id", "day")`);
    await q.query(`ALTER TABLE "kpi_response_buckets" ADD CONSTRAINT "fk_kpi_response_buckets_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`INSERT INTO kpi_response_buckets (org_id, employee_id, day, bucket, chats)
                   SELECT d.org_id, d.employee_id, d.day, x.b, x.n FROM kpi_employee_days d, unnest(d.response_buckets, d.response_chats) x(b, n)`);
    await q.query(`ALTER TABLE "kpi_employee_days" DROP COLUMN "response_buckets", DROP COLUMN "response_chats"`);
  }
}

/** The statement filling a team rollup from the employee-days: `team` groups them (null: the organization). */
function carryOver(table: string, column: string | null, team: string, join: string, day = 'd.day'): string {
  const cols = column ? `org_id, ${column}, ${table === 'kpi_employee_weeks' ? 'week' : 'day'}` : 'org_id, day';
  const keys = column ? 'org_id, team, day' : 'org_id, day';
  return `
    WITH d AS (SELECT d.org_id, ${day} AS day, ${COLUMNS}, d.response_buckets, d.response_chats, ${team} AS team
                 FROM kpi_employee_days d ${join} WHERE ${team} IS NOT NULL OR ${!column}),
         s AS (SELECT org_id, team, day, ${SUMS} FROM d GROUP BY 1, 2, 3),
         h AS (SELECT org_id, team, day, array_agg(b ORDER BY b) AS buckets, array_agg(n ORDER BY b) AS chats
                 FROM (SELECT d.org_id, d.team, d.day, x.b, sum(x.n)::int AS n
                         FROM d, unnest(d.response_buckets, d.response_chats) x(b, n) GROUP BY 1, 2, 3, 4) y
                GROUP BY 1, 2, 3)
    INSERT INTO ${table} (${cols}, ${COLUMNS}, response_buckets, response_chats)
    SELECT ${keys.split(', ').map((k) => `s.${k}`).join(', ')}, ${COLUMN_LIST.map((c) => `s.sum_${c}`).join(', ')},
           coalesce(h.buckets, '{}'), coalesce(h.chats, '{}')
      FROM s LEFT JOIN h ON h.org_id = s.org_id AND h.day = s.day AND h.team IS NOT DISTINCT FROM s.team`;
}
