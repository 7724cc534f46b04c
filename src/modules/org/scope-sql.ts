import { DataScope } from '../../core/authz/actor';

/** Escapes LIKE wildcards so user text matches literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The SQL predicate of a data scope over an employee id column (any table that
 * names an employee: relations, tasks, conversations), with its
 * parameters appended to `params`. Organization scope adds nothing.
 */
export function scopePredicate(scope: DataScope, orgId: string, employeeColumn: string, params: unknown[]): string {
  if (scope.organization) return 'TRUE';
  const parts: string[] = [];
  if (scope.departmentIds.length) {
    params.push(scope.departmentIds);
    const p = params.length;
    params.push(orgId);
    const o = params.length;
    parts.push(`${employeeColumn} IN (
      SELECT se.id FROM employees se
        JOIN departments sd ON sd.org_id = $${o} AND sd.id = se.department_id
        JOIN departments root ON root.org_id = $${o} AND root.id = ANY($${p}::uuid[])
       WHERE se.org_id = $${o} AND sd.path LIKE root.path || '%')`);
  }
  if (scope.employeeId) {
    params.push(scope.employeeId);
    parts.push(`${employeeColumn} = $${params.length}`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}
