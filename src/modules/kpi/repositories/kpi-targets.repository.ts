import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlReader } from 'src/core/database/sql-reader';
import { TargetValues } from 'src/modules/kpi/services/kpi-target-math';

export type TargetSubjectKind = 'EMPLOYEE' | 'DEPARTMENT';

export interface KpiTargetRow extends TargetValues {
  id: string;
  /** YYYY-MM. */
  month: string;
  subjectKind: TargetSubjectKind;
  subjectId: string;
  setById: string | null;
  updatedAt: Date;
}

const COLUMNS = `id, to_char(month, 'YYYY-MM') AS month, subject_kind AS "subjectKind", subject_id AS "subjectId",
  new_customers AS "newCustomers", reply_rate AS "replyRate", avg_first_response_seconds AS "avgFirstResponseSeconds",
  moment_completion_rate AS "momentCompletionRate", set_by_id AS "setById", updated_at AS "updatedAt"`;

/** kpi_targets: one row per (organization, month, employee or department); months are YYYY-MM here. */
@Injectable()
export class KpiTargetsRepository {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    private readonly reads: SqlReader,
  ) {}

  /** Sets a subject's month (created or replaced whole), in one statement. */
  async upsert(
    orgId: string,
    month: string,
    kind: TargetSubjectKind,
    subjectId: string,
    values: TargetValues,
    setById: string | null,
  ): Promise<KpiTargetRow> {
    const rows = await this.ds.query<KpiTargetRow[]>(
      `INSERT INTO kpi_targets (org_id, month, subject_kind, subject_id, new_customers, reply_rate,
         avg_first_response_seconds, moment_completion_rate, set_by_id)
       VALUES ($1, ($2 || '-01')::date, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (org_id, month, subject_kind, subject_id) DO UPDATE SET new_customers = EXCLUDED.new_customers,
         reply_rate = EXCLUDED.reply_rate, avg_first_response_seconds = EXCLUDED.avg_first_response_seconds,
         moment_completion_rate = EXCLUDED.moment_completion_rate, set_by_id = EXCLUDED.set_by_id, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        orgId,
        month,
        kind,
        subjectId,
        values.newCustomers,
        values.replyRate,
        values.avgFirstResponseSeconds,
        values.momentCompletionRate,
        setById,
      ],
    );
    return rows[0];
  }

  /** Removes a subject's month; whether there was one. */
  async delete(orgId: string, month: string, kind: TargetSubjectKind, subjectId: string): Promise<boolean> {
    const rows = await this.ds.query<Array<{ id: string }>>(
      `DELETE FROM kpi_targets WHERE org_id = $1 AND month = ($2 || '-01')::date AND subject_kind = $3
         AND subject_id = $4 RETURNING id`,
      [orgId, month, kind, subjectId],
    );
    return rows.length > 0;
  }

  /** The targets of the months from `fromMonth` to `toMonth` (YYYY-MM), by month, kind and subject. */
  list(orgId: string, fromMonth: string, toMonth: string): Promise<KpiTargetRow[]> {
    return this.reads.query<KpiTargetRow>(
      `SELECT ${COLUMNS} FROM kpi_targets
        WHERE org_id = $1 AND month BETWEEN ($2 || '-01')::date AND ($3 || '-01')::date
        ORDER BY month, subject_kind, subject_id`,
      [orgId, fromMonth, toMonth],
    );
  }
}
