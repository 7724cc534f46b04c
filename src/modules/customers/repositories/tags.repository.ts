import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TagEntity, TagGroupEntity } from '../entities/tag.entity';
import { SqlReader } from '../../../core/database/sql-reader';

@Injectable()
export class TagsRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  async groups(orgId: string): Promise<TagGroupEntity[]> {
    return this.db.getRepository(TagGroupEntity).find({ where: { orgId }, order: { name: 'ASC' } });
  }

  async tagsOfGroups(orgId: string, groupIds: readonly string[]): Promise<TagEntity[]> {
    if (!groupIds.length) return [];
    return this.db.query(
      `SELECT id, org_id AS "orgId", group_id AS "groupId", name, created_at AS "createdAt"
         FROM tags WHERE org_id = $1 AND group_id = ANY($2::uuid[]) ORDER BY name`,
      [orgId, groupIds],
    );
  }

  async groupsByIds(orgId: string, ids: readonly string[]): Promise<TagGroupEntity[]> {
    if (!ids.length) return [];
    return this.db.query(`SELECT id, org_id AS "orgId", name, created_at AS "createdAt" FROM tag_groups WHERE org_id = $1 AND id = ANY($2::uuid[])`, [
      orgId,
      ids,
    ]);
  }

  async createGroup(m: EntityManager, orgId: string, name: string, tagNames: string[]): Promise<TagGroupEntity> {
    const g: Array<{ id: string }> = await m.query(`INSERT INTO tag_groups (org_id, name) VALUES ($1, $2) RETURNING id`, [orgId, name]);
    if (tagNames.length) {
      await m.query(`INSERT INTO tags (org_id, group_id, name) SELECT $1, $2, n FROM unnest($3::varchar[]) AS n`, [orgId, g[0].id, tagNames]);
    }
    return (await m.getRepository(TagGroupEntity).findOneBy({ orgId, id: g[0].id }))!;
  }

  async groupNameTaken(orgId: string, name: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM tag_groups WHERE org_id = $1 AND lower(name) = lower($2)`, [orgId, name]);
    return rows.length > 0;
  }

  /** Tags of the organization among `ids`. */
  async existing(orgId: string, ids: readonly string[], m?: EntityManager): Promise<TagEntity[]> {
    if (!ids.length) return [];
    return (m ?? this.db.manager).query(
      `SELECT id, org_id AS "orgId", group_id AS "groupId", name FROM tags WHERE org_id = $1 AND id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  /** Adds every (customer, tag) pair in one statement; returns the pairs that were new. */
  async add(m: EntityManager, orgId: string, customerIds: string[], tagIds: string[]): Promise<Array<{ customerId: string; tagId: string }>> {
    return m.query(
      `INSERT INTO customer_tags (org_id, customer_id, tag_id)
       SELECT $1, c, t FROM unnest($2::uuid[]) AS c CROSS JOIN unnest($3::uuid[]) AS t
       ON CONFLICT (customer_id, tag_id) DO NOTHING
       RETURNING customer_id AS "customerId", tag_id AS "tagId"`,
      [orgId, customerIds, tagIds],
    );
  }

  /** Removes every (customer, tag) pair in one statement; returns the pairs that existed. */
  async remove(m: EntityManager, orgId: string, customerIds: string[], tagIds: string[]): Promise<Array<{ customerId: string; tagId: string }>> {
    const res = await m.query(
      `DELETE FROM customer_tags WHERE org_id = $1 AND customer_id = ANY($2::uuid[]) AND tag_id = ANY($3::uuid[])
       RETURNING customer_id AS "customerId", tag_id AS "tagId"`,
      [orgId, customerIds, tagIds],
    );
    return Array.isArray(res[0]) ? res[0] : res;
  }

  /** Tags of many customers (one statement). */
  async ofCustomers(orgId: string, customerIds: readonly string[]): Promise<Array<TagEntity & { customerId: string }>> {
    if (!customerIds.length) return [];
    return this.reads.prepared(
      `SELECT ct.customer_id AS "customerId", t.id, t.org_id AS "orgId", t.group_id AS "groupId", t.name
         FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
        WHERE ct.org_id = $1 AND ct.customer_id = ANY($2::uuid[])
        ORDER BY t.name`,
      [orgId, customerIds],
    );
  }
}
