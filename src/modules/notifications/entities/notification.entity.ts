import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

export const NOTIFICATION_KINDS = [
  'MOMENT_TASK_ASSIGNED',
  'MOMENT_REMINDER',
  'TRANSFER_WAITING',
  'HANDOVER_FINISHED',
  'CUSTOMER_LOST',
  'AUDIT_ALERT',
] as const;
export type NotificationKindValue = (typeof NOTIFICATION_KINDS)[number];

/**
 * One entry of an employee's inbox. `eventKey` names the event it reports (for
 * example `moment:<id>:assigned`): unique per employee, so a writer that runs
 * twice (a retried job, a sweep) notifies once. The subject's ids are plain
 * references: the rows belong to other modules and are never joined here.
 */
@Entity('notifications')
@Check(
  'chk_notifications_kind',
  `"kind" IN ('MOMENT_TASK_ASSIGNED', 'MOMENT_REMINDER', 'TRANSFER_WAITING', 'HANDOVER_FINISHED', 'AUDIT_ALERT', 'CUSTOMER_LOST')`,
)
@Index('uq_notifications_org_id_employee_id_event_key', ['orgId', 'employeeId', 'eventKey'], { unique: true })
@Index('idx_notifications_org_id_employee_id_created_at_id', ['orgId', 'employeeId', 'createdAt', 'id'])
@Index('idx_notifications_unread', ['orgId', 'employeeId', 'createdAt', 'id'], { where: `"read_at" IS NULL` })
@Index('idx_notifications_org_id_audit_alert_id', ['orgId', 'auditAlertId'], { where: `"audit_alert_id" IS NOT NULL` })
export class NotificationEntity {
  /** Time-ordered (uuidv7): a fan-out inserts thousands in one statement. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_notifications', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_notifications_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  employeeId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_notifications_employee_id' })
  employee?: EmployeeEntity;

  @Column({ type: 'varchar', length: 32 })
  kind: NotificationKindValue;

  @Column({ type: 'varchar', length: 120 })
  eventKey: string;

  @Column({ type: 'uuid', nullable: true })
  momentId: string | null;

  @Column({ type: 'uuid', nullable: true })
  momentTaskId: string | null;

  @Column({ type: 'uuid', nullable: true })
  handoverId: string | null;

  /** AUDIT_ALERT: the alert raised (chat-audit's chat_audit_alerts). */
  @Column({ type: 'uuid', nullable: true })
  auditAlertId: string | null;

  /** How many things the notice is about (transfers waiting, transfers completed), when it counts. */
  @Column({ type: 'integer', nullable: true })
  count: number | null;

  /** CUSTOMER_LOST: the customer who ended the relation. */
  @Column({ type: 'uuid', nullable: true })
  customerId: string | null;

  /** CUSTOMER_LOST: the employee whose relation ended (the addressee, or one of their team). */
  @Column({ type: 'uuid', nullable: true })
  aboutEmployeeId: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
