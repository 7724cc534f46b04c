import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OrganizationRows } from 'src/modules/org/org.fragments';
import { ApiKeyEntity } from './entities/api-key.entity';

export interface ApiKeyPrincipalRow {
  id: string;
  orgId: string;
  secretHash: string;
  revokedAt: Date | null;
  policyVersion: number;
}

@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.db.manager).getRepository(ApiKeyEntity);
  }

  list(orgId: string): Promise<ApiKeyEntity[]> {
    return this.repo().find({ where: { orgId }, order: { createdAt: 'DESC' } });
  }

  findById(orgId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.repo().findOneBy({ orgId, id });
  }

  async insert(m: EntityManager, values: Partial<ApiKeyEntity>): Promise<ApiKeyEntity> {
    return this.repo(m).save(this.repo(m).create(values));
  }

  async revoke(m: EntityManager, orgId: string, id: string): Promise<void> {
    await m.query(`UPDATE api_keys SET revoked_at = now() WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL`, [
      orgId,
      id,
    ]);
  }

  /** The key and its organization's policy version (Org's `versions`), found by its public prefix (one statement). */
  async findPrincipal(
    prefix: string,
    versions: OrganizationRows<{ id: string; policy_version: number }>,
  ): Promise<ApiKeyPrincipalRow | null> {
    const params: unknown[] = [prefix];
    const rows = await this.db.query(
      `SELECT k.id, k.org_id AS "orgId", k.secret_hash AS "secretHash", k.revoked_at AS "revokedAt", o.policy_version AS "policyVersion"
         FROM api_keys k JOIN (${versions.bind(params)}) o ON o.id = k.org_id
        WHERE k.prefix = $1`,
      params,
    );
    return rows[0] ?? null;
  }

  async touch(id: string): Promise<void> {
    await this.db.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [id]);
  }
}
