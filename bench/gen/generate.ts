/**
 * Deterministic data generator: one large organization (2,000 employees in
 * ~60 departments over 3 levels, 1,000,000 customers, 3,000,000 relations with
 * a skewed spread over the sales reps, tags, notes, timeline events) plus 9,999
 * small organizations, at `scale` (0.01 = one hundredth).
 *
 * Everything is set-based SQL inside PostgreSQL (INSERT ... SELECT over
 * generate_series, values from hashint8extended/md5 of the row's index and the
 * seed), chunked so a progress bar can move. The schema comes from the real
 * migrations; secondary indexes, primary keys and foreign keys of the bulk
 * tables are dropped around the load and recreated from their own definitions
 * (so the result is exactly the migrated schema), then VACUUM ANALYZE.
 *
 * Invariants the application relies on, kept here:
 *  - search_text by the product's formula (searchTextSql) over
 * name, company and the remarks of the customer's relations;
 *  - employees.active_customer_count = their ACTIVE relations; at most one ACTIVE relation
 *    per (employee, customer) (each rep's customers are distinct: an arithmetic progression
 *    with a stride coprime to the customer count);
 *  - departments.path = '/root/.../self/';
 *  - casbin `g, emp:<id>, <role>, <orgId>` for each role held; 5 built-in role rows per organization;
 *  - uuids are v4-shaped (the API validates ids).
 *
 * Later data plugs in as further entries of STEPS (see the chat-messages note at the end).
 */
import { Client } from 'pg';
import type { BuiltinRole } from 'src/core/authz/authz.model';
import { searchTextSql } from 'src/modules/customers/repositories/search-text';
import { Progress } from 'bench/lib/progress';
import { ANCHOR, GENERATOR_VERSION, Plan } from './plan';
import {
  EN_COMPANY_SUFFIX,
  EN_COMPANY_WORDS,
  EN_FIRST,
  EN_LAST,
  NOTE_BODIES,
  REMARKS,
  TAG_GROUPS,
  ZH_CITIES,
  ZH_COMPANY_SUFFIX,
  ZH_COMPANY_WORDS,
  ZH_GIVEN,
  ZH_SURNAMES,
} from './pools';

/** Tables loaded in bulk: their indexes, keys and foreign keys are dropped during the load. */
export const BULK_TABLES = ['customers', 'customer_relations', 'customer_tags', 'customer_notes', 'timeline_events'];

export interface GenContext {
  db: Client;
  plan: Plan;
  roles: BuiltinRole[];
  progress: Progress;
  /** Rows written per table (for the summary). */
  counts: Record<string, number>;
}

export interface Step {
  name: string;
  /** Relative cost, for the overall progress bar. */
  weight(plan: Plan): number;
  run(ctx: GenContext): Promise<void>;
}

const CHUNKS = 10;

function ranges(n: number, chunks: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const size = Math.ceil(n / chunks);
  for (let lo = 0; lo < n; lo += size) out.push([lo, Math.min(n, lo + size)]);
  return out;
}

/** Helper SQL functions (schema bench_gen, dropped at the end). Literals carry the seed and anchor. */
function helperSql(plan: Plan): string {
  const s = plan.seed;
  const anchor = `'${ANCHOR}'::timestamptz`;
  return `
    DROP SCHEMA IF EXISTS bench_gen CASCADE;
    CREATE SCHEMA bench_gen;
    -- uniform [0, 1) from (i, salt)
    CREATE FUNCTION bench_gen.u(i bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT ((hashint8extended(i, ${s}::bigint * 1000 + salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;
    -- v4-shaped uuid; mirrors uid() in plan.ts
    CREATE FUNCTION bench_gen.uidt(t text) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT overlay(overlay(md5('${s}:' || t) placing '4' from 13) placing '8' from 17)::uuid $$;
    CREATE FUNCTION bench_gen.uid(k text, i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT overlay(overlay(md5('${s}:' || k || ':' || i) placing '4' from 13) placing '8' from 17)::uuid $$;
    CREATE FUNCTION bench_gen.pick(a text[], x float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT a[1 + floor(x * array_length(a, 1))::int] $$;
    -- customers: more recent ones are more numerous (three years of history)
    CREATE FUNCTION bench_gen.c_created(i bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT date_trunc('milliseconds', ${anchor} - (power(bench_gen.u(i, 2), 1.5) * 1095 * 86400) * interval '1 second') $$;
    CREATE FUNCTION bench_gen.anchor() RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${anchor} $$;
  `;
}

