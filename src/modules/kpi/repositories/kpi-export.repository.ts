import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { EmployeeDepartments } from 'src/modules/org/org.fragments';
import { RESPONSE_BUCKET_RATIO } from 'src/modules/kpi/services/kpi-math';
import { MemberFilter } from './kpi-dashboard.repository';

/** The sort column of each rank field, in the export's statement. */
export const EXPORT_ORDER: Record<string, string> = {
  NEW_CUSTOMERS: 'new_customers',
  CHATS: 'chats',
  MESSAGES_SENT: 'messages_sent',
  REPLY_RATE: 'reply_rate',
  AVG_FIRST_RESPONSE_SECONDS: 'avg_first_response_seconds',
  MOMENT_TASKS_PUBLISHED: 'moment_tasks_published',
};

/**
 * The ranking of a range as CSV, streamed by PostgreSQL itself (COPY ... TO STDOUT, through pg-copy-streams):
 * rows go from the server to the response as they are produced, so no export holds its rows in memory.
 * COPY takes no bind parameters: the values (ids, dates, a time zone, all validated before) are inlined as
 * literals escaped by the driver.
 */
@Injectable()
export class KpiExportRepository {
  private readonly pool: Pool;

  constructor(@Inject(DataSource) ds: DataSource) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  /**
   * Opens the CSV stream; `release` must be called once the stream has ended, with `failed` when it was cut short
   * (the connection may still be inside its COPY, so it is closed instead of going back to the pool).
   */
  async rankingCsv(
    orgId: string,
    from: string,
    to: string,
    filter: MemberFilter,
    orderBy: string,
    desc: boolean,
  ): Promise<{ stream: Readable; release: (failed?: boolean) => void }> {
    const params: unknown[] = [orgId, from, to];
    const members = EmployeeDepartments.of(orgId).bind(params);
    const where = ['TRUE'];
    if (filter.scope) where.push(`e.id IN (${filter.scope.bind(params)})`);
    if (filter.department) where.push(`e.id IN (${filter.department.bind(params)})`);
    if (filter.employeeIds) {
      params.push(filter.employeeIds);
      where.push(`e.id = ANY($${params.length}::uuid[])`);
    }
    const range = 'org_id = $1 AND day BETWEEN $2::date AND $3::date';
    // The p90 as kpi-math.ts reads it: the first bucket whose running count reaches the nearest rank.
    const sql = `
      WITH d AS (SELECT employee_id, sum(new_customers) AS new_customers, sum(lost_customers) AS lost_customers,
                        sum(chats) AS chats, sum(messages_sent) AS messages_sent, sum(messages_received) AS messages_received,
                        sum(customer_initiated_chats) AS initiated, sum(replied_chats) AS replied,
                        sum(first_response_ms_sum) AS frt_sum, sum(moment_tasks_assigned) AS tasks_assigned,
                        sum(moment_tasks_published) AS moment_tasks_published, sum(transfers_in) AS transfers_in,
                        sum(transfers_out) AS transfers_out
                   FROM kpi_employee_days WHERE ${range} GROUP BY employee_id),
           b AS (SELECT employee_id, x.bucket, sum(x.n) AS n
                   FROM kpi_employee_days, unnest(response_buckets, response_chats) x(bucket, n)
                  WHERE ${range} GROUP BY 1, 2),
           c AS (SELECT employee_id, bucket, sum(n) OVER (PARTITION BY employee_id ORDER BY bucket) AS running,
                        sum(n) OVER (PARTITION BY employee_id) AS total FROM b),
           p AS (SELECT DISTINCT ON (employee_id) employee_id, bucket FROM c
                  WHERE running >= ceil(0.9 * total) ORDER BY employee_id, bucket),
           r AS (SELECT e.id AS employee_id,
                        CASE WHEN e.name ~ '^[=+@\\t\\r-]' THEN '''' || e.name ELSE e.name END AS employee_name,
                        coalesce(d.new_customers, 0) AS new_customers, coalesce(d.lost_customers, 0) AS lost_customers,
                        coalesce(d.new_customers, 0) - coalesce(d.lost_customers, 0) AS net_new_customers,
                        coalesce(d.chats, 0) AS chats, coalesce(d.messages_sent, 0) AS messages_sent,
                        coalesce(d.messages_received, 0) AS messages_received,
                        coalesce(d.initiated, 0) AS customer_initiated_chats, coalesce(d.replied, 0) AS replied_chats,
                        d.replied::float8 / nullif(d.initiated, 0) AS reply_rate,
                        d.frt_sum::float8 / nullif(d.replied, 0) / 1000 AS avg_first_response_seconds,
                        CASE WHEN p.bucket = 0 THEN 0::float8 WHEN p.bucket IS NOT NULL
                             THEN power(${RESPONSE_BUCKET_RATIO}::float8, p.bucket - 0.5) / 1000 END AS p90_first_response_seconds,
                        coalesce(d.tasks_assigned, 0) AS moment_tasks_assigned,
                        coalesce(d.moment_tasks_published, 0) AS moment_tasks_published,
                        coalesce(d.transfers_in, 0) AS transfers_in, coalesce(d.transfers_out, 0) AS transfers_out
                   FROM (${members}) e LEFT JOIN d ON d.employee_id = e.id LEFT JOIN p ON p.employee_id = e.id
                  WHERE ${where.join(' AND ')} AND (e.status <> 'DEPARTED' OR d.employee_id IS NOT NULL))
      SELECT * FROM r ORDER BY ${EXPORT_ORDER[orderBy]} ${desc ? 'DESC' : 'ASC'} NULLS LAST, employee_id`;
    const client: PoolClient = await this.pool.connect();
    const inlined = inline(sql, params, (v) => client.escapeLiteral(v));
    const stream = client.query(copyTo(`COPY (${inlined}) TO STDOUT WITH (FORMAT csv, HEADER)`));
    return { stream, release: (failed = false) => client.release(failed) };
  }
}

/** The statement with each $n replaced by its value as an escaped literal (arrays as array literals). */
function inline(sql: string, params: readonly unknown[], escape: (s: string) => string): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const v = params[Number(n) - 1];
    if (Array.isArray(v)) return escape(`{${v.map((x) => String(x)).join(',')}}`);
    return escape(String(v));
  });
}
