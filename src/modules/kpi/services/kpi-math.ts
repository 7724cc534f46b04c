/**
 * KPI arithmetic (DOMAIN.md "KPI"): adding counters over days, employees and departments, and reading the
 * ratios and the p90 of first response time from the sums.
 *
 * First response times are kept per (employee, day) as a histogram of logarithmic buckets: bucket 0 holds
 * 0 ms, bucket k >= 1 holds [RATIO^(k-1), RATIO^k) ms. A bucket is read as the geometric middle of its
 * bounds, so any value read back is within sqrt(RATIO) - 1 (4.9 %) of every value the bucket holds: the p90
 * read from a histogram is within 4.9 % of the exact one, whatever the range or team (histograms add up).
 */

/** The growth ratio between bucket bounds. The SQL of the rollups (RESPONSE_BUCKET_SQL) uses the same. */
export const RESPONSE_BUCKET_RATIO = 1.1;

/** The bucket of a first response time in ms, as RESPONSE_BUCKET_SQL computes it (for tests). */
export function responseBucketOf(ms: number): number {
  return ms <= 0 ? 0 : 1 + Math.floor(Math.log(ms) / Math.log(RESPONSE_BUCKET_RATIO));
}

/** The value a bucket is read as, in ms: within 4.9 % of any value in it. */
export function responseBucketValueMs(bucket: number): number {
  return bucket <= 0 ? 0 : Math.pow(RESPONSE_BUCKET_RATIO, bucket - 0.5);
}

/** The SQL expression of a first response time's bucket, over the ms column or expression `ms`. */
export const responseBucketSql = (ms: string) =>
  `(CASE WHEN ${ms} <= 0 THEN 0 ELSE 1 + floor(ln(${ms}::float8) / ln(${RESPONSE_BUCKET_RATIO}))::int END)`;

/**
 * The 90th percentile, nearest rank (the smallest value at or below which at least 90 % of the values lie),
 * in seconds, of the values a histogram counts; null when it counts none.
 */
export function p90Seconds(histogram: ReadonlyMap<number, number>): number | null {
  let n = 0;
  for (const c of histogram.values()) n += c;
  if (!n) return null;
  const rank = Math.ceil(0.9 * n);
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return responseBucketValueMs(bucket) / 1000;
  }
  return null;
}

/** Adds histogram `from` into `into`. */
export function addHistogram(into: Map<number, number>, from: ReadonlyMap<number, number>): void {
  for (const [b, c] of from) into.set(b, (into.get(b) ?? 0) + c);
}

/**
 * Adds histograms given as text into `into`: rows' bucket arrays each followed by their replied-chat arrays, as
 * PostgreSQL prints integer arrays, concatenated ('{3,7}{2,1}{7}{4}': bucket 3 holds 2 chats, bucket 7 holds 5).
 * A hand-written scan: a dashboard's ranking reads ~130,000 elements this way, and a split or a JSON parse
 * allocates a string or an array per element.
 */
export function addHistogramText(into: Map<number, number>, text: string): void {
  const buckets: number[] = [];
  let next = 0;
  let chatsArray = false;
  let value = 0;
  let inNumber = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      value = value * 10 + (ch - 48);
      inNumber = true;
      continue;
    }
    if (inNumber) {
      if (!chatsArray) buckets.push(value);
      else {
        if (next >= buckets.length) throw new Error('a histogram has more chat counts than buckets');
        const b = buckets[next++];
        into.set(b, (into.get(b) ?? 0) + value);
      }
      value = 0;
      inNumber = false;
    }
    if (ch === 44 || ch === 123) continue; // ',' '{'
    if (ch !== 125) throw new Error(`a histogram holds '${text[i]}' (only non-negative integers are counted)`);
    // '}' ends an array
    if (chatsArray) {
      if (next !== buckets.length) throw new Error('a histogram has fewer chat counts than buckets');
      buckets.length = 0;
    }
    next = 0;
    chatsArray = !chatsArray;
  }
  if (chatsArray) throw new Error('a histogram has buckets without chat counts');
}

/** The counters of KPI that add up over days, employees and departments. */
export interface KpiCounters {
  newCustomers: number;
  lostCustomers: number;
  chats: number;
  messagesSent: number;
  messagesReceived: number;
  customerInitiatedChats: number;
  repliedChats: number;
  /** The sum of the replied chats' first response times, in ms. */
  firstResponseMsSum: number;
  momentTasksAssigned: number;
  momentTasksPublished: number;
  transfersIn: number;
  transfersOut: number;
}

export const COUNTER_KEYS: ReadonlyArray<keyof KpiCounters> = [
  'newCustomers',
  'lostCustomers',
  'chats',
  'messagesSent',
  'messagesReceived',
  'customerInitiatedChats',
  'repliedChats',
  'firstResponseMsSum',
  'momentTasksAssigned',
  'momentTasksPublished',
  'transfersIn',
  'transfersOut',
];

export function zeroCounters(): KpiCounters {
  return Object.fromEntries(COUNTER_KEYS.map((k) => [k, 0])) as unknown as KpiCounters;
}

export function addCounters(into: KpiCounters, from: KpiCounters): void {
  for (const k of COUNTER_KEYS) into[k] += from[k];
}

/** What the dashboard shows for a set of counters and their first-response histogram. */
export interface KpiFigures {
  newCustomers: number;
  lostCustomers: number;
  netNewCustomers: number;
  chats: number;
  messagesSent: number;
  messagesReceived: number;
  customerInitiatedChats: number;
  repliedChats: number;
  replyRate: number | null;
  avgFirstResponseSeconds: number | null;
  p90FirstResponseSeconds: number | null;
  momentTasksAssigned: number;
  momentTasksPublished: number;
  transfersIn: number;
  transfersOut: number;
}

/**
 * replyRate = repliedChats / customerInitiatedChats (null without any); the mean first response over the
 * replied chats (null without any); the p90 from the histogram.
 */
export function figures(c: KpiCounters, histogram: ReadonlyMap<number, number>): KpiFigures {
  return {
    newCustomers: c.newCustomers,
    lostCustomers: c.lostCustomers,
    netNewCustomers: c.newCustomers - c.lostCustomers,
    chats: c.chats,
    messagesSent: c.messagesSent,
    messagesReceived: c.messagesReceived,
    customerInitiatedChats: c.customerInitiatedChats,
    repliedChats: c.repliedChats,
    replyRate: c.customerInitiatedChats ? c.repliedChats / c.customerInitiatedChats : null,
    avgFirstResponseSeconds: c.repliedChats ? c.firstResponseMsSum / c.repliedChats / 1000 : null,
    p90FirstResponseSeconds: p90Seconds(histogram),
    momentTasksAssigned: c.momentTasksAssigned,
    momentTasksPublished: c.momentTasksPublished,
    transfersIn: c.transfersIn,
    transfersOut: c.transfersOut,
  };
}

/** The dates from `from` to `to` inclusive (YYYY-MM-DD, calendar arithmetic in UTC). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The Mondays of the first and the last whole week (Monday to Sunday) within from..to; null without any. */
export function wholeWeeks(from: string, to: string): { first: string; last: string } | null {
  const DAY = 86_400_000;
  const f = Date.parse(`${from}T00:00:00Z`);
  const t = Date.parse(`${to}T00:00:00Z`);
  const first = f + ((8 - new Date(f).getUTCDay()) % 7) * DAY;
  const last = t - ((new Date(t).getUTCDay() + 7) % 7) * DAY - 6 * DAY;
  if (first > last) return null;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { first: iso(first), last: iso(last) };
}
