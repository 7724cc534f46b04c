import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SenderTypeValue = 'EMPLOYEE' | 'CUSTOMER';

/**
 * An archived message. The table is partitioned by month of `sent_at`
 * (migration 1765020000000-chat-audit), which TypeORM cannot describe, so the
 * schema builder leaves it alone (`synchronize: false`); the migration is its
 * definition. Its primary key holds the partition key, as PostgreSQL requires;
 * idempotency on the external id is `chat_message_keys`.
 *
 * When the customer's consent at `sentAt` is DISAGREED, `text`, `payload` and
 * `searchGrams` are never written and `contentWithheld` is true (a CHECK
 * constraint holds it).
 */
@Entity('chat_messages', { synchronize: false })
export class ChatMessageEntity {
  /**
   * The primary key is (orgId, sentAt, id) (migration 1765260000000-chat-archive-lean-indexes): every look-up by id
   * knows the organization and the time, and the same index gives an organization's messages newest first.
   */
  @PrimaryColumn({ type: 'uuid' })
  orgId: string;

  @PrimaryColumn({ type: 'timestamptz', precision: 3 })
  sentAt: Date;

  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  conversationId: string;

  @Column({ type: 'uuid' })
  employeeId: string;

  @Column({ type: 'uuid' })
  customerId: string;

  @Column({ type: 'varchar', length: 128 })
  externalId: string;

  @Column({ type: 'varchar', length: 16 })
  senderType: SenderTypeValue;

  @Column({ type: 'varchar', length: 16 })
  type: string;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ type: 'jsonb', nullable: true })
  payload: unknown;

  @Column({ type: 'boolean', default: false })
  contentWithheld: boolean;

  /**
   * `chat_search_grams(text)`: the index keys of the substring search, as codes (a character's code point, a pair's
   * a * 2^21 + b; int8, read as strings).
   */
  @Column({ type: 'bigint', array: true, default: () => `'{}'` })
  searchGrams: string[];

  @Column({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
