import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/**
 * One read of chat content: who (an employee or an API key), what (`action`,
 * `target`), when. Append-only at the database level: a trigger refuses
 * UPDATE, DELETE and TRUNCATE (migration 1765020000000-chat-audit).
 */
@Entity('chat_access_log')
@Index('idx_chat_access_log_org_id_occurred_at_id', ['orgId', 'occurredAt', 'id'])
export class ChatAccessEntryEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_chat_access_log', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_access_log_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid', nullable: true })
  viewerId: string | null;

  @Column({ type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 10000 })
  target: string;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  occurredAt: Date;
}
