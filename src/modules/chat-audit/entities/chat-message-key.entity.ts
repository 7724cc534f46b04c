import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per (organization, external id) ever ingested: the idempotency key
 * that the partitioned `chat_messages` cannot hold itself (its unique indexes
 * must contain `sent_at`, so a repeat in another month would not collide).
 * Deleted with the messages a retention purge removes.
 */
@Entity('chat_message_keys')
export class ChatMessageKeyEntity {
  /**
   * No foreign key, like chat_messages' own: its per-row check was a quarter of claiming a key
   * (migration 1765275000000-chat-message-keys-no-org-fk).
   */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_chat_message_keys' })
  orgId: string;

  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'pk_chat_message_keys' })
  externalId: string;

  @Column({ type: 'uuid' })
  messageId: string;

  /**
   * Read only by the daily purge (through the primary key's orgId prefix): no index of its own, which every claim
   * would have to write (migration 1765260000000-chat-archive-lean-indexes).
   */
  @Column({ type: 'timestamptz', precision: 3 })
  sentAt: Date;
}
