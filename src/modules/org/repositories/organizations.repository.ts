import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OrganizationEntity } from '../entities/organization.entity';

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

  async insert(m: EntityManager, values: Pick<OrganizationEntity, 'name' | 'slug' | 'timezone'>): Promise<OrganizationEntity> {
    return this.repo(m).save(this.repo(m).create(values));
  }

  async update(orgId: string, patch: OrganizationSettingsPatch): Promise<OrganizationEntity> {
    if (Object.keys(patch).length) await this.repo().update({ id: orgId }, patch);
    return (await this.findById(orgId))!;
  }
}
