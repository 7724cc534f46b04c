import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/**
 * A keyword rule (DOMAIN.md "Chat audit"): keywords matched as case-insensitive
 * substrings, semantic detectors, the sender types and departments (with
 * sub-departments; none: everyone) it applies to, and who is notified. Read and
 * written whole. `deletedAt` marks a deleted rule: its alerts keep naming it.
 */
@Entity('chat_keyword_rules')
@Check('chk_chat_keyword_rules_severity', `"severity" IN ('LOW', 'MEDIUM', 'HIGH')`)
@Index('idx_chat_keyword_rules_org_id_created_at_id', ['orgId', 'createdAt', 'id'])
export class ChatKeywordRuleEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_chat_keyword_rules', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_keyword_rules_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  keywords: string[];

  @Column({ type: 'varchar', length: 16, array: true, default: () => `'{}'` })
  semantics: string[];

  @Column({ type: 'varchar', length: 16, array: true })
  appliesTo: string[];

  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  departmentIds: string[];

  @Column({ type: 'varchar', length: 8 })
  severity: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  notifyEmployeeIds: string[];

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;
}
