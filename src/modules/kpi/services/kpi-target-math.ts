/**
 * KPI target arithmetic (issue 20): monthly targets over a dashboard's range and progress against them.
 *
 * - A count (newCustomers) is prorated by days: each month the range touches contributes its target times the
 *   range's days in that month over the month's days. A range of one whole month gets the month's target.
 * - A rate or a time is not an amount: the range's target is the mean of the months' targets weighted by the
 *   range's days in each (one month: its target).
 * - A metric has a target over the range only when every month the range touches has one for it.
 * - progress = actual / target, or target / actual when lower is better (first response time); 1 when the
 *   divisor is 0 (a target of 0 is met, a first response of 0 s beats any target); null without either.
 */

export type TargetMetric = 'newCustomers' | 'replyRate' | 'avgFirstResponseSeconds' | 'momentCompletionRate';
export const TARGET_METRICS: readonly TargetMetric[] = [
  'newCustomers',
  'replyRate',
  'avgFirstResponseSeconds',
  'momentCompletionRate',
];
export const LOWER_IS_BETTER: ReadonlySet<TargetMetric> = new Set(['avgFirstResponseSeconds']);
const COUNTS: ReadonlySet<TargetMetric> = new Set(['newCustomers']);

export type TargetValues = Record<TargetMetric, number | null>;

/** A month of a range: YYYY-MM, the range's days in it and the month's days. */
export interface RangeMonth {
  month: string;
  days: number;
  monthDays: number;
}

/** The months a range of days (YYYY-MM-DD, inclusive) touches, with its days in each. */
export function monthsOfRange(from: string, to: string): RangeMonth[] {
  const out: RangeMonth[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; ) {
    const d = new Date(t);
    const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
    const monthEnd = Date.UTC(y, m + 1, 0);
    const last = Math.min(monthEnd, end);
    out.push({
      month: d.toISOString().slice(0, 7),
      days: Math.round((last - t) / 86_400_000) + 1,
      monthDays: new Date(monthEnd).getUTCDate(),
    });
    t = monthEnd + 86_400_000;
  }
  return out;
}

/** Whether a range is exactly one calendar month. */
export function isWholeMonth(months: readonly RangeMonth[]): boolean {
  return months.length === 1 && months[0].days === months[0].monthDays;
}

/** A metric's target over a range, from its monthly targets (a month missing or null: no target). */
export function rangeTarget(
  metric: TargetMetric,
  months: readonly RangeMonth[],
  monthly: ReadonlyMap<string, number | null>,
): number | null {
  if (!months.length) return null;
  let sum = 0;
  let days = 0;
  for (const m of months) {
    const t = monthly.get(m.month);
    if (t === null || t === undefined) return null;
    if (COUNTS.has(metric)) sum += (t * m.days) / m.monthDays;
    else sum += t * m.days;
    days += m.days;
  }
  return COUNTS.has(metric) ? sum : sum / days;
}

/** Progress of an actual against a target (see the file's comment). */
export function progressOf(metric: TargetMetric, target: number | null, actual: number | null): number | null {
  if (target === null || actual === null) return null;
  const [num, den] = LOWER_IS_BETTER.has(metric) ? [target, actual] : [actual, target];
  return den === 0 ? 1 : num / den;
}

/**
 * A metric's target for a set of employees from their own (no own target of the group): counts summed, rates
 * and times averaged, over the employees that have one; null when none has.
 */
export function membersTarget(metric: TargetMetric, values: ReadonlyArray<number | null>): number | null {
  const set = values.filter((v): v is number => v !== null);
  if (!set.length) return null;
  const sum = set.reduce((a, b) => a + b, 0);
  return COUNTS.has(metric) ? sum : sum / set.length;
}
