import { Injectable } from '@nestjs/common';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { SqlReader } from 'src/core/database/sql-reader';
import { EmployeeDepartments } from 'src/modules/org/org.fragments';
import { COUNTER_KEYS, KpiCounters } from 'src/modules/kpi/services/kpi-math';

/** Who a dashboard covers: the caller's scope, a department tree and an employee list (each optional). */
export interface MemberFilter {
  scope: SqlFragment<{ id: string }> | null;
  department: SqlFragment<{ id: string }> | null;
  employeeIds: readonly string[] | null;
}

export interface CounterRow extends KpiCounters {
  employeeId: string | null;
  day: string | null;
}

export interface BucketRow {
  employeeId: string | null;
  day: string | null;
  bucket: number;
  chats: number;
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

/**
 * Dashboard reads of the rollups: one statement for the counters (per day and per employee: GROUPING SETS, the
 * totals are added in Node from the days) and one for the response buckets, over (org_id, day) or
 * (org_id, employee_id, day). Neither reads raw messages.
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

  async counters(orgId: string, from: string, to: string, filter: MemberFilter): Promise<CounterRow[]> {
    const params: unknown[] = [orgId, from, to];
    const where = this.memberPredicate('d.employee_id', filter, params);
    const sums = COUNTER_KEYS.map((k) => `sum(d.${SNAKE[k]})::float8 AS "${k}"`).join(', ');
    return this.reader.query<CounterRow>(
      `SELECT d.employee_id AS "employeeId", d.day::text AS day, ${sums}
         FROM kpi_employee_days d
        WHERE d.org_id = $1 AND d.day BETWEEN $2::date AND $3::date AND ${where}
        GROUP BY GROUPING SETS ((d.day), (d.employee_id))`,
      params,
    );
  }

  async buckets(orgId: string, from: string, to: string, filter: MemberFilter): Promise<BucketRow[]> {
    const params: unknown[] = [orgId, from, to];
    const where = this.memberPredicate('b.employee_id', filter, params);
    return this.reader.query<BucketRow>(
      `SELECT b.employee_id AS "employeeId", b.day::text AS day, b.bucket, sum(b.chats)::int AS chats
         FROM kpi_response_buckets b
        WHERE b.org_id = $1 AND b.day BETWEEN $2::date AND $3::date AND ${where}
        GROUP BY GROUPING SETS ((b.day, b.bucket), (b.employee_id, b.bucket))`,
      params,
    );
  }

  private memberPredicate(column: string, f: MemberFilter, params: unknown[]): string {
    const parts = ['TRUE'];
    if (f.scope) parts.push(`${column} IN (${f.scope.bind(params)})`);
    if (f.department) parts.push(`${column} IN (${f.department.bind(params)})`);
    if (f.employeeIds) {
      params.push(f.employeeIds);
      parts.push(`${column} = ANY($${params.length}::uuid[])`);
    }
    return parts.join(' AND ');
  }
}
