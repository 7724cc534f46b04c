import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { MomentEntity } from './moment.entity';

export type MomentTaskStatusValue = 'PENDING' | 'PUBLISHED' | 'EXPIRED';

/** One employee's task to publish a moment to their customers; one per (moment, employee). */
@Entity('moment_tasks')
@Check('chk_moment_tasks_status', `"status" IN ('PENDING', 'PUBLISHED', 'EXPIRED')`)
@Check('chk_moment_tasks_visible_customer_count', `"visible_customer_count" >= 0`)
@Index('uq_moment_tasks_moment_id_employee_id', ['momentId', 'employeeId'], { unique: true })
@Index('idx_moment_tasks_org_id_moment_id_id', ['orgId', 'momentId', 'id'])
@Index('idx_moment_tasks_org_id_employee_id_created_at_id', ['orgId', 'employeeId', 'createdAt', 'id'])
@Index('idx_moment_tasks_pending_created_at', ['createdAt'], { where: `"status" = 'PENDING'` })
export class MomentTaskEntity {
  /** Time-ordered (uuidv7): firing inserts a moment's tasks in one statement, appending to the key's index. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_moment_tasks', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_moment_tasks_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  momentId: string;

  @ManyToOne(() => MomentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'moment_id', foreignKeyConstraintName: 'fk_moment_tasks_moment_id' })
  moment?: MomentEntity;

  @Column({ type: 'uuid' })
  employeeId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_moment_tasks_employee_id' })
  employee?: EmployeeEntity;

  @Column({ type: 'varchar', length: 16, default: 'PENDING' })
  status: MomentTaskStatusValue;

  /** The employee's ACTIVE customers who see the post (those having any audience tag, when tags are given). */
  @Column({ type: 'integer', default: 0 })
  visibleCustomerCount: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  remindedCount: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
