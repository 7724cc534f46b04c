import { DataScope } from 'src/core/authz/actor';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { departmentEmployees } from './scope-sql';

/**
 * This module's rows as other modules' statements read them: typed SQL
 * fragments made only here (core/database/sql-fragment.ts), so set-based work
 * stays one statement without another module naming this module's tables.
 */

/** Every organization with a setting another module's statement joins on (`id`). */
export class OrganizationRows<Row extends { id: string }> extends SqlFragment<Row> {
  private constructor(text: string) {
    super(text, []);
  }

  /** The policy version Core's authorization caches rules under (an API key's principal carries it). */
  static policyVersions(): OrganizationRows<{ id: string; policy_version: number }> {
    return new OrganizationRows<{ id: string; policy_version: number }>(
      `SELECT o.id, o.policy_version FROM organizations o`,
    );
  }

  /** The time zone whose days KPI rollups count in. */
  static timezones(): OrganizationRows<{ id: string; timezone: string }> {
    return new OrganizationRows<{ id: string; timezone: string }>(`SELECT o.id, o.timezone FROM organizations o`);
  }

  /** How long a moment task stays PENDING before it expires. */
  static momentTaskExpiry(): OrganizationRows<{ id: string; moment_task_expiry_hours: number }> {
    return new OrganizationRows<{ id: string; moment_task_expiry_hours: number }>(
      `SELECT o.id, o.moment_task_expiry_hours FROM organizations o`,
    );
  }
}

/**
 * A moment's audience (DOMAIN: the listed employees plus everyone in the listed
 * departments and their sub-departments; both empty: every employee), ACTIVE
 * employees only.
 */
export class AudienceEmployees extends SqlFragment<{ id: string }> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, employeeIds: readonly string[], departmentIds: readonly string[]): AudienceEmployees {
    const active = `SELECT e.id FROM employees e WHERE e.org_id = $1 AND e.status = 'ACTIVE'`;
    if (!employeeIds.length && !departmentIds.length) return new AudienceEmployees(active, [orgId]);
    return new AudienceEmployees(
      `${active}
          AND (e.id = ANY($2::uuid[])
               OR EXISTS (SELECT 1 FROM departments d
                            JOIN departments root ON root.org_id = $1 AND root.id = ANY($3::uuid[])
                                                 AND left(d.path, length(root.path)) = root.path
                           WHERE d.org_id = $1 AND d.id = e.department_id))`,
      [orgId, employeeIds, departmentIds],
    );
  }
}

/**
 * The employees a data scope reaches (docs/rules.md): those of its department
 * trees and its own employee. An organization scope reaches every employee and
 * has no such list: `of` answers null, and the reader leaves its rows unfiltered.
 */
export class ScopeEmployees extends SqlFragment<{ id: string }> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(scope: DataScope, orgId: string): ScopeEmployees | null {
    if (scope.organization) return null;
    const params: unknown[] = [];
    const parts: string[] = [];
    if (scope.departmentIds.length) parts.push(departmentEmployees(scope.departmentIds, orgId, params));
    if (scope.employeeId) {
      params.push(scope.employeeId);
      parts.push(`SELECT $${params.length}::uuid`);
    }
    return new ScopeEmployees(parts.length ? parts.join(' UNION ALL ') : 'SELECT NULL::uuid WHERE false', params);
  }
}

/** Every employee of the organization with their department, status and name (a dashboard's members). */
export class EmployeeDepartments extends SqlFragment<{
  id: string;
  department_id: string | null;
  status: string;
  name: string;
}> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string): EmployeeDepartments {
    return new EmployeeDepartments(
      `SELECT e.id, e.department_id, e.status, e.name FROM employees e WHERE e.org_id = $1`,
      [orgId],
    );
  }
}
