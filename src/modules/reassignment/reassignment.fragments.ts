import { DaySelection, daySelectionPredicate, OwnerChangeRow } from 'src/core/database/day-selection';
import { SqlFragment } from 'src/core/database/sql-fragment';

/**
 * This module's rows as other modules' statements read them: typed SQL
 * fragments made only here (core/database/sql-fragment.ts), so set-based work
 * stays one statement without another module naming this module's tables.
 */

/**
 * Both employees of each transfer completed in this transaction (`completed_transfers`, dropped at commit),
 * at its resolution: what a ReassignmentService.onTransfersCompleted hook reads.
 */
export class CompletedTransferParticipants extends SqlFragment<OwnerChangeRow> {
  private constructor(text: string) {
    super(text, []);
  }

  static ofThisTransaction(): CompletedTransferParticipants {
    return new CompletedTransferParticipants(
      `SELECT t.org_id, p.owner_id, t.resolved_at AS at
         FROM completed_transfers c
         JOIN transfers t ON t.org_id = c.org_id AND t.id = c.id
        CROSS JOIN LATERAL (VALUES (c.from_employee_id), (c.to_employee_id)) p(owner_id)
        WHERE t.resolved_at IS NOT NULL`,
    );
  }
}

/** Per (employee, day of a time zone): transfers completed to and from the employee. */
export interface TransferKpiRow {
  employee_id: string;
  day: string;
  transfers_in: number;
  transfers_out: number;
}

/** KPI's transfersIn / transfersOut (DOMAIN.md "KPI") for selected (employee, day) pairs or a range of days. */
export class TransferKpiCounts extends SqlFragment<TransferKpiRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, timezone: string, sel: DaySelection): TransferKpiCounts {
    const params: unknown[] = [orgId, timezone];
    const toSel = daySelectionPredicate(sel, 't.to_employee_id', 't.resolved_at', timezone, params);
    const fromSel = daySelectionPredicate(sel, 't.from_employee_id', 't.resolved_at', timezone, params);
    return new TransferKpiCounts(
      `SELECT employee_id, day::text AS day, sum(i)::int AS transfers_in, sum(o)::int AS transfers_out
         FROM (SELECT t.to_employee_id AS employee_id, (t.resolved_at AT TIME ZONE $2)::date AS day, 1 AS i, 0 AS o
                 FROM transfers t WHERE t.org_id = $1 AND t.status = 'COMPLETED' AND ${toSel}
               UNION ALL
               SELECT t.from_employee_id, (t.resolved_at AT TIME ZONE $2)::date, 0, 1
                 FROM transfers t WHERE t.org_id = $1 AND t.status = 'COMPLETED' AND ${fromSel}) x
        GROUP BY employee_id, day`,
      params,
    );
  }
}
