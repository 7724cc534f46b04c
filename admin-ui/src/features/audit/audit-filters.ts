import type { ChatSearchFilter, ConversationFilter, SenderType } from './audit.generated';
import { dayRangeFilter, validDay, type DayRange } from './day-range';

export { rangeIsBackwards } from './day-range';

export const SENDER_TYPES: readonly SenderType[] = ['EMPLOYEE', 'CUSTOMER'];

/** Filters of the conversations browser and the search page, kept in the URL (reload, share, go back). */
export interface AuditFilters extends DayRange {
  employeeIds: string[];
  customerId?: string;
  senderType?: SenderType;
}

export const NO_AUDIT_FILTERS: AuditFilters = { employeeIds: [] };

export function auditFiltersFromParams(params: URLSearchParams): AuditFilters {
  const sender = params.get('sender');
  return {
    employeeIds: params.getAll('employee').filter(Boolean),
    customerId: params.get('customer') || undefined,
    senderType: SENDER_TYPES.find((s) => s === sender),
    fromDay: validDay(params.get('from')),
    toDay: validDay(params.get('to')),
  };
}

/** The filters as URL parameters; other parameters (the search query) are kept. */
export function auditFiltersToParams(f: AuditFilters, keep?: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  if (keep?.get('q')) params.set('q', keep.get('q') as string);
  for (const id of f.employeeIds) params.append('employee', id);
  if (f.customerId) params.set('customer', f.customerId);
  if (f.senderType) params.set('sender', f.senderType);
  if (f.fromDay) params.set('from', f.fromDay);
  if (f.toDay) params.set('to', f.toDay);
  return params;
}

/** The conversations browser's filter: one employee (the first chosen), one customer, a date range. */
export function toConversationFilter(f: AuditFilters): ConversationFilter | undefined {
  const filter: ConversationFilter = {
    ...(f.employeeIds[0] ? { employeeId: f.employeeIds[0] } : {}),
    ...(f.customerId ? { customerId: f.customerId } : {}),
    ...dayRangeFilter(f),
  };
  return Object.keys(filter).length ? filter : undefined;
}

/** The search's filter: any of the chosen employees (an empty list would mean "none of"), customer, sender, dates. */
export function toSearchFilter(f: AuditFilters): ChatSearchFilter | undefined {
  const filter: ChatSearchFilter = {
    ...(f.employeeIds.length ? { employeeIds: f.employeeIds } : {}),
    ...(f.customerId ? { customerId: f.customerId } : {}),
    ...(f.senderType ? { senderType: f.senderType } : {}),
    ...dayRangeFilter(f),
  };
  return Object.keys(filter).length ? filter : undefined;
}

export const hasAuditFilters = (f: AuditFilters) =>
  f.employeeIds.length > 0 || !!f.customerId || !!f.senderType || !!f.fromDay || !!f.toDay;

/** The server's limit on a search query (src/modules/chat-audit/services/chat-read.service.ts MAX_SEARCH_QUERY). */
export const MAX_QUERY_CHARS = 100;

/** Why a query cannot be searched, or null: the box says it before the server would refuse it. */
export function queryProblem(query: string): 'empty' | 'tooLong' | null {
  const q = query.trim();
  if (!q) return 'empty';
  if ([...q].length > MAX_QUERY_CHARS) return 'tooLong';
  return null;
}
