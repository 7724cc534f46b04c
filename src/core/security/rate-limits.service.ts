import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool, QueryConfig, QueryResult } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig } from 'src/core/config/app-config';
import { sqlAccounting } from 'src/core/database/query-counter.logger';

/** The counters' table (see RateLimitEntity; created by a migration, never by the library). */
const TABLE = 'rate_limits';
/** How long an expired counter is kept before the purge deletes it. */
const PURGE_GRACE_MS = 3600_000;
/** At most one warning per minute while the store fails (a failing store fails on every attempt). */
const WARN_EVERY_MS = 60_000;

export interface LimitResult {
  allowed: boolean;
  /** Points counted in the current window, this one included (rejected attempts count too). */
  consumed: number;
  /** Milliseconds until the window ends (the counter resets). */
  msBeforeNext: number;
}

/**
 * One named limit: `points` per `durationSeconds`, per key. `consume` is one
 * atomic upsert in PostgreSQL (INSERT ... ON CONFLICT DO UPDATE ... RETURNING),
 * so concurrent callers in any number of processes never both get the last
 * point. Keys are hashed: the table holds no e-mail or IP address.
 */
export class Limiter {
  constructor(
    private readonly store: RateLimiterPostgres,
    readonly name: string,
  ) {}

  async consume(key: string, customDurationSeconds?: number): Promise<LimitResult> {
    const options = customDurationSeconds === undefined ? {} : { customDuration: customDurationSeconds };
    try {
      return toResult(await this.store.consume(hashKey(key), 1, options), true);
    } catch (e) {
      if (e instanceof RateLimiterRes) return toResult(e, false);
      throw e;
    }
  }

  /** Gives one point back (an attempt that turned out not to count). */
  async reward(key: string): Promise<void> {
    await this.store.reward(hashKey(key), 1);
  }

  /** Forgets the key's counter (e.g. consecutive failures end with a success). */
  async delete(key: string): Promise<void> {
    await this.store.delete(hashKey(key));
  }

  /** Marks the key for `seconds` (a counter set to 0 points). */
  async mark(key: string, seconds: number): Promise<void> {
    await this.store.set(hashKey(key), 0, seconds);
  }

  /** Whether the key has a live counter or mark. */
  async has(key: string): Promise<boolean> {
    return (await this.store.get(hashKey(key))) !== null;
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

function toResult(r: RateLimiterRes, allowed: boolean): LimitResult {
  return { allowed, consumed: r.consumedPoints, msBeforeNext: Math.max(0, r.msBeforeNext) };
}

/** Seconds to tell a caller that was refused (at least 1). */
export function retryAfterSeconds(r: LimitResult): number {
  return Math.max(1, Math.ceil(r.msBeforeNext / 1000));
}

/**
 * Builds limits on rate-limiter-flexible's RateLimiterPostgres, on the
 * DataSource's own pg pool: they hold across API processes and need nothing
 * but the database the product already has (no Redis).
 *
 * When the store fails (PostgreSQL overloaded or briefly gone), each limit
 * falls back to an in-memory limiter with the same points (`insuranceLimiter`):
 * limits still hold per process (at most N per process instead of N in all)
 * rather than failing every login, and the fallback is logged. Sign-in needs
 * PostgreSQL for the account anyway, so this only covers a store failing alone.
 */
@Injectable()
export class RateLimitsService {
  private readonly logger = new Logger('RateLimits');
  private readonly pool: Pool;
  private readonly client: { query(q: QueryConfig): Promise<QueryResult> };
  private lastWarning = 0;

  constructor(@Inject(DataSource) ds: DataSource, @Inject(AppConfig) config: AppConfig) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
    const preparing = config.databasePreparedStatements;
    // The library names its statements; behind a transaction-mode pooler
    // (DATABASE_PREPARED_STATEMENTS=false) they run unnamed like the rest.
    this.client = {
      query: async (q: QueryConfig) => {
        sqlAccounting.counted();
        try {
          return await this.pool.query(preparing ? q : { text: q.text, values: q.values });
        } catch (e) {
          this.warnFallback(e);
          throw e;
        }
      },
    };
  }

  create(name: string, points: number, durationSeconds: number): Limiter {
    const options = { keyPrefix: name, points, duration: durationSeconds };
    const store = new RateLimiterPostgres({
      ...options,
      storeClient: this.client,
      storeType: 'pool',
      tableName: TABLE,
      tableCreated: true,
      // Expired rows are purged by a scheduled job, not a timer in every process.
      clearExpiredByTimeout: false,
      insuranceLimiter: new RateLimiterMemory(options),
    });
    return new Limiter(store, name);
  }

  /** Deletes counters that expired more than an hour ago; returns how many. */
  async purgeExpired(): Promise<number> {
    const res = await this.pool.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now() - PURGE_GRACE_MS]);
    return res.rowCount ?? 0;
  }

  private warnFallback(e: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn({
      msg: 'rate-limit store failed; limits held in this process only until it is back',
      error: String((e as Error)?.message ?? e),
    });
  }
}
