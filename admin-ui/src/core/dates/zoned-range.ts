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

/** A preset's first and last days, ending today (or with the previous month), in `timeZone`. */
export function presetDays(
  preset: RangePreset,
  timeZone: string,
  now = Date.now(),
): { first: CalendarDay; last: CalendarDay } {
  const t = today(timeZone, now);
  switch (preset) {
    case 'last7':
      return { first: addDays(t, -6), last: t };
    case 'last30':
      return { first: addDays(t, -29), last: t };
    case 'last90':
      return { first: addDays(t, -89), last: t };
    case 'thisMonth':
      return { first: { ...t, day: 1 }, last: t };
    case 'lastMonth': {
      const lastOfPrevious = addDays({ ...t, day: 1 }, -1);
      return { first: { ...lastOfPrevious, day: 1 }, last: lastOfPrevious };
    }
  }
}

/** A preset's days as [from, to) instants in `timeZone`. */
export function presetRange(preset: RangePreset, timeZone: string, now = Date.now()): InstantRange {
  const { first, last } = presetDays(preset, timeZone, now);
  return daysRange(first, last, timeZone);
}

/** `YYYY-MM-DD`, the API's Date. */
export function isoDate(d: CalendarDay): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}
