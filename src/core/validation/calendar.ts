/**
 * The calendar formats that inputs carry as text: a month (`YYYY-MM`) and a day (`YYYY-MM-DD`). One rule each,
 * shared by the GraphQL Date scalar, the input DTOs (calendar.decorator.ts), the CSV export's query string and the
 * CLI, so a day one of them takes is never refused by another.
 */

/** YYYY-MM from 2000-01 to 2100-12: the months KPI targets and reports cover. */
const MONTH_RE = /^(20\d\d|2100)-(0[1-9]|1[0-2])$/;
export const MONTH_MESSAGE = 'must be a month YYYY-MM from 2000-01 to 2100-12';

export const isMonth = (value: unknown): value is string => typeof value === 'string' && MONTH_RE.test(value);

/** The shape of a day; `isIsoDate` also asks that the day exists. */
export const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const ISO_DATE_MESSAGE = 'must be a date YYYY-MM-DD';

/**
 * A day that exists, YYYY-MM-DD, years 0001-9999. `Date.parse('2025-02-30')` is a number (JavaScript rolls it
 * over to March 2) while PostgreSQL refuses it, so the day must read back the same; year 0 is no year to
 * PostgreSQL (1 BC is followed by AD 1).
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE_RE.test(value) || value.startsWith('0000')) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
