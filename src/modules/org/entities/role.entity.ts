import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrganizationEntity } from './organization.entity';

export type DataScopeValue = 'ORGANIZATION' | 'DEPARTMENT' | 'SELF';

/** A role of one organization: the five built-in ones and any custom roles. */
@Entity('roles')
@Check('chk_roles_data_scope', `"data_scope" IN ('ORGANIZATION', 'DEPARTMENT', 'SELF')`)
@Index('uq_roles_org_id_name', ['orgId', 'name'], { unique: true })
export class RoleEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_roles' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_roles_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 16 })
  dataScope: DataScopeValue;

  @Column({ type: 'boolean', default: false })
  builtin: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
