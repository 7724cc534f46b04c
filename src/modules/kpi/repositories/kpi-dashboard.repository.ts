import { Injectable } from '@nestjs/common';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { SqlReader } from 'src/core/database/sql-reader';
import { EmployeeDepartments } from 'src/modules/org/org.fragments';
import {
  COUNTER_KEYS,
  datesBetween,
  Histogram,
  histogramOfText,
  KpiCounters,
  wholeWeeks,
} from 'src/modules/kpi/services/kpi-math';

/** Who a dashboard covers: the caller's scope, a department tree and an employee list (each optional). */
export interface MemberFilter {
  scope: SqlFragment<{ id: string }> | null;
  department: SqlFragment<{ id: string }> | null;
  employeeIds: readonly string[] | null;
}

/** Counters summed over a group (an employee, a department or a day) with their first-response histogram. */
export interface SumRow extends KpiCounters {
  /** The employee or department summed over days; null in a row of a day. */
  key: string | null;
  /** The day summed over employees or departments; null in a row of an employee or department. */
  day: string | null;
  /** The first-response histogram. */
  histogram: Histogram;
}

export interface MemberRow {
  id: string;
  departmentId: string | null;
  status: string;
}

const SNAKE: Record<keyof KpiCounters, string> = {
  newCustomers: 'new_customers',
  lostCustomers: 'lost_customers',
  chats: 'chats',
  messagesSent: 'messages_sent',
  messagesReceived: 'messages_received',
  customerInitiatedChats: 'customer_initiated_chats',
  repliedChats: 'replied_chats',
  firstResponseMsSum: 'first_response_ms_sum',
  momentTasksAssigned: 'moment_tasks_assigned',
  momentTasksPublished: 'moment_tasks_published',
  transfersIn: 'transfers_in',
  transfersOut: 'transfers_out',
};

/** A date (YYYY-MM-DD) `n` days later (earlier when negative), calendar arithmetic in UTC. */
function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Dashboard reads of the rollups, none of raw messages: the employees' sums over a range (the ranking, an
 * index-only scan of kpi_employee_days' covering key), and the daily series and department sums from the team
 * rollups (kpi_department_days, kpi_organization_days: a row per team and day) when the dashboard covers whole
 * department trees or the organization; else the series from the employee-days too.
 */
@Injectable()
export class KpiDashboardRepository {
  constructor(private readonly reader: SqlReader) {}

  /** The employees a filter covers, with their departments. */
  async members(orgId: string, filter: MemberFilter): Promise<MemberRow[]> {
    const params: unknown[] = [];
    const all = EmployeeDepartments.of(orgId).bind(params);
    const where = this.memberPredicate('e.id', filter, params);
    return this.reader.query<MemberRow>(
      `SELECT e.id, e.department_id AS "departmentId", e.status FROM (${all}) e WHERE ${where}`,
      params,
    );
  }

  /**
   * Per covered employee (key) over the range, and with `byDay` per day over them. Without `byDay`, the
   * range's whole weeks are read from kpi_employee_weeks (a row per employee and week) and only the days
   * before the first and after the last from kpi_employee_days.
   */
  async employeeSums(orgId: string, from: string, to: string, filter: MemberFilter, byDay: boolean) {
    const params: unknown[] = [orgId, from, to];
    const where = this.memberPredicate('t.employee_id', filter, params);
    const weeks = byDay ? null : wholeWeeks(from, to);
    let table = 'kpi_employee_days';
    if (weeks) {
      const first = params.push(weeks.first);
      const last = params.push(weeks.last);
      const columns = `org_id, employee_id, ${[...Object.values(SNAKE), 'response_buckets', 'response_chats'].join(', ')}`;
      const daysWhere = (days: string) => `SELECT ${columns}, day FROM kpi_employee_days WHERE org_id = $1 AND ${days}`;
      // The whole weeks, and the days before and after them. Of some employees, the days are two ranges: a
      // descent of the ranking key per employee each. Of everyone, they are listed instead: over a range, PostgreSQL
      // 18 reads them by a skip scan of the ranking key too (a descent per employee, 4x the buffers), not a range
      // of the (org_id, day) key: a fifth of the CPU of an organization's 30-day ranking.
      const days =
        where === 'TRUE'
          ? daysWhere(
              `day = ANY($${params.push([...datesBetween(from, addDays(weeks.first, -1)), ...datesBetween(addDays(weeks.last, 7), to)])}::date[])`,
            )
          : `${daysWhere(`day BETWEEN $2::date AND $${first}::date - 1`)}
             UNION ALL
             ${daysWhere(`day BETWEEN $${last}::date + 7 AND $3::date`)}`;
      table = `(SELECT ${columns}, week AS day FROM kpi_employee_weeks WHERE org_id = $1 AND week BETWEEN $${first} AND $${last}
                UNION ALL
                ${days})`;
    }
    return this.sums(table, 't.employee_id', where, params, byDay ? ['key', 'day'] : ['key']);
  }



