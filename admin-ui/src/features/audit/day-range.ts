/** A filter's days as the pickers give them and the URL keeps them (YYYY-MM-DD, the browser's calendar). */
export interface DayRange {
  /** First day included. */
  fromDay?: string;
  /** Last day included. */
  toDay?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day from the URL, or undefined when it is not one (a hand-edited link must not reach the API). */
export const validDay = (s: string | null) => (s && DAY.test(s) && !Number.isNaN(Date.parse(s)) ? s : undefined);

/** Local midnight of a day (plus some days), as the instant the API wants. */
export function midnight(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** The range as the API's [from, to): the last chosen day is included, so `to` is the midnight after it. */
export function dayRangeFilter(f: DayRange): { from?: string; to?: string } {
  return {
    ...(f.fromDay ? { from: midnight(f.fromDay) } : {}),
    ...(f.toDay ? { to: midnight(f.toDay, 1) } : {}),
  };
}

/** The chosen range is backwards (the API would refuse it): the page says so instead of asking. */
export function rangeIsBackwards(f: DayRange): boolean {
  return !!f.fromDay && !!f.toDay && f.fromDay > f.toDay;
}
