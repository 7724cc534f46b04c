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
export function seededRandom(seed: number): () => number {
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

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Summarises per-call durations given in nanoseconds. */
export function summarise(ns: Float64Array): LatencySummary {
  const sorted = Float64Array.from(ns).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const ms = (v: number) => v / 1e6;
  return {
    samples: sorted.length,
    p50: ms(percentile(sorted, 0.5)),
    p95: ms(percentile(sorted, 0.95)),
    p99: ms(percentile(sorted, 0.99)),
    p999: ms(percentile(sorted, 0.999)),
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

export const fmt = (v: number, digits = 3): string =>
  Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(digits)) : 'n/a';

export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}
