import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CustomerEntity } from './customer.entity';

/**
 * Everything that happened to a customer: relation added or ended, notes,
 * stage changes, tags, and (from other modules) transfers, moment interactions
 * and conversations. Other modules write through TimelineService.
 *
 * An append-only log without a foreign key to the customer (migration
 * 1764115200000-transfer-write-path): a per-row check share-locks the customer
 * and costs ~0.15 s per 20,000 events of a bulk write (a departure); writers
 * only record events of customers they just read or wrote in the same
 * transaction, and customers are never deleted.
 */
@Entity('timeline_events')
@Index('idx_timeline_events_org_id_customer_id_occurred_at_id', ['orgId', 'customerId', 'occurredAt', 'id'])
export class TimelineEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_timeline_events' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => CustomerEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_timeline_events_customer_id' })
  customer?: CustomerEntity;

  /** Namespaced, e.g. `relation.added`, `note.added`, `stage.changed`, `transfer.completed`. */
  @Column({ type: 'varchar', length: 48 })
  type: string;

  @Column({ type: 'timestamptz', precision: 3 })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  employeeId: string | null;

  @Column({ type: 'varchar', length: 500 })
  summary: string;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
