import { randomBytes } from 'node:crypto';
import { AppError } from 'src/core/errors/app-error';

/** WeCom limits a contact way's state to 30 characters; we allow the URL-safe ones. */
export const STATE_RE = /^[A-Za-z0-9_-]{1,30}$/;

/** Statistics cover at most this many days per request. */
export const MAX_STATS_DAYS = 366;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A short random state (`ch_` + 8 of [a-z0-9]: 2.8e12 values) for channels created without one. */
export function generateState(): string {
  const bytes = randomBytes(8);
  let s = 'ch_';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}

const DAY_MS = 86_400_000;

/**
 * Number of days from `from` to `to` inclusive (both YYYY-MM-DD, already
 * parsed by the Date scalar). BAD_USER_INPUT when `to` is before `from` or the
 * range exceeds MAX_STATS_DAYS.
 */
export function statsRangeDays(from: string, to: string): number {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
  if (!Number.isFinite(days)) throw AppError.badInput('from', 'must be a date YYYY-MM-DD');
  if (days < 1) throw AppError.badInput('to', `must be on or after from (${from})`);
  if (days > MAX_STATS_DAYS)
    throw AppError.badInput('to', `the range may cover at most ${MAX_STATS_DAYS} days (got ${days})`);
  return days;
}

export interface StatsSummary {
  added: number;
  stillActive: number;
  lost: number;
}

export interface StatsPoint {
  date: string;
  summary: StatsSummary;
}

export function sumPoints(points: StatsPoint[]): StatsSummary {
  return points.reduce(
    (t, { summary: d }) => ({
      added: t.added + d.added,
      stillActive: t.stillActive + d.stillActive,
      lost: t.lost + d.lost,
    }),
    { added: 0, stillActive: 0, lost: 0 },
  );
}
