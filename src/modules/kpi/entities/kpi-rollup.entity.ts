import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/** One conversation-day (DOMAIN.md "KPI"): an employee and a customer with counted messages on one local day. */
@Entity('kpi_conversation_days')
@Index('idx_kpi_conversation_days_org_id_day', ['orgId', 'day'])
export class KpiConversationDayEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_conversation_days' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_conversation_days_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_conversation_days' })
  employeeId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_conversation_days' })
  day: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_conversation_days' })
  customerId: string;

  @Column({ type: 'integer' })
  messagesSent: number;

  @Column({ type: 'integer' })
  messagesReceived: number;

  @Column({ type: 'boolean' })
  customerInitiated: boolean;

  /** From the customer's first message of the day to the employee's first after it; null when not replied. */
  @Column({ type: 'bigint', nullable: true })
  firstResponseMs: string | null;
}

/** The counters of one employee on one day of the organization's time zone. */
@Entity('kpi_employee_days')
@Index('idx_kpi_employee_days_org_id_day', ['orgId', 'day'])
export class KpiEmployeeDayEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_employee_days' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_employee_days_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_employee_days' })
  employeeId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_employee_days' })
  day: string;

  @Column({ type: 'integer', default: 0 })
  newCustomers: number;

  @Column({ type: 'integer', default: 0 })
  lostCustomers: number;

  @Column({ type: 'integer', default: 0 })
  chats: number;

  @Column({ type: 'integer', default: 0 })
  messagesSent: number;

  @Column({ type: 'integer', default: 0 })
  messagesReceived: number;

  @Column({ type: 'integer', default: 0 })
  customerInitiatedChats: number;

  @Column({ type: 'integer', default: 0 })
  repliedChats: number;

  @Column({ type: 'bigint', default: 0 })
  firstResponseMsSum: string;

  @Column({ type: 'integer', default: 0 })
  momentTasksAssigned: number;

  @Column({ type: 'integer', default: 0 })
  momentTasksPublished: number;

  @Column({ type: 'integer', default: 0 })
  transfersIn: number;

  @Column({ type: 'integer', default: 0 })
  transfersOut: number;
}

/** How many of an employee's replied chats of a day fall in one first-response bucket (kpi-math.ts). */
@Entity('kpi_response_buckets')
@Index('idx_kpi_response_buckets_org_id_day', ['orgId', 'day'])
export class KpiResponseBucketEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_response_buckets' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_response_buckets_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_response_buckets' })
  employeeId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_response_buckets' })
  day: string;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_kpi_response_buckets' })
  bucket: number;

  @Column({ type: 'integer' })
  chats: number;
}
