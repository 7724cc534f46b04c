import { Global, Module } from '@nestjs/common';
import { AppConfig } from 'src/core/config/app-config';
import { DataSource } from 'typeorm';
import { ConnectionLeases, PostgresConnectionLeases, RedisConnectionLeases } from './connection-leases';
import { EventBus } from './event-bus';
import { EVENT_BUS_PROVIDER } from './event-bus.provider';
import { SubscriptionServer } from './subscription-server';

/**
 * Live events: the EventBus (Redis pub/sub with REDIS_URL, PostgreSQL LISTEN/NOTIFY otherwise), the
 * graphql-ws server that bootstrap attaches to the API's HTTP server, and its sockets' leases (same backends).
 */
@Global()
@Module({
  providers: [
    EVENT_BUS_PROVIDER,
    {
      provide: ConnectionLeases,
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, db: DataSource): ConnectionLeases =>
        config.redisUrl
          ? new RedisConnectionLeases(config.redisUrl, config.queuePrefix, config.subscriptionsLeaseSeconds * 1000)
          : new PostgresConnectionLeases(db, config.subscriptionsLeaseSeconds * 1000),
    },
    SubscriptionServer,
  ],
  exports: [EventBus, SubscriptionServer, ConnectionLeases],
})
export class RealtimeModule {}
