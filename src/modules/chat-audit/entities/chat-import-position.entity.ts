import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from 'src/modules/org/entities/organization.entity';

/**
 * Where an archive import stands, per (organization, source): WeCom pulls its
 * chat archive by sequence number, so `lastSeq` is the highest seq stored;
 * `file`, `fileOffset` and `lines` are how far the last file was read (bytes
 * and lines through the last complete batch). Written in the transaction of
 * every batch, so a crash resumes exactly where the stored messages end.
 */
@Entity('chat_import_positions')
export class ChatImportPositionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_chat_import_positions' })
  orgId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'fk_chat_import_positions_org_id' })
  organization?: OrganizationEntity;

  @PrimaryColumn({ type: 'varchar', length: 200, primaryKeyConstraintName: 'pk_chat_import_positions' })
  source: string;

  @Column({ type: 'bigint', nullable: true })
  lastSeq: string | null;

  @Column({ type: 'varchar', length: 1000 })
  file: string;

  @Column({ type: 'bigint', default: 0 })
  fileOffset: string;

  @Column({ type: 'bigint', default: 0 })
  lines: string;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
