import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

export type OrganizationSettingsPatch = Partial<
  Pick<
    OrganizationEntity,
    | 'timezone'
    | 'transferAcceptanceMinutes'
    | 'onJobTransferLimit'
    | 'onJobTransferWindowDays'
    | 'momentTaskExpiryHours'
    | 'chatRetentionDays'
  >
>;

@Injectable()
export class OrganizationsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  private repo(m?: EntityManager) {
    return (m ?? this.db.manager).getRepository(OrganizationEntity);
  }

  findById(id: string): Promise<OrganizationEntity | null> {
    return this.repo().findOneBy({ id });
  }

  findBySlug(slug: string): Promise<OrganizationEntity | null> {
    return this.repo().findOneBy({ slug });
  }

  async insert(
    m: EntityManager,
    values: Pick<OrganizationEntity, 'name' | 'slug' | 'timezone'>,
  ): Promise<OrganizationEntity> {
    return this.repo(m).save(this.repo(m).create(values));
  }

  async update(orgId: string, patch: OrganizationSettingsPatch): Promise<OrganizationEntity> {
    if (Object.keys(patch).length) await this.repo().update({ id: orgId }, patch);
    return (await this.findById(orgId))!;
  }

  /** The policy version Core's authorization caches an organization's rules under (0 for none). */
  async policyVersion(orgId: string): Promise<number> {
    const rows: Array<{ policy_version: number }> = await this.db.query(
      `SELECT policy_version FROM organizations WHERE id = $1`,
      [orgId],
    );
    return rows[0]?.policy_version ?? 0;
  }

  async bumpPolicyVersion(m: EntityManager, orgId: string): Promise<void> {
    await m.query(`UPDATE organizations SET policy_version = policy_version + 1 WHERE id = $1`, [orgId]);
  }
}
