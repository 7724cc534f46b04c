import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Casbin policy storage. Built-in role permissions are shared across
 * organizations and live in code (see builtin-policies); this table holds the
 * tenant part: role assignments (`g, <subject>, <role>, <orgId>`) and custom
 * role permissions (`p, <role>, <orgId>, <object>, <action>`). The organization
 * is the Casbin domain (v2 for g rows, v1 for p rows).
 */
@Entity('casbin_rules')
@Index('idx_casbin_rules_ptype_v2_v0', ['ptype', 'v2', 'v0'])
@Index('idx_casbin_rules_ptype_v1_v0', ['ptype', 'v1', 'v0'])
export class CasbinRuleEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'pk_casbin_rules' })
  id: string;

  @Column({ type: 'varchar', length: 8 })
  ptype: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  v0: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  v1: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  v2: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  v3: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  v4: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  v5: string;
}
