/**
 * Which console areas each built-in role may use. The server stays the
 * authority (every query checks its permission); this only keeps the console
 * from offering what would be refused. Custom roles see the pages of the
 * built-in role names they carry (none otherwise: Home only).
 */
export type Area =
  | 'home'
  | 'customers'
  | 'customer360'
  | 'employees'
  | 'handovers'
  | 'momentTasks'
  | 'moments'
  | 'settings'
  | 'departments'
  | 'manageEmployees'
  | 'roles'
  | 'apiKeys'
  | 'channels'
  | 'apiExplorer';

export const AREA_ROLES: Record<Area, readonly string[] | 'everyone'> = {
  home: 'everyone',
  customers: ['admin', 'manager', 'sales'],
  customer360: ['admin', 'manager', 'sales'],
  employees: ['admin', 'manager'],
  /** Departures and on-the-job transfers (handover:read, handover:create). */
  handovers: ['admin', 'manager'],
  /** The employee's own moment tasks (momentTask:read). */
  momentTasks: ['admin', 'sales'],
  /** The moments calendar, composer and detail (moment:read, create, schedule, cancel, remind). */
  moments: ['admin', 'marketer'],
  // The admin's pages (src/features/org-admin).
  settings: ['admin'],
  departments: ['admin'],
  /** Creating and editing employees, on the Employees page (employee:create, employee:update). */
  manageEmployees: ['admin'],
  roles: ['admin'],
  apiKeys: ['admin'],
  channels: ['admin'],
  /**
   * GraphiQL with the session's token (src/features/api-explorer). Admins: they create the API keys an integration
   * uses and try its operations first; it runs as the employee, so it could be offered to anyone, but for the other
   * roles it would only be a page of refusals and jargon.
   */
  apiExplorer: ['admin'],
};

export function mayUse(area: Area, roles: readonly string[] | undefined): boolean {
  const allowed = AREA_ROLES[area];
  if (allowed === 'everyone') return true;
  return !!roles?.some((r) => allowed.includes(r));
}

/** "My customers" for a sales rep, "Team customers" for a manager, "Customers" for an admin. */
export function customersLabelKey(roles: readonly string[] | undefined): string {
  if (roles?.includes('admin')) return 'nav.allCustomers';
  if (roles?.includes('manager')) return 'nav.teamCustomers';
  return 'nav.myCustomers';
}
