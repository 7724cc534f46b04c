import { DataScope } from 'src/core/authz/actor';

/** Escapes LIKE wildcards so user text matches literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The SQL predicate of a data scope over an employee id column of this
 * module's statements, with its parameters appended to `params`.
 * Organization scope adds nothing. (Other modules read ScopeEmployees.)
 */
export function scopePredicate(scope: DataScope, orgId: string, employeeColumn: string, params: unknown[]): string {
  if (scope.organization) return 'TRUE';
  const parts: string[] = [];
  if (scope.departmentIds.length)
    parts.push(`${employeeColumn} IN (${departmentEmployees(scope.departmentIds, orgId, params)})`);
  if (scope.employeeId) {
    params.push(scope.employeeId);
    parts.push(`${employeeColumn} = $${params.length}`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/** A SELECT of the ids of the employees in the trees of `departmentIds`, its parameters appended to `params`. */
export function departmentEmployees(departmentIds: string[], orgId: string, params: unknown[]): string {
  params.push(departmentIds);
  const p = params.length;
  params.push(orgId);
  const o = params.length;
  return `SELECT se.id FROM employees se
        JOIN departments sd ON sd.org_id = $${o} AND sd.id = se.department_id
        JOIN departments root ON root.org_id = $${o} AND root.id = ANY($${p}::uuid[])
       WHERE se.org_id = $${o} AND sd.path LIKE root.path || '%'`;
}
