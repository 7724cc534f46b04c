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

/** A first-response histogram: its buckets ascending, and the replied chats of each (as the rollups keep it). */
export interface Histogram {
  readonly buckets: readonly number[];
  readonly chats: readonly number[];
}

export const EMPTY_HISTOGRAM: Histogram = Object.freeze({ buckets: Object.freeze([]), chats: Object.freeze([]) });

/**
 * Counts by bucket (a bigint of ms falls in buckets 0 to 459), zero between calls: histograms are added up in it,
 * then read out ascending, with no sort, no Map and one allocation per result (a dashboard adds up a histogram
 * per employee: thousands per call; Maps cost it ~8 MB of garbage and a third of its time).
 */
const SCRATCH = new Float64Array(512);
/** The buckets of the row histogramOfText reads, until its chats come. */
const ROW_BUCKETS = new Int32Array(SCRATCH.length);

function inScratch(b: number): boolean {
  return Number.isInteger(b) && b >= 0 && b < SCRATCH.length;
}

/** The histogram in SCRATCH's buckets low..high (the caller zeroes them). */
function takeScratch(low: number, high: number): Histogram {
  let n = 0;
  for (let b = low; b <= high; b++) if (SCRATCH[b]) n++;
  const buckets = new Array<number>(n);
  const chats = new Array<number>(n);
  for (let b = low, i = 0; b <= high; b++) {
    if (!SCRATCH[b]) continue;
    buckets[i] = b;
    chats[i++] = SCRATCH[b];
  }
  return { buckets, chats };
}

/** Histograms added up, bucket by bucket. */
export function sumHistograms(parts: Iterable<Histogram>): Histogram {
  let low = SCRATCH.length;
  let high = -1;
  try {
    for (const h of parts) {
      for (let i = 0; i < h.buckets.length; i++) {
        const b = h.buckets[i];
        if (!inScratch(b)) throw new RangeError(`first-response bucket ${b} is out of range`);
        SCRATCH[b] += h.chats[i];
        if (b < low) low = b;
        if (b > high) high = b;
      }
    }
    return high < 0 ? EMPTY_HISTOGRAM : takeScratch(low, high);
  } finally {
    if (high >= 0) SCRATCH.fill(0, low, high + 1);
  }
}

/**
 * The histogram of rows given as text: each row's bucket array followed by its replied-chat array, as PostgreSQL
 * prints integer arrays, concatenated ('{3,7}{2,1}{7}{4}': bucket 3 holds 2 chats, bucket 7 holds 5). A
 * hand-written scan: a dashboard's ranking reads ~130,000 elements this way, and a split or a JSON parse
 * allocates a string or an array per element.
 */
export function histogramOfText(text: string): Histogram {
  let rowBuckets = 0;
  let next = 0;
  let chatsArray = false;
  let value = 0;
  let inNumber = false;
  let low = SCRATCH.length;
  let high = -1;
  try {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch >= 48 && ch <= 57) {
        value = value * 10 + (ch - 48);
        inNumber = true;
        continue;
      }
      if (inNumber) {
        // A row's buckets are distinct, so fewer than SCRATCH's length.
        if (!chatsArray) {
          if (rowBuckets === ROW_BUCKETS.length) throw new RangeError('a histogram row has too many buckets');
          ROW_BUCKETS[rowBuckets++] = value;
        } else {
          if (next >= rowBuckets) throw new Error('a histogram has more chat counts than buckets');
          const b = ROW_BUCKETS[next++];
          if (b >= SCRATCH.length) throw new RangeError(`first-response bucket ${b} is out of range`);
          SCRATCH[b] += value;
          if (b < low) low = b;
          if (b > high) high = b;
        }
        value = 0;
        inNumber = false;
      }
      if (ch === 44 || ch === 123) continue; // ',' '{'
      if (ch !== 125) throw new Error(`a histogram holds '${text[i]}' (only non-negative integers are counted)`);
      // '}' ends an array: a row's buckets, then its chats.
      if (chatsArray && next !== rowBuckets) throw new Error('a histogram has fewer chat counts than buckets');
      if (chatsArray) rowBuckets = 0;
      next = 0;
      chatsArray = !chatsArray;
    }
    if (chatsArray || inNumber) throw new Error('a histogram has buckets without chat counts');
    return high < 0 ? EMPTY_HISTOGRAM : takeScratch(low, high);
  } finally {
    if (high >= 0) SCRATCH.fill(0, low, high + 1);
  }
}

/**
 * The 90th percentile, nearest rank (the smallest value at or below which at least 90 % of the values lie),
 * in seconds, of the values a histogram counts; null when it counts none.
 */
export function p90Seconds(histogram: Histogram): number | null {
  let n = 0;
  for (let i = 0; i < histogram.chats.length; i++) n += histogram.chats[i];
  if (!n) return null;
  const rank = Math.ceil(0.9 * n);
  let seen = 0;
  for (let i = 0; i < histogram.buckets.length; i++) {
    seen += histogram.chats[i];
    if (seen >= rank) return responseBucketValueMs(histogram.buckets[i]) / 1000;
  }
  return null;
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

/** All zero (a literal, not built from COUNTER_KEYS: a dashboard makes one per employee and day it reads). */
export function zeroCounters(): KpiCounters {
  return {
    newCustomers: 0,
    lostCustomers: 0,
    chats: 0,
    messagesSent: 0,
    messagesReceived: 0,
    customerInitiatedChats: 0,
    repliedChats: 0,
    firstResponseMsSum: 0,
    momentTasksAssigned: 0,
    momentTasksPublished: 0,
    transfersIn: 0,
    transfersOut: 0,
  };
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
export function figures(c: KpiCounters, histogram: Histogram): KpiFigures {
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
