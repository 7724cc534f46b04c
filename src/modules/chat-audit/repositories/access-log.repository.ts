import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlReader } from 'src/core/database/sql-reader';
import type { ScopeEmployees } from 'src/modules/org/org.fragments';

export interface AccessEntryRow {
  id: string;
  orgId: string;
  viewerId: string | null;
  apiKeyId: string | null;
  action: string;
  target: string;
  occurredAt: Date;
}

/** The chat access log: appended to, read newest first, never changed (the table's trigger refuses it). */
@Injectable()
export class AccessLogRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  async append(e: Omit<AccessEntryRow, 'id' | 'occurredAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO chat_access_log (org_id, viewer_id, api_key_id, action, target) VALUES ($1, $2, $3, $4, $5)`,
      [e.orgId, e.viewerId, e.apiKeyId, e.action, e.target],
    );
  }

  /**
   * Newest first. `viewers`: the employees whose reads may be listed (the reader's accessLog:read scope); null
   * (organization scope) lists every entry, API keys' included.
   */
  page(
    orgId: string,
    before: [string, string] | null,
    limit: number,
    viewers: ScopeEmployees | null,
  ): Promise<AccessEntryRow[]> {
    const params: unknown[] = [orgId, before?.[0] ?? null, before?.[1] ?? null, limit];
    const inScope = viewers ? `viewer_id IN (${viewers.bind(params)})` : 'TRUE';
    return this.reads.query<AccessEntryRow>(
      `SELECT id, org_id AS "orgId", viewer_id AS "viewerId", api_key_id AS "apiKeyId", action, target, occurred_at AS "occurredAt"
         FROM chat_access_log
        WHERE org_id = $1 AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2::timestamptz, $3::uuid)) AND ${inScope}
        ORDER BY occurred_at DESC, id DESC LIMIT $4`,
      params,
    );
  }
}
