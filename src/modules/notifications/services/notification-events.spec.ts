import { InProcessEventBus } from 'src/core/realtime/event-bus';
import { ADDRESSEES_PER_EVENT, addressedTo, announcements, filterMap, NOTIFICATION_ADDED } from './notification-events';

const ids = (n: number, p = 'e') => Array.from({ length: n }, (_, i) => `${p}${i}`);

describe('notification events', () => {
  it('announces one event per organization and event key, its addressees in chunks small enough for NOTIFY', () => {
    const added = [
      ...ids(ADDRESSEES_PER_EVENT + 1).map((employeeId) => ({
        orgId: 'o1',
        employeeId,
        eventKey: 'moment:m:assigned',
      })),
      { orgId: 'o2', employeeId: 'x', eventKey: 'moment:m:assigned' },
      { orgId: 'o1', employeeId: 'e0', eventKey: 'handover:h:finished' },
    ];
    const events = announcements(added);
    expect(events.map((e) => [e.organizationId, e.payload, e.employeeIds!.length])).toEqual([
      ['o1', { eventKey: 'moment:m:assigned' }, ADDRESSEES_PER_EVENT],
      ['o1', { eventKey: 'moment:m:assigned' }, 1],
      ['o2', { eventKey: 'moment:m:assigned' }, 1],
      ['o1', { eventKey: 'handover:h:finished' }, 1],
    ]);
    expect(events.flatMap((e) => e.employeeIds!).length).toBe(added.length);
    expect(events.every((e) => e.topic === NOTIFICATION_ADDED && JSON.stringify(e).length < 8000)).toBe(true);
  });

  it('addresses an event only to the employees it names, in its own organization', () => {
    const e = { topic: NOTIFICATION_ADDED, organizationId: 'o1', employeeIds: ['a', 'b'], payload: { eventKey: 'k' } };
    expect(addressedTo(e, 'o1', 'a')).toBe(true);
    expect(addressedTo(e, 'o1', 'c')).toBe(false);
    expect(addressedTo(e, 'o2', 'a')).toBe(false);
    expect(addressedTo({ ...e, employeeIds: undefined }, 'o1', 'a')).toBe(false);
    expect(addressedTo({ ...e, topic: 'momentTaskAssigned' }, 'o1', 'a')).toBe(false);
  });

  it('filters and maps a subscription, and releases the source at once on return', async () => {
    const bus = new InProcessEventBus();
    const it = filterMap(bus.subscribe(NOTIFICATION_ADDED, 'o1'), (e) =>
      addressedTo(e, 'o1', 'a') ? e.payload : null,
    );
    const next = it.next();
    await bus.publish({
      topic: NOTIFICATION_ADDED,
      organizationId: 'o1',
      employeeIds: ['b'],
      payload: { eventKey: 'not-mine' },
    });
    await bus.publish({
      topic: NOTIFICATION_ADDED,
      organizationId: 'o1',
      employeeIds: ['a'],
      payload: { eventKey: 'mine' },
    });
    expect(await next).toEqual({ done: false, value: { eventKey: 'mine' } });
    const pending = it.next();
    await it.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
