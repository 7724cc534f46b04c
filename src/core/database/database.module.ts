import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { closed, trackPoolClients } from './pool-clients';
import { DatabaseConnectionInfo } from './database-connection';
import { AppConfig } from 'src/core/config/app-config';
import { SqlReader } from './sql-reader';
import { UnitOfWork } from './unit-of-work';
import { buildDataSource, DataSourceParts } from './data-source';

/**
 * Provides the initialised TypeORM DataSource. Only repositories inject it;
 * services and resolvers never touch TypeORM.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(parts: Omit<DataSourceParts, 'url'>): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        UnitOfWork,
        SqlReader,
        {
          provide: DataSource,
          inject: [DatabaseConnectionInfo, AppConfig],
          useFactory: async (db: DatabaseConnectionInfo, config: AppConfig) => {
            const ds = buildDataSource({
              ...parts,
              url: db.url,
              poolSize: config.databasePoolSize,
              poolIdleSeconds: config.databasePoolIdleSeconds,
              connectTimeoutSeconds: config.databaseConnectTimeoutSeconds,
            });
            await ds.initialize();
            trackPoolClients((ds.driver as PostgresDriver).master as Pool);
            return ds;
          },
        },
      ],
      exports: [DataSource, UnitOfWork, SqlReader],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
      await this.dataSource.destroy();
      await closed(pool); // every session ended before an embedded server is stopped
      this.logger.log('database pool closed');
    }
  }

  /** For a stop that ran out of time: the pool's connections still open. */
  unfinished(): string[] {
    const pool = (this.dataSource.driver as PostgresDriver | undefined)?.master as Pool | undefined;
    const open = pool?.totalCount ?? 0;
    return open ? [`${open} database connection(s) not closed cleanly (${open - (pool?.idleCount ?? 0)} in use)`] : [];
  }
}
