import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TagEntity, TagGroupEntity } from 'src/modules/customers/entities/tag.entity';
import { SqlReader } from 'src/core/database/sql-reader';

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
    return this.db.query(
      `SELECT id, org_id AS "orgId", name, created_at AS "createdAt" FROM tag_groups WHERE org_id = $1 AND id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  async createGroup(m: EntityManager, orgId: string, name: string, tagNames: string[]): Promise<TagGroupEntity> {
    const g: Array<{ id: string }> = await m.query(
      `INSERT INTO tag_groups (org_id, name) VALUES ($1, $2) RETURNING id`,
      [orgId, name],
    );
    if (tagNames.length) {
      await m.query(`INSERT INTO tags (org_id, group_id, name) SELECT $1, $2, n FROM unnest($3::varchar[]) AS n`, [
        orgId,
        g[0].id,
        tagNames,
      ]);
    }
    return (await m.getRepository(TagGroupEntity).findOneBy({ orgId, id: g[0].id }))!;
  }

  async groupNameTaken(orgId: string, name: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM tag_groups WHERE org_id = $1 AND lower(name) = lower($2)`, [
      orgId,
      name,
    ]);
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
  async add(
    m: EntityManager,
    orgId: string,
    customerIds: string[],
    tagIds: string[],
  ): Promise<Array<{ customerId: string; tagId: string }>> {
    return m.query(
      `INSERT INTO customer_tags (org_id, customer_id, tag_id)
       SELECT $1, c, t FROM unnest($2::uuid[]) AS c CROSS JOIN unnest($3::uuid[]) AS t
       ON CONFLICT (customer_id, tag_id) DO NOTHING
       RETURNING customer_id AS "customerId", tag_id AS "tagId"`,
      [orgId, customerIds, tagIds],
    );
  }

  /** How many of `tagIds` the customer holds already. */
  async existingPairs(m: EntityManager, orgId: string, customerId: string, tagIds: string[]): Promise<number> {
    const rows: Array<{ n: number }> = await m.query(
      `SELECT count(*)::int AS n FROM customer_tags
        WHERE org_id = $1 AND customer_id = $2 AND tag_id = ANY($3::uuid[])`,
      [orgId, customerId, tagIds],
    );
    return rows[0].n;
  }

  /**
   * Adds tags to one customer, in the given order, only while it holds fewer
   * than `max`; the customer row is locked first, so concurrent adds keep the
   * bound. Returns the pairs that were new.
   */
  async addWithin(
    m: EntityManager,
    orgId: string,
    customerId: string,
    tagIds: string[],
    max: number,
  ): Promise<Array<{ customerId: string; tagId: string }>> {
    return m.query(
      `WITH c AS (SELECT tag_ids FROM customers WHERE org_id = $1 AND id = $2 FOR UPDATE),
            fresh AS (
              SELECT u.t FROM unnest($3::uuid[]) WITH ORDINALITY AS u(t, i), c
               WHERE u.t <> ALL (c.tag_ids)
               ORDER BY u.i
               LIMIT greatest($4 - (SELECT cardinality(tag_ids) FROM c), 0))
       INSERT INTO customer_tags (org_id, customer_id, tag_id)
       SELECT $1, $2, t FROM fresh
       ON CONFLICT (customer_id, tag_id) DO NOTHING
       RETURNING customer_id AS "customerId", tag_id AS "tagId"`,
      [orgId, customerId, tagIds, max],
    );
  }

  /**
   * Customers among `customerIds` holding more than `max` tags, read inside
   * the transaction that added tags: customers.tag_ids is updated (row locked)
   * by the insert's trigger, so a concurrent add is counted too.
   */
  async overTagged(m: EntityManager, orgId: string, customerIds: string[], max: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT id FROM customers
        WHERE org_id = $1 AND id = ANY($2::uuid[]) AND cardinality(tag_ids) > $3
        ORDER BY id LIMIT 20`,
      [orgId, customerIds, max],
    );
    return rows.map((r) => r.id);
  }

  /** Removes every (customer, tag) pair in one statement; returns the pairs that existed. */
  async remove(
    m: EntityManager,
    orgId: string,
    customerIds: string[],
    tagIds: string[],
  ): Promise<Array<{ customerId: string; tagId: string }>> {
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
