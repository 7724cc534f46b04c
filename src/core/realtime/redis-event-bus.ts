import { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { describeError, describeUrl, StartError } from 'src/core/errors/start-error';
import { DispatchingEventBus } from './event-bus';

/**
 * The bus on Redis (REDIS_URL set): PUBLISH on one channel per deployment (QUEUE_PREFIX) and one
 * subscriber connection per process. ioredis reconnects and subscribes again by itself after a loss
 * (events raised meanwhile are lost for this process); a publish fails after a few retries rather
 * than wait for a Redis that is down.
 */
export class RedisEventBus extends DispatchingEventBus implements OnModuleInit, OnApplicationShutdown {
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private lastError: Error | undefined;
  private starting = true;

  constructor(
    private readonly url: string,
    prefix: string,
    maxQueued: number,
  ) {
    super(maxQueued);
    this.channel = `${prefix}:events`;
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: 'events-publish' });
    this.subscriber = new Redis(url, { lazyConnect: true, connectionName: 'events-subscribe' });
    // ioredis retries without end while Redis is down: one warning per outage, the cause kept for the start error.
    let down = false;
    const onError = (e: Error) => {
      this.lastError = e;
      if (down || this.starting) return;
      down = true;
      this.logger.warn({ msg: 'live events: Redis connection lost; reconnecting', error: describeError(e) });
    };
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    this.subscriber.on('ready', () => (down = false));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
  }

  async onModuleInit(): Promise<void> {
    try {
      await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
      await this.subscriber.subscribe(this.channel);
    } catch (e) {
      throw new StartError(
        `cannot connect to Redis at REDIS_URL (${describeUrl(this.url)}): ${describeError(this.lastError ?? e)}. ` +
          'Start Redis or fix REDIS_URL, or unset it to keep the jobs and live events in PostgreSQL',
        'REDIS_URL',
      );
    } finally {
      this.starting = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const c of [this.subscriber, this.publisher]) {
      if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
      else c.disconnect();
    }
  }

  protected async send(message: string): Promise<void> {
    await this.publisher.publish(this.channel, message);
  }
}
