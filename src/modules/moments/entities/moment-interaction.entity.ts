import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { MomentEntity } from './moment.entity';

export type InteractionKindValue = 'LIKE' | 'COMMENT';

/**
 * A like or a comment a channel reported on an employee's post of a moment, by
 * one of their customers. `externalId` is the channel's id of it (repeats are
 * ignored); a customer likes an employee's post at most once.
 */
@Entity('moment_interactions')
@Check('chk_moment_interactions_kind', `"kind" IN ('LIKE', 'COMMENT')`)
@Index('uq_moment_interactions_external_id', ['orgId', 'momentId', 'externalId'], {
  unique: true,
  where: `"external_id" IS NOT NULL`,
})
@Index('uq_moment_interactions_like', ['orgId', 'momentId', 'employeeId', 'customerId'], {
  unique: true,
  where: `"kind" = 'LIKE'`,
})
@Index('idx_moment_interactions_org_id_moment_id_kind', ['orgId', 'momentId', 'kind'])
export class MomentInteractionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_moment_interactions', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_moment_interactions_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  momentId: string;

  @ManyToOne(() => MomentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'moment_id', foreignKeyConstraintName: 'fk_moment_interactions_moment_id' })
  moment?: MomentEntity;

  /** The employee whose post it was (customers and employees belong to other modules: plain references). */
  @Column({ type: 'uuid' })
  employeeId: string;

  @Column({ type: 'uuid' })
  customerId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: InteractionKindValue;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  externalId: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  occurredAt: Date;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
