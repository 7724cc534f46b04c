import { DynamicModule, Global, Module } from '@nestjs/common';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { AppConfig } from './app-config';

/** Provides the validated AppConfig and the resolved database connection to every module. */
@Global()
@Module({})
export class CoreConfigModule {
  static forRoot(config: AppConfig, db: DatabaseConnectionInfo): DynamicModule {
    return {
      module: CoreConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: DatabaseConnectionInfo, useValue: db },
      ],
      exports: [AppConfig, DatabaseConnectionInfo],
    };
  }
}