// ------------------------------------------------------------------ steps

const setup: Step = {
  name: 'setup',
  weight: () => 1,
  async run({ db, plan, progress }) {
    progress.start('setup (helpers, plan)', 1);
    await db.query(helperSql(plan));
    await db.query(`CREATE UNLOGGED TABLE bench_gen.emp (idx int PRIMARY KEY, id uuid NOT NULL, name text NOT NULL,
      quota int NOT NULL, off bigint NOT NULL, stride bigint NOT NULL)`);
    const e = plan.employees;
    await db.query(
      `INSERT INTO bench_gen.emp SELECT * FROM unnest($1::int[], $2::uuid[], $3::text[], $4::int[], $5::bigint[], $6::bigint[])`,
      [
        e.map((x) => x.idx),
        e.map((x) => x.id),
        e.map((x) => x.name),
        e.map((x) => x.quota),
        e.map((x) => x.offset),
        e.map((x) => x.stride),
      ],
    );
    progress.tick(1, e.length);
    progress.end();
  },
};

const organizations: Step = {
  name: 'organizations',
  weight: (p) => 1 + p.sizes.smallOrgs / 2_000,
  async run(ctx) {
    const { db, plan, roles, progress, counts } = ctx;
    const N = plan.sizes.smallOrgs;
    progress.start('organizations, employees', 3);
    // The large organization.
    await db.query(`INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $2, $3, $4)`, [
      plan.orgId,
      plan.orgName,
      plan.orgSlug,
      '2023-01-01T00:00:00Z',
    ]);
    const d = plan.departments;
    await db.query(
      `INSERT INTO departments (id, org_id, parent_id, name, path)
       SELECT id, $1, parent, name, path FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) AS t(id, parent, name, path)`,
      [
        plan.orgId,
        d.map((x) => x.id),
        d.map((x) => (x.parentIdx === null ? null : d[x.parentIdx].id)),
        d.map((x) => x.name),
        d.map((x) => x.path),
      ],
    );
    const e = plan.employees;
    await db.query(
      `INSERT INTO employees (id, org_id, department_id, name, email, title, external_id, created_at, updated_at)
       SELECT id, $1, dept, name, email, title, ext, created, created
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
           AS t(id, dept, name, email, title, ext, created)`,
      [
        plan.orgId,
        e.map((x) => x.id),
        e.map((x) => d[x.deptIdx].id),
        e.map((x) => x.name),
        e.map((x) => x.email),
        e.map((x) => x.title),
        e.map((x) => x.externalId),
        e.map((x) => x.createdAt),
      ],
    );
    const g = e.flatMap((x) => x.roles.map((r) => [`emp:${x.id}`, r]));
    await db.query(
      `INSERT INTO casbin_rules (ptype, v0, v1, v2) SELECT 'g', s, r, $1 FROM unnest($2::text[], $3::text[]) AS t(s, r)`,
      [plan.orgId, g.map((x) => x[0]), g.map((x) => x[1])],
    );
    progress.tick(1, 1 + d.length + e.length + g.length);

    // 9,999 small organizations (at scale 1): a root department, 3-5 employees, their role assignments.
    await db.query(
      `INSERT INTO organizations (id, name, slug, created_at)
       SELECT bench_gen.uid('o', i), 'Small shop ' || i || ' 小店', 'shop-' || i,
              bench_gen.anchor() - (bench_gen.u(i, 40) * 1000 * 86400) * interval '1 second'
         FROM generate_series(1, $1) AS i`,
      [N],
    );
    await db.query(
      `INSERT INTO departments (id, org_id, name, path)
       SELECT bench_gen.uid('sd', i), bench_gen.uid('o', i), 'Head office 总部', '/' || bench_gen.uid('sd', i) || '/'
         FROM generate_series(1, $1) AS i`,
      [N],
    );
    await db.query(
      `INSERT INTO employees (id, org_id, department_id, name, email, created_at, updated_at)
       SELECT bench_gen.uid('se', i * 10 + j), bench_gen.uid('o', i), bench_gen.uid('sd', i),
              CASE WHEN bench_gen.u(i * 10 + j, 41) < 0.7
                   THEN bench_gen.pick($2, bench_gen.u(i * 10 + j, 42)) || bench_gen.pick($3, bench_gen.u(i * 10 + j, 43))
                   ELSE bench_gen.pick($4, bench_gen.u(i * 10 + j, 42)) || ' ' || bench_gen.pick($5, bench_gen.u(i * 10 + j, 43)) END,
              'e' || j || '@shop-' || i || '.bench.invalid',
              bench_gen.anchor() - (bench_gen.u(i * 10 + j, 44) * 900 * 86400) * interval '1 second',
              bench_gen.anchor()
         FROM generate_series(1, $1) AS i CROSS JOIN LATERAL generate_series(1, 3 + i % 3) AS j`,
      [N, ZH_SURNAMES, ZH_GIVEN, EN_FIRST, EN_LAST],
    );
    progress.tick(1, N * 5);
    await db.query(
      `INSERT INTO casbin_rules (ptype, v0, v1, v2)
       SELECT 'g', 'emp:' || bench_gen.uid('se', i * 10 + j), CASE
                WHEN j = 1 THEN 'admin'
                WHEN bench_gen.u(i * 10 + j, 45) < 0.6 THEN 'sales'
                WHEN bench_gen.u(i * 10 + j, 45) < 0.8 THEN 'manager'
                WHEN bench_gen.u(i * 10 + j, 45) < 0.9 THEN 'marketer'
                ELSE 'auditor' END, bench_gen.uid('o', i)::text
         FROM generate_series(1, $1) AS i CROSS JOIN LATERAL generate_series(1, 3 + i % 3) AS j`,
      [N],
    );
    // Five built-in role rows per organization, as sign-up writes them.
    await db.query(
      `INSERT INTO roles (org_id, name, description, data_scope, builtin)
       SELECT o.id, r.name, r.description, r.data_scope, true
         FROM organizations o CROSS JOIN unnest($1::text[], $2::text[], $3::text[]) AS r(name, description, data_scope)`,
      [roles.map((r) => r.name), roles.map((r) => r.description), roles.map((r) => r.dataScope)],
    );
    progress.tick(1, N * 8);
    for (const t of ['organizations', 'departments', 'employees', 'roles']) {
      counts[t] = Number((await db.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    }
    counts.casbin_rules = Number((await db.query(`SELECT count(*) AS n FROM casbin_rules`)).rows[0].n);
    progress.end();
  },
};

/** Relations are planned first (unlogged staging), so customers can carry their remarks in search_text. */
const relationPlan: Step = {
  name: 'relation-plan',
  weight: (p) => p.sizes.relations / 200_000,
  async run({ db, plan, progress }) {
    const C = plan.sizes.customers;
    progress.start('relations (plan)', CHUNKS);
    await db.query(`CREATE UNLOGGED TABLE bench_gen.rel (
      k bigint NOT NULL, e int NOT NULL, c int NOT NULL, c_id uuid NOT NULL, e_id uuid NOT NULL,
      status text NOT NULL, add_way text NOT NULL, state text, remark text,
      added_at timestamptz NOT NULL, ended_at timestamptz)`);
    const sales = plan.employees.filter((e) => e.quota > 0);
    for (const [lo, hi] of ranges(sales.length, CHUNKS)) {
      const part = sales.slice(lo, hi);
      const res = await db.query(
        `INSERT INTO bench_gen.rel
         SELECT k, e, c, bench_gen.uid('c', c), e_id, status, add_way,
                CASE WHEN add_way = 'QR_CODE' AND bench_gen.u(k, 13) < 0.4 THEN 'ch-' || (1 + floor(bench_gen.u(k, 14) * 24))::int END,
                CASE WHEN bench_gen.u(k, 15) < 0.1 THEN bench_gen.pick($3::text[], bench_gen.u(k, 16)) END,
                added, CASE WHEN status <> 'ACTIVE' THEN date_trunc('milliseconds', added + (bench_gen.anchor() - added) * bench_gen.u(k, 17)) END
           FROM (
             SELECT p.e::bigint * 100000 + j AS k, p.e, ((emp.off + j::bigint * emp.stride) % $2)::int AS c, emp.id AS e_id
               FROM unnest($1::int[]) AS p(e)
               JOIN bench_gen.emp emp ON emp.idx = p.e
               CROSS JOIN LATERAL generate_series(0, emp.quota - 1) AS j
           ) AS r
           CROSS JOIN LATERAL (SELECT
             CASE WHEN bench_gen.u(k, 10) < 0.80 THEN 'ACTIVE' WHEN bench_gen.u(k, 10) < 0.90 THEN 'DELETED_BY_CUSTOMER'
                  WHEN bench_gen.u(k, 10) < 0.96 THEN 'DELETED_BY_EMPLOYEE' ELSE 'TRANSFERRED_AWAY' END AS status,
             CASE WHEN bench_gen.u(k, 11) < 0.45 THEN 'QR_CODE' WHEN bench_gen.u(k, 11) < 0.65 THEN 'PHONE_SEARCH'
                  WHEN bench_gen.u(k, 11) < 0.75 THEN 'SHARED_CARD' WHEN bench_gen.u(k, 11) < 0.90 THEN 'GROUP_CHAT'
                  WHEN bench_gen.u(k, 11) < 0.95 THEN 'IMPORT' WHEN bench_gen.u(k, 11) < 0.98 THEN 'TRANSFER' ELSE 'OTHER' END AS add_way,
             date_trunc('milliseconds', bench_gen.c_created(c) + (bench_gen.anchor() - bench_gen.c_created(c)) * power(bench_gen.u(k, 12), 3)) AS added
           ) AS a`,
        [part.map((e) => e.idx), C, REMARKS],
      );
      progress.tick(1, res.rowCount ?? 0);
    }
    await db.query(`CREATE TABLE bench_gen.remarks AS SELECT c, string_agg(remark, ' ' ORDER BY k) AS remarks
                      FROM bench_gen.rel WHERE remark IS NOT NULL GROUP BY c`);
    await db.query(`CREATE UNIQUE INDEX ON bench_gen.remarks (c)`);
    await db.query(`ANALYZE bench_gen.rel`);
    progress.end();
  },
};

const customers: Step = {
  name: 'customers',
  weight: (p) => p.sizes.customers / 40_000,
  async run({ db, plan, progress, counts }) {
    const C = plan.sizes.customers;
    progress.start('customers', CHUNKS);
    for (const [lo, hi] of ranges(C, CHUNKS)) {
      const res = await db.query(
        `INSERT INTO customers (id, org_id, external_id, name, company, phone, stage, last_contact_at, search_text, created_at, updated_at)
         SELECT bench_gen.uid('c', i), $3::uuid, ext, name, company, phone, stage, last_contact,
                ${searchTextSql('name', 'company', 'rm.remarks')}, created, updated
           FROM (
             SELECT i, created,
                    CASE WHEN bench_gen.u(i, 20) < 0.9 THEN 'wm' || substr(md5('x' || i), 1, 30) END AS ext,
                    CASE WHEN zh THEN bench_gen.pick($4, bench_gen.u(i, 21)) || bench_gen.pick($5, bench_gen.u(i, 22))
                                     || CASE WHEN bench_gen.u(i, 23) < 0.6 THEN bench_gen.pick($5, bench_gen.u(i, 24)) ELSE '' END
                                     || CASE WHEN bench_gen.u(i, 25) < 0.1 THEN ' ' || bench_gen.pick($6, bench_gen.u(i, 26)) ELSE '' END
                         ELSE bench_gen.pick($6, bench_gen.u(i, 21)) || ' ' || bench_gen.pick($7, bench_gen.u(i, 22)) END AS name,
                    CASE WHEN bench_gen.u(i, 27) >= 0.7 THEN NULL
                         WHEN zh THEN bench_gen.pick($8, bench_gen.u(i, 28)) || bench_gen.pick($9, bench_gen.u(i, 29)) || bench_gen.pick($10, bench_gen.u(i, 30))
                         ELSE bench_gen.pick($11, bench_gen.u(i, 28)) || ' ' || bench_gen.pick($12, bench_gen.u(i, 30)) END AS company,
                    CASE WHEN bench_gen.u(i, 31) >= 0.85 THEN NULL
                         WHEN zh OR bench_gen.u(i, 32) < 0.7
                           THEN '1' || bench_gen.pick('{3,5,7,8,9}', bench_gen.u(i, 33)) || lpad(floor(bench_gen.u(i, 34) * 1e9)::bigint::text, 9, '0')
                         ELSE '+447' || lpad(floor(bench_gen.u(i, 34) * 1e9)::bigint::text, 9, '0') END AS phone,
                    CASE WHEN bench_gen.u(i, 35) < 0.30 THEN 'NEW' WHEN bench_gen.u(i, 35) < 0.55 THEN 'CONTACTED'
                         WHEN bench_gen.u(i, 35) < 0.75 THEN 'INTERESTED' WHEN bench_gen.u(i, 35) < 0.85 THEN 'NEGOTIATING'
                         WHEN bench_gen.u(i, 35) < 0.95 THEN 'WON' ELSE 'LOST' END AS stage,
                    CASE WHEN bench_gen.u(i, 36) < 0.75
                         THEN date_trunc('milliseconds', created + (bench_gen.anchor() - created) * bench_gen.u(i, 37)) END AS last_contact,
                    date_trunc('milliseconds', created + (bench_gen.anchor() - created) * power(bench_gen.u(i, 38), 2)) AS updated
               FROM generate_series($1::int, $2::int - 1) AS i
               CROSS JOIN LATERAL (SELECT bench_gen.c_created(i) AS created, bench_gen.u(i, 39) < 0.6 AS zh) AS h
           ) AS x
           LEFT JOIN bench_gen.remarks rm ON rm.c = x.i`,
        [
          lo,
          hi,
          plan.orgId,
          ZH_SURNAMES,
          ZH_GIVEN,
          EN_FIRST,
          EN_LAST,
          ZH_CITIES,
          ZH_COMPANY_WORDS,
          ZH_COMPANY_SUFFIX,
          EN_COMPANY_WORDS,
          EN_COMPANY_SUFFIX,
        ],
      );
      progress.tick(1, res.rowCount ?? 0);
    }
    counts.customers = C;
    progress.end();
  },
};

const relations: Step = {
  name: 'relations',
  weight: (p) => p.sizes.relations / 100_000,
  async run({ db, plan, progress, counts }) {
    progress.start('customer_relations', CHUNKS);
    const E = plan.employees.length;
    let total = 0;
    // The triggers that keep customers.active_employee_ids are off during the
    // load (customer_created_at is set here too); the tags step fills the
    // column in the same rewrite of the customers as tag_ids.
    await db.query(`ALTER TABLE customer_relations DISABLE TRIGGER USER`);
    for (const [lo, hi] of ranges(E + 1, CHUNKS)) {
      const res = await db.query(
        `INSERT INTO customer_relations (id, org_id, customer_id, employee_id, status, add_way, state, remark, added_at, ended_at, created_at, updated_at,
                                         customer_created_at)
         SELECT bench_gen.uid('r', k), $3::uuid, c_id, e_id, status, add_way, state, remark, added_at, ended_at, added_at, coalesce(ended_at, added_at),
                bench_gen.c_created(c)
           FROM bench_gen.rel WHERE e >= $1 AND e < $2`,
        [lo, hi, plan.orgId],
      );
      total += res.rowCount ?? 0;
      progress.tick(1, res.rowCount ?? 0);
    }
    await db.query(`ALTER TABLE customer_relations ENABLE TRIGGER USER`);
    await db.query(
      `UPDATE employees e SET active_customer_count = a.n
         FROM (SELECT e_id, count(*) AS n FROM bench_gen.rel WHERE status = 'ACTIVE' GROUP BY e_id) a
        WHERE e.org_id = $1 AND e.id = a.e_id`,
      [plan.orgId],
    );
    counts.customer_relations = total;
    progress.end();
  },
};

const tags: Step = {
  name: 'tags',
  weight: (p) => p.sizes.customers / 60_000,
  async run({ db, plan, progress, counts }) {
    const C = plan.sizes.customers;
    progress.start('tags, customer_tags', CHUNKS + 2);
    const groups = TAG_GROUPS.map((g) => g[0]);
    const tagNames = TAG_GROUPS.flatMap(([, t]) => t);
    const tagGroupIdx = TAG_GROUPS.flatMap(([, t], gi) => t.map(() => gi));
    await db.query(
      `INSERT INTO tag_groups (id, org_id, name, created_at)
       SELECT bench_gen.uid('tg', g - 1), $1, name, '2023-01-02T00:00:00Z' FROM unnest($2::text[]) WITH ORDINALITY AS t(name, g)`,
      [plan.orgId, groups],
    );
    await db.query(
      `INSERT INTO tags (id, org_id, group_id, name, created_at)
       SELECT bench_gen.uid('t', n - 1), $1, bench_gen.uid('tg', g), name, '2023-01-02T00:00:00Z'
         FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS t(name, g, n)`,
      [plan.orgId, tagNames, tagGroupIdx],
    );
    progress.tick(1, groups.length + tagNames.length);
    // 0-4 tags per customer (mean ~1.45); tag popularity is skewed (the first tag ~17 % of customers).
    // The triggers that keep customers.tag_ids are off during the load (the
    // customers' keys are dropped too); one statement fills tag_ids afterwards.
    await db.query(`ALTER TABLE customer_tags DISABLE TRIGGER USER`);
    let total = 0;
    for (const [lo, hi] of ranges(C, CHUNKS)) {
      const res = await db.query(
        `INSERT INTO customer_tags (customer_id, tag_id, org_id, created_at)
         SELECT bench_gen.uid('c', i), bench_gen.uid('t', t), $3::uuid,
                min(date_trunc('milliseconds', bench_gen.c_created(i) + (bench_gen.anchor() - bench_gen.c_created(i)) * bench_gen.u(i * 8 + j, 52)))
           FROM generate_series($1::int, $2::int - 1) AS i
           CROSS JOIN LATERAL generate_series(1, CASE WHEN bench_gen.u(i, 50) < 0.25 THEN 0 WHEN bench_gen.u(i, 50) < 0.55 THEN 1
                                                     WHEN bench_gen.u(i, 50) < 0.80 THEN 2 WHEN bench_gen.u(i, 50) < 0.95 THEN 3 ELSE 4 END) AS j
           CROSS JOIN LATERAL (SELECT floor($4::int * power(bench_gen.u(i * 8 + j, 51), 2.2))::int AS t) AS tt
          GROUP BY i, t`,
        [lo, hi, plan.orgId, tagNames.length],
      );
      total += res.rowCount ?? 0;
      progress.tick(1, res.rowCount ?? 0);
    }
    await db.query(`ALTER TABLE customer_tags ENABLE TRIGGER USER`);
    // One rewrite of the customers for both copies (tag_ids, active_employee_ids), then compacted.
    await db.query(
      `UPDATE customers c SET tag_ids = coalesce(t.ids, '{}'), active_employee_ids = coalesce(a.ids, '{}')
         FROM customers c0
         LEFT JOIN (SELECT customer_id, array_agg(tag_id ORDER BY tag_id) AS ids FROM customer_tags GROUP BY customer_id) t ON t.customer_id = c0.id
         LEFT JOIN (SELECT customer_id, array_agg(employee_id ORDER BY employee_id) AS ids FROM customer_relations
                     WHERE status = 'ACTIVE' GROUP BY customer_id) a ON a.customer_id = c0.id
        WHERE c.id = c0.id AND (t.ids IS NOT NULL OR a.ids IS NOT NULL)`,
    );
    await db.query(`VACUUM FULL customers`); // the update left a dead copy of every tagged or assigned row
    progress.tick(1, 0);
    counts.tag_groups = groups.length;
    counts.tags = tagNames.length;
    counts.customer_tags = total;
    progress.end();
  },
};

const notes: Step = {
  name: 'notes',
  weight: (p) => p.sizes.relations / 300_000,
  async run({ db, plan, progress, counts }) {
    progress.start('customer_notes', CHUNKS);
    let total = 0;
    for (const [lo, hi] of ranges(plan.employees.length + 1, CHUNKS)) {
      const res = await db.query(
        `INSERT INTO customer_notes (id, org_id, customer_id, author_id, kind, body, due_at, done_at, created_at)
         SELECT bench_gen.uid('n', k), $3::uuid, c_id, e_id, kind, body,
                CASE WHEN kind = 'TASK' THEN created + (1 + floor(bench_gen.u(k, 63) * 14)) * interval '1 day' END,
                CASE WHEN kind = 'TASK' AND bench_gen.u(k, 64) < 0.6 THEN created + bench_gen.u(k, 65) * interval '3 days' END,
                created
           FROM (
             SELECT k, c_id, e_id,
                    CASE WHEN bench_gen.u(k, 61) < 0.5 THEN 'NOTE' WHEN bench_gen.u(k, 61) < 0.75 THEN 'CALL'
                         WHEN bench_gen.u(k, 61) < 0.85 THEN 'VISIT' ELSE 'TASK' END AS kind,
                    bench_gen.pick($4::text[], bench_gen.u(k, 62)) AS body,
                    date_trunc('milliseconds', added_at + (coalesce(ended_at, bench_gen.anchor()) - added_at) * bench_gen.u(k, 66)) AS created
               FROM bench_gen.rel WHERE e >= $1 AND e < $2 AND bench_gen.u(k, 60) < 0.33
           ) AS n`,
        [lo, hi, plan.orgId, NOTE_BODIES],
      );
      total += res.rowCount ?? 0;
      progress.tick(1, res.rowCount ?? 0);
    }
    counts.customer_notes = total;
    progress.end();
  },
};

/**
 * The 360 timeline: relation.added / relation.ended per relation,
 * note.added per note, stage.changed per customer past NEW.
 */
const timeline: Step = {
  name: 'timeline',
  weight: (p) => p.sizes.relations / 60_000,
  async run({ db, plan, progress, counts }) {
    progress.start('timeline_events', CHUNKS + 2);
    let total = 0;
    for (const [lo, hi] of ranges(plan.employees.length + 1, CHUNKS)) {
      const res = await db.query(
        `INSERT INTO timeline_events (id, org_id, customer_id, type, occurred_at, employee_id, summary, data, created_at)
         SELECT bench_gen.uid(ev.kind, r.k), $3::uuid, r.c_id, ev.type, ev.at, r.e_id, ev.summary, ev.data, ev.at
           FROM bench_gen.rel r
           JOIN bench_gen.emp emp ON emp.id = r.e_id
           CROSS JOIN LATERAL (VALUES
             ('ta', 'relation.added', r.added_at, 'Added ' || emp.name || ' (' || r.add_way || ')',
              jsonb_build_object('relationId', bench_gen.uid('r', r.k), 'addWay', r.add_way, 'state', r.state)),
             ('te', CASE WHEN r.status <> 'ACTIVE' THEN 'relation.ended' END, r.ended_at,
              CASE WHEN r.status = 'DELETED_BY_CUSTOMER' THEN 'The customer deleted the employee'
                   WHEN r.status = 'DELETED_BY_EMPLOYEE' THEN 'The employee deleted the customer'
                   ELSE 'Transferred to another employee' END,
              jsonb_build_object('relationId', bench_gen.uid('r', r.k),
                                 'endedBy', CASE WHEN r.status = 'DELETED_BY_CUSTOMER' THEN 'CUSTOMER' ELSE 'EMPLOYEE' END))
           ) AS ev(kind, type, at, summary, data)
          WHERE r.e >= $1 AND r.e < $2 AND ev.type IS NOT NULL`,
        [lo, hi, plan.orgId],
      );
      total += res.rowCount ?? 0;
      progress.tick(1, res.rowCount ?? 0);
    }
    const notesRes = await db.query(
      `INSERT INTO timeline_events (id, org_id, customer_id, type, occurred_at, employee_id, summary, data, created_at)
       SELECT bench_gen.uidt('tn:' || n.id), n.org_id, n.customer_id, 'note.added', n.created_at, n.author_id,
              CASE n.kind WHEN 'TASK' THEN 'Task added' WHEN 'CALL' THEN 'Call logged' WHEN 'VISIT' THEN 'Visit logged' ELSE 'Note added' END,
              jsonb_build_object('noteId', n.id, 'kind', n.kind), n.created_at
         FROM customer_notes n`,
    );
    total += notesRes.rowCount ?? 0;
    progress.tick(1, notesRes.rowCount ?? 0);
    const stageRes = await db.query(
      `INSERT INTO timeline_events (id, org_id, customer_id, type, occurred_at, employee_id, summary, data, created_at)
       SELECT bench_gen.uidt('ts:' || c.id), c.org_id, c.id, 'stage.changed', c.updated_at, NULL, 'Stage NEW → ' || c.stage,
              jsonb_build_object('from', 'NEW', 'to', c.stage), c.updated_at
         FROM customers c WHERE c.stage <> 'NEW'`,
    );
    total += stageRes.rowCount ?? 0;
    progress.tick(1, stageRes.rowCount ?? 0);
    counts.timeline_events = total;
    progress.end();
  },
};

/**
 * Every step, in order. Later data plugs in here: e.g. `chatMessages`
 * (10,000,000 messages over 180 days, Chinese and English, per ACTIVE relation
 * with a skew towards recent days) as one more Step after `timeline`, adding its
 * tables to BULK_TABLES so their indexes are built once after the load; then
 * `moments` (posts, tasks per audience employee). Bump GENERATOR_VERSION.
 */
export const STEPS: Step[] = [setup, organizations, relationPlan, customers, relations, tags, notes, timeline];

// ------------------------------------------------------------------ indexes around the load

interface Ddl {
  drop: string[];
  create: string[];
}

/** Definitions of the bulk tables' indexes, keys and every foreign key touching them, to drop and recreate. */
export async function captureDdl(db: Client, tables: string[]): Promise<Ddl> {
  const fks = await db.query(
    `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
       FROM pg_constraint
      WHERE contype = 'f' AND (conrelid::regclass::text = ANY($1) OR confrelid::regclass::text = ANY($1))
      ORDER BY conname`,
    [tables],
  );
  const keys = await db.query(
    `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid::regclass::text = ANY($1) ORDER BY conname`,
    [tables],
  );
  const idx = await db.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
      ORDER BY i.indexname`,
    [tables],
  );
  const q = (s: string) => `"${s}"`;
  return {
    drop: [
      ...fks.rows.map((r) => `ALTER TABLE ${r.tbl} DROP CONSTRAINT ${q(r.conname)}`),
      ...keys.rows.map((r) => `ALTER TABLE ${r.tbl} DROP CONSTRAINT ${q(r.conname)}`),
      ...idx.rows.map((r) => `DROP INDEX ${q(r.indexname)}`),
    ],
    create: [
      ...keys.rows.map((r) => `ALTER TABLE ${r.tbl} ADD CONSTRAINT ${q(r.conname)} ${r.def}`),
      ...idx.rows.map((r) => r.indexdef),
      ...fks.rows.map((r) => `ALTER TABLE ${r.tbl} ADD CONSTRAINT ${q(r.conname)} ${r.def}`),
    ],
  };
}

export const GENERATOR = { version: GENERATOR_VERSION };
