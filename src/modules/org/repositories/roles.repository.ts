import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DataScopeValue, RoleEntity } from 'src/modules/org/entities/role.entity';

@Injectable()
export class RolesRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.db.manager).getRepository(RoleEntity);
  }

  list(orgId: string): Promise<RoleEntity[]> {
    return this.repo().find({ where: { orgId }, order: { builtin: 'DESC', name: 'ASC' } });
  }

  findById(orgId: string, id: string): Promise<RoleEntity | null> {
    return this.repo().findOneBy({ orgId, id });
  }

  findByName(orgId: string, name: string, m?: EntityManager): Promise<RoleEntity | null> {
    return this.repo(m).findOneBy({ orgId, name });
  }

  async existingNames(orgId: string, names: string[], m?: EntityManager): Promise<Set<string>> {
    if (!names.length) return new Set();
    const rows: Array<{ name: string }> = await (m ?? this.db.manager).query(
      `SELECT name FROM roles WHERE org_id = $1 AND name = ANY($2)`,
      [orgId, names],
    );
    return new Set(rows.map((r) => r.name));
  }

  async insertMany(
    m: EntityManager,
    orgId: string,
    roles: Array<{ name: string; description: string | null; dataScope: DataScopeValue; builtin: boolean }>,
  ): Promise<void> {
    await this.repo(m).insert(roles.map((r) => ({ ...r, orgId })));
  }

  async update(m: EntityManager, orgId: string, id: string, patch: Partial<RoleEntity>): Promise<void> {
    await this.repo(m).update({ orgId, id }, patch);
  }

  async delete(m: EntityManager, orgId: string, id: string): Promise<void> {
    await this.repo(m).delete({ orgId, id });
  }

  /** The data scope of each role of the organization, by name. */
  async scopesOf(orgId: string): Promise<Map<string, string>> {
    const rows: Array<{ name: string; data_scope: string }> = await this.db.query(
      `SELECT name, data_scope FROM roles WHERE org_id = $1`,
      [orgId],
    );
    return new Map(rows.map((r) => [r.name, r.data_scope]));
  }
}
