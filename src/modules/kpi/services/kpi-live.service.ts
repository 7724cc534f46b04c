import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BusEvent, EventBus } from 'src/core/realtime/event-bus';
import { KpiRollupsService } from './kpi-rollups.service';

/** The bus topic of KPI changes: employeeIds are the employees whose rollups changed (none: all of them). */
export const KPI_UPDATED = 'kpiUpdated';

/**
 * How long changes gather before they are announced: the rollups are written inside the owners'
 * transactions, so the announcement waits for them to commit, and a burst of ingests costs one event per
 * organization per interval, whatever its size.
 */
export const KPI_ANNOUNCE_MS = 1_000;

/**
 * Announces KPI changes on the event bus (every API process's subscribers, PostgreSQL NOTIFY or Redis):
 * the employees whose rollups changed, gathered per organization for KPI_ANNOUNCE_MS.
 */
@Injectable()
export class KpiLiveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('KpiLive');
  /** Per organization: the employees changed since the last announcement (null: all of them). */
  private readonly pending = new Map<string, Set<string> | null>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly rollups: KpiRollupsService,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.rollups.onChanged((orgId, employeeIds) => this.mark(orgId, employeeIds));
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** An empty list means every employee (a rebuild). */
  private mark(orgId: string, employeeIds: readonly string[]): void {
    const seen = this.pending.get(orgId);
    if (!employeeIds.length || seen === null) this.pending.set(orgId, null);
    else this.pending.set(orgId, new Set([...(seen ?? []), ...employeeIds]));
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), KPI_ANNOUNCE_MS);
      this.timer.unref();
    }
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [orgId, ids] of batch) {
      const event: BusEvent = { topic: KPI_UPDATED, organizationId: orgId, payload: {} };
      if (ids) event.employeeIds = [...ids];
      await this.bus
        .publish(event)
        .catch((e: Error) =>
          this.logger.warn({
            msg: 'could not announce KPI changes (dashboards see them on their next query)',
            orgId,
            error: e.message,
          }),
        );
    }
  }
}

/**
 * An event stream coalesced for one subscriber: what `pick` keeps of each event (the watched employees it
 * names) gathers, and is yielded at most once per `intervalMs` (the first at once). The source is read
 * continuously, so a burst never queues: it becomes one value.
 */
export function coalesceEvents<T>(
  source: AsyncIterator<T>,
  pick: (event: T) => Promise<readonly string[] | null> | readonly string[] | null,
  intervalMs: number,
): AsyncIterableIterator<string[]> & { return(): Promise<IteratorResult<string[]>> } {
  let pending: Set<string> | null = null;
  let finished = false;
  let failure: unknown = null;
  let last = 0;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  void (async () => {
    try {
      while (!finished) {
        const r = await source.next();
        if (r.done) break;
        const ids = await pick(r.value);
        if (ids === null) continue;
        pending ??= new Set();
        for (const id of ids) pending.add(id);
        notify();
      }
    } catch (e) {
      failure = e;
    }
    finished = true;
    notify();
  })();
  const stop = async (): Promise<IteratorResult<string[]>> => {
    if (!finished) {
      finished = true;
      notify();
      await source.return?.();
    }
    return { value: undefined, done: true };
  };
  const it = {
    async next(): Promise<IteratorResult<string[]>> {
      while (!finished || pending) {
        if (failure) throw failure;
        if (pending && !finished) {
          const wait = last + intervalMs - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (finished) break;
          const value = [...(pending as Set<string>)];
          pending = null;
          last = Date.now();
          return { value, done: false };
        }
        if (finished) break;
        await new Promise<void>((r) => (wake = r));
      }
      if (failure) throw failure;
      return { value: undefined, done: true };
    },
    return: stop,
    async throw(e: unknown): Promise<IteratorResult<string[]>> {
      await stop();
      throw e;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
