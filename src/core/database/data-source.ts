import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { POOL_TYPES } from './pg-types';
import { POOL_DEFAULTS } from './pool-defaults';
import { QueryCounterLogger, SLOW_QUERY_MS } from './query-counter.logger';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceParts {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /**
   * Seconds an unused pooled connection stays open (0: kept); default
   * POOL_DEFAULTS.idleSeconds (AppConfig.databasePoolIdleSeconds).
   */
  poolIdleSeconds?: number;
  applicationName?: string;
  /**
   * PostgreSQL's max_parallel_workers_per_gather for the pool's sessions. 0 (the
   * default): request queries are small and many run at once, and a parallel
   * plan then only adds worker start-up and contention (measured in
   * bench/RESULTS.md); a maintenance command may raise it.
   */
  parallelWorkersPerGather?: number;
  /**
   * PostgreSQL's statement_timeout for the pool's sessions, in milliseconds
   * (0: none). Default 60 s, so a stuck query cannot hold a connection forever;
   * migrations run without one (a backfill of a large table takes minutes).
   */
  statementTimeoutMs?: number;
  /** Seconds to open a connection or wait for a pooled one; default POOL_DEFAULTS.connectTimeoutSeconds. */
  connectTimeoutSeconds?: number;
}

/** The one place that builds a TypeORM DataSource. Migrations only: never synchronize. */
export function buildDataSource(parts: DataSourceParts): DataSource {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: parts.url,
    entities: parts.entities,
    migrations: parts.migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    uuidExtension: 'pgcrypto',
    logger: new QueryCounterLogger(),
    maxQueryExecutionTime: SLOW_QUERY_MS,
    extra: {
      max: parts.poolSize ?? POOL_DEFAULTS.size,
      idleTimeoutMillis: (parts.poolIdleSeconds ?? POOL_DEFAULTS.idleSeconds) * 1000,
      application_name: parts.applicationName ?? 'wecrm',
      statement_timeout: parts.statementTimeoutMs ?? 60_000,
      connectionTimeoutMillis: (parts.connectTimeoutSeconds ?? POOL_DEFAULTS.connectTimeoutSeconds) * 1000,
      keepAlive: true,
      keepAliveInitialDelayMillis: POOL_DEFAULTS.keepAliveDelayMs,
      options: `-c max_parallel_workers_per_gather=${parts.parallelWorkersPerGather ?? 0}`,
      types: POOL_TYPES,
    },
  };
  return new DataSource(options);
}
