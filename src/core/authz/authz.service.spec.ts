import { BUILTIN_ROLE_DEFINITIONS } from 'src/modules/org/builtin-roles';
import { Actor } from './actor';
import { AuthzService } from './authz.service';
import { OrgPolicyRows, PolicyRepository } from './policy.repository';

/** In-memory policy rows: the Casbin model and the scope union are the logic under test. */
class MemoryPolicies {
  rows = new Map<string, OrgPolicyRows>();
  loads = 0;
  async loadOrg(orgId: string): Promise<OrgPolicyRows> {
    this.loads++;
    return this.rows.get(orgId)!;
  }
}

const ORG = 'org-1';
const OTHER = 'org-2';

function actor(id: string, over: Partial<Actor> = {}): Actor {
  return {
    kind: 'employee',
    orgId: ORG,
    subject: `emp:${id}`,
    employeeId: id,
    departmentId: 'dept-1',
    policyVersion: 1,
    ...over,
  };
}

describe('AuthzService', () => {
  let policies: MemoryPolicies;
  let authz: AuthzService;
  beforeEach(() => {
    policies = new MemoryPolicies();
    const scopes = new Map(BUILTIN_ROLE_DEFINITIONS.map((r) => [r.name, r.dataScope as string]));
    scopes.set('kpi-viewer', 'DEPARTMENT');
    policies.rows.set(ORG, {
      policies: [['kpi-viewer', ORG, 'kpi', 'read']],
      assignments: [
        ['emp:admin', 'admin', ORG],
        ['emp:mgr', 'manager', ORG],
        ['emp:rep', 'sales', ORG],
        ['emp:both', 'sales', ORG],
        ['emp:both', 'marketer', ORG],
        ['emp:custom', 'kpi-viewer', ORG],
        ['key:k1', 'manager', ORG],
      ],
      roleScopes: scopes,
      policyVersion: 1,
    });
    policies.rows.set(OTHER, {
      policies: [],
      assignments: [['emp:x', 'admin', OTHER]],
      roleScopes: scopes,
      policyVersion: 1,
    });
    authz = new AuthzService(policies as unknown as PolicyRepository, BUILTIN_ROLE_DEFINITIONS);
  });

  it('grants what the built-in roles list and nothing else', async () => {
    expect(await authz.can(actor('admin'), 'anything', 'at-all')).toBe(true);
    expect(await authz.can(actor('rep'), 'customer', 'update')).toBe(true);
    expect(await authz.can(actor('rep'), 'organization', 'update')).toBe(false);
    expect(await authz.can(actor('mgr'), 'chat', 'read')).toBe(false);
    expect(await authz.can(actor('nobody'), 'customer', 'read')).toBe(false);
  });

  it('keeps tenancy in the assignments: a role held in another organization grants nothing here', async () => {
    expect(await authz.can(actor('x'), 'customer', 'read')).toBe(false);
    expect(await authz.can(actor('x', { orgId: OTHER }), 'customer', 'read')).toBe(true);
  });

  it('applies custom role permissions of the organization only', async () => {
    expect(await authz.can(actor('custom'), 'kpi', 'read')).toBe(true);
    expect(await authz.can(actor('custom'), 'customer', 'read')).toBe(false);
  });

  it('unions the data scopes of the roles that grant the action', async () => {
    expect(await authz.scopeFor(actor('admin'), 'customer', 'read')).toEqual({ organization: true, departmentIds: [] });
    expect(await authz.scopeFor(actor('mgr'), 'customer', 'read')).toEqual({
      organization: false,
      departmentIds: ['dept-1'],
      employeeId: 'mgr',
    });
    expect(await authz.scopeFor(actor('rep'), 'customer', 'read')).toEqual({
      organization: false,
      departmentIds: [],
      employeeId: 'rep',
    });
    // sales + marketer: marketer grants employee:read organization-wide, so that wins for employees...
    expect(await authz.scopeFor(actor('both'), 'employee', 'read')).toEqual({ organization: true, departmentIds: [] });
    // ...but customers stay SELF, since only sales grants customer:read.
    expect(await authz.scopeFor(actor('both'), 'customer', 'read')).toEqual({
      organization: false,
      departmentIds: [],
      employeeId: 'both',
    });
    expect(await authz.scopeFor(actor('rep'), 'organization', 'update')).toBeNull();
    // API keys act organization-wide with their roles' permissions.
    const key: Actor = { kind: 'apiKey', orgId: ORG, subject: 'key:k1', apiKeyId: 'k1', policyVersion: 1 };
    expect(await authz.scopeFor(key, 'customer', 'read')).toEqual({ organization: true, departmentIds: [] });
    expect(await authz.scopeFor(key, 'chat', 'read')).toBeNull();
  });

  it('caches one enforcer per organization and reloads it when the policy version moves', async () => {
    await authz.can(actor('rep'), 'customer', 'read');
    await authz.can(actor('mgr'), 'customer', 'read');
    expect(policies.loads).toBe(1);
    policies.rows.get(ORG)!.assignments.push(['emp:rep', 'admin', ORG]);
    policies.rows.get(ORG)!.policyVersion = 2;
    expect(await authz.can(actor('rep', { policyVersion: 1 }), 'organization', 'update')).toBe(false);
    expect(await authz.can(actor('rep', { policyVersion: 2 }), 'organization', 'update')).toBe(true);
    expect(policies.loads).toBe(2);
  });

  it('remembers answers only for the enforcer that gave them', async () => {
    // Asked twice at version 1: the same answers, the second time from memory.
    for (let i = 0; i < 2; i++) {
      expect(await authz.scopeFor(actor('rep'), 'customer', 'read')).toEqual({
        organization: false,
        departmentIds: [],
        employeeId: 'rep',
      });
      expect(await authz.can(actor('rep'), 'handover', 'create')).toBe(false);
    }
    // The rep becomes a manager as well: a new enforcer, and none of the old answers.
    policies.rows.get(ORG)!.assignments.push(['emp:rep', 'manager', ORG]);
    policies.rows.get(ORG)!.policyVersion = 2;
    const promoted = actor('rep', { policyVersion: 2 });
    expect(await authz.scopeFor(promoted, 'customer', 'read')).toEqual({
      organization: false,
      departmentIds: ['dept-1'],
      employeeId: 'rep',
    });
    expect(await authz.can(promoted, 'handover', 'create')).toBe(true);
    // A scope's department is the caller's, not the first caller's with the same roles.
    expect(
      await authz.scopeFor(actor('rep', { policyVersion: 2, departmentId: 'dept-9' }), 'customer', 'read'),
    ).toEqual({
      organization: false,
      departmentIds: ['dept-9'],
      employeeId: 'rep',
    });
    // A local invalidation forgets them too.
    policies.rows.get(ORG)!.assignments = policies.rows
      .get(ORG)!
      .assignments.filter(([sub, role]) => !(sub === 'emp:rep' && role === 'manager'));
    authz.invalidate(ORG);
    expect(await authz.can(promoted, 'handover', 'create')).toBe(false);
    expect(await authz.scopeFor(promoted, 'customer', 'read')).toEqual({
      organization: false,
      departmentIds: [],
      employeeId: 'rep',
    });
  });

  it('evicts the least recently used organization beyond the cache size', async () => {
    const small = new AuthzService(policies as unknown as PolicyRepository, BUILTIN_ROLE_DEFINITIONS, 1);
    await small.can(actor('rep'), 'customer', 'read');
    await small.can(actor('x', { orgId: OTHER }), 'customer', 'read');
    expect(policies.loads).toBe(2);
    await small.can(actor('x', { orgId: OTHER }), 'customer', 'read');
    expect(policies.loads).toBe(2);
    await small.can(actor('rep'), 'customer', 'read');
    expect(policies.loads).toBe(3);
  });
});
