import { Logger } from '@nestjs/common';

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
 * the change has committed. Events reach the subscribers of every process (API or worker) that shares the
 * database (PostgreSQL LISTEN/NOTIFY) or, with REDIS_URL, the Redis (pub/sub). Delivery is at most once:
 * an event raised while a process's listening connection is down is lost for it, so clients re-read with a
 * query after reconnecting (live events announce changes; queries are the record).
 */
export abstract class EventBus {
  /** Rejects an event whose payload (ids only) exceeds MAX_EVENT_BYTES; a long addressee list is split. */
  abstract publish(event: BusEvent): Promise<void>;
  /**
   * Every event of a topic in one organization, for a subscription resolver to filter and map. At most
   * SUBSCRIPTIONS_MAX_QUEUED_EVENTS wait unconsumed; past that the iterator fails with SlowConsumerError.
   */
  abstract subscribe(topic: string, organizationId: string): AsyncIterableIterator<BusEvent>;
}

/**
 * The largest encoded event: below PostgreSQL NOTIFY's 8,000-byte payload limit (with room for the
 * channel name), and the same on Redis so that an event accepted by one backend is accepted by the other.
 */
export const MAX_EVENT_BYTES = 7_500;

/** An event refused at publish: its payload is too large to carry (payloads carry ids, not data). */
export class EventTooLargeError extends Error {
  constructor(topic: string, bytes: number) {
    super(`event ${topic} is ${bytes} bytes encoded, more than ${MAX_EVENT_BYTES}: carry ids, not data`);
    this.name = 'EventTooLargeError';
  }
}

/** Raised by a subscription's iterator whose consumer fell SUBSCRIPTIONS_MAX_QUEUED_EVENTS behind (events dropped). */
export class SlowConsumerError extends Error {
  constructor(readonly maxQueued: number) {
    super(`events arrived faster than they were consumed (more than ${maxQueued} waiting); later events were dropped`);
    this.name = 'SlowConsumerError';
  }
}

/**
 * The encoded messages of one event: one, or several when its addressee list makes it too large (each
 * carries part of the list). Throws EventTooLargeError when even one addressee does not fit, and a TypeError
 * for an event that is not shaped like a BusEvent (a programming error in the publisher).
 */
export function encodeEvent(event: BusEvent): string[] {
  if (
    typeof event.topic !== 'string' ||
    !event.topic ||
    typeof event.organizationId !== 'string' ||
    !event.organizationId
  ) {
    throw new TypeError('a bus event needs a topic and an organizationId');
  }
  if (typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload)) {
    throw new TypeError(`event ${event.topic}: the payload must be an object of ids`);
  }
  const ids = event.employeeIds;
  const encoded = JSON.stringify({
    topic: event.topic,
    organizationId: event.organizationId,
    employeeIds: ids,
    payload: event.payload,
  });
  const bytes = Buffer.byteLength(encoded);
  if (bytes <= MAX_EVENT_BYTES) return [encoded];
  if (!ids || ids.length < 2) throw new EventTooLargeError(event.topic, bytes);
  const half = Math.ceil(ids.length / 2);
  return [
    ...encodeEvent({ ...event, employeeIds: ids.slice(0, half) }),
    ...encodeEvent({ ...event, employeeIds: ids.slice(half) }),
  ];
}

/** Parses a message from a transport; null (logged by the caller) when it is not a bus event. */
export function decodeEvent(raw: string): BusEvent | null {
  try {
    const e = JSON.parse(raw) as BusEvent;
    if (
      typeof e?.topic !== 'string' ||
      typeof e.organizationId !== 'string' ||
      typeof e.payload !== 'object' ||
      !e.payload
    )
      return null;
    if (e.employeeIds !== undefined && !Array.isArray(e.employeeIds)) return null;
    return e;
  } catch {
    return null;
  }
}

/**
 * One subscriber's bounded queue of events not yet consumed. It never holds more than `maxQueued`: past
 * that it empties, and its next read fails with SlowConsumerError (the socket server then closes the
 * socket with a code that says so) instead of growing without bound.
 */
class EventQueue implements AsyncIterableIterator<BusEvent> {
  private readonly items: BusEvent[] = [];
  private waiter: { resolve(r: IteratorResult<BusEvent>): void; reject(e: unknown): void } | null = null;
  private failure: Error | null = null;
  private done = false;

  constructor(
    private readonly maxQueued: number,
    private readonly onEnd: () => void,
  ) {}

  push(e: BusEvent): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      return w.resolve({ value: e, done: false });
    }
    if (this.items.length < this.maxQueued) {
      this.items.push(e);
      return;
    }
    this.items.length = 0;
    this.failure = new SlowConsumerError(this.maxQueued);
    this.finish();
  }

  next(): Promise<IteratorResult<BusEvent>> {
    const item = this.items.shift();
    if (item) return Promise.resolve({ value: item, done: false });
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      return Promise.reject(f);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<BusEvent>> {
    this.items.length = 0;
    this.failure = null;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<BusEvent>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<BusEvent> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onEnd();
    const w = this.waiter;
    this.waiter = null;
    if (!w) return;
    if (this.failure) {
      const f = this.failure;
      this.failure = null;
      w.reject(f);
    } else w.resolve({ value: undefined, done: true });
  }
}

/**
 * The part every transport shares: subscribers of this process by (topic, organization), each with its
 * bounded queue, and the local delivery of what the transport received. A transport never delivers
 * locally on publish: its own message comes back from the datastore like everyone else's, so each
 * process sees each event exactly once.
 */
export abstract class DispatchingEventBus extends EventBus {
  protected readonly logger = new Logger('EventBus');
  private readonly channels = new Map<string, Set<EventQueue>>();

  constructor(private readonly maxQueued: number) {
    super();
  }

  /** Sends one encoded message to every process (this one included). */
  protected abstract send(message: string): Promise<void>;

  async publish(event: BusEvent): Promise<void> {
    for (const message of encodeEvent(event)) await this.send(message);
  }

  subscribe(topic: string, organizationId: string): AsyncIterableIterator<BusEvent> {
    const key = channelOf(topic, organizationId);
    let subs = this.channels.get(key);
    if (!subs) this.channels.set(key, (subs = new Set()));
    const set = subs;
    const q = new EventQueue(this.maxQueued, () => {
      set.delete(q);
      if (!set.size && this.channels.get(key) === set) this.channels.delete(key);
    });
    set.add(q);
    return q;
  }

  /** Subscribers of this process (for tests and the log). */
  subscriberCount(): number {
    let n = 0;
    for (const s of this.channels.values()) n += s.size;
    return n;
  }

  /** A message the transport received. */
  protected receive(raw: string): void {
    const e = decodeEvent(raw);
    if (!e) {
      this.logger.warn({ msg: 'ignored a message that is not a bus event', bytes: raw.length });
      return;
    }
    const subs = this.channels.get(channelOf(e.topic, e.organizationId));
    if (subs) for (const q of [...subs]) q.push(e);
  }
}

/** The single-process bus (unit tests): a message is received as it is sent. */
export class InProcessEventBus extends DispatchingEventBus {
  constructor(maxQueued = 100) {
    super(maxQueued);
  }

  protected async send(message: string): Promise<void> {
    this.receive(message);
  }
}

function channelOf(topic: string, organizationId: string): string {
  return `${topic}:${organizationId}`;
}
