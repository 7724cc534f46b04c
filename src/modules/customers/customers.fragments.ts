import { DataScope } from 'src/core/authz/actor';
import { DaySelection, daySelectionPredicate } from 'src/core/database/day-selection';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { ScopeEmployees } from 'src/modules/org/org.fragments';

/**
 * This module's rows as other modules' statements read them: typed SQL
 * fragments made only here (core/database/sql-fragment.ts), so set-based work
 * stays one statement without another module naming this module's tables.
 */

/**
 * Each of `employees`' visible customers for a moment (DOMAIN: the customers of
 * an ACTIVE relation; with tags, only those having any of them), counted per
 * employee; employees without one have no row. The tagged customers are read
 * once (a semi-join): counting per employee in a correlated subquery rebuilt
 * the tagged set for every employee (bench/moments.bench.ts). The employees
 * stay a subquery of their own (OFFSET 0), as when they were the statement's
 * CTE: merged into the statement, PostgreSQL hash-joined every relation to
 * them, and with tags hashed all the relations instead of the few tagged
 * customers (+40 % and +60 % on the moments bench).
 */
export class VisibleCustomerCounts extends SqlFragment<{ employee_id: string; n: number }> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, employees: SqlFragment<{ id: string }>, tagIds: readonly string[]): VisibleCustomerCounts {
    const params: unknown[] = [orgId];
    const among = employees.bind(params);
    let tagged = '';
    if (tagIds.length) {
      params.push(tagIds);
      tagged = `AND cr.customer_id IN (SELECT ct.customer_id FROM customer_tags ct WHERE ct.org_id = $1 AND ct.tag_id = ANY($${params.length}::uuid[]))`;
    }
    return new VisibleCustomerCounts(
      `SELECT cr.employee_id, count(*)::int AS n
         FROM customer_relations cr
        WHERE cr.org_id = $1 AND cr.status = 'ACTIVE' AND cr.employee_id IN (SELECT a.id FROM (${among}) a OFFSET 0)
          ${tagged}
        GROUP BY cr.employee_id`,
      params,
    );
  }
}

/** An employee's ACTIVE relations (optionally only with some customers): what a hand-over plans over. */
export class ActiveRelations extends SqlFragment<{ id: string; org_id: string; customer_id: string; added_at: Date }> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, employeeId: string, customerIds: readonly string[] | null): ActiveRelations {
    return new ActiveRelations(
      `SELECT r.id, r.org_id, r.customer_id, r.added_at FROM customer_relations r
        WHERE r.org_id = $1 AND r.employee_id = $2 AND r.status = 'ACTIVE'${customerIds ? ' AND r.customer_id = ANY($3::uuid[])' : ''}`,
      customerIds ? [orgId, employeeId, customerIds] : [orgId, employeeId],
    );
  }
}

/** One row per (state, day of `timezone`) with relations added: how many, how many still ACTIVE, how many lost. */
export interface RelationDayRow {
  state: string;
  day: string;
  added: number;
  still_active: number;
  lost: number;
}

/**
 * Relations added with each of `states` per day of `timezone` from `from` to
 * `to` (dates, inclusive), within a data scope, on
 * idx_customer_relations_org_id_state_added_at (a channel's statistics).
 */
export class RelationDailyCounts extends SqlFragment<RelationDayRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(
    orgId: string,
    states: readonly string[],
    from: string,
    to: string,
    timezone: string,
    scope: DataScope,
  ): RelationDailyCounts {
    const params: unknown[] = [orgId, states, from, to, timezone];
    const employees = ScopeEmployees.of(scope, orgId);
    const inScope = employees ? `r.employee_id IN (${employees.bind(params)})` : 'TRUE';
    return new RelationDailyCounts(
      `SELECT r.state, (r.added_at AT TIME ZONE $5)::date AS day,
              count(*)::int AS added,
              (count(*) FILTER (WHERE r.status = 'ACTIVE'))::int AS still_active,
              (count(*) FILTER (WHERE r.status = 'DELETED_BY_CUSTOMER'))::int AS lost
         FROM customer_relations r
        WHERE r.org_id = $1::uuid
          AND r.state = ANY($2::varchar[])
          AND r.added_at >= ($3::date::timestamp AT TIME ZONE $5)
          AND r.added_at < (($4::date + 1)::timestamp AT TIME ZONE $5)
          AND ${inScope}
        GROUP BY 1, 2`,
      params,
    );
  }
}

/** Per (employee, day of a time zone): relations added other than by transfer, and relations the customer ended. */
export interface RelationKpiRow {
  employee_id: string;
  day: string;
  added_except_transfer: number;
  ended_by_customer: number;
}

/**
 * The relation counts of KPI (DOMAIN.md "KPI": newCustomers, lostCustomers) for the selected (employee, day)
 * pairs or range of days of `timezone`; days without either have no row.
 */
export class RelationKpiCounts extends SqlFragment<RelationKpiRow> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, timezone: string, sel: DaySelection): RelationKpiCounts {
    const params: unknown[] = [orgId, timezone];
    const added = daySelectionPredicate(sel, 'r.employee_id', 'r.added_at', timezone, params);
    const ended = daySelectionPredicate(sel, 'r.employee_id', 'r.ended_at', timezone, params);
    return new RelationKpiCounts(
      `SELECT employee_id, day::text AS day, sum(a)::int AS added_except_transfer, sum(l)::int AS ended_by_customer
         FROM (SELECT r.employee_id, (r.added_at AT TIME ZONE $2)::date AS day, 1 AS a, 0 AS l
                 FROM customer_relations r
                WHERE r.org_id = $1 AND r.add_way <> 'TRANSFER' AND ${added}
               UNION ALL
               SELECT r.employee_id, (r.ended_at AT TIME ZONE $2)::date, 0, 1
                 FROM customer_relations r
                WHERE r.org_id = $1 AND r.status = 'DELETED_BY_CUSTOMER' AND ${ended}) x
        GROUP BY employee_id, day`,
      params,
    );
  }
}
