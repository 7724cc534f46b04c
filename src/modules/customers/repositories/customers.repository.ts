import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DataScope } from 'src/core/authz/actor';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { likeEscape } from 'src/modules/org/scope-sql';
import { CustomerEntity, CustomerStageValue } from 'src/modules/customers/entities/customer.entity';
import { SqlReader } from 'src/core/database/sql-reader';
import { SEARCH_TEXT_OF_C, searchTextSql } from './search-text';

export type CustomerSortField = 'created_at' | 'updated_at' | 'name' | 'last_contact_at';

/** The filters of a list or count (docs/rules.md "customers filters"). */
export interface CustomerFilterQuery {
  search?: string;
  stages?: CustomerStageValue[];
  tagIds?: string[];
  employeeIds?: string[];
  departmentId?: string;
  addedAfter?: Date;
  addedBefore?: Date;
  state?: string;
  unassigned?: boolean;
  /** Whose phones `search` may match (default none). */
  phoneSearch?: PhoneSearch;
}

export interface CustomerPageQuery extends CustomerFilterQuery {
  sort: CustomerSortField;
  desc: boolean;
  /** [sort value (null allowed for last_contact_at), id] */
  after: [string | null, string] | null;
  limit: number;
}

export interface CustomerValues {
  externalId?: string | null;
  name: string;
  company?: string | null;
  phone?: string | null;
  stage?: CustomerStageValue;
}

/**
 * A customer as reads return it: everything but the columns only the list's
 * filters read, in SQL (search_text, tag_ids). The active employees come
 * along: they decide, per viewer, whether the customer is in scope and
 * whether its phone is shown (docs/rules.md).
 */
export type CustomerRow = Omit<CustomerEntity, 'searchText' | 'tagIds'>;

const COLUMNS = `c.id, c.org_id AS "orgId", c.external_id AS "externalId", c.name, c.company, c.phone, c.stage,
  c.last_contact_at AS "lastContactAt", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  c.active_employee_ids AS "activeEmployeeIds"`;

/** A new customer's search_text: its name and company, no relation (so no remark) yet. */
const NEW_SEARCH_TEXT = searchTextSql('$3::varchar', '$4::varchar', 'NULL');

/** An upserted customer's search_text at insert: name, company and the remark of the relation the caller opens next. */
const UPSERTED_SEARCH_TEXT = searchTextSql('x.name', 'x.company', 'x.remark');

/** A customer to upsert on its external id; `remark`: of the one relation the caller opens next, if any. */
export interface CustomerUpsertRow extends CustomerValues {
  externalId: string;
  remark?: string | null;
}

/** A customer the upsert created or changed. */
export interface UpsertedCustomer {
  id: string;
  externalId: string;
  created: boolean;
}

/**
 * Whose phones the list may match a search against: every row it reads
 * (`all`), none, or the customers of a scope (the caller's customer:contact
 * scope when it is narrower than what they read).
 */
export type PhoneSearch = 'all' | 'none' | DataScope;

/** The employee whose own customers are the whole scope (a sales rep's SELF scope), if so. */
const ownEmployee = (scope: DataScope): string | undefined =>
  !scope.organization && !scope.departmentIds.length ? scope.employeeId : undefined;

