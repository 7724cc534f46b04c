import { types } from 'pg';

/** PostgreSQL's type oid of `timestamp with time zone`. */
const TIMESTAMPTZ = 1184;

const defaultTimestamptz = types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date | number | null;

/** The digit at `i` (0-9), or -1 for anything else. */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * PostgreSQL's text form of a timestamptz, as the server writes it with
 * DateStyle ISO: `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]`. A list page carries
 * several hundred of them and the generic parser (pg-types' postgres-date,
 * three regular expressions per value) was about 5 % of the server's CPU per
 * page (README "Benchmarks"); this reads the fixed positions directly. Anything
 * else (infinity, BC, years before 1000 or after 9999, offsets with seconds)
 * goes to the generic parser, so the result is always the same Date.
 */
export function parseTimestamptz(s: string): Date | number | null {
  const n = s.length;
  if (
    n >= 22 &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 32 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58
  ) {
    const century = two(s, 0);
    const yy = two(s, 2);
    const month = two(s, 5);
    const day = two(s, 8);
    const hour = two(s, 11);
    const minute = two(s, 14);
    const second = two(s, 17);
    if (century >= 10 && yy >= 0 && month >= 1 && day >= 1 && hour >= 0 && minute >= 0 && second >= 0) {
      let i = 19;
      let ms = 0;
      if (s.charCodeAt(i) === 46) {
        i++;
        let places = 0;
        for (let d = digit(s, i); d >= 0; d = digit(s, ++i)) {
          if (places < 3) ms = ms * 10 + d;
          places++;
        }
        if (!places) return defaultTimestamptz(s);
        for (; places < 3; places++) ms *= 10;
      }
      const sign = s.charCodeAt(i);
      const offsetHours = two(s, i + 1);
      if ((sign === 43 || sign === 45) && offsetHours >= 0) {
        let offsetMinutes = 0;
        let end = i + 3;
        if (s.charCodeAt(end) === 58) {
          offsetMinutes = two(s, end + 1);
          end += 3;
        }
        if (end === n && offsetMinutes >= 0) {
          const offset = (offsetHours * 60 + offsetMinutes) * 60_000 * (sign === 43 ? 1 : -1);
          return new Date(Date.UTC(century * 100 + yy, month - 1, day, hour, minute, second, ms) - offset);
        }
      }
    }
  }
  return defaultTimestamptz(s);
}

/**
 * The type parsers of the application's pool (`pg` Pool option `types`):
 * pg's own, except a faster reader of timestamptz. Scoped to the pool, so
 * other pg clients in the process keep the defaults.
 */
export const POOL_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === TIMESTAMPTZ && format !== 'binary') return parseTimestamptz;
    return format ? types.getTypeParser(oid, format) : types.getTypeParser(oid);
  },
};
