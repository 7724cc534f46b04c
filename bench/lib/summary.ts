/** Latency summaries in milliseconds (nearest-rank percentiles). */
export interface Summary {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const s = Float64Array.from(values).sort();
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] : NaN);
  let sum = 0;
  for (const v of s) sum += v;
  return {
    samples: s.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    p999: at(0.999),
    max: s.length ? s[s.length - 1] : NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

export const ms = (v: number | undefined | null, digits = 1): string =>
  v === undefined || v === null || !Number.isFinite(v) ? 'n/a' : v >= 100 ? v.toFixed(0) : v.toFixed(digits);

export function markdown(header: string[], rows: Array<Array<string | number>>, align?: Array<'l' | 'r'>): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${a.map((x) => (x === 'l' ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
