import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CustomerEntity } from 'src/modules/customers/entities/customer.entity';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { HandoverEntity, TransferKindValue } from './handover.entity';

export type TransferStatusValue =
  | 'WAITING'
  | 'COMPLETED'
  | 'REFUSED'
  | 'TAKEOVER_LIMIT_EXCEEDED'
  | 'TRANSFER_LIMIT_EXCEEDED'
  | 'CANCELED';

/**
 * One customer moving from one employee to another. At most one WAITING
 * transfer per customer (a partial unique index enforces it).
 *
 * No foreign keys (migration 1764115200000-transfer-write-path): the
 * hand-over, employees and customers are never deleted, transfers are only
 * written next to them (under the employees' row locks, from relations read in
 * the same transaction), and the per-row checks cost ~0.5 s per
 * 20,000-customer departure.
 */
@Entity('transfers')
@Check(
  'chk_transfers_status',
  `"status" IN ('WAITING', 'COMPLETED', 'REFUSED', 'TAKEOVER_LIMIT_EXCEEDED', 'TRANSFER_LIMIT_EXCEEDED', 'CANCELED')`,
)
@Check('chk_transfers_kind', `"kind" IN ('DEPARTURE', 'ON_JOB')`)
@Index('uq_transfers_waiting_customer', ['orgId', 'customerId'], { unique: true, where: `"status" = 'WAITING'` })
@Index('idx_transfers_org_id_handover_id_status', ['orgId', 'handoverId', 'status'])
@Index('idx_transfers_waiting_takeover_at', ['takeoverAt'], { where: `"status" = 'WAITING'` })
// ON_JOB only: the on-the-job limit counts nothing else (a departure's rows skip it).
@Index('idx_transfers_on_job_customer', ['orgId', 'customerId', 'createdAt'], { where: `"kind" = 'ON_JOB'` })
@Index('idx_transfers_org_id_to_employee_id_status', ['orgId', 'toEmployeeId', 'status'])
@Index('idx_transfers_org_id_resolved_at', ['orgId', 'resolvedAt'], { where: `"resolved_at" IS NOT NULL` })
export class TransferEntity {
  /** Time-ordered (uuidv7, migration 1764288000000-time-ordered-ids): bulk inserts append to the key's index. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_transfers', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @Column({ type: 'uuid' })
  handoverId: string;

  @ManyToOne(() => HandoverEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'handover_id', foreignKeyConstraintName: 'fk_transfers_handover_id' })
  handover?: HandoverEntity;

  @Column({ type: 'varchar', length: 16 })
  kind: TransferKindValue;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => CustomerEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_transfers_customer_id' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid' })
  fromEmployeeId: string;

  @ManyToOne(() => EmployeeEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'from_employee_id', foreignKeyConstraintName: 'fk_transfers_from_employee_id' })
  fromEmployee?: EmployeeEntity;

  /** The takeover (for a limit failure: the one the strategy picked; nothing moved). */
  @Column({ type: 'uuid' })
  toEmployeeId: string;

  @ManyToOne(() => EmployeeEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'to_employee_id', foreignKeyConstraintName: 'fk_transfers_to_employee_id' })
  toEmployee?: EmployeeEntity;

  /** The relation being handed over. */
  @Column({ type: 'uuid' })
  fromRelationId: string;

  @Column({ type: 'varchar', length: 32 })
  status: TransferStatusValue;

  @Column({ type: 'timestamptz', precision: 3 })
  takeoverAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
