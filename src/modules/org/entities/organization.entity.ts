import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('organizations')
@Index('uq_organizations_slug', ['slug'], { unique: true })
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organizations' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 40 })
  slug: string;

  @Column({ type: 'varchar', length: 64, default: 'Asia/Shanghai' })
  timezone: string;

  @Column({ type: 'int', default: 1440 })
  transferAcceptanceMinutes: number;

  @Column({ type: 'int', default: 2 })
  onJobTransferLimit: number;

  @Column({ type: 'int', default: 90 })
  onJobTransferWindowDays: number;

  @Column({ type: 'int', default: 72 })
  momentTaskExpiryHours: number;

  @Column({ type: 'int', nullable: true })
  chatRetentionDays: number | null;

  /** Bumped whenever roles or role assignments change; authorization caches key on it. */
  @Column({ type: 'int', default: 1 })
  policyVersion: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
