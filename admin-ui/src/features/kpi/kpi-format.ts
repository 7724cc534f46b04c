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
