import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

export type MomentStatusValue = 'DRAFT' | 'SCHEDULED' | 'PUBLISHING' | 'PUBLISHED' | 'CANCELED' | 'FAILED';
export type AttachmentTypeValue = 'IMAGE' | 'VIDEO' | 'LINK';

/** One attachment as stored in `moments.attachments` (jsonb array). */
export interface MomentAttachmentValue {
  type: AttachmentTypeValue;
  url: string;
  title: string | null;
}

/**
 * A brand post that marketers write and schedule and that sales staff publish
 * to their customers (WeCom 客户朋友圈). `version` changes whenever the time it
 * fires changes (schedule, reschedule, publish now, cancel): the delayed job
 * carries the version it was enqueued for and does nothing when it no longer
 * matches, so an old job that was already queued is a no-op.
 */
@Entity('moments')
@Check('chk_moments_status', `"status" IN ('DRAFT', 'SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'CANCELED', 'FAILED')`)
@Check('chk_moments_scheduled_at', `"status" <> 'SCHEDULED' OR "scheduled_at" IS NOT NULL`)
@Index('idx_moments_org_id_created_at_id', ['orgId', 'createdAt', 'id'])
@Index('idx_moments_org_id_scheduled_at', ['orgId', 'scheduledAt'], { where: `"scheduled_at" IS NOT NULL` })
@Index('idx_moments_due_scheduled_at', ['scheduledAt'], { where: `"status" IN ('SCHEDULED', 'PUBLISHING')` })
export class MomentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_moments' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_moments_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 2000 })
  text: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  attachments: MomentAttachmentValue[];

  /**
   * Listed employees (the audience is these plus everyone in the
   * listed departments' trees; both empty: every ACTIVE employee).
   */
  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  audienceEmployeeIds: string[];

  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  audienceDepartmentIds: string[];

  /** With tags, each employee's post is visible only to their ACTIVE customers having any of them. */
  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  audienceTagIds: string[];

  @Column({ type: 'varchar', length: 16 })
  status: MomentStatusValue;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  scheduledAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  publishedAt: Date | null;

  /** When its PENDING tasks were last reminded, newest last (at most the last 3: the limit is 3 per 24 hours). */
  @Column({ type: 'timestamptz', array: true, default: () => `'{}'` })
  remindedAt: Date[];

  /** Bumped by every change of when (or whether) the moment fires; the job id carries it (`moment:<id>:<version>`). */
  @Column({ type: 'integer', default: 0 })
  version: number;

  /** The employee who created it; null when an API key did. */
  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_id', foreignKeyConstraintName: 'fk_moments_created_by_id' })
  createdBy?: EmployeeEntity;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
