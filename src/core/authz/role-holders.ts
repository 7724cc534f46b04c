import { SqlFragment } from 'src/core/database/sql-fragment';

/**
 * The subjects (`emp:<id>`, `key:<id>`) holding a role in an organization, as
 * Core's Casbin rules record it: a fragment another module's statement reads
 * (e.g. the employee list's role filter), made only here.
 */
export class RoleHolders extends SqlFragment<{ subject: string }> {
  private constructor(text: string, params: unknown[]) {
    super(text, params);
  }

  static of(orgId: string, role: string): RoleHolders {
    return new RoleHolders(
      `SELECT g.v0 AS subject FROM casbin_rules g WHERE g.ptype = 'g' AND g.v2 = $1::text AND g.v1 = $2`,
      [orgId, role],
    );
  }
}
