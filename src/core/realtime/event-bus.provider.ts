import { FactoryProvider } from '@nestjs/common';
import { AppConfig } from 'src/core/config/app-config';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { EventBus } from './event-bus';
import { PostgresEventBus } from './postgres-event-bus';
import { RedisEventBus } from './redis-event-bus';

/**
 * The EventBus of a process (the API's and worker's RealtimeModule, the import-chat command): Redis pub/sub with
 * REDIS_URL, PostgreSQL LISTEN/NOTIFY on the same database otherwise, so events reach every API process.
 */
export const EVENT_BUS_PROVIDER: FactoryProvider<EventBus> = {
  provide: EventBus,
  inject: [AppConfig, DatabaseConnectionInfo],
  useFactory: (config: AppConfig, db: DatabaseConnectionInfo): EventBus =>
    config.redisUrl
      ? new RedisEventBus(config.redisUrl, config.queuePrefix, config.subscriptionsMaxQueuedEvents)
      : new PostgresEventBus(db.url, config.queuePrefix, config.subscriptionsMaxQueuedEvents),
};
