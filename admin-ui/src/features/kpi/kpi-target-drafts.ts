import type { FieldProblem } from '../../core/errors/api-error';
import type { TargetMetric } from './kpi-target-bar';

export const TARGET_METRICS: readonly TargetMetric[] = [
  'newCustomers',
  'replyRate',
  'avgFirstResponseSeconds',
  'momentCompletionRate',
];

/** Rates are edited as percentages (0–100), stored as fractions (0–1). */
const PERCENT: ReadonlySet<TargetMetric> = new Set(['replyRate', 'momentCompletionRate']);

/** A row's values as the editor shows them (null: no target for the metric). */
export type TargetDraft = Record<TargetMetric, number | null>;

export const EMPTY_DRAFT: TargetDraft = {
  newCustomers: null,
  replyRate: null,
  avgFirstResponseSeconds: null,
  momentCompletionRate: null,
};

/** The editor's values of a stored target (rates as percentages, without float noise: 0.7 -> 70). */
export function draftOf(stored: Partial<TargetDraft> | null | undefined): TargetDraft {
  const out = { ...EMPTY_DRAFT };
  for (const m of TARGET_METRICS) {
    const v = stored?.[m] ?? null;
    out[m] = v === null ? null : PERCENT.has(m) ? Math.round(v * 100 * 1000) / 1000 : v;
  }
  return out;
}

/** What setKpiTarget is sent for a row's values (the server validates: its messages are shown per field). */
export function inputOf(draft: TargetDraft): TargetDraft {
  const out = { ...EMPTY_DRAFT };
  for (const m of TARGET_METRICS) {
    const v = draft[m];
    out[m] = v === null ? null : PERCENT.has(m) ? v / 100 : v;
  }
  return out;
}

export function sameDraft(a: TargetDraft, b: TargetDraft): boolean {
  return TARGET_METRICS.every((m) => a[m] === b[m]);
}

/** The metrics a BAD_USER_INPUT names (`input.replyRate`), and whether it named anything else. */
export function problemMetrics(fields: readonly FieldProblem[]): { metrics: TargetMetric[]; other: boolean } {
  const metrics: TargetMetric[] = [];
  let other = false;
  for (const f of fields) {
    const name = f.field.replace(/^input\./, '') as TargetMetric;
    if (TARGET_METRICS.includes(name)) metrics.push(name);
    else other = true;
  }
  return { metrics, other };
}
