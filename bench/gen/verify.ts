/**
 * Checks the invariants the application relies on over a generated database
 * (set-based, seconds at full scale). Any violation fails the run before a
 * scenario measures anything on bad data.
 */
import { Client } from 'pg';
import { SEARCH_TEXT_OF_C } from 'src/modules/customers/repositories/search-text';

export interface Check {
  name: string;
  sql: string;
}

const CHECKS: Check[] = [
  {
    // The product's own recomputation; customers with several remarks are left out (their order is not fixed).
    name: 'search_text as the product computes it (SEARCH_TEXT_OF_C: never the phone)',
    sql: `SELECT count(*) AS n FROM customers c
           WHERE c.search_text IS DISTINCT FROM ${SEARCH_TEXT_OF_C}
             AND NOT EXISTS (SELECT 1 FROM customer_relations r2 WHERE r2.customer_id = c.id AND r2.remark IS NOT NULL
                              GROUP BY r2.customer_id HAVING count(*) > 1)`,
  },
  {
    name: 'active_customer_count = ACTIVE relations',
    sql: `SELECT count(*) AS n FROM employees e
           WHERE e.active_customer_count <> (SELECT count(*) FROM customer_relations r
                                              WHERE r.org_id = e.org_id AND r.employee_id = e.id AND r.status = 'ACTIVE')`,
  },
  {
    name: 'customers.tag_ids = its customer_tags, sorted',
    sql: `SELECT count(*) AS n FROM customers c
           WHERE c.tag_ids IS DISTINCT FROM coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id) FROM customer_tags ct
                                                        WHERE ct.customer_id = c.id), '{}')`,
  },
  {
    name: 'customers.active_employee_ids = the employees of its ACTIVE relations, sorted',
    sql: `SELECT count(*) AS n FROM customers c
           WHERE c.active_employee_ids IS DISTINCT FROM coalesce((SELECT array_agg(r.employee_id ORDER BY r.employee_id) FROM customer_relations r
                                                                    WHERE r.customer_id = c.id AND r.status = 'ACTIVE'), '{}')`,
  },
  {
    name: 'customer_relations.customer_created_at = customers.created_at',
    sql: `SELECT count(*) AS n FROM customer_relations r JOIN customers c ON c.id = r.customer_id
           WHERE r.customer_created_at IS DISTINCT FROM c.created_at`,
  },
  {
    name: 'active relations within capacity',
    sql: `SELECT count(*) AS n FROM employees WHERE active_customer_count > customer_capacity`,
  },
  {
    name: 'at most one ACTIVE relation per (employee, customer)',
    sql: `SELECT count(*) AS n FROM (SELECT 1 FROM customer_relations WHERE status = 'ACTIVE'
           GROUP BY org_id, employee_id, customer_id HAVING count(*) > 1) d`,
  },
  {
    name: 'departments.path = parent path || id || /',
    sql: `SELECT count(*) AS n FROM departments d LEFT JOIN departments p ON p.id = d.parent_id
           WHERE d.path <> coalesce(p.path, '/') || d.id || '/'`,
  },
  {
    name: 'every employee holds a role (casbin g row)',
    sql: `SELECT count(*) AS n FROM employees e WHERE NOT EXISTS
           (SELECT 1 FROM casbin_rules g WHERE g.ptype = 'g' AND g.v2 = e.org_id::text AND g.v0 = 'emp:' || e.id)`,
  },
  {
    name: 'five built-in roles per organization',
    sql: `SELECT count(*) AS n FROM organizations o WHERE (SELECT count(*) FROM roles r WHERE r.org_id = o.id AND r.builtin) <> 5`,
  },
];

/** Runs every check; returns the failures (empty when the data is sound). */
export async function verify(url: string): Promise<Array<{ check: string; violations: number }>> {
  const db = new Client({ connectionString: url, application_name: 'wecrm-bench-verify' });
  await db.connect();
  try {
    await db.query(`SET max_parallel_workers_per_gather = 2`);
    const out: Array<{ check: string; violations: number }> = [];
    for (const c of CHECKS) {
      const n = Number((await db.query(c.sql)).rows[0].n);
      if (n) out.push({ check: c.name, violations: n });
    }
    return out;
  } finally {
    await db.end();
  }
}
