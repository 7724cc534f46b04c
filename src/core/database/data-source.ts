import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { QueryCounterLogger } from './query-counter.logger';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceParts {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
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
    maxQueryExecutionTime: 1000,
    extra: {
      max: parts.poolSize ?? 20,
      application_name: parts.applicationName ?? 'wecrm',
      // Keeps a stuck query from holding a connection forever.
      statement_timeout: 60_000,
    },
  };
  return new DataSource(options);
}
