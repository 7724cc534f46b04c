import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RelationDailyCounts } from 'src/modules/customers/customers.fragments';
import { likeEscape } from 'src/modules/org/scope-sql';
import { ChannelEntity } from 'src/modules/channels/entities/channel.entity';

const COLUMNS = `c.id, c.org_id AS "orgId", c.name, c.state, c.welcome_message AS "welcomeMessage", c.archived_at AS "archivedAt",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

export interface ChannelPageQuery {
  search?: string;
  archived?: boolean;
  employeeId?: string;
  /** Keyset after (name, id). */
  after: [string, string] | null;
  limit: number;
}

/** A live channel as the relation hook needs it (one statement). */
export interface LiveChannel {
  id: string;
  name: string;
  welcomeMessage: string | null;
  tagIds: string[];
}

export interface ChannelDayRow {
  state: string;
  date: string;
  added: number;
  stillActive: number;
  lost: number;
}

@Injectable()
export class ChannelsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async findById(orgId: string, id: string, m?: EntityManager, lock = false): Promise<ChannelEntity | null> {
    const rows = await (m ?? this.db.manager).query(
      `SELECT ${COLUMNS} FROM channels c WHERE c.org_id = $1 AND c.id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [orgId, id],
    );
    return rows[0] ?? null;
  }

  /** Whether another channel of the organization has this name (case-insensitive). */
  async nameTaken(orgId: string, name: string, exceptId?: string, m?: EntityManager): Promise<boolean> {
    const rows = await (m ?? this.db.manager).query(
      `SELECT 1 FROM channels WHERE org_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`,
      [orgId, name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  /** Whether a channel of the organization (archived ones included) has this state; uses uq_channels_org_id_state. */
  async stateTaken(orgId: string, state: string, m?: EntityManager): Promise<boolean> {
    const rows = await (m ?? this.db.manager).query(`SELECT 1 FROM channels WHERE org_id = $1 AND state = $2`, [
      orgId,
      state,
    ]);
    return rows.length > 0;
  }

  async insert(
    m: EntityManager,
    v: { orgId: string; name: string; state: string; welcomeMessage: string | null },
  ): Promise<ChannelEntity> {
    const rows = await m.query(
      `INSERT INTO channels AS c (org_id, name, state, welcome_message) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [v.orgId, v.name, v.state, v.welcomeMessage],
    );
    return rows[0];
  }

  async update(
    m: EntityManager,
    orgId: string,
    id: string,
    patch: { name?: string; welcomeMessage?: string | null },
  ): Promise<void> {
    await m.query(
      `UPDATE channels SET name = coalesce($3, name),
              welcome_message = CASE WHEN $4::boolean THEN $5 ELSE welcome_message END,
              updated_at = now()
        WHERE org_id = $1 AND id = $2`,
      [orgId, id, patch.name ?? null, patch.welcomeMessage !== undefined, patch.welcomeMessage ?? null],
    );
  }

  /** Archives once: archiving again keeps the first time. */
  async archive(m: EntityManager, orgId: string, id: string): Promise<void> {
    await m.query(
      `UPDATE channels SET archived_at = now(), updated_at = now() WHERE org_id = $1 AND id = $2 AND archived_at IS NULL`,
      [orgId, id],
    );
  }

  /** Makes the channel's employees exactly `employeeIds` (two set-based statements). */
  async replaceEmployees(m: EntityManager, orgId: string, channelId: string, employeeIds: string[]): Promise<void> {
    await m.query(
      `DELETE FROM channel_employees WHERE org_id = $1 AND channel_id = $2 AND employee_id <> ALL($3::uuid[])`,
      [orgId, channelId, employeeIds],
    );
    await m.query(
      `INSERT INTO channel_employees (channel_id, employee_id, org_id)
       SELECT $2, e, $1 FROM unnest($3::uuid[]) AS e
       ON CONFLICT (channel_id, employee_id) DO NOTHING`,
      [orgId, channelId, employeeIds],
    );
  }

  /** Makes the channel's tags exactly `tagIds` (two set-based statements). */
  async replaceTags(m: EntityManager, orgId: string, channelId: string, tagIds: string[]): Promise<void> {
    await m.query(`DELETE FROM channel_tags WHERE org_id = $1 AND channel_id = $2 AND tag_id <> ALL($3::uuid[])`, [
      orgId,
      channelId,
      tagIds,
    ]);
    if (!tagIds.length) return;
    await m.query(
      `INSERT INTO channel_tags (channel_id, tag_id, org_id)
       SELECT $2, t, $1 FROM unnest($3::uuid[]) AS t
       ON CONFLICT (channel_id, tag_id) DO NOTHING`,
      [orgId, channelId, tagIds],
    );
  }

  /** Employee ids of many channels (one statement). */
  async employeeIdsOf(
    orgId: string,
    channelIds: readonly string[],
  ): Promise<Array<{ channelId: string; employeeId: string }>> {
    if (!channelIds.length) return [];
    return this.db.query(
      `SELECT channel_id AS "channelId", employee_id AS "employeeId" FROM channel_employees
        WHERE org_id = $1 AND channel_id = ANY($2::uuid[])`,
      [orgId, channelIds],
    );
  }

  /** Tag ids of many channels (one statement). */
  async tagIdsOf(orgId: string, channelIds: readonly string[]): Promise<Array<{ channelId: string; tagId: string }>> {
    if (!channelIds.length) return [];
    return this.db.query(
      `SELECT channel_id AS "channelId", tag_id AS "tagId" FROM channel_tags
        WHERE org_id = $1 AND channel_id = ANY($2::uuid[])`,
      [orgId, channelIds],
    );
  }

  /** The non-archived channel with this state, with its tag ids (one statement on uq_channels_org_id_state). */
  async findLiveByState(m: EntityManager, orgId: string, state: string): Promise<LiveChannel | null> {
    const rows = await m.query(
      `SELECT c.id, c.name, c.welcome_message AS "welcomeMessage",
              coalesce(array_agg(ct.tag_id) FILTER (WHERE ct.tag_id IS NOT NULL), '{}') AS "tagIds"
         FROM channels c
         LEFT JOIN channel_tags ct ON ct.channel_id = c.id AND ct.org_id = c.org_id
        WHERE c.org_id = $1 AND c.state = $2 AND c.archived_at IS NULL
        GROUP BY c.id`,
      [orgId, state],
    );
    return rows[0] ?? null;
  }

  /** One keyset page ordered by (name, id) on uq_channels_org_id_name. */
  async page(orgId: string, q: ChannelPageQuery): Promise<ChannelEntity[]> {
    const params: unknown[] = [orgId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['c.org_id = $1::uuid'];
    if (q.search?.trim()) {
      const s = p(`%${likeEscape(q.search.trim().toLowerCase())}%`);
      where.push(`(lower(c.name) LIKE ${s} OR lower(c.state) LIKE ${s})`);
    }
    if (q.archived === true) where.push('c.archived_at IS NOT NULL');
    if (q.archived === false) where.push('c.archived_at IS NULL');
    if (q.employeeId) {
      where.push(
        `EXISTS (SELECT 1 FROM channel_employees ce WHERE ce.org_id = $1::uuid AND ce.channel_id = c.id AND ce.employee_id = ${p(q.employeeId)}::uuid)`,
      );
    }
    if (q.after) where.push(`(c.name, c.id) > (${p(q.after[0])}::varchar, ${p(q.after[1])}::uuid)`);
    return this.db.query(
      `SELECT ${COLUMNS} FROM channels c WHERE ${where.join(' AND ')} ORDER BY c.name, c.id LIMIT ${p(q.limit)}`,
      params,
    );
  }

  /**
   * Every (state, day) of the range with the relations added that day
   * (Customers' `added` counts), days without relations as zeros, in one
   * set-based statement.
   */
  async dailyStats(states: string[], from: string, to: string, added: RelationDailyCounts): Promise<ChannelDayRow[]> {
    const params: unknown[] = [states, from, to];
    return this.db.query(
      `WITH added AS (${added.bind(params)})
       SELECT s.state, to_char(d.day, 'YYYY-MM-DD') AS date,
              coalesce(a.added, 0) AS added, coalesce(a.still_active, 0) AS "stillActive", coalesce(a.lost, 0) AS lost
         FROM unnest($1::varchar[]) AS s(state)
        CROSS JOIN LATERAL (SELECT g::date AS day FROM generate_series($2::date::timestamp, $3::date::timestamp, interval '1 day') AS g) d
         LEFT JOIN added a ON a.state = s.state AND a.day = d.day
        ORDER BY s.state, d.day`,
      params,
    );
  }
}
