/**
 * Day ranges in the organization's time zone (not the browser's): a manager in
 * another zone must see the same "this month" as the head office. Pure
 * functions over Intl, so no date library travels in the chunk.
 */

export type RangePreset = 'last7' | 'last30' | 'thisMonth' | 'lastMonth' | 'last90';
export const RANGE_PRESETS: RangePreset[] = ['last7', 'last30', 'thisMonth', 'lastMonth', 'last90'];

export interface CalendarDay {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

/** [from, to) as ISO instants for the API. */
export interface InstantRange {
  from: string;
  to: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, at: number): CalendarDay & { hour: number; minute: number; second: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at instant `at`, in ms. */
function offsetAt(timeZone: string, at: number): number {
  const p = partsIn(timeZone, at);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day starts in `timeZone` (days that start in a DST gap start when the clock resumes). */
export function dayStart(d: CalendarDay, timeZone: string): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day);
  const first = wall - offsetAt(timeZone, wall);
  const second = wall - offsetAt(timeZone, first);
  return second;
}

/** The calendar day `n` days after `d` (n may be negative). */
export function addDays(d: CalendarDay, n: number): CalendarDay {
  const x = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate() };
}

/** Today in `timeZone`. */
export function today(timeZone: string, now = Date.now()): CalendarDay {
  const { year, month, day } = partsIn(timeZone, now);
  return { year, month, day };
}

/** The days `first`..`last` (both included) as [from, to) instants in `timeZone`. */
export function daysRange(first: CalendarDay, last: CalendarDay, timeZone: string): InstantRange {
  return {
    from: new Date(dayStart(first, timeZone)).toISOString(),
    to: new Date(dayStart(addDays(last, 1), timeZone)).toISOString(),
  };
}

/** A preset's days, ending today (or the previous month), in `timeZone`. */
export function presetRange(preset: RangePreset, timeZone: string, now = Date.now()): InstantRange {
  const t = today(timeZone, now);
  switch (preset) {
    case 'last7':
      return daysRange(addDays(t, -6), t, timeZone);
    case 'last30':
      return daysRange(addDays(t, -29), t, timeZone);
    case 'last90':
      return daysRange(addDays(t, -89), t, timeZone);
    case 'thisMonth':
      return daysRange({ ...t, day: 1 }, t, timeZone);
    case 'lastMonth': {
      const firstOfThis = { ...t, day: 1 };
      const lastOfPrevious = addDays(firstOfThis, -1);
      return daysRange({ ...lastOfPrevious, day: 1 }, lastOfPrevious, timeZone);
    }
  }
}
