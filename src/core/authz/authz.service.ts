import { Inject, Injectable, Optional } from '@nestjs/common';
import { Enforcer, newEnforcer, newModelFromString } from 'casbin';
import { Actor, DataScope, DataScopeLevel } from './actor';
import { AUTHZ_CACHE_SIZE, AUTHZ_MODEL, BUILTIN_ROLES, BuiltinRole } from './authz.model';
import { PolicyRepository } from './policy.repository';
import { AppError } from 'src/core/errors/app-error';

interface OrgEnforcer {
  enforcer: Enforcer;
  version: number;
  roleScopes: Map<string, string>;
  /** Distinguishes this enforcer's remembered answers from those of the one it replaced. */
  generation: number;
}

/**
 * Answers remembered (for all organizations together) before the memo starts
 * over: about 100 bytes each, so at most a few MB however many callers.
 */
const MAX_REMEMBERED = 50_000;

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MAX_REMEMBERED) memo.clear();
  memo.set(key, value);
  return value;
}

/**
 * Answers "may this caller do this action on this resource in this
 * organization" (Casbin) and "on which rows" (data scope). One small enforcer
 * per organization is loaded on demand and cached; it is rebuilt when the
 * organization's policy version moves (any role or assignment change), which
 * the principal resolver reads with the caller on every request, so changes
 * apply at once across replicas.
 *
 * An enforcer never changes once built, so its answers are remembered per
 * enforcer generation (`subject resource action`: allowed, and the data-scope
 * levels of the roles granting it): a list request asks the same two or three
 * questions every time, and Casbin evaluates its matcher over every policy for
 * each (about 0.25 ms per request, README "Benchmarks").
 */
@Injectable()
export class AuthzService {
  private readonly cache = new Map<string, OrgEnforcer>();
  private readonly loading = new Map<string, Promise<OrgEnforcer>>();
  private readonly builtinPolicies: string[][];
  private readonly builtinScopes: Map<string, string>;
  private readonly decisions = new Map<string, boolean>();
  private readonly levels = new Map<string, ReadonlySet<DataScopeLevel>>();
  private generations = 0;

  constructor(
    private readonly policies: PolicyRepository,
    @Inject(BUILTIN_ROLES) readonly builtinRoles: BuiltinRole[],
    @Optional() @Inject(AUTHZ_CACHE_SIZE) private readonly maxCachedOrgs: number = 5000,
  ) {
    this.builtinPolicies = builtinRoles.flatMap((role) =>
      role.permissions.map((perm) => {
        const [obj, act] = perm.split(':');
        return [role.name, '*', obj, act];
      }),
    );
    this.builtinScopes = new Map(builtinRoles.map((r) => [r.name, r.dataScope]));
  }

  isBuiltin(role: string): boolean {
    return this.builtinScopes.has(role);
  }

  /** Whether the caller holds `resource:action` through any of their roles. */
  async can(actor: Actor, resource: string, action: string): Promise<boolean> {
    const org = await this.enforcerFor(actor.orgId, actor.policyVersion);
    return this.allowed(org, actor.subject, actor.orgId, resource, action);
  }

  /**
   * The rows an allowed action may touch: the union of the data scopes of the
   * caller's roles that grant it. API keys act organization-wide. Null when no
   * role grants it.
   */
  async scopeFor(actor: Actor, resource: string, action: string): Promise<DataScope | null> {
    const org = await this.enforcerFor(actor.orgId, actor.policyVersion);
    if (!this.allowed(org, actor.subject, actor.orgId, resource, action)) return null;
    if (actor.kind === 'apiKey') return { organization: true, departmentIds: [] };
    const key = `${org.generation} ${actor.subject} ${resource} ${action}`;
    let levels = this.levels.get(key);
    if (!levels) {
      const roles = await org.enforcer.getRolesForUser(actor.subject, actor.orgId);
      const granted = new Set<DataScopeLevel>();
      for (const role of roles) {
        if (this.allowed(org, role, actor.orgId, resource, action)) {
          granted.add((org.roleScopes.get(role) ?? this.builtinScopes.get(role) ?? 'SELF') as DataScopeLevel);
        }
      }
      levels = remember(this.levels, key, granted);
    }
    if (levels.has('ORGANIZATION')) return { organization: true, departmentIds: [] };
    const scope: DataScope = { organization: false, departmentIds: [] };
    if (levels.has('DEPARTMENT') && actor.departmentId) scope.departmentIds.push(actor.departmentId);
    if (levels.has('SELF') || levels.has('DEPARTMENT')) scope.employeeId = actor.employeeId;
    return scope;
  }

  /** scopeFor, or FORBIDDEN ("Missing permission resource:action") when no role grants the action. */
  async requireScope(actor: Actor, resource: string, action: string): Promise<DataScope> {
    const scope = await this.scopeFor(actor, resource, action);
    if (!scope) throw AppError.forbidden(`Missing permission ${resource}:${action}`);
    return scope;
  }

  async rolesOf(actor: Actor): Promise<string[]> {
    const org = await this.enforcerFor(actor.orgId, actor.policyVersion);
    return org.enforcer.getRolesForUser(actor.subject, actor.orgId);
  }

  private allowed(org: OrgEnforcer, subject: string, orgId: string, resource: string, action: string): boolean {
    const key = `${org.generation} ${subject} ${resource} ${action}`;
    const known = this.decisions.get(key);
    return known ?? remember(this.decisions, key, org.enforcer.enforceSync(subject, orgId, resource, action));
  }

  /** Drops the cached enforcer of an organization (after a local policy change). */
  invalidate(orgId: string): void {
    this.cache.delete(orgId);
  }

  private async enforcerFor(orgId: string, version: number): Promise<OrgEnforcer> {
    const cached = this.cache.get(orgId);
    if (cached && cached.version >= version) {
      // Map order is the LRU order: move the entry to the end.
      this.cache.delete(orgId);
      this.cache.set(orgId, cached);
      return cached;
    }
    let pending = this.loading.get(orgId);
    if (!pending) {
      pending = this.load(orgId).finally(() => this.loading.delete(orgId));
      this.loading.set(orgId, pending);
    }
    return pending;
  }

  private async load(orgId: string): Promise<OrgEnforcer> {
    const rows = await this.policies.loadOrg(orgId);
    const enforcer = await newEnforcer(newModelFromString(AUTHZ_MODEL));
    const model = enforcer.getModel();
    model.addPolicies('p', 'p', [...this.builtinPolicies, ...rows.policies]);
    if (rows.assignments.length) model.addPolicies('g', 'g', rows.assignments);
    await enforcer.buildRoleLinks();
    const entry: OrgEnforcer = {
      enforcer,
      version: rows.policyVersion,
      roleScopes: rows.roleScopes,
      generation: ++this.generations,
    };
    this.cache.delete(orgId);
    this.cache.set(orgId, entry);
    // Evict the least recently used organizations (the first keys of the Map).
    for (const id of this.cache.keys()) {
      if (this.cache.size <= this.maxCachedOrgs) break;
      this.cache.delete(id);
    }
    return entry;
  }
}
