/**
 * The benchmark suite's statistics and formatting: latency summaries and
 * nearest-rank quantiles, timed series of calls, a seeded PRNG, number and
 * markdown-table formatting. Every bench file uses these (run.ts and its
 * scenarios, the load driver, casbin.bench.ts, reassignment.bench.ts).
 */

/** Latency figures of one measured series, in milliseconds. */
export interface LatencySummary {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same request sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** Nearest-rank quantile (0 < q <= 1) of an ascending array; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Nearest-rank quantile of values in any order; NaN when empty. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}

/**
 * Summarises durations given in milliseconds, or in nanoseconds (`'ns'`, what
 * timeSeries returns); the summary is in milliseconds either way.
 */
export function summarise(durations: ArrayLike<number>, unit: 'ms' | 'ns' = 'ms'): LatencySummary {
  const sorted = Float64Array.from(durations).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const ms = unit === 'ns' ? (v: number) => v / 1e6 : (v: number) => v;
  return {
    samples: sorted.length,
    p50: ms(quantileSorted(sorted, 0.5)),
    p95: ms(quantileSorted(sorted, 0.95)),
    p99: ms(quantileSorted(sorted, 0.99)),
    p999: ms(quantileSorted(sorted, 0.999)),
    max: ms(sorted.length ? sorted[sorted.length - 1] : NaN),
    mean: ms(sorted.length ? sum / sorted.length : NaN),
  };
}

/**
 * Lets timers and signal handlers run: a loop of already-resolved awaits
 * never leaves the microtask queue, so Ctrl-C would wait for the series to end.
 * Called between timed calls, never inside one.
 */
const yieldToEventLoop = () => new Promise<void>((done) => setImmediate(done));

export interface SeriesLimits {
  /** Calls made first and not recorded (JIT, caches). */
  warmup: number;
  /** Stop after this many recorded calls... */
  maxSamples: number;
  /** ...or after this much wall time, whichever comes first (at least minSamples). */
  maxMs: number;
  minSamples?: number;
}

/**
 * Times `call(i)` one call at a time with process.hrtime.bigint and returns
 * the durations in nanoseconds. Async calls are awaited, so the figure is
 * what a caller awaiting the result sees (microtask hops included).
 */
export async function timeSeries(
  limits: SeriesLimits,
  call: (i: number) => unknown,
): Promise<{ ns: Float64Array; wallMs: number }> {
  for (let i = 0; i < limits.warmup; i++) await call(i);
  const ns = new Float64Array(limits.maxSamples);
  const minSamples = limits.minSamples ?? 1;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(limits.maxMs * 1e6));
  let n = 0;
  while (n < limits.maxSamples) {
    const t0 = process.hrtime.bigint();
    const r = call(limits.warmup + n);
    if (r instanceof Promise) await r;
    const t1 = process.hrtime.bigint();
    ns[n++] = Number(t1 - t0);
    if (n >= minSamples && t1 > deadline) break;
    if ((n & 4095) === 0) await yieldToEventLoop();
  }
  return { ns: ns.subarray(0, n), wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Calls per second of a loop without per-call timing. */
export async function throughput(calls: number, maxMs: number, call: (i: number) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(maxMs * 1e6));
  let n = 0;
  while (n < calls) {
    const r = call(n);
    if (r instanceof Promise) await r;
    n++;
    if ((n & 255) === 0 && process.hrtime.bigint() > deadline) break;
    if ((n & 4095) === 0) await yieldToEventLoop();
  }
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  return n / secs;
}

/**
 * A figure for a table: no decimals from 100, at most one from 10, `digits` below; `n/a` when missing or not finite.
 */
export function fmt(v: number | null | undefined, digits = 2): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'n/a';
  return v.toFixed(v >= 100 ? 0 : v >= 10 ? Math.min(1, digits) : digits);
}

/** A whole number with thousands separators: `1234567` -> `1,234,567`. */
export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A markdown table; columns right-aligned but the first unless `align` says otherwise. */
export function markdownTable(header: string[], rows: Array<Array<string | number>>, align?: Array<'l' | 'r'>): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${a.map((x) => (x === 'l' ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
