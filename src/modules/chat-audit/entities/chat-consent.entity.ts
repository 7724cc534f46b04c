import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CustomerEntity } from 'src/modules/customers/entities/customer.entity';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

export type ConsentStatusValue = 'AGREED' | 'DISAGREED' | 'UNKNOWN';

/**
 * A customer's consent to archiving, as it changed: from `recordConsent`
 * (source API) or from an AGREE/DISAGREE message (source MESSAGE). With
 * `employeeId` it is about the conversations with that employee only. The
 * effective consent at a time is the latest change at or before it among the
 * customer's organization-wide rows and those for the employee.
 */
@Entity('chat_consents')
@Check('chk_chat_consents_status', `"status" IN ('AGREED', 'DISAGREED', 'UNKNOWN')`)
@Check('chk_chat_consents_source', `"source" IN ('API', 'MESSAGE')`)
@Index('idx_chat_consents_org_id_customer_id_changed_at', ['orgId', 'customerId', 'changedAt'])
export class ChatConsentEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_chat_consents', default: () => 'uuidv7()' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_consents_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  customerId: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_chat_consents_customer_id' })
  customer?: CustomerEntity;

  @Column({ type: 'uuid', nullable: true })
  employeeId: string | null;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_chat_consents_employee_id' })
  employee?: EmployeeEntity;

  @Column({ type: 'varchar', length: 16 })
  status: ConsentStatusValue;

  @Column({ type: 'varchar', length: 16 })
  source: 'API' | 'MESSAGE';

  @Column({ type: 'timestamptz', precision: 3 })
  changedAt: Date;

  /** The employee who recorded it through the API; null for a message or an API key. */
  @Column({ type: 'uuid', nullable: true })
  recordedById: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
