import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { ChatKeywordRuleEntity } from './chat-keyword-rule.entity';

/**
 * An alert: a rule matched a message, once per (rule, message). Written in the
 * ingest transaction. The message is found by (`messageId`, `messageSentAt`)
 * (no foreign key: messages are partitioned and retention drops partitions);
 * `employeeId` is the conversation's employee, whose data scope governs who
 * sees the alert. The workflow records who acknowledged and resolved, and when.
 */
@Entity('chat_audit_alerts')
@Check('chk_chat_audit_alerts_status', `"status" IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')`)
@Index('uq_chat_audit_alerts_org_id_rule_id_message_id', ['orgId', 'ruleId', 'messageId'], { unique: true })
@Index('idx_chat_audit_alerts_org_id_created_at_id', ['orgId', 'createdAt', 'id'])
@Index('idx_chat_audit_alerts_org_id_message_id', ['orgId', 'messageId'])
@Index('idx_chat_audit_alerts_org_id_message_sent_at', ['orgId', 'messageSentAt'])
export class ChatAuditAlertEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_chat_audit_alerts', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_audit_alerts_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  ruleId: string;

  @ManyToOne(() => ChatKeywordRuleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id', foreignKeyConstraintName: 'fk_chat_audit_alerts_rule_id' })
  rule?: ChatKeywordRuleEntity;

  @Column({ type: 'uuid' })
  messageId: string;

  @Column({ type: 'timestamptz', precision: 3 })
  messageSentAt: Date;

  @Column({ type: 'uuid' })
  conversationId: string;

  @Column({ type: 'uuid' })
  employeeId: string;

  @Column({ type: 'text', array: true })
  matched: string[];

  @Column({ type: 'varchar', length: 8 })
  severity: string;

  @Column({ type: 'varchar', length: 16, default: 'OPEN' })
  status: string;

  @Column({ type: 'uuid', nullable: true })
  acknowledgedById: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedById: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  acknowledgedNote: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  resolvedNote: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
