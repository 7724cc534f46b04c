import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DepartmentEntity } from 'src/modules/org/entities/department.entity';
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

  /**
   * The first counted message of the day (its time, and its id for ties) and the employee's first: what lets a
   * batch's new messages be added as a delta. Null only on rows whose messages retention purged before these existed.
   */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  firstAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  firstMessageId: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  firstEmployeeAt: Date | null;
}

/**
 * The counters every KPI rollup row carries (an employee's day or week, a department's day, the organization's
 * day): one list, so a new counter is declared once. Not an entity; each table's key and foreign keys stay on its
 * own class.
 */
export abstract class KpiCountersBase {
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

  /** The first-response histogram (kpi-math.ts): its buckets ascending, and the replied chats of each. */
  @Column({ type: 'smallint', array: true, default: '{}' })
  responseBuckets: number[];

  @Column({ type: 'integer', array: true, default: '{}' })
  responseChats: number[];
}

/** The counters of one employee on one day of the organization's time zone. */
@Entity('kpi_employee_days')
@Index('idx_kpi_employee_days_org_id_day', ['orgId', 'day'])
// The key INCLUDE the counters and the histogram (migration 1765170000000): a ranking's days read index-only.
@Index('idx_kpi_employee_days_ranking', { synchronize: false })
export class KpiEmployeeDayEntity extends KpiCountersBase {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_employee_days' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_employee_days_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_employee_days' })
  employeeId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_employee_days' })
  day: string;
}

/**
 * The sums of the employee-days of a department's current employees (not its sub-departments'): an employee
 * moved to another department takes their history along (the dashboard covers departments by their current
 * members, DOMAIN.md "KPI": managers see their department tree).
 */
@Entity('kpi_department_days')
@Index('idx_kpi_department_days_org_id_day', ['orgId', 'day'])
export class KpiDepartmentDayEntity extends KpiCountersBase {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_department_days' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_department_days_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_department_days' })
  departmentId: string;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_kpi_department_days_department_id' })
  department?: DepartmentEntity;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_department_days' })
  day: string;
}

/** The sums of all the organization's employee-days of a day (employees without a department included). */
@Entity('kpi_organization_days')
export class KpiOrganizationDayEntity extends KpiCountersBase {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_organization_days' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_organization_days_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_organization_days' })
  day: string;
}

/** The sums of an employee's employee-days of one week (Monday to Sunday): a ranking reads whole weeks as one. */
@Entity('kpi_employee_weeks')
@Index('idx_kpi_employee_weeks_org_id_week', ['orgId', 'week'])
export class KpiEmployeeWeekEntity extends KpiCountersBase {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_employee_weeks' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_employee_weeks_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_kpi_employee_weeks' })
  employeeId: string;

  /** The Monday starting the week. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_employee_weeks' })
  week: string;
}
