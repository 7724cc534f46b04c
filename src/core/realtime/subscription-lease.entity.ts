import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One open subscription socket's place in its principal's limit (SUBSCRIPTIONS_MAX_CONNECTIONS_PER_PRINCIPAL),
 * held by the API process that serves it (core/realtime/connection-leases.ts). Not tenant data: the subject is
 * a Casbin subject (`emp:<id>`, `key:<id>`). Rows past `expiresAt` no longer count and are deleted.
 */
@Entity('subscription_leases')
@Index('idx_subscription_leases_subject_expires_at', ['subject', 'expiresAt'])
@Index('idx_subscription_leases_process_id', ['processId'])
export class SubscriptionLeaseEntity {
  /** The socket's id. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_subscription_leases' })
  id: string;

  @Column({ type: 'varchar', length: 80 })
  subject: string;

  /** The API process holding it (random per start), whose heartbeat renews its rows. */
  @Column({ type: 'uuid', name: 'process_id' })
  processId: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'expires_at' })
  expiresAt: Date;
}
