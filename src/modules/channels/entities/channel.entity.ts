import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { EmployeeEntity } from 'src/modules/org/entities/employee.entity';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { TagEntity } from 'src/modules/customers/entities/tag.entity';

/**
 * A WeCom "contact me" channel: a named QR code whose `state` attributes the
 * customers it brings, served by a set of employees, tagging new relations
 * automatically and greeting with a welcome message.
 */
@Entity('channels')
@Index('uq_channels_org_id_state', ['orgId', 'state'], { unique: true })
@Index('uq_channels_org_id_name', ['orgId', 'name'], { unique: true })
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_channels' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_channels_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  state: string;

  @Column({ type: 'text', nullable: true })
  welcomeMessage: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  archivedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

@Entity('channel_employees')
@Index('idx_channel_employees_org_id_employee_id', ['orgId', 'employeeId'])
export class ChannelEmployeeEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_channel_employees' })
  channelId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_channel_employees' })
  employeeId: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => ChannelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'fk_channel_employees_channel_id' })
  channel?: ChannelEntity;

  @ManyToOne(() => EmployeeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'fk_channel_employees_employee_id' })
  employee?: EmployeeEntity;
}

@Entity('channel_tags')
export class ChannelTagEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_channel_tags' })
  channelId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_channel_tags' })
  tagId: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => ChannelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'fk_channel_tags_channel_id' })
  channel?: ChannelEntity;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id', foreignKeyConstraintName: 'fk_channel_tags_tag_id' })
  tag?: TagEntity;
}
