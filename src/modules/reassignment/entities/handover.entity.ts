import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

export type TransferKindValue = 'DEPARTURE' | 'ON_JOB';
export type DistributionStrategyValue = 'SINGLE' | 'ROUND_ROBIN' | 'LEAST_LOADED';

/** One request to move an employee's customers: a departure or an on-the-job transfer. */
@Entity('handovers')
@Check('chk_handovers_kind', `"kind" IN ('DEPARTURE', 'ON_JOB')`)
@Check('chk_handovers_strategy', `"strategy" IN ('SINGLE', 'ROUND_ROBIN', 'LEAST_LOADED')`)
@Index('idx_handovers_org_id_created_at_id', ['orgId', 'createdAt', 'id'])
@Index('idx_handovers_org_id_from_employee_id', ['orgId', 'fromEmployeeId'])
export class HandoverEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_handovers' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_handovers_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 16 })
  kind: TransferKindValue;

  @Column({ type: 'uuid' })
  fromEmployeeId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_employee_id', foreignKeyConstraintName: 'fk_handovers_from_employee_id' })
  fromEmployee?: EmployeeEntity;

  /** The employee who asked; null when an API key did. */
  @Column({ type: 'uuid', nullable: true })
  requestedById: string | null;

  @Column({ type: 'uuid', nullable: true })
  requestedByApiKeyId: string | null;

  @Column({ type: 'varchar', length: 16 })
  strategy: DistributionStrategyValue;

  @Column({ type: 'uuid', array: true })
  takeoverEmployeeIds: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  message: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
