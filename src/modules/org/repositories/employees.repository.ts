import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DataScope } from 'src/core/authz/actor';
import type { RoleHolders } from 'src/core/authz/role-holders';
import { EmployeeEntity, EmployeeStatusValue } from 'src/modules/org/entities/employee.entity';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { likeEscape, scopePredicate } from 'src/modules/org/scope-sql';
import { SqlReader } from 'src/core/database/sql-reader';

export interface EmployeePageQuery {
  departmentPath?: string;
  departmentId?: string;
  includeSubDepartments: boolean;
  statuses?: EmployeeStatusValue[];
  /** Holders of the role filter (Core's role assignments, as its fragment). */
  roleHolders?: RoleHolders;
  search?: string;
  after: [string, string] | null;
  limit: number;
}

export interface EmployeePrincipalRow {
  id: string;
  orgId: string;
  departmentId: string | null;
  status: EmployeeStatusValue;
  tokenVersion: number;
  policyVersion: number;
}

/** An employee row as locked by lockMany: what hand-overs check. */
export interface LockedEmployee {
  id: string;
  status: EmployeeStatusValue;
  customerCapacity: number;
  activeCustomerCount: number;
}

export interface EmployeeName {
  orgId: string;
  id: string;
  name: string;
  status: EmployeeStatusValue;
}

/** A change of an employee's active customer counter. */
export interface ActiveCountDelta {
  orgId: string;
  employeeId: string;
  delta: number;
}

