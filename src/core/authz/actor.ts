/**
 * Who is calling: an employee signed in with a session token, or an API key.
 * Resolved once per request by the principal resolver.
 */
export interface Actor {
  kind: 'employee' | 'apiKey';
  orgId: string;
  /** The Casbin subject: `emp:<id>` or `key:<id>`. */
  subject: string;
  employeeId?: string;
  apiKeyId?: string;
  /** The employee's department (data scope DEPARTMENT starts here). */
  departmentId?: string | null;
  /** The organization's policy version when the actor was resolved. */
  policyVersion: number;
}

export type DataScopeLevel = 'ORGANIZATION' | 'DEPARTMENT' | 'SELF';

/**
 * What rows an allowed action may touch. `organization` wins over the rest;
 * otherwise rows of employees in any of `departmentIds` (with sub-departments)
 * or equal to `employeeId` are in scope.
 */
export interface DataScope {
  organization: boolean;
  departmentIds: string[];
  employeeId?: string;
}

export function subjectOf(actor: Pick<Actor, 'kind' | 'employeeId' | 'apiKeyId'>): string {
  return actor.kind === 'employee' ? `emp:${actor.employeeId}` : `key:${actor.apiKeyId}`;
}

export const employeeSubject = (id: string) => `emp:${id}`;
export const apiKeySubject = (id: string) => `key:${id}`;
