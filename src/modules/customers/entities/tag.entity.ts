import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';
import { CustomerEntity } from './customer.entity';

@Entity('tag_groups')
@Index('uq_tag_groups_org_id_name', ['orgId', 'name'], { unique: true })
export class TagGroupEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_tag_groups' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_tag_groups_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

@Entity('tags')
@Index('uq_tags_org_id_group_id_name', ['orgId', 'groupId', 'name'], { unique: true })
export class TagEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_tags' })
  id: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_tags_org_id' })
  organization?: OrganizationEntity;

  @Column({ type: 'uuid' })
  groupId: string;

  @ManyToOne(() => TagGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_tags_group_id' })
  group?: TagGroupEntity;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

@Entity('customer_tags')
@Index('idx_customer_tags_org_id_tag_id_customer_id', ['orgId', 'tagId', 'customerId'])
export class CustomerTagEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_customer_tags' })
  customerId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_customer_tags' })
  tagId: string;

  @Column({ type: 'uuid' })
  orgId: string;

  @ManyToOne(() => CustomerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_tags_customer_id' })
  customer?: CustomerEntity;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id', foreignKeyConstraintName: 'fk_customer_tags_tag_id' })
  tag?: TagEntity;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