@Injectable()
export class EmployeesRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  private repo(m?: EntityManager) {
    return (m ?? this.db.manager).getRepository(EmployeeEntity);
  }

  findById(orgId: string, id: string, m?: EntityManager): Promise<EmployeeEntity | null> {
    // Outside a transaction (every `me`, every guard that loads the caller): one plain read.
    if (!m) return this.findByIds(orgId, [id]).then((rows) => rows[0] ?? null);
    return this.repo(m).findOneBy({ orgId, id });
  }

  /** What authentication needs about an employee, with the organization's policy version (one statement). */
  async findPrincipal(id: string): Promise<EmployeePrincipalRow | null> {
    const rows = await this.reads.prepared<EmployeePrincipalRow>(
      `SELECT e.id, e.org_id AS "orgId", e.department_id AS "departmentId", e.status, e.token_version AS "tokenVersion",
              o.policy_version AS "policyVersion"
         FROM employees e JOIN organizations o ON o.id = e.org_id
        WHERE e.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Many employees by WeCom userid in one statement (chat ingest); id and status only. */
  findIdsByExternalIds(
    orgId: string,
    externalIds: readonly string[],
  ): Promise<Array<{ id: string; externalId: string }>> {
    if (!externalIds.length) return Promise.resolve([]);
    return this.reads.prepared(
      `SELECT id, external_id AS "externalId" FROM employees WHERE org_id = $1 AND external_id = ANY($2::varchar[])`,
      [orgId, externalIds],
    );
  }

  /** Many employees in one statement (the batch behind every `employee` field of a page); never the password hash. */
  findByIds(orgId: string, ids: readonly string[]): Promise<EmployeeEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.reads.prepared(
      `SELECT id, org_id AS "orgId", department_id AS "departmentId", name, email, NULL AS "passwordHash", title,
              external_id AS "externalId", status, customer_capacity AS "customerCapacity",
              active_customer_count AS "activeCustomerCount", token_version AS "tokenVersion", departed_at AS "departedAt",
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM employees WHERE org_id = $1 AND id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  /** The employee with their password hash (findById leaves it out), for checking a password. */
  findWithPasswordHash(orgId: string, id: string): Promise<EmployeeEntity | null> {
    return this.repo().findOneBy({ orgId, id });
  }

  findByEmail(orgId: string, email: string): Promise<EmployeeEntity | null> {
    return this.repo().findOneBy({ orgId, email: email.toLowerCase() });
  }

  findByExternalId(orgId: string, externalId: string): Promise<EmployeeEntity | null> {
    return this.repo().findOneBy({ orgId, externalId });
  }

  async insert(m: EntityManager, values: Partial<EmployeeEntity> & { orgId: string; name: string; email: string }) {
    return this.repo(m).save(this.repo(m).create(values));
  }

  async update(m: EntityManager, orgId: string, id: string, patch: Partial<EmployeeEntity>): Promise<void> {
    if (Object.keys(patch).length) await this.repo(m).update({ orgId, id }, patch);
  }

  /** Locks the employee row for the rest of the transaction (serializes capacity checks and departures). */
  async lockForUpdate(m: EntityManager, orgId: string, id: string): Promise<EmployeeEntity | null> {
    return this.repo(m).findOne({ where: { orgId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Locks the rows of many employees in id order (no deadlocks between
   * crossing callers) and returns them as locked: the caller checks status and
   * capacity from these rows, with no second read.
   */
  async lockMany(m: EntityManager, orgId: string, ids: string[]): Promise<LockedEmployee[]> {
    return m.query(
      `SELECT id, status, customer_capacity AS "customerCapacity", active_customer_count AS "activeCustomerCount"
         FROM employees WHERE org_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      [orgId, ids],
    );
  }

  /** Name and status of employees named by (organization, id) pairs, across organizations, in one statement. */
  async namesOf(m: EntityManager, orgIds: string[], ids: string[]): Promise<EmployeeName[]> {
    if (!ids.length) return [];
    return m.query(
      `SELECT e.org_id AS "orgId", e.id, e.name, e.status
         FROM unnest($1::uuid[], $2::uuid[]) AS x(org_id, id) JOIN employees e ON e.org_id = x.org_id AND e.id = x.id`,
      [orgIds, ids],
    );
  }

  /** Adds each delta to its employee's active customer counter (never below 0), in one statement. */
  async adjustActiveCustomerCounts(m: EntityManager, deltas: readonly ActiveCountDelta[]): Promise<void> {
    if (!deltas.length) return;
    await m.query(
      `UPDATE employees e SET active_customer_count = greatest(e.active_customer_count + g.delta, 0)
         FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS g(org_id, employee_id, delta)
        WHERE e.org_id = g.org_id AND e.id = g.employee_id`,
      [deltas.map((d) => d.orgId), deltas.map((d) => d.employeeId), deltas.map((d) => d.delta)],
    );
  }

  async adjustActiveCustomerCount(m: EntityManager, orgId: string, id: string, delta: number): Promise<void> {
    await m.query(
      `UPDATE employees SET active_customer_count = greatest(active_customer_count + $3, 0) WHERE org_id = $1 AND id = $2`,
      [orgId, id, delta],
    );
  }

  /** Invalidates every session token of the employee. */
  /** DEPARTED at `at`, and every session of the employee revoked (token version), in one statement. */
  async markDeparted(m: EntityManager, orgId: string, id: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE employees SET status = 'DEPARTED', departed_at = $3, token_version = token_version + 1, updated_at = now()
        WHERE org_id = $1 AND id = $2`,
      [orgId, id, at],
    );
  }

  async bumpTokenVersion(m: EntityManager, orgId: string, id: string): Promise<void> {
    await m.query(`UPDATE employees SET token_version = token_version + 1 WHERE org_id = $1 AND id = $2`, [orgId, id]);
  }

  /** Whether the employee is in scope (one statement). */
  async inScope(orgId: string, id: string, scope: DataScope): Promise<boolean> {
    if (scope.organization) return true;
    const params: unknown[] = [orgId, id];
    const rows = await this.db.query(
      `SELECT 1 FROM employees e WHERE e.org_id = $1 AND e.id = $2 AND ${scopePredicate(scope, orgId, 'e.id', params)}`,
      params,
    );
    return rows.length > 0;
  }

  /**
   * The ids of the employees a data scope reaches (its department trees and its
   * own employee), in one statement; an organization scope has no such list.
   */
  async idsInScope(orgId: string, scope: DataScope): Promise<string[]> {
    const employees = ScopeEmployees.of(scope, orgId);
    if (!employees) throw new Error('an organization scope reaches every employee: test scope.organization first');
    const params: unknown[] = [];
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT x.id FROM (${employees.bind(params)}) AS x(id)`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /**
   * ACTIVE employees (other than `id`) of the departments on the path from the
   * root to employee `id`'s department, deepest department first: the
   * candidates for "their manager".
   */
  async onDepartmentPathOf(
    m: EntityManager,
    orgId: string,
    id: string,
  ): Promise<Array<{ id: string; departmentId: string; depth: number }>> {
    return m.query(
      `SELECT e.id, e.department_id AS "departmentId", length(d.path) AS depth
         FROM employees target
         JOIN departments td ON td.org_id = $1 AND td.id = target.department_id
         JOIN departments d ON d.org_id = $1 AND left(td.path, length(d.path)) = d.path
         JOIN employees e ON e.org_id = $1 AND e.department_id = d.id
        WHERE target.org_id = $1 AND target.id = $2 AND e.id <> $2 AND e.status = 'ACTIVE'
        ORDER BY length(d.path) DESC, e.id`,
      [orgId, id],
    );
  }

  /** ACTIVE employees among the role's holders (Core's fragment). */
  async countActiveAmong(m: EntityManager, orgId: string, holders: RoleHolders): Promise<number> {
    const params: unknown[] = [orgId];
    const rows: Array<{ n: string }> = await m.query(
      `SELECT count(*) AS n FROM employees e
        WHERE e.org_id = $1::uuid AND e.status = 'ACTIVE' AND 'emp:' || e.id IN (${holders.bind(params)})`,
      params,
    );
    return Number(rows[0].n);
  }

  /** One keyset page ordered by (created_at, id). */
  async page(orgId: string, q: EmployeePageQuery, scope: DataScope): Promise<EmployeeEntity[]> {
    const params: unknown[] = [orgId];
    const where: string[] = ['e.org_id = $1::uuid'];
    if (q.departmentPath && q.includeSubDepartments) {
      params.push(likeEscape(q.departmentPath) + '%');
      where.push(`e.department_id IN (SELECT id FROM departments WHERE org_id = $1 AND path LIKE $${params.length})`);
    } else if (q.departmentId) {
      params.push(q.departmentId);
      where.push(`e.department_id = $${params.length}`);
    }
    if (q.statuses?.length) {
      params.push(q.statuses);
      where.push(`e.status = ANY($${params.length}::varchar[])`);
    }
    if (q.roleHolders) where.push(`'emp:' || e.id IN (${q.roleHolders.bind(params)})`);
    if (q.search?.trim()) {
      params.push(`%${likeEscape(q.search.trim())}%`);
      const p = `$${params.length}`;
      where.push(`(e.name ILIKE ${p} OR e.email ILIKE ${p} OR e.external_id ILIKE ${p} OR e.title ILIKE ${p})`);
    }
    if (q.after) {
      params.push(q.after[0], q.after[1]);
      where.push(`(e.created_at, e.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    where.push(scopePredicate(scope, orgId, 'e.id', params));
    params.push(q.limit);
    const ids: Array<{ id: string }> = await this.db.query(
      `SELECT e.id FROM employees e WHERE ${where.join(' AND ')} ORDER BY e.created_at, e.id LIMIT $${params.length}`,
      params,
    );
    const rows = await this.findByIds(
      orgId,
      ids.map((r) => r.id),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((r) => byId.get(r.id)!).filter(Boolean);
  }
}
