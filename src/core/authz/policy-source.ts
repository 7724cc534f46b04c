import { EntityManager } from 'typeorm';

/**
 * What Core's authorization needs to know about organizations and roles, which
 * the org module owns: implemented there (as sign-in's PRINCIPAL_RESOLVER is by
 * auth), so Core names none of its tables.
 */
export interface PolicySource {
  /** The organization's policy version, which moves on every role or assignment change (0 for none). */
  policyVersion(orgId: string): Promise<number>;
  /** The data scope of each role of the organization, by role name. */
  roleScopes(orgId: string): Promise<Map<string, string>>;
  /** Moves the organization's policy version on, in the caller's transaction (after a rule change). */
  bumpPolicyVersion(m: EntityManager, orgId: string): Promise<void>;
}

export const POLICY_SOURCE = Symbol('POLICY_SOURCE');
