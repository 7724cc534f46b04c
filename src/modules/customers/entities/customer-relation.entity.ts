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
import { CustomerEntity } from './customer.entity';

export type RelationStatusValue = 'ACTIVE' | 'DELETED_BY_CUSTOMER' | 'DELETED_BY_EMPLOYEE' | 'TRANSFERRED_AWAY';
export type AddWayValue = 'QR_CODE' | 'PHONE_SEARCH' | 'SHARED_CARD' | 'GROUP_CHAT' | 'IMPORT' | 'TRANSFER' | 'OTHER';

/** One employee's connection with one customer (WeCom's "follow user"); ended ones are kept. */
@Entity('customer_relations')
@Check(
  'chk_customer_relations_status',
  `"status" IN ('ACTIVE', 'DELETED_BY_CUSTOMER', 'DELETED_BY_EMPLOYEE', 'TRANSFERRED_AWAY')`,
)
@Check(
  'chk_customer_relations_add_way',
  `"add_way" IN ('QR_CODE', 'PHONE_SEARCH', 'SHARED_CARD', 'GROUP_CHAT', 'IMPORT', 'TRANSFER', 'OTHER')`,
)
@Index('uq_customer_relations_active', ['orgId', 'employeeId', 'customerId'], {
  unique: true,
  where: `"status" = 'ACTIVE'`,
})
@Index('idx_customer_relations_org_id_customer_id', ['orgId', 'customerId'])
@Index('idx_customer_relations_lost', ['orgId', 'endedAt', 'id'], { where: `"status" = 'DELETED_BY_CUSTOMER'` })
@Index('idx_customer_relations_org_id_employee_id_status', ['orgId', 'employeeId', 'status', 'customerId'])
@Index('idx_customer_relations_org_id_state_added_at', ['orgId', 'state', 'addedAt'])
@Index('idx_customer_relations_active_customer', ['orgId', 'customerId', 'employeeId'], {
  where: `"status" = 'ACTIVE'`,
})
@Index('idx_customer_relations_active_keyset', ['orgId', 'employeeId', 'customerCreatedAt', 'customerId'], {
  where: `"status" = 'ACTIVE'`,
})
export class CustomerRelationEntity {
  /** Time-ordered (uuidv7, migration 1764288000000-time-ordered-ids): bulk inserts append to the key's index. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_customer_relations', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_customer_relations_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_relations_customer_id' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid' })
  employeeId: string;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_customer_relations_employee_id' })
  employee?: EmployeeEntity;

  @Column({ type: 'varchar', length: 24, default: 'ACTIVE' })
  status: RelationStatusValue;

  @Column({ type: 'varchar', length: 16 })
  addWay: AddWayValue;

  /** Channel attribution code (a contact-way QR code's state). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  state: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  remark: string | null;

  @Column({ type: 'timestamptz', precision: 3 })
  addedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;

  /**
   * The customer's `created_at` (immutable), copied so a rep's list sorts on
   * this table's keyset index. Filled by a trigger when an insert leaves it out.
   */
  @Column({ type: 'timestamptz', precision: 3 })
  customerCreatedAt: Date;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
