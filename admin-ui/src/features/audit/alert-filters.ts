import type { AlertStatus, AuditAlertFilter } from '../../gql/graphql';
import { dayRangeFilter, midnight, validDay, type DayRange } from './day-range';

export const ALERT_STATUSES: readonly AlertStatus[] = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'];

/** The inbox's filters, kept in the URL. With no status chosen the inbox shows what still needs someone. */
export interface AlertFilters extends DayRange {
  statuses: AlertStatus[];
  ruleId?: string;
  employeeId?: string;
}

/** What an inbox shows by default: alerts nobody has resolved yet. */
export const DEFAULT_STATUSES: readonly AlertStatus[] = ['OPEN', 'ACKNOWLEDGED'];

export function alertFiltersFromParams(params: URLSearchParams): AlertFilters {
  const raw = params.getAll('status');
  const statuses = ALERT_STATUSES.filter((s) => raw.includes(s));
  return {
    // `status=ALL` keeps "every status" distinguishable from "no parameter" (the default).
    statuses: raw.includes('ALL') ? [...ALERT_STATUSES] : statuses.length ? statuses : [...DEFAULT_STATUSES],
    ruleId: params.get('rule') || undefined,
    employeeId: params.get('employee') || undefined,
    fromDay: validDay(params.get('from')),
    toDay: validDay(params.get('to')),
  };
}

export function alertFiltersToParams(f: AlertFilters): URLSearchParams {
  const params = new URLSearchParams();
  const isDefault =
    f.statuses.length === DEFAULT_STATUSES.length && DEFAULT_STATUSES.every((s) => f.statuses.includes(s));
  if (f.statuses.length === 0 || f.statuses.length === ALERT_STATUSES.length) params.append('status', 'ALL');
  else if (!isDefault) for (const s of f.statuses) params.append('status', s);
  if (f.ruleId) params.set('rule', f.ruleId);
  if (f.employeeId) params.set('employee', f.employeeId);
  if (f.fromDay) params.set('from', f.fromDay);
  if (f.toDay) params.set('to', f.toDay);
  return params;
}

export function toAlertFilter(f: AlertFilters): AuditAlertFilter {
  return {
    ...(f.statuses.length && f.statuses.length < ALERT_STATUSES.length ? { status: f.statuses } : {}),
    ...(f.ruleId ? { ruleId: f.ruleId } : {}),
    ...(f.employeeId ? { employeeId: f.employeeId } : {}),
    ...dayRangeFilter(f),
  };
}

/** The next steps of an alert's workflow: acknowledge an open one, resolve an open or acknowledged one. */
export function nextSteps(status: AlertStatus): AlertStatus[] {
  if (status === 'OPEN') return ['ACKNOWLEDGED', 'RESOLVED'];
  if (status === 'ACKNOWLEDGED') return ['RESOLVED'];
  return [];
}

/**
 * Whether a live alert belongs on the page as filtered: the subscription sends every new alert the viewer may see;
 * the page shows it only when its filters would list it (new alerts are OPEN).
 */
export function liveAlertShown(f: AlertFilters, alert: { ruleId: string; employeeId: string; createdAt: string }) {
  if (!f.statuses.includes('OPEN')) return false;
  if (f.ruleId && f.ruleId !== alert.ruleId) return false;
  if (f.employeeId && f.employeeId !== alert.employeeId) return false;
  const at = Date.parse(alert.createdAt);
  if (f.fromDay && at < Date.parse(midnight(f.fromDay))) return false;
  if (f.toDay && at >= Date.parse(midnight(f.toDay, 1))) return false;
  return true;
}