@Injectable()
export class CustomersRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  private repo(m?: EntityManager) {
    return (m ?? this.db.manager).getRepository(CustomerEntity);
  }

  findById(orgId: string, id: string, m?: EntityManager): Promise<CustomerEntity | null> {
    return this.repo(m).findOneBy({ orgId, id });
  }

  findByIds(orgId: string, ids: readonly string[]): Promise<CustomerRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.reads.prepared<CustomerRow>(
      `SELECT ${COLUMNS} FROM customers c WHERE c.org_id = $1 AND c.id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  /** Ids of the customers with these external ids (WeChat external_userid), one statement. */
  findIdsByExternalIds(
    orgId: string,
    externalIds: readonly string[],
  ): Promise<Array<{ id: string; externalId: string }>> {
    if (!externalIds.length) return Promise.resolve([]);
    return this.reads.prepared(
      `SELECT c.id, c.external_id AS "externalId" FROM customers c WHERE c.org_id = $1 AND c.external_id = ANY($2::varchar[])`,
      [orgId, externalIds],
    );
  }

  findByExternalId(orgId: string, externalId: string, m?: EntityManager): Promise<CustomerEntity | null> {
    return this.repo(m).findOneBy({ orgId, externalId });
  }

  async insert(m: EntityManager, orgId: string, v: CustomerValues): Promise<CustomerEntity> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO customers (org_id, external_id, name, company, phone, stage, search_text)
       VALUES ($1, $2, $3::varchar, $4::varchar, $5::varchar, $6, ${NEW_SEARCH_TEXT})
       RETURNING id`,
      [orgId, v.externalId ?? null, v.name, v.company ?? null, v.phone ?? null, v.stage ?? 'NEW'],
    );
    return (await this.findById(orgId, rows[0].id, m))!;
  }

  /**
   * The one upsert of customers on (org_id, external_id), for a batch (the CSV
   * import) or one row (upsertOne): the name is replaced, company and phone
   * only when given, the stage only set on insert; a new customer's
   * search_text is its name, company and `remark` (the remark of the one
   * relation the caller opens next, if any). A row whose profile would not
   * change is locked but left alone (no dead tuple, updated_at kept) and not
   * returned; with `phoneBlind` (a caller who sees phones masked) a phone
   * given counts as a change, so updated_at cannot tell it matched. Returns
   * the created and changed customers; the changed ones' search_text is the
   * caller's to recompute (refreshSearchText, with any remark it adds).
   * Rows go in external-id order so that concurrent batches lock alike.
   */
  async upsertByExternalId(
    m: EntityManager,
    orgId: string,
    rows: readonly CustomerUpsertRow[],
    phoneBlind = false,
  ): Promise<UpsertedCustomer[]> {
    if (!rows.length) return [];
    return m.query(
      `INSERT INTO customers AS c (org_id, external_id, name, company, phone, stage, search_text)
       SELECT $1, x.external_id, x.name, x.company, x.phone, x.stage, ${UPSERTED_SEARCH_TEXT}
         FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[])
              AS x(external_id, name, company, phone, stage, remark)
        ORDER BY x.external_id
       ON CONFLICT (org_id, external_id) DO UPDATE SET
         name = EXCLUDED.name,
         company = COALESCE(EXCLUDED.company, c.company),
         phone = COALESCE(EXCLUDED.phone, c.phone),
         updated_at = now()
       WHERE (c.name, c.company, c.phone) IS DISTINCT FROM
             (EXCLUDED.name, COALESCE(EXCLUDED.company, c.company), COALESCE(EXCLUDED.phone, c.phone))
          OR ($8::boolean AND EXCLUDED.phone IS NOT NULL)
       RETURNING c.id, c.external_id AS "externalId", (c.xmax = 0) AS created`,
      [
        orgId,
        rows.map((r) => r.externalId),
        rows.map((r) => r.name),
        rows.map((r) => r.company ?? null),
        rows.map((r) => r.phone ?? null),
        rows.map((r) => r.stage ?? 'NEW'),
        rows.map((r) => r.remark ?? null),
        phoneBlind,
      ],
    );
  }

  /** upsertByExternalId of one customer (no relation remark yet): the row as it is now, and whether it was created. */
  async upsertOne(m: EntityManager, orgId: string, v: CustomerValues & { externalId: string }, phoneBlind = false) {
    const [row] = await this.upsertByExternalId(m, orgId, [v], phoneBlind);
    if (row && !row.created) await this.refreshSearchText(m, orgId, [row.id]);
    const customer = row ? await this.findById(orgId, row.id, m) : await this.findByExternalId(orgId, v.externalId, m);
    return { customer: customer!, created: !!row?.created };
  }

  async update(m: EntityManager, orgId: string, id: string, patch: Partial<CustomerValues>): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [orgId, id];
    for (const [key, col] of [
      ['name', 'name'],
      ['company', 'company'],
      ['phone', 'phone'],
      ['stage', 'stage'],
    ] as const) {
      if (patch[key] !== undefined) {
        params.push(patch[key]);
        sets.push(`${col} = $${params.length}`);
      }
    }
    if (!sets.length) return;
    await m.query(`UPDATE customers SET ${sets.join(', ')}, updated_at = now() WHERE org_id = $1 AND id = $2`, params);
    await this.refreshSearchText(m, orgId, [id]);
  }

  async refreshSearchText(m: EntityManager, orgId: string, ids: string[]): Promise<void> {
    await m.query(
      `UPDATE customers c SET search_text = ${SEARCH_TEXT_OF_C} WHERE c.org_id = $1 AND c.id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  /** Records a contact (message, call, visit); never moves the time backwards. */
  async markContacted(m: EntityManager, orgId: string, id: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE customers SET last_contact_at = greatest(coalesce(last_contact_at, $3), $3) WHERE org_id = $1 AND id = $2`,
      [orgId, id, at.toISOString()],
    );
  }

  async touch(m: EntityManager, orgId: string, ids: string[]): Promise<void> {
    await m.query(`UPDATE customers SET updated_at = now() WHERE org_id = $1 AND id = ANY($2::uuid[])`, [orgId, ids]);
  }

  /** Ids among `ids` that exist in the organization. */
  async existing(orgId: string, ids: string[], m?: EntityManager): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await (m ?? this.db.manager).query(
      `SELECT id FROM customers WHERE org_id = $1 AND id = ANY($2::uuid[])`,
      [orgId, ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Ids among `ids` the scope reaches (through an active relation, unless organization-wide). */
  async visible(orgId: string, ids: string[], scope: DataScope, m?: EntityManager): Promise<Set<string>> {
    const params: unknown[] = [orgId, ids];
    const rows: Array<{ id: string }> = await (m ?? this.db.manager).query(
      `SELECT c.id FROM customers c
        WHERE c.org_id = $1 AND c.id = ANY($2::uuid[]) AND ${this.scopeSql(scope, params)}`,
      params,
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * One keyset page. When the rows reachable are one employee's active
   * relations (a sales rep's own scope, or a filter on one employee) and the
   * order is the default creation time, the page is read off that employee's
   * relation keyset index (`idx_customer_relations_active_keyset`) and stops
   * after `limit` rows; otherwise the customers' own indexes drive it, and the
   * scope and employee filters are checked on `active_employee_ids`, which the
   * stage and creation-time indexes carry (no probe per candidate row).
   */
  async page(orgId: string, q: CustomerPageQuery, scope: DataScope): Promise<CustomerRow[]> {
    const ownOnly = ownEmployee(scope);
    const oneEmployee = q.employeeIds?.length === 1 ? q.employeeIds[0] : undefined;
    let driver: string | undefined;
    if (q.sort === 'created_at')
      driver = ownOnly ? (!q.employeeIds?.length || oneEmployee === ownOnly ? ownOnly : undefined) : oneEmployee;
    const { where, params, p, driverOnly } = this.filterSql(orgId, q, scope, driver);

    // Nothing but the driving employee's relations (a rep's own list, any depth): one plan fits every
    // employee (the keyset index, stopped after `limit`), so the statement is prepared (SqlReader.prepared).
    const onlyDriver = driver !== undefined && where.length === driverOnly;
    // sr.customer_created_at is c.created_at (copied, immutable) and sr.customer_id is c.id.
    const col = driver ? 'sr.customer_created_at' : `c.${q.sort}`;
    const idCol = driver ? 'sr.customer_id' : 'c.id';
    const dir = q.desc ? 'DESC' : 'ASC';
    const cmp = q.desc ? '<' : '>';
    const nullable = q.sort === 'last_contact_at';
    if (q.after) {
      const [v, id] = q.after;
      const cast = q.sort === 'name' ? '::text' : '::timestamptz';
      if (v === null) {
        where.push(`(${col} IS NULL AND ${idCol} ${cmp} ${p(id)}::uuid)`);
      } else {
        const vp = p(v);
        const ip = p(id);
        where.push(`((${col}, ${idCol}) ${cmp} (${vp}${cast}, ${ip}::uuid)${nullable ? ` OR ${col} IS NULL` : ''})`);
      }
    }
    const order = (c: string, id: string) => `${c} ${dir}${nullable ? ' NULLS LAST' : ''}, ${id} ${dir}`;
    if (driver) {
      const sql = `SELECT ${COLUMNS} FROM customer_relations sr JOIN customers c ON c.id = sr.customer_id
                    WHERE ${where.join(' AND ')} ORDER BY ${order(col, idCol)} LIMIT ${p(q.limit)}`;
      return onlyDriver ? this.reads.prepared<CustomerRow>(sql, params) : this.reads.query<CustomerRow>(sql, params);
    }
    // Ids first (an index-only scan when the filters are in the index: stage,
    // tag_ids, the sort key), then only the page's rows.
    const sql = `SELECT ${COLUMNS} FROM customers c
                   JOIN (SELECT c.id, ${col} AS k FROM customers c WHERE ${where.join(' AND ')} ORDER BY ${order(col, idCol)} LIMIT ${p(q.limit)}) pg
                     ON c.id = pg.id
                  WHERE c.org_id = $1::uuid ORDER BY ${order('pg.k', 'pg.id')}`;
    return this.reads.query<CustomerRow>(sql, params);
  }

  /**
   * How many customers the filter and scope reach, counted up to `cap` (the
   * count stops there: a manager's or admin's count over a million customers
   * costs at most `cap` index entries). Same conditions as `page`; a rep's own
   * customers (or one employee's) are counted off the relations' keyset index.
   */
  async count(orgId: string, q: CustomerFilterQuery, scope: DataScope, cap: number): Promise<number> {
    const ownOnly = ownEmployee(scope);
    const oneEmployee = q.employeeIds?.length === 1 ? q.employeeIds[0] : undefined;
    const driver = ownOnly ? (!q.employeeIds?.length || oneEmployee === ownOnly ? ownOnly : undefined) : oneEmployee;
    const { where, params, p } = this.filterSql(orgId, q, scope, driver);
    const from = driver ? 'customer_relations sr JOIN customers c ON c.id = sr.customer_id' : 'customers c';
    const rows = await this.reads.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} WHERE ${where.join(' AND ')} LIMIT ${p(cap)}) x`,
      params,
    );
    return rows[0].n;
  }

  /**
   * The WHERE conditions of a list or count: the organization, the driving
   * employee's ACTIVE relations (alias `sr`) when there is one, the filters and
   * the scope. `driverOnly` is how many conditions the driver alone adds.
   */
  private filterSql(orgId: string, q: CustomerFilterQuery, scope: DataScope, driver: string | undefined) {
    const params: unknown[] = [orgId];
    const where: string[] = ['c.org_id = $1::uuid'];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const ownOnly = ownEmployee(scope);
    if (driver) where.push(`sr.org_id = $1::uuid`, `sr.employee_id = ${p(driver)}::uuid`, `sr.status = 'ACTIVE'`);
    const driverOnly = where.length; // the conditions so far: the organization and the driving employee's relations
    if (q.search?.trim()) where.push(this.searchSql(q.search, q.phoneSearch ?? 'none', p, params));
    if (q.stages?.length === 1) where.push(`c.stage = ${p(q.stages[0])}::varchar`);
    else if (q.stages?.length) where.push(`c.stage = ANY(${p(q.stages)}::varchar[])`);
    // customers.tag_ids mirrors customer_tags (triggers) and sits in the stage index.
    if (q.tagIds?.length) where.push(`c.tag_ids && ${p(q.tagIds)}::uuid[]`);
    // customers.active_employee_ids mirrors the ACTIVE relations (triggers) and sits in the
    // list indexes too: "has an active relation with one of these employees" is an overlap.
    if (q.employeeIds?.length && !driver) where.push(`c.active_employee_ids && ${p(q.employeeIds)}::uuid[]`);
    if (q.departmentId) {
      const inDepartment = ScopeEmployees.of({ organization: false, departmentIds: [q.departmentId] }, orgId)!;
      where.push(`c.active_employee_ids && ARRAY(${inDepartment.bind(params)})`);
    }
    if (q.addedAfter || q.addedBefore || q.state) {
      const conds = ['r.org_id = $1::uuid', 'r.customer_id = c.id'];
      if (q.addedAfter) conds.push(`r.added_at >= ${p(q.addedAfter.toISOString())}::timestamptz`);
      if (q.addedBefore) conds.push(`r.added_at < ${p(q.addedBefore.toISOString())}::timestamptz`);
      if (q.state) conds.push(`r.state = ${p(q.state)}`);
      where.push(`EXISTS (SELECT 1 FROM customer_relations r WHERE ${conds.join(' AND ')})`);
    }
    if (q.unassigned === true) where.push(`c.active_employee_ids = '{}'`);
    else if (q.unassigned === false && !driver) where.push(`c.active_employee_ids <> '{}'`);
    // The driving employee's relations are the whole scope of a rep (or inside an organization scope).
    if (!(driver && (scope.organization || driver === ownOnly))) where.push(this.scopeSql(scope, params));
    return { where, params, p, driverOnly };
  }

  /**
   * The search term: a substring of search_text (name, company, remarks) or,
   * on the rows whose phones the caller may see, of the phone (its own trigram
   * index, idx_customers_phone_trgm; PostgreSQL ORs the two bitmap scans).
   */
  private searchSql(search: string, phones: PhoneSearch, p: (v: unknown) => string, params: unknown[]): string {
    const pattern = p(`%${likeEscape(search.trim().toLowerCase())}%`);
    const text = `c.search_text LIKE ${pattern}`;
    if (phones === 'none') return text;
    const phone =
      phones === 'all' ? `c.phone LIKE ${pattern}` : `(c.phone LIKE ${pattern} AND ${this.scopeSql(phones, params)})`;
    return `(${text} OR ${phone})`;
  }

  /** Rows the scope reaches: any active relation with an in-scope employee (organization scope: all). */
  private scopeSql(scope: DataScope, params: unknown[]): string {
    const employees = ScopeEmployees.of(scope, params[0] as string);
    return employees ? `c.active_employee_ids && ARRAY(${employees.bind(params)})` : 'TRUE';
  }
}
