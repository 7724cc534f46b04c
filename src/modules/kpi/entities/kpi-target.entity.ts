import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/**
 * A monthly KPI target (issue 20) of one employee or one department: each metric optional (null: no target
 * for it); a row with none is deleted. `month` is the first day of the month; one row per subject and month.
 * Who set it last and when are kept (the row is the audit of its latest value).
 */
@Entity('kpi_targets')
@Check('chk_kpi_targets_subject_kind', `"subject_kind" IN ('EMPLOYEE', 'DEPARTMENT')`)
@Check('chk_kpi_targets_month', `date_trunc('month', "month") = "month"`)
@Index('uq_kpi_targets_org_id_month_subject', ['orgId', 'month', 'subjectKind', 'subjectId'], { unique: true })
export class KpiTargetEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_kpi_targets', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_kpi_targets_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'date' })
  month: string;

  @Column({ type: 'varchar', length: 10 })
  subjectKind: string;

  /** The employee's or the department's id (the org module owns both; no foreign key across modules). */
  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'integer', nullable: true })
  newCustomers: number | null;

  @Column({ type: 'double precision', nullable: true })
  replyRate: number | null;

  @Column({ type: 'double precision', nullable: true })
  avgFirstResponseSeconds: number | null;

  @Column({ type: 'double precision', nullable: true })
  momentCompletionRate: number | null;

  /** The employee who set the current values (null: an API key). */
  @Column({ type: 'uuid', nullable: true })
  setById: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
