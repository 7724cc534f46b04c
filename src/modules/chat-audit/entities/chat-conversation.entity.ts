import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CustomerEntity } from 'src/modules/customers/entities/customer.entity';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/**
 * One employee with one customer (DOMAIN.md "Chat audit"). `messageCount` and
 * `lastMessageAt` are kept by ingest in the same transaction as the messages
 * and recounted from the messages after a retention purge.
 */
@Entity('chat_conversations')
@Index('uq_chat_conversations_org_id_employee_id_customer_id', ['orgId', 'employeeId', 'customerId'], { unique: true })
@Index('idx_chat_conversations_org_id_last_message_at_id', ['orgId', 'lastMessageAt', 'id'])
@Index('idx_chat_conversations_org_id_customer_id', ['orgId', 'customerId'])
export class ChatConversationEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_chat_conversations', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_conversations_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  employeeId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_chat_conversations_employee_id' })
  employee?: EmployeeEntity;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_chat_conversations_customer_id' })
  customer?: CustomerEntity;

  @Column({ type: 'integer', default: 0 })
  messageCount: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastMessageAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
