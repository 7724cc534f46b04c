import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/**
 * The version of an organization's keyword rules, bumped in the transaction of
 * every rule change: each process rebuilds its automaton when it moved, checked
 * once per ingest batch.
 */
@Entity('chat_keyword_rule_versions')
export class ChatKeywordRuleVersionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_chat_keyword_rule_versions' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_keyword_rule_versions_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'bigint', default: 0 })
  version: string;
}
