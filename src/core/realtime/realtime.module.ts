import { Global, Module } from '@nestjs/common';
import { AppConfig } from 'src/core/config/app-config';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { EventBus } from './event-bus';
import { PostgresEventBus } from './postgres-event-bus';
import { RedisEventBus } from './redis-event-bus';
import { SubscriptionServer } from './subscription-server';

/**
 * Live events: the EventBus (Redis pub/sub with REDIS_URL, PostgreSQL LISTEN/NOTIFY otherwise) and the
 * graphql-ws server that bootstrap attaches to the API's HTTP server.
 */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [AppConfig, DatabaseConnectionInfo],
      useFactory: (config: AppConfig, db: DatabaseConnectionInfo): EventBus =>
        config.redisUrl
          ? new RedisEventBus(config.redisUrl, config.queuePrefix, config.subscriptionsMaxQueuedEvents)
          : new PostgresEventBus(db.url, config.queuePrefix, config.subscriptionsMaxQueuedEvents),
    },
    SubscriptionServer,
  ],
  exports: [EventBus, SubscriptionServer],
})
export class RealtimeModule {}
