import type { TFunction } from 'i18next';
import type { KpiRankField } from '../../gql/graphql';

/** A duration in seconds as people read it: "45 s", "3 min 20 s", "2 h 5 min" ("—" when there is none). */
export function formatDuration(seconds: number | null | undefined, t: TFunction): string {
  if (seconds === null || seconds === undefined) return t('none');
  const s = Math.round(seconds);
  if (s < 60) return t('duration.seconds', { s });
  if (s < 600) {
    const rest = s % 60;
    return rest
      ? t('duration.minutesSeconds', { m: Math.floor(s / 60), s: rest })
      : t('duration.minutes', { m: s / 60 });
  }
  if (s < 3600) return t('duration.minutes', { m: Math.round(s / 60) });
  const minutes = Math.round(s / 60);
  return t('duration.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** A rate (0..1) as a percentage in the console's language, one decimal at most ("—" when undefined). */
export function formatRate(rate: number | null | undefined, language: string, none: string): string {
  if (rate === null || rate === undefined) return none;
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** The ranking's sortable columns and the server's field for each (the server ranks; the page never re-sorts). */
export const RANK_FIELDS = {
  newCustomers: 'NEW_CUSTOMERS',
  chats: 'CHATS',
  messagesSent: 'MESSAGES_SENT',
  replyRate: 'REPLY_RATE',
  avgFirstResponseSeconds: 'AVG_FIRST_RESPONSE_SECONDS',
  momentTasksPublished: 'MOMENT_TASKS_PUBLISHED',
} as const satisfies Record<string, KpiRankField>;

export type RankColumn = keyof typeof RANK_FIELDS;

/** A dashboard metric measured against its target (KpiDashboard.targets). */
export interface TargetProgressInput {
  target: number | null;
  actual: number | null;
  progress: number | null;
}

/** How a card shows a metric's target: none set, set but nothing measured yet, or a bar. */
export type TargetProgressView =
  | { kind: 'none' }
  | { kind: 'unmeasured' }
  | { kind: 'measured'; percent: number; reached: boolean; label: string };

/**
 * The bar of a target: the server's progress (actual / target, or target / actual when lower is better) as a
 * percentage with one decimal, the bar filled at most to 100 % while the label keeps what is beyond.
 */
export function targetProgressView(p: TargetProgressInput | null | undefined, language: string): TargetProgressView {
  if (!p || p.target === null) return { kind: 'none' };
  if (p.progress === null) return { kind: 'unmeasured' };
  const label = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(p.progress);
  return {
    kind: 'measured',
    percent: Math.min(100, Math.round(p.progress * 1000) / 10),
    reached: p.progress >= 1,
    label,
  };
}

/** A prorated count target: whole when it is, else one decimal ("9.7"). */
export function formatCountTarget(target: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(target);
}
