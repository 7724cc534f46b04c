import { DataSource } from 'typeorm';
import { BUILTIN_ROLE_DEFINITIONS } from 'src/modules/org/builtin-roles';

export interface AuthzSeedOptions {
  organizations: number;
  /** Every `bigOrgEvery`-th organization (1, 1 + n, ...) has `bigOrgEmployees` employees. */
  bigOrgEvery: number;
  bigOrgEmployees: number;
  /** Organizations with index % customRoleEvery = customRoleEvery / 2 get a custom role. */
  customRoleEvery: number;
}

export const CUSTOM_ROLE = { name: 'ops-lead', dataScope: 'DEPARTMENT' };
export const CUSTOM_ROLE_PERMISSIONS: Array<[string, string]> = [
  ['customer', 'read'],
  ['customer', 'update'],
  ['customer', 'record'],
  ['handover', 'read'],
  ['handover', 'create'],
  ['handover', 'respond'],
  ['tag', 'manage'],
  ['kpi', 'read'],
];

export interface SeedCounts {
  organizations: number;
  departments: number;
  employees: number;
  roles: number;
  gRules: number;
  pRules: number;
  bigOrganizations: number;
  customRoleOrganizations: number;
  ms: number;
}

/**
 * Seeds organizations, their built-in role rows, one department each,
 * employees and their Casbin assignments with set-based SQL only. Ids and
 * role choices derive from md5 of the row's indexes, so two runs produce the
 * same data.
 *
 * Employees per organization: 3 to 5 (3 + i % 3), or `bigOrgEmployees` for the
 * big ones. Employee 1 is the admin; the others get one role chosen by hash
 * (sales 50 %, manager 20 %, marketer 10 %, auditor 10 %, sales + marketer
 * 10 %). In custom-role organizations employee 2 also holds `ops-lead`.
 */
export async function seedAuthz(ds: DataSource, o: AuthzSeedOptions): Promise<SeedCounts> {
  const started = Date.now();
  const orgId = (i: string) => `md5('org:' || ${i})::uuid`;
  const sizeOf = `CASE WHEN i % $2::int = 1 THEN $3::int ELSE 3 + i % 3 END`;
  await ds.transaction(async (m) => {
    await m.query(
      `INSERT INTO organizations (id, name, slug)
       SELECT ${orgId('i')}, 'Bench organization ' || i, 'bench-' || i
         FROM generate_series(1, $1) AS i`,
      [o.organizations],
    );
    await m.query(
      `INSERT INTO departments (id, org_id, name, path)
       SELECT md5('dept:' || i)::uuid, ${orgId('i')}, 'Head office', '/' || md5('dept:' || i)::uuid || '/'
         FROM generate_series(1, $1) AS i`,
      [o.organizations],
    );
    await m.query(
      `INSERT INTO roles (org_id, name, description, data_scope, builtin)
       SELECT ${orgId('i')}, r.name, r.description, r.data_scope, true
         FROM generate_series(1, $1) AS i
        CROSS JOIN unnest($2::text[], $3::text[], $4::text[]) AS r(name, description, data_scope)`,
      [
        o.organizations,
        BUILTIN_ROLE_DEFINITIONS.map((r) => r.name),
        BUILTIN_ROLE_DEFINITIONS.map((r) => r.description),
        BUILTIN_ROLE_DEFINITIONS.map((r) => r.dataScope),
      ],
    );
    await m.query(
      `INSERT INTO employees (id, org_id, department_id, name, email)
       SELECT md5('emp:' || i || ':' || j)::uuid, ${orgId('i')}, md5('dept:' || i)::uuid,
              'Employee ' || j, 'e' || j || '@org' || i || '.bench.invalid'
         FROM generate_series(1, $1) AS i
        CROSS JOIN LATERAL generate_series(1, ${sizeOf}) AS j`,
      [o.organizations, o.bigOrgEvery, o.bigOrgEmployees],
    );
    // Role assignments: g, emp:<id>, <role>, <orgId>.
    await m.query(
      `WITH e AS (
         SELECT i, j, get_byte(decode(md5('role:' || i || ':' || j), 'hex'), 0) % 10 AS h
           FROM generate_series(1, $1) AS i
          CROSS JOIN LATERAL generate_series(1, ${sizeOf}) AS j
       )
       INSERT INTO casbin_rules (ptype, v0, v1, v2)
       SELECT 'g', 'emp:' || md5('emp:' || e.i || ':' || e.j)::uuid, r.role, ${orgId('e.i')}
         FROM e
        CROSS JOIN LATERAL unnest(CASE
          WHEN e.j = 1 THEN ARRAY['admin']
          WHEN e.h < 5 THEN ARRAY['sales']
          WHEN e.h < 7 THEN ARRAY['manager']
          WHEN e.h = 7 THEN ARRAY['marketer']
          WHEN e.h = 8 THEN ARRAY['auditor']
          ELSE ARRAY['sales', 'marketer'] END) AS r(role)`,
      [o.organizations, o.bigOrgEvery, o.bigOrgEmployees],
    );
    const customHit = `i % $2::int = $2::int / 2`;
    await m.query(
      `INSERT INTO roles (org_id, name, description, data_scope, builtin)
       SELECT ${orgId('i')}, $3::text, 'Custom role (bench)', $4::text, false
         FROM generate_series(1, $1) AS i WHERE ${customHit}`,
      [o.organizations, o.customRoleEvery, CUSTOM_ROLE.name, CUSTOM_ROLE.dataScope],
    );
    // Custom role permissions: p, ops-lead, <orgId>, <object>, <action>.
    await m.query(
      `INSERT INTO casbin_rules (ptype, v0, v1, v2, v3)
       SELECT 'p', $3::text, ${orgId('i')}, perm.obj, perm.act
         FROM generate_series(1, $1) AS i
        CROSS JOIN unnest($4::text[], $5::text[]) AS perm(obj, act)
        WHERE ${customHit}`,
      [
        o.organizations,
        o.customRoleEvery,
        CUSTOM_ROLE.name,
        CUSTOM_ROLE_PERMISSIONS.map((p) => p[0]),
        CUSTOM_ROLE_PERMISSIONS.map((p) => p[1]),
      ],
    );
    await m.query(
      `INSERT INTO casbin_rules (ptype, v0, v1, v2)
       SELECT 'g', 'emp:' || md5('emp:' || i || ':2')::uuid, $3::text, ${orgId('i')}
         FROM generate_series(1, $1) AS i WHERE ${customHit}`,
      [o.organizations, o.customRoleEvery, CUSTOM_ROLE.name],
    );
  });
  await ds.query('ANALYZE');
  const [c] = await ds.query(
    `SELECT (SELECT count(*) FROM organizations)::int AS organizations,
            (SELECT count(*) FROM departments)::int AS departments,
            (SELECT count(*) FROM employees)::int AS employees,
            (SELECT count(*) FROM roles)::int AS roles,
            (SELECT count(*) FROM casbin_rules WHERE ptype = 'g')::int AS "gRules",
            (SELECT count(*) FROM casbin_rules WHERE ptype = 'p')::int AS "pRules",
            (SELECT count(*) FROM (SELECT org_id FROM employees GROUP BY org_id HAVING count(*) > 100) b)::int AS "bigOrganizations",
            (SELECT count(*) FROM roles WHERE NOT builtin)::int AS "customRoleOrganizations"`,
  );
  return { ...(c as Omit<SeedCounts, 'ms'>), ms: Date.now() - started };
}
