/**
 * The database pool's defaults: what AppConfig offers (DATABASE_POOL_SIZE,
 * DATABASE_POOL_IDLE_SECONDS) and what buildDataSource uses when a caller
 * without a configuration (migrations, tests, the benchmark's tools) gives none.
 */
export const POOL_DEFAULTS = {
  size: 20,
  /**
   * An unused connection stays open this long: pg's own 10 s
   * closed connections between bursts (README "Configuration").
   */
  idleSeconds: 600,
  /**
   * Opening a connection, and waiting for a free one of the pool, fails after
   * this long: while PostgreSQL is down or unreachable, requests fail fast
   * instead of hanging (AppConfig.databaseConnectTimeoutSeconds).
   */
  connectTimeoutSeconds: 5,
  /** TCP keepalive on every connection, so that a peer gone without a word (host down, network cut) is noticed. */
  keepAliveDelayMs: 10_000,
} as const;
