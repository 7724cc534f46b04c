/**
 * Which days a rollup recomputes: some (owner, day) pairs (an incremental update), or every owner over a
 * range of days (a rebuild). Days are dates (YYYY-MM-DD) of a time zone given beside the selection.
 */
export type DaySelection =
  | { kind: 'pairs'; ownerIds: readonly string[]; days: readonly string[] }
  | { kind: 'range'; from: string; to: string };

/**
 * The predicate "`tsColumn` falls on a selected day of its `ownerColumn`'s, in time zone `timezone`", with its
 * parameters appended to `params`. Pairs also filter on the owner list first, so that an index starting with
 * the owner column serves it.
 */
export function daySelectionPredicate(
  sel: DaySelection,
  ownerColumn: string,
  tsColumn: string,
  timezone: string,
  params: unknown[],
): string {
  params.push(timezone);
  const tz = `$${params.length}`;
  if (sel.kind === 'range') {
    params.push(sel.from, sel.to);
    const [from, to] = [params.length - 1, params.length];
    return `(${tsColumn} >= ($${from}::date::timestamp AT TIME ZONE ${tz})
             AND ${tsColumn} < (($${to}::date + 1)::timestamp AT TIME ZONE ${tz}))`;
  }
  params.push(sel.ownerIds, sel.days);
  const [owners, days] = [params.length - 1, params.length];
  return `(${ownerColumn} = ANY($${owners}::uuid[])
           AND EXISTS (SELECT 1 FROM unnest($${owners}::uuid[], $${days}::date[]) sel(owner_id, day)
                        WHERE sel.owner_id = ${ownerColumn}
                          AND ${tsColumn} >= (sel.day::timestamp AT TIME ZONE ${tz})
                          AND ${tsColumn} < ((sel.day + 1)::timestamp AT TIME ZONE ${tz})))`;
}

/** A change at `at` to rows of `owner_id` in organization `org_id` (what a rollup hook is told, as SQL rows). */
export interface OwnerChangeRow {
  org_id: string;
  owner_id: string;
  at: Date;
}
