import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { SqlReader } from 'src/core/database/sql-reader';
import { DepartmentEntity } from 'src/modules/org/entities/department.entity';

@Injectable()
export class DepartmentsRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  private repo(m?: EntityManager) {
    return (m ?? this.db.manager).getRepository(DepartmentEntity);
  }

  list(orgId: string): Promise<DepartmentEntity[]> {
    return this.repo().find({ where: { orgId }, order: { path: 'ASC' } });
  }

  findById(orgId: string, id: string, m?: EntityManager): Promise<DepartmentEntity | null> {
    return this.repo(m).findOneBy({ orgId, id });
  }

  /** Many departments in one statement (the batch behind `department` fields). */
  findByIds(orgId: string, ids: readonly string[]): Promise<DepartmentEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.reads.prepared<DepartmentEntity>(
      `SELECT id, org_id AS "orgId", parent_id AS "parentId", name, path, created_at AS "createdAt", updated_at AS "updatedAt"
         FROM departments WHERE org_id = $1 AND id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  childrenOf(orgId: string, parentIds: readonly string[]): Promise<DepartmentEntity[]> {
    return parentIds.length
      ? this.repo().find({ where: { orgId, parentId: In([...parentIds]) }, order: { name: 'ASC' } })
      : Promise.resolve([]);
  }

  async siblingNameTaken(orgId: string, parentId: string | null, name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM departments
        WHERE org_id = $1 AND parent_id IS NOT DISTINCT FROM $2 AND lower(name) = lower($3) AND id IS DISTINCT FROM $4
        LIMIT 1`,
      [orgId, parentId, name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async insert(
    m: EntityManager,
    orgId: string,
    name: string,
    parent: DepartmentEntity | null,
  ): Promise<DepartmentEntity> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO departments (org_id, parent_id, name, path)
       VALUES ($1, $2, $3, '') RETURNING id`,
      [orgId, parent?.id ?? null, name],
    );
    const id = rows[0].id;
    await m.query(`UPDATE departments SET path = $3 WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
      `${parent?.path ?? '/'}${id}/`,
    ]);
    return (await this.findById(orgId, id, m))!;
  }

  async rename(m: EntityManager, orgId: string, id: string, name: string): Promise<void> {
    await m.query(`UPDATE departments SET name = $3, updated_at = now() WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
      name,
    ]);
  }

  async hasEmployees(m: EntityManager, orgId: string, id: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM employees WHERE org_id = $1 AND department_id = $2 LIMIT 1`, [orgId, id]);
    return rows.length > 0;
  }

  /** Moves a department and its whole subtree (one set-based update of the paths). */
  async move(m: EntityManager, orgId: string, dept: DepartmentEntity, parent: DepartmentEntity): Promise<void> {
    const newPath = `${parent.path}${dept.id}/`;
    await m.query(`UPDATE departments SET parent_id = $3 WHERE org_id = $1 AND id = $2`, [orgId, dept.id, parent.id]);
    await m.query(
      `UPDATE departments SET path = $3 || substr(path, length($2) + 1), updated_at = now()
        WHERE org_id = $1 AND path LIKE $2 || '%'`,
      [orgId, dept.path, newPath],
    );
  }

  async delete(m: EntityManager, orgId: string, id: string): Promise<void> {
    await m.query(`DELETE FROM departments WHERE org_id = $1 AND id = $2`, [orgId, id]);
  }

  async hasChildren(orgId: string, id: string, m?: EntityManager): Promise<boolean> {
    const rows = await (m ?? this.db.manager).query(
      `SELECT 1 FROM departments WHERE org_id = $1 AND parent_id = $2 LIMIT 1`,
      [orgId, id],
    );
    return rows.length > 0;
  }

  /** Locks the organization's department tree for a structural change (moves, deletes). */
  async lockTree(m: EntityManager, orgId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('departments:' || $1))`, [orgId]);
  }

  /** Employee counts of each department's whole subtree (one statement). */
  async subtreeEmployeeCounts(orgId: string, ids: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(ids.map((id) => [id, 0]));
    if (!ids.length) return out;
    const rows: Array<{ id: string; n: string }> = await this.db.query(
      `SELECT d.id, count(e.id) AS n
         FROM departments d
         JOIN departments sub ON sub.org_id = d.org_id AND sub.path LIKE d.path || '%'
         JOIN employees e ON e.org_id = d.org_id AND e.department_id = sub.id AND e.status <> 'DEPARTED'
        WHERE d.org_id = $1 AND d.id = ANY($2)
        GROUP BY d.id`,
      [orgId, ids],
    );
    for (const r of rows) out.set(r.id, Number(r.n));
    return out;
  }
}
