import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
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
 *
 * Its primary key is the key it is paged by, (org_id, customer_id,
 * occurred_at, id) (migration 1764201600000-timeline-key): one index per event.
 */
@Entity('timeline_events')
export class TimelineEventEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_timeline_events' })
  orgId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_timeline_events' })
  customerId: string;

  @PrimaryColumn({ type: 'timestamptz', precision: 3, primaryKeyConstraintName: 'pk_timeline_events' })
  occurredAt: Date;

  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_timeline_events' })
  id: string;

  @ManyToOne(() => CustomerEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_timeline_events_customer_id' })
  customer?: CustomerEntity;

  /** Namespaced, e.g. `relation.added`, `note.added`, `stage.changed`, `transfer.completed`. */
  @Column({ type: 'varchar', length: 48 })
  type: string;

  @Column({ type: 'uuid', nullable: true })
  employeeId: string | null;

  @Column({ type: 'varchar', length: 500 })
  summary: string;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
