import { BusEvent } from 'src/core/realtime/event-bus';

/** The EventBus topic of new notices; payload `{ eventKey }`, addressees in `employeeIds`. */
export const NOTIFICATION_ADDED = 'notificationAdded';

/**
 * Addressees per event: a moment firing to 5,000 employees is 50 events of 100
 * ids, each about 3.7 KB, so a transport with a payload limit (PostgreSQL
 * NOTIFY: 8 KB) carries them.
 */
export const ADDRESSEES_PER_EVENT = 100;

/** The bus events announcing notices just written: grouped by organization and event key, addressees chunked. */
export function announcements(
  added: ReadonlyArray<{ orgId: string; employeeId: string; eventKey: string }>,
): BusEvent[] {
  const groups = new Map<string, { orgId: string; eventKey: string; employeeIds: string[] }>();
  for (const a of added) {
    const k = `${a.orgId} ${a.eventKey}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { orgId: a.orgId, eventKey: a.eventKey, employeeIds: [] }));
    g.employeeIds.push(a.employeeId);
  }
  const events: BusEvent[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.employeeIds.length; i += ADDRESSEES_PER_EVENT) {
      events.push({
        topic: NOTIFICATION_ADDED,
        organizationId: g.orgId,
        employeeIds: g.employeeIds.slice(i, i + ADDRESSEES_PER_EVENT),
        payload: { eventKey: g.eventKey },
      });
    }
  }
  return events;
}

/** Whether a bus event is addressed to this employee of this organization (the subscription's filter). */
export function addressedTo(event: BusEvent, orgId: string, employeeId: string): boolean {
  return (
    event.topic === NOTIFICATION_ADDED && event.organizationId === orgId && !!event.employeeIds?.includes(employeeId)
  );
}

/**
 * `source` filtered and mapped (`map` answers null to skip an event), as an
 * iterator whose return() reaches `source` at once, even while a next() waits:
 * a client that unsubscribes releases its bus subscription immediately (an
 * async generator would hold it until the next event arrived).
 */
export function filterMap<T, U>(
  source: AsyncIterableIterator<T>,
  map: (x: T) => Promise<U | null> | U | null,
): AsyncIterableIterator<U> {
  const done = (): IteratorResult<U> => ({ done: true, value: undefined });
  const it: AsyncIterableIterator<U> = {
    async next(): Promise<IteratorResult<U>> {
      for (;;) {
        const r = await source.next();
        if (r.done) return done();
        const v = await map(r.value);
        if (v !== null) return { done: false, value: v };
      }
    },
    async return(): Promise<IteratorResult<U>> {
      await source.return?.();
      return done();
    },
    async throw(e?: unknown): Promise<IteratorResult<U>> {
      await source.return?.();
      throw e;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
