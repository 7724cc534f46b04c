/**
 * Which console areas an employee may use, from the permissions the server
 * says they hold (`myPermissions`), never from role names: a custom role
 * granted customer:read sees the customers pages like a built-in one. The
 * server stays the authority (every query checks its permission); this only
 * keeps the console from offering what would be refused.
 */
export type Area =
  | 'home'
  | 'customers'
  | 'customer360'
  | 'tasks'
  | 'lostCustomers'
  | 'kpi'
  | 'kpiTargets'
  | 'employees'
  | 'handovers'
  | 'handoverCreate'
  | 'momentTasks'
  | 'moments'
  | 'momentCompose'
  | 'settings'
  | 'departments'
  | 'manageEmployees'
  | 'roles'
  | 'apiKeys'
  | 'channels'
  | 'apiExplorer'
  | 'auditConversations'
  | 'auditSearch'
  | 'auditAlerts'
  | 'auditRules'
  | 'auditAccessLog';

export type DataScope = 'ORGANIZATION' | 'DEPARTMENT' | 'SELF';

/** A permission the employee holds and how far it reaches (the widest scope of the roles granting it). */
export interface Grant {
  key: string;
  dataScope: DataScope;
}

/**
 * What an area needs: `resource:action`, or `resource:action@SCOPE` when it
 * must reach at least that far (a team page is no use to someone who reads
 * only themselves). Inner lists are all needed; the area opens when any one
 * of the outer lists is met.
 */
type Need = readonly (readonly string[])[] | 'everyone';

export const AREA_NEEDS: Record<Area, Need> = {
  home: 'everyone',
  customers: [['customer:read']],
  customer360: [['customer:read']],
  /** Follow-ups (who writes and completes them) or moments to post: either makes the page useful. */
  tasks: [['customer:read', 'customer:note'], ['momentTask:read']],
  /** Who left the customers one reads (KPI's lost-customers report). */
  lostCustomers: [['customer:read']],
  /** The KPI dashboard: a manager's team, a sales rep's own numbers, everyone's for an admin. */
  kpi: [['kpi:read']],
  /** The monthly targets editor: managers over their tree, admins everyone (sales read theirs on the dashboard). */
  kpiTargets: [['kpi:target', 'kpi:read']],
  /** The team page: employees of a department tree and the customers they hold. */
  employees: [['employee:read@DEPARTMENT', 'customer:read']],
  handovers: [['handover:read']],
  handoverCreate: [['handover:create']],
  /** The employee's own moment tasks. */
  momentTasks: [['momentTask:read']],
  moments: [['moment:read']],
  momentCompose: [['moment:create']],
  // The admin's pages (src/features/org-admin): the editors, not the read-only views.
  settings: [['organization:update']],
  departments: [['department:update']],
  /** Creating and editing employees, on the Employees page. */
  manageEmployees: [['employee:create', 'employee:update']],
  roles: [['role:read', 'role:manage']],
  apiKeys: [['apiKey:read']],
  channels: [['channel:manage']],
  /**
   * GraphiQL with the session's token (src/features/api-explorer), for those who create the API keys an integration
   * uses and try its operations first; it runs as the employee, so it could be offered to anyone, but for others it
   * would only be a page of refusals and jargon.
   */
  apiExplorer: [['apiKey:create']],
  // The auditor's pages (src/features/audit); the admin holds these permissions too.
  /** Conversations and their threads: reading them is logged, as is each search. */
  auditConversations: [['chat:read']],
  auditSearch: [['chat:read']],
  /** The alerts inbox: acknowledging and resolving need alert:update on top (offered only with it). */
  auditAlerts: [['alert:read']],
  /** The keyword rules: editing needs keywordRule:manage on top (offered only with it). */
  auditRules: [['keywordRule:read']],
  auditAccessLog: [['accessLog:read']],
};

const REACH: Record<DataScope, number> = { SELF: 0, DEPARTMENT: 1, ORGANIZATION: 2 };

/** The grant of `key` (e.g. `customer:read`) the employee holds, if any. */
export function grantOf(key: string, grants: readonly Grant[] | undefined): Grant | undefined {
  return grants?.find((g) => g.key === key);
}

function meets(requirement: string, grants: readonly Grant[] | undefined): boolean {
  const [key, scope] = requirement.split('@') as [string, DataScope | undefined];
  const grant = grantOf(key, grants);
  return !!grant && (!scope || REACH[grant.dataScope] >= REACH[scope]);
}

export function mayUse(area: Area, grants: readonly Grant[] | undefined): boolean {
  const need = AREA_NEEDS[area];
  if (need === 'everyone') return true;
  return need.some((all) => all.every((r) => meets(r, grants)));
}

/** "My customers" for those who read only their own, "Team customers" for a department tree, "Customers" for all. */
export function customersLabelKey(grants: readonly Grant[] | undefined): string {
  const scope = grantOf('customer:read', grants)?.dataScope;
  if (scope === 'ORGANIZATION') return 'nav.allCustomers';
  if (scope === 'DEPARTMENT') return 'nav.teamCustomers';
  return 'nav.myCustomers';
}

/** "My KPI" for those who read only their own, "Team KPI" for a department tree, "KPI" for all. */
export function kpiLabelKey(grants: readonly Grant[] | undefined): string {
  const scope = grantOf('kpi:read', grants)?.dataScope;
  if (scope === 'ORGANIZATION') return 'nav.kpi';
  if (scope === 'DEPARTMENT') return 'nav.teamKpi';
  return 'nav.myKpi';
}
