export type DueState = 'overdue' | 'today' | 'later' | 'none';

/**
 * Where an open follow-up stands against its due time, in the browser's time
 * zone: past due (overdue), due later today, due another day, or undated. A
 * completed task is never overdue.
 */
export function dueState(
  dueAt: string | null | undefined,
  doneAt: string | null | undefined,
  now = new Date(),
): DueState {
  if (!dueAt) return 'none';
  const due = new Date(dueAt);
  if (doneAt) return 'later';
  if (due.getTime() < now.getTime()) return 'overdue';
  const endOfToday = new Date(now);
  endOfToday.setHours(23, 59, 59, 999);
  return due.getTime() <= endOfToday.getTime() ? 'today' : 'later';
}
