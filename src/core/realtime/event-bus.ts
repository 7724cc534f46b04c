import { Global, Module } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';

/**
 * One event for live subscribers. Payloads carry ids, never the data: a subscriber's resolver loads what its
 * caller may see, with the caller's scope, exactly as a query would (and cross-process transports such as
 * PostgreSQL NOTIFY stay far below their size limits).
 */
export interface BusEvent<P extends object = Record<string, unknown>> {
  /** The subscription or inbox topic, for example `momentTaskAssigned`. */
  topic: string;
  organizationId: string;
  /** Employees the event is addressed to, when it has addressees (a task's employee, a notify list). */
  employeeIds?: string[];
  payload: P;
}

/**
 * Where modules raise live events and subscription resolvers listen. Publish after the transaction that made
 * the change has committed. The implementation bound here is in-process; the real-time work replaces it with
 * one that reaches every API process.
 */
export abstract class EventBus {
  abstract publish(event: BusEvent): Promise<void>;
  /** Every event of a topic in one organization, for a subscription resolver to filter and map. */
  abstract subscribe(topic: string, organizationId: string): AsyncIterableIterator<BusEvent>;
}

/** The single-process bus: enough for one API process that also runs the worker (`npm start`). */
export class InProcessEventBus extends EventBus {
  private readonly pubsub = new PubSub<Record<string, BusEvent>>();

  async publish(event: BusEvent): Promise<void> {
    await this.pubsub.publish(channelOf(event.topic, event.organizationId), event);
  }

  subscribe(topic: string, organizationId: string): AsyncIterableIterator<BusEvent> {
    return this.pubsub.asyncIterableIterator<BusEvent>(channelOf(topic, organizationId));
  }
}

function channelOf(topic: string, organizationId: string): string {
  return `${topic}:${organizationId}`;
}

@Global()
@Module({ providers: [{ provide: EventBus, useClass: InProcessEventBus }], exports: [EventBus] })
export class RealtimeModule {}
