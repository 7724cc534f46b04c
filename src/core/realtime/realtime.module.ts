import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';
import { EVENT_BUS_PROVIDER } from './event-bus.provider';
import { SubscriptionServer } from './subscription-server';

/**
 * Live events: the EventBus (Redis pub/sub with REDIS_URL, PostgreSQL LISTEN/NOTIFY otherwise) and the
 * graphql-ws server that bootstrap attaches to the API's HTTP server.
 */
@Global()
@Module({
  providers: [EVENT_BUS_PROVIDER, SubscriptionServer],
  exports: [EventBus, SubscriptionServer],
})
export class RealtimeModule {}
