import {
  BusEvent,
  encodeEvent,
  EventTooLargeError,
  InProcessEventBus,
  MAX_EVENT_BYTES,
  SlowConsumerError,
} from './event-bus';

const ORG = '6f1c2d0e-0000-4000-8000-000000000001';
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('encodeEvent', () => {
  it('keeps an event of ids in one message below the NOTIFY limit', () => {
    const [m, ...rest] = encodeEvent({
      topic: 't',
      organizationId: ORG,
      employeeIds: [uuid(1)],
      payload: { momentId: uuid(2) },
    });
    expect(rest).toEqual([]);
    expect(JSON.parse(m)).toEqual({
      topic: 't',
      organizationId: ORG,
      employeeIds: [uuid(1)],
      payload: { momentId: uuid(2) },
    });
  });

  it('splits a long addressee list into messages that each fit and together name everyone once', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuid(i));
    const messages = encodeEvent({ topic: 't', organizationId: ORG, employeeIds: ids, payload: { id: 'x' } });
    expect(messages.length).toBeGreaterThan(20);
    expect(messages.every((m) => Buffer.byteLength(m) <= MAX_EVENT_BYTES)).toBe(true);
    expect(messages.flatMap((m) => (JSON.parse(m) as BusEvent).employeeIds)).toEqual(ids);
  });

  it('refuses a payload that carries data instead of ids, and a malformed event', () => {
    expect(() =>
      encodeEvent({ topic: 't', organizationId: ORG, payload: { text: 'x'.repeat(MAX_EVENT_BYTES) } }),
    ).toThrow(EventTooLargeError);
    expect(() =>
      encodeEvent({
        topic: 't',
        organizationId: ORG,
        employeeIds: [uuid(1)],
        payload: { text: 'x'.repeat(MAX_EVENT_BYTES) },
      }),
    ).toThrow(EventTooLargeError);
    expect(() => encodeEvent({ topic: '', organizationId: ORG, payload: {} })).toThrow(TypeError);
  });
});

describe('subscriber queues', () => {
  it('deliver by topic and organization, and fail a reader that falls more than the bound behind', async () => {
    const bus = new InProcessEventBus(3);
    const mine = bus.subscribe('t', ORG);
    const other = bus.subscribe('t', uuid(9));
    for (let i = 0; i < 3; i++) await bus.publish({ topic: 't', organizationId: ORG, payload: { i } });
    expect((await mine.next()).value.payload).toEqual({ i: 0 });
    // One taken, three waiting: at the bound. The next one overflows.
    await bus.publish({ topic: 't', organizationId: ORG, payload: { i: 3 } });
    await bus.publish({ topic: 't', organizationId: ORG, payload: { i: 4 } });
    await expect(mine.next()).rejects.toBeInstanceOf(SlowConsumerError);
    expect(await mine.next()).toEqual({ value: undefined, done: true });
    await other.return!();
    expect(bus.subscriberCount()).toBe(0);
  });

  it('end a waiting reader at once on return (an unsubscribe from a quiet topic)', async () => {
    const bus = new InProcessEventBus(3);
    const it = bus.subscribe('t', ORG);
    const waiting = it.next();
    await it.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(bus.subscriberCount()).toBe(0);
  });
});
