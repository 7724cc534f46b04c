/**
 * Casbin model: RBAC with the organization as domain. Role permissions are
 * shared across domains (built-in roles use the domain `*`), tenancy lives in
 * the role assignments, so the policy set of one enforcer stays small however
 * many organizations exist.
 */
export const AUTHZ_MODEL = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && (p.dom == "*" || p.dom == r.dom) && (p.obj == "*" || p.obj == r.obj) && (p.act == "*" || p.act == r.act)
`;

/** A built-in role: its permissions (shared by every organization) and data scope. */
export interface BuiltinRole {
  name: string;
  description: string;
  dataScope: 'ORGANIZATION' | 'DEPARTMENT' | 'SELF';
  /** `resource:action` pairs; `*` matches anything. */
  permissions: string[];
}

export const BUILTIN_ROLES = Symbol('BUILTIN_ROLES');

/** How many organizations' enforcers stay cached (about 9 KB each for a small organization). */
export const AUTHZ_CACHE_SIZE = Symbol('AUTHZ_CACHE_SIZE');
