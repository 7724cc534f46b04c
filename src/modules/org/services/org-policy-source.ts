import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PolicySource } from 'src/core/authz/policy-source';
import { OrganizationsRepository } from 'src/modules/org/repositories/organizations.repository';
import { RolesRepository } from 'src/modules/org/repositories/roles.repository';

/** Core's POLICY_SOURCE: the organization's policy version and its roles' data scopes, from this module's tables. */
@Injectable()
export class OrgPolicySource implements PolicySource {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly roles: RolesRepository,
  ) {}

  policyVersion(orgId: string): Promise<number> {
    return this.organizations.policyVersion(orgId);
  }

  roleScopes(orgId: string): Promise<Map<string, string>> {
    return this.roles.scopesOf(orgId);
  }

  bumpPolicyVersion(m: EntityManager, orgId: string): Promise<void> {
    return this.organizations.bumpPolicyVersion(m, orgId);
  }
}
