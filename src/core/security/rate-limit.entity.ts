import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One rate-limit counter of rate-limiter-flexible's RateLimiterPostgres (the
 * library upserts `(key, points, expire)` positionally: keep this column
 * order). Not tenant data: keys are hashes of a limiter name and a client or
 * account, never the e-mail or IP itself. Expired rows are purged periodically.
 */
@Entity('rate_limits')
@Index('idx_rate_limits_expire', ['expire'])
export class RateLimitEntity {
  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'pk_rate_limits' })
  key: string;

  @Column({ type: 'integer', default: 0 })
  points: number;

  /** Epoch milliseconds at which the counter resets; null never. */
  @Column({ type: 'bigint', nullable: true })
  expire: string | null;
}
