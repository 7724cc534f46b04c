import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/**
 * One row per (organization, external id) ever ingested: the idempotency key
 * that the partitioned `chat_messages` cannot hold itself (its unique indexes
 * must contain `sent_at`, so a repeat in another month would not collide).
 * Deleted with the messages a retention purge removes.
 */
@Entity('chat_message_keys')
@Index('idx_chat_message_keys_org_id_sent_at', ['orgId', 'sentAt'])
export class ChatMessageKeyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_chat_message_keys' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_message_keys_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'pk_chat_message_keys' })
  externalId: string;

  @Column({ type: 'uuid' })
  messageId: string;

  @Column({ type: 'timestamptz', precision: 3 })
  sentAt: Date;
}