  /** Per listed department (key, its own employees only) over the range, and with `byDay` per day over them. */
  async departmentSums(orgId: string, from: string, to: string, departmentIds: readonly string[], byDay: boolean) {
    const params: unknown[] = [orgId, from, to, departmentIds];
    const where = 't.department_id = ANY($4::uuid[])';
    return this.sums('kpi_department_days', 't.department_id', where, params, byDay ? ['key', 'day'] : ['key']);
  }

  /** Per day of the range, over the whole organization. */
  async organizationDays(orgId: string, from: string, to: string) {
    return this.sums('kpi_organization_days', 'NULL::uuid', 'TRUE', [orgId, from, to], ['day']);
  }

  /**
   * One statement: the rows of `table` in the range (org $1, days $2 to $3) passing `where` (alias t), summed
   * per `key`, per day or both (GROUPING SETS). The histograms are not added up in SQL: grouping their elements
   * by (group, bucket) cost five times the rest of the statement (an unnest and a hash aggregate of ~130,000
   * elements in an organization's 30-day ranking). Each group brings its rows' arrays as text instead (one
   * string_agg, no unnest), which Node adds up bucket by bucket (histogramOfText) as it reads them.
   */
  private async sums(
    table: string,
    key: string,
    where: string,
    params: unknown[],
    sets: Array<'key' | 'day'>,
  ): Promise<SumRow[]> {
    // A column outside every grouping set cannot be selected: it is null in every row then.
    const pick = (g: 'key' | 'day') => (sets.includes(g) ? `t.${g}` : g === 'key' ? 'NULL::uuid' : 'NULL::date');
    // float8 sums: exact for integers below 2^53, and much cheaper than numeric (a bigint's sum).
    const sums = COUNTER_KEYS.map((k) => `sum(t.${SNAKE[k]}::float8) AS "${k}"`).join(', ');
    // A row's buckets then its chats, both as PostgreSQL prints an array: '{3,7}{2,1}'; its groups concatenated.
    const rows = await this.reader.query<SumRow & { histograms: string }>(
      `SELECT ${pick('key')} AS key, ${pick('day')}::text AS day, ${sums},
              string_agg(t.response_buckets::text || t.response_chats::text, '') AS histograms
         FROM (SELECT ${key} AS key, t.* FROM ${table} t
                WHERE t.org_id = $1 AND t.day BETWEEN $2::date AND $3::date AND ${where}) t
        GROUP BY GROUPING SETS (${sets.map((g) => `(t.${g})`).join(', ')})`,
      params,
    );
    // In place (a ranking has a row per employee): the text stays, unread.
    for (const r of rows) r.histogram = histogramOfText(r.histograms);
    return rows;
  }

  private memberPredicate(column: string, f: MemberFilter, params: unknown[]): string {
    const parts = ['TRUE'];
    // = ANY(ARRAY(...)): the ids are read once (an InitPlan) and probe the rollups' keys; an IN (...) semi-join
    // is planned from a poor estimate of a department tree's employees (a path LIKE), as a nested loop.
    if (f.scope) parts.push(`${column} = ANY(ARRAY(${f.scope.bind(params)}))`);
    if (f.department) parts.push(`${column} = ANY(ARRAY(${f.department.bind(params)}))`);
    if (f.employeeIds) {
      params.push(f.employeeIds);
      parts.push(`${column} = ANY($${params.length}::uuid[])`);
    }
    return parts.join(' AND ');
  }
}
