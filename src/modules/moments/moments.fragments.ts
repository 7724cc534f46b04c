import { DaySelection, daySelectionPredicate, OwnerChangeRow } from 'src/core/database/day-selection';
import { SqlFragment } from 'src/core/database/sql-fragment';

/**
 * This module's rows as other modules' statements read them: typed SQL
 * fragments made only here (core/database/sql-fragment.ts), so set-based work
 * stays one statement without another module naming this module's tables.
 */

/** Moment tasks just created or confirmed, with their employee and that time: what a tasks hook reads. */
export class MomentTaskChanges extends SqlFragment<OwnerChangeRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  /** The tasks a moment's publication created for `employeeIds` (one slice of the firing). */
  static createdFor(orgId: string, momentId: string, employeeIds: readonly string[]): MomentTaskChanges {
    return new MomentTaskChanges(
      `SELECT t.org_id, t.employee_id AS owner_id, t.created_at AS at
         FROM moment_tasks t WHERE t.org_id = $1 AND t.moment_id = $2 AND t.employee_id = ANY($3::uuid[])`,
      [orgId, momentId, employeeIds],
    );
  }

  /** A task just confirmed (PUBLISHED). */
  static confirmed(orgId: string, taskId: string): MomentTaskChanges {
    return new MomentTaskChanges(
      `SELECT t.org_id, t.employee_id AS owner_id, t.published_at AS at
         FROM moment_tasks t WHERE t.org_id = $1 AND t.id = $2 AND t.published_at IS NOT NULL`,
      [orgId, taskId],
    );
  }
}

/** Per (employee, day of a time zone): moment tasks created, and tasks confirmed. */
export interface MomentTaskKpiRow {
  employee_id: string;
  day: string;
  assigned: number;
  published: number;
}

/** KPI's momentTasksAssigned / momentTasksPublished for selected (employee, day) pairs or a range of days. */
export class MomentTaskKpiCounts extends SqlFragment<MomentTaskKpiRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, timezone: string, sel: DaySelection): MomentTaskKpiCounts {
    const params: unknown[] = [orgId, timezone];
    const created = daySelectionPredicate(sel, 't.employee_id', 't.created_at', timezone, params);
    const published = daySelectionPredicate(sel, 't.employee_id', 't.published_at', timezone, params);
    return new MomentTaskKpiCounts(
      `SELECT employee_id, day::text AS day, sum(a)::int AS assigned, sum(p)::int AS published
         FROM (SELECT t.employee_id, (t.created_at AT TIME ZONE $2)::date AS day, 1 AS a, 0 AS p
                 FROM moment_tasks t WHERE t.org_id = $1 AND ${created}
               UNION ALL
               SELECT t.employee_id, (t.published_at AT TIME ZONE $2)::date, 0, 1
                 FROM moment_tasks t WHERE t.org_id = $1 AND t.status = 'PUBLISHED' AND ${published}) x
        GROUP BY employee_id, day`,
      params,
    );
  }
}
