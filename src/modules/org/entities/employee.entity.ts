import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { DepartmentEntity } from './department.entity';
import { OrganizationEntity } from './organization.entity';

export type EmployeeStatusValue = 'ACTIVE' | 'SUSPENDED' | 'DEPARTED';

@Entity('employees')
@Check('chk_employees_status', `"status" IN ('ACTIVE', 'SUSPENDED', 'DEPARTED')`)
@Check('chk_employees_customer_capacity', `"customer_capacity" >= 0`)
@Index('uq_employees_org_id_email', ['orgId', 'email'], { unique: true })
@Index('uq_employees_org_id_external_id', ['orgId', 'externalId'], { unique: true })
@Index('idx_employees_org_id_department_id', ['orgId', 'departmentId'])
@Index('idx_employees_org_id_created_at_id', ['orgId', 'createdAt', 'id'])
export class EmployeeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_employees' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_employees_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_employees_department_id' })
  department?: DepartmentEntity;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Lower-cased; unique within the organization. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** argon2id hash; null when the employee only signs in through a channel. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  title: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'ACTIVE' })
  status: EmployeeStatusValue;

  @Column({ type: 'int', default: 5000 })
  customerCapacity: number;

  /** Active customer relations, maintained by the customers module (rebuildable). */
  @Column({ type: 'int', default: 0 })
  activeCustomerCount: number;

  /** Bumped to invalidate every session token of this employee at once. */
  @Column({ type: 'int', default: 0 })
  tokenVersion: number;

  @Column({ type: 'timestamptz', nullable: true })
  departedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
