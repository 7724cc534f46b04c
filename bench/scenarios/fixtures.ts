/**
 * Who the virtual users are, read from the generated database in a fixed
 * (seeded hash) order, so two runs at the same scale use the same users:
 * 50 sales reps (the skew included: some hold thousands of customers), 50
 * managers (cycled when the organization has fewer), the most used tag, and
 * employees spread over all 10,000 organizations.
 */
import { Pool } from 'pg';
import { Fixtures } from 'bench/lib/context';

export async function loadFixtures(db: Pool, seed: number): Promise<Fixtures> {
  const org = (await db.query(`SELECT id, slug FROM organizations WHERE slug = 'yuemei'`)).rows[0];
  if (!org) throw new Error('the generated organization "yuemei" is missing');
  const byRole = (role: string, limit: number) =>
    db.query(
      `SELECT e.id, e.department_id, e.active_customer_count
         FROM employees e JOIN casbin_rules g ON g.ptype = 'g' AND g.v2 = e.org_id::text AND g.v0 = 'emp:' || e.id AND g.v1 = $2
        WHERE e.org_id = $1 AND e.status = 'ACTIVE'
        ORDER BY md5(e.id::text || $3) LIMIT $4`,
      [org.id, role, String(seed), limit],
    );
  const sales = (await byRole('sales', 50)).rows;
  const managersRows = (await byRole('manager', 50)).rows;
  const teamSize = await db.query(
    `SELECT root.id, count(DISTINCT e.id)::int AS n
       FROM departments root JOIN departments d ON d.org_id = root.org_id AND d.path LIKE root.path || '%'
       JOIN employees e ON e.department_id = d.id
      WHERE root.org_id = $1 GROUP BY root.id`,
    [org.id],
  );
  const size = new Map(teamSize.rows.map((r) => [r.id as string, r.n as number]));
  const admins = (await byRole('admin', 5)).rows.map((r) => r.id as string);
  const tags = await db.query(
    `SELECT t.id, count(ct.customer_id)::float / (SELECT count(*) FROM customers WHERE org_id = $1) AS share
       FROM tags t LEFT JOIN customer_tags ct ON ct.org_id = t.org_id AND ct.tag_id = t.id
      WHERE t.org_id = $1 GROUP BY t.id ORDER BY count(ct.customer_id) DESC, t.id`,
    [org.id],
  );
  const stage = 'INTERESTED';
  const stageShare = Number(
    (await db.query(`SELECT avg((stage = $2)::int)::float AS s FROM customers WHERE org_id = $1`, [org.id, stage]))
      .rows[0].s,
  );
  const small = await db.query(
    `SELECT e.id, e.org_id FROM employees e WHERE e.org_id <> $1 AND e.status = 'ACTIVE' ORDER BY md5(e.id::text || $2) LIMIT 5000`,
    [org.id, String(seed)],
  );
  return {
    orgId: org.id,
    orgSlug: org.slug,
    salesReps: sales.map((r) => ({ id: r.id, active: r.active_customer_count })),
    managers: managersRows.map((r) => ({
      id: r.id,
      departmentId: r.department_id,
      teamSize: size.get(r.department_id) ?? 0,
    })),
    admins,
    tagIds: tags.rows.map((r) => r.id),
    popularTagId: tags.rows[0].id,
    popularTagShare: Number(tags.rows[0].share),
    stage,
    stageShare,
    smallOrgEmployees: small.rows.map((r) => ({ id: r.id, orgId: r.org_id })),
  };
}

/**
 * A keyset cursor `depth` rows into a user's first list (newest first), computed
 * in SQL with the same visibility rules as the server, so the deep-page
 * scenario starts where a user paging 50 at a time would be after depth/50 pages.
 * A fixture, not a measurement: its own SQL on purpose (an OFFSET, which the
 * server's keyset list does not offer); the scenario then measures the server.
 */
export async function deepCursor(
  db: Pool,
  orgId: string,
  user:
    { kind: 'sales'; id: string } | { kind: 'manager'; id: string; departmentId: string; tagId: string; stage: string },
  depth: number,
): Promise<{ cursor: string; depth: number } | null> {
  const scope =
    user.kind === 'sales'
      ? `EXISTS (SELECT 1 FROM customer_relations sr WHERE sr.org_id = $1 AND sr.customer_id = c.id AND sr.status = 'ACTIVE' AND sr.employee_id = $2)`
      : `EXISTS (SELECT 1 FROM customer_relations sr WHERE sr.org_id = $1 AND sr.customer_id = c.id AND sr.status = 'ACTIVE'
           AND (sr.employee_id = $2 OR sr.employee_id IN (SELECT se.id FROM employees se JOIN departments sd ON sd.id = se.department_id
                 JOIN departments root ON root.org_id = $1 AND root.id = $4 WHERE se.org_id = $1 AND sd.path LIKE root.path || '%')))
         AND c.stage = $5 AND EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.org_id = $1 AND ct.customer_id = c.id AND ct.tag_id = $6)`;
  const params: unknown[] = [orgId, user.id, depth];
  if (user.kind === 'manager') params.push(user.departmentId, user.stage, user.tagId);
  for (let d = depth; d >= 50; d = Math.floor(d / 2)) {
    params[2] = d - 1;
    const r = await db.query(
      `SELECT c.created_at, c.id FROM customers c WHERE c.org_id = $1 AND ${scope} ORDER BY c.created_at DESC, c.id DESC OFFSET $3 LIMIT 1`,
      params,
    );
    if (r.rows[0]) {
      const cursor = Buffer.from(
        JSON.stringify([new Date(r.rows[0].created_at).toISOString(), r.rows[0].id]),
        'utf8',
      ).toString('base64url');
      return { cursor, depth: d };
    }
  }
  return null;
}
