import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { POLICY_SOURCE, PolicySource } from './policy-source';
import { RoleHolders } from './role-holders';

export interface OrgPolicyRows {
  /** Custom role permissions: [role, orgId, object, action]. */
  policies: string[][];
  /** Role assignments: [subject, role, orgId]. */
  assignments: string[][];
  /** Data scope of every role of the organization. */
  roleScopes: Map<string, string>;
  policyVersion: number;
}

/**
 * The only place that reads or writes Casbin rules. What it needs of
 * organizations and roles (the org module's tables) comes from POLICY_SOURCE.
 */
@Injectable()
export class PolicyRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(POLICY_SOURCE) private readonly source: PolicySource,
  ) {}

  async loadOrg(orgId: string): Promise<OrgPolicyRows> {
    // The version is read first: should a change land meanwhile, the rules read
    // below are at least as new as the version they are cached under.
    const policyVersion = await this.source.policyVersion(orgId);
    const [rules, roleScopes] = await Promise.all([
      this.db.query(
        `SELECT ptype, v0, v1, v2, v3 FROM casbin_rules
          WHERE (ptype = 'g' AND v2 = $1) OR (ptype = 'p' AND v1 = $1)`,
        [orgId],
      ),
      this.source.roleScopes(orgId),
    ]);
    const policies: string[][] = [];
    const assignments: string[][] = [];
    for (const r of rules as Array<Record<string, string>>) {
      if (r.ptype === 'p') policies.push([r.v0, r.v1, r.v2, r.v3]);
      else assignments.push([r.v0, r.v1, r.v2]);
    }
    return { policies, assignments, roleScopes, policyVersion };
  }

  /** Roles assigned to one subject in the organization. */
  async rolesOf(orgId: string, subject: string, m: EntityManager = this.db.manager): Promise<string[]> {
    const rows: Array<{ v1: string }> = await m.query(
      `SELECT v1 FROM casbin_rules WHERE ptype = 'g' AND v2 = $1 AND v0 = $2 ORDER BY v1`,
      [orgId, subject],
    );
    return rows.map((r) => r.v1);
  }

  /** Roles of many subjects at once (one statement). */
  async rolesOfMany(orgId: string, subjects: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(subjects.map((s) => [s, []]));
    if (!subjects.length) return out;
    const rows: Array<{ v0: string; v1: string }> = await this.db.query(
      `SELECT v0, v1 FROM casbin_rules WHERE ptype = 'g' AND v2 = $1 AND v0 = ANY($2) ORDER BY v1`,
      [orgId, subjects],
    );
    for (const r of rows) out.get(r.v0)?.push(r.v1);
    return out;
  }

  /** Replaces the subject's roles and bumps the organization's policy version. */
  async replaceRoles(m: EntityManager, orgId: string, subject: string, roles: string[]): Promise<void> {
    await m.query(`DELETE FROM casbin_rules WHERE ptype = 'g' AND v2 = $1 AND v0 = $2`, [orgId, subject]);
    if (roles.length) {
      await m.query(
        `INSERT INTO casbin_rules (ptype, v0, v1, v2) SELECT 'g', $2, r, $1 FROM unnest($3::text[]) AS r`,
        [orgId, subject, roles],
      );
    }
    await this.bumpVersion(m, orgId);
  }

  /** Replaces a custom role's permissions. */
  async replaceRolePermissions(m: EntityManager, orgId: string, role: string, permissions: Array<[string, string]>) {
    await m.query(`DELETE FROM casbin_rules WHERE ptype = 'p' AND v1 = $1 AND v0 = $2`, [orgId, role]);
    if (permissions.length) {
      await m.query(
        `INSERT INTO casbin_rules (ptype, v0, v1, v2, v3)
         SELECT 'p', $2, $1, o, a FROM unnest($3::text[], $4::text[]) AS t(o, a)`,
        [orgId, role, permissions.map((p) => p[0]), permissions.map((p) => p[1])],
      );
    }
    await this.bumpVersion(m, orgId);
  }

  async customPermissions(orgId: string, role: string): Promise<string[]> {
    const rows: Array<{ v2: string; v3: string }> = await this.db.query(
      `SELECT v2, v3 FROM casbin_rules WHERE ptype = 'p' AND v1 = $1 AND v0 = $2 ORDER BY v2, v3`,
      [orgId, role],
    );
    return rows.map((r) => `${r.v2}:${r.v3}`);
  }

  /** How many subjects hold the role in the organization. */
  async assignmentCount(orgId: string, role: string): Promise<number> {
    const rows: Array<{ n: string }> = await this.db.query(
      `SELECT count(*) AS n FROM casbin_rules WHERE ptype = 'g' AND v2 = $1 AND v1 = $2`,
      [orgId, role],
    );
    return Number(rows[0].n);
  }

  /** The subjects holding `role` in the organization, for another module's statement. */
  holdersOf(orgId: string, role: string): RoleHolders {
    return RoleHolders.of(orgId, role);
  }

  bumpVersion(m: EntityManager, orgId: string): Promise<void> {
    return this.source.bumpPolicyVersion(m, orgId);
  }
}
