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
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

export type CustomerStageValue = 'NEW' | 'CONTACTED' | 'INTERESTED' | 'NEGOTIATING' | 'WON' | 'LOST';

@Entity('customers')
@Check('chk_customers_stage', `"stage" IN ('NEW', 'CONTACTED', 'INTERESTED', 'NEGOTIATING', 'WON', 'LOST')`)
@Index('uq_customers_org_id_external_id', ['orgId', 'externalId'], { unique: true })
// (org_id, created_at, id) INCLUDE (stage, tag_ids, active_employee_ids)
@Index('idx_customers_org_id_created_at_id', { synchronize: false })
@Index('idx_customers_org_id_updated_at_id', ['orgId', 'updatedAt', 'id'])
@Index('idx_customers_org_id_name_id', ['orgId', 'name', 'id'])
@Index('idx_customers_org_id_last_contact_at_id', ['orgId', 'lastContactAt', 'id'])
// (org_id, stage, created_at, id) INCLUDE (tag_ids, active_employee_ids): TypeORM cannot declare INCLUDE.
@Index('idx_customers_org_id_stage_created_at_id', { synchronize: false })
@Index('idx_customers_search_text_trgm', { synchronize: false })
// Phones are matched apart from search_text, only where the caller may see them (migration 1764806400000-phone-search).
@Index('idx_customers_phone_trgm', { synchronize: false })
export class CustomerEntity {
  /** Time-ordered (uuidv7, migration 1764288000000-time-ordered-ids): bulk inserts append to the key's index. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_customers', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_customers_org_id' })
  organization?: OrganizationEntity;

  /** WeChat's external_userid; unique within the organization when given. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  company: string | null;

  /** Normalized: digits with an optional leading +. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 16, default: 'NEW' })
  stage: CustomerStageValue;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastContactAt: Date | null;

  /**
   * Lower-cased name, company and the remarks of its relations: what
   * `customers(filter: {search})` matches by substring (trigram index). Never
   * the phone: it is matched apart, only for callers who may see it.
   */
  @Column({ type: 'text', default: '' })
  searchText: string;

  /**
   * The customer's tag ids, sorted: a copy of `customer_tags` kept exact by
   * triggers (see the customer-list-keys migration), read by the list filter.
   * Never written by the application.
   */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  tagIds: string[];

  /**
   * The ids of the employees with an ACTIVE relation to the customer, sorted: a
   * copy of `customer_relations` kept exact by triggers (see the
   * customer-active-employees migration), read by the list's scope check and
   * employee filters. Never written by the application, except by the bulk
   * moves that apply it themselves (`RelationsRepository.applyMoves`).
   */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  activeEmployeeIds: string[];

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
