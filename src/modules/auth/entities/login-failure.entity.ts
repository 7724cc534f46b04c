import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One failed login. Not tenant data: a failure may name an organization that does
 * not exist. Rows older than the rate-limit window are purged periodically.
 */
@Entity('login_failures')
@Index('idx_login_failures_account_key_created_at', ['accountKey', 'createdAt'])
@Index('idx_login_failures_ip_created_at', ['ip', 'createdAt'])
export class LoginFailureEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'pk_login_failures' })
  id: string;

  /** `<slug>|<email>`, lower-cased. */
  @Column({ type: 'varchar', length: 300 })
  accountKey: string;

  @Column({ type: 'varchar', length: 64 })
  ip: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
