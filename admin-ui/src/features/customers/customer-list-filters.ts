import type { CustomerFilter, CustomerStage } from './customer.generated';

export const CUSTOMER_STAGES: readonly CustomerStage[] = [
  'NEW',
  'CONTACTED',
  'INTERESTED',
  'NEGOTIATING',
  'WON',
  'LOST',
];

/** What the list's filter bar holds; kept in the URL so a filtered list can be reloaded, shared and gone back to. */
export interface CustomerListFilters {
  search: string;
  stages: CustomerStage[];
  tagIds: string[];
  /** A channel's state code. */
  state?: string;
}

export const NO_FILTERS: CustomerListFilters = { search: '', stages: [], tagIds: [] };

/** The API's CustomerFilter, without empty parts (an empty list would mean "none of"). */
export function toCustomerFilter(f: CustomerListFilters): CustomerFilter | undefined {
  const filter: CustomerFilter = {};
  if (f.search.trim()) filter.search = f.search.trim();
  if (f.stages.length) filter.stages = f.stages;
  if (f.tagIds.length) filter.tagIds = f.tagIds;
  if (f.state) filter.state = f.state;
  return Object.keys(filter).length ? filter : undefined;
}

export function filtersFromParams(params: URLSearchParams): CustomerListFilters {
  const stages = params.getAll('stage').filter((s): s is CustomerStage => (CUSTOMER_STAGES as string[]).includes(s));
  return {
    search: params.get('q') ?? '',
    stages,
    tagIds: params.getAll('tag'),
    state: params.get('channel') ?? undefined,
  };
}

export function filtersToParams(f: CustomerListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.search.trim()) params.set('q', f.search.trim());
  for (const s of f.stages) params.append('stage', s);
  for (const t of f.tagIds) params.append('tag', t);
  if (f.state) params.set('channel', f.state);
  return params;
}
