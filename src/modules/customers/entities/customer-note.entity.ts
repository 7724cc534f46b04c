import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { CustomerEntity } from './customer.entity';

export type NoteKindValue = 'NOTE' | 'CALL' | 'VISIT' | 'TASK';

/** A note or follow-up (call, visit, task with a due date) on a customer. */
@Entity('customer_notes')
@Check('chk_customer_notes_kind', `"kind" IN ('NOTE', 'CALL', 'VISIT', 'TASK')`)
@Index('idx_customer_notes_org_id_customer_id_created_at_id', ['orgId', 'customerId', 'createdAt', 'id'])
@Index('idx_customer_notes_org_id_author_id_due_at', ['orgId', 'authorId', 'dueAt'])
// The follow-up tasks of a customer (myCustomerTasks reads them per followed customer).
@Index('idx_customer_notes_tasks', ['orgId', 'customerId', 'dueAt', 'id'], { where: `"kind" = 'TASK'` })
export class CustomerNoteEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_customer_notes' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_notes_customer_id' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid' })
  authorId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_customer_notes_author_id' })
  author?: EmployeeEntity;

  @Column({ type: 'varchar', length: 8, default: 'NOTE' })
  kind: NoteKindValue;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  doneAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
