import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLE_DEFINITIONS, PERMISSION_CATALOG } from '../../../src/modules/org/builtin-roles';
import { AREA_NEEDS, customersLabelKey, kpiLabelKey, mayUse, type Area, type DataScope, type Grant } from './access';

/** Grants as `myPermissions` answers them: `resource:action` at one data scope. */
const at = (dataScope: DataScope, ...keys: string[]): Grant[] => keys.map((key) => ({ key, dataScope }));

/**
 * The built-in roles as the server grants them, read from the server's own
 * definitions (src/modules/org/builtin-roles.ts), so a change there shows
 * here; the admin's `*:*` is expanded to the whole catalogue, as
 * `myPermissions` answers it.
 */
function builtin(name: string): Grant[] {
  const role = BUILTIN_ROLE_DEFINITIONS.find((r) => r.name === name)!;
  const keys = role.permissions.includes('*:*')
    ? Object.entries(PERMISSION_CATALOG).flatMap(([resource, actions]) => actions.map((a) => `${resource}:${a}`))
    : role.permissions;
  return at(role.dataScope, ...keys);
}
const SALES = builtin('sales');
const MANAGER = builtin('manager');
const MARKETER = builtin('marketer');
const AUDITOR = builtin('auditor');
const ADMIN = builtin('admin');

const AREAS = Object.keys(AREA_NEEDS) as Area[];
const open = (grants: Grant[] | undefined) => AREAS.filter((a) => mayUse(a, grants));

describe('console access from permissions', () => {
  it('opens to a sales rep their customers, tasks, lost customers and moment tasks, nothing of a team or the admin', () => {
    expect(open(SALES)).toEqual([
      'home',
      'customers',
      'customer360',
      'tasks',
      'lostCustomers',
      'kpi',
      'momentTasks',
    ]);
  });

  it('opens to a manager the team pages, hand-overs and the customers, not My tasks (no notes, no moment tasks)', () => {
    expect(open(MANAGER)).toEqual([
      'home',
      'customers',
      'customer360',
      'lostCustomers',
      'kpi',
      'kpiTargets',
      'employees',
      'handovers',
      'handoverCreate',
    ]);
  });

  it('opens to a marketer the moments only: reading employees organization-wide is not the team page', () => {
    expect(open(MARKETER)).toEqual(['home', 'moments', 'momentCompose']);
  });

  it('opens to an auditor the chat audit pages only: conversations, search, alerts, rules, access log', () => {
    expect(open(AUDITOR)).toEqual([
      'home',
      'auditConversations',
      'auditSearch',
      'auditAlerts',
      'auditRules',
      'auditAccessLog',
    ]);
  });

  it('opens each audit page on its own permission, so a custom role can hold only some of them', () => {
    expect(open(at('DEPARTMENT', 'chat:read'))).toEqual(['home', 'auditConversations', 'auditSearch']);
    expect(open(at('SELF', 'alert:read'))).toEqual(['home', 'auditAlerts']);
    expect(open(at('ORGANIZATION', 'keywordRule:read'))).toEqual(['home', 'auditRules']);
    expect(open(at('ORGANIZATION', 'accessLog:read'))).toEqual(['home', 'auditAccessLog']);
    // Managing rules or updating alerts without reading them opens nothing.
    expect(open(at('ORGANIZATION', 'keywordRule:manage', 'alert:update'))).toEqual(['home']);
  });

  it('opens every area to the admin', () => {
    expect(open(ADMIN)).toEqual(AREAS);
  });

  it('opens the customers pages to a custom role granted customer:read, whatever its name', () => {
    const reader = at('SELF', 'customer:read');
    expect(open(reader)).toEqual(['home', 'customers', 'customer360', 'lostCustomers']);
    // With notes it gets My tasks; reaching a department with employee:read too, the team page.
    expect(mayUse('tasks', [...reader, ...at('SELF', 'customer:note')])).toBe(true);
    expect(mayUse('employees', at('DEPARTMENT', 'customer:read', 'employee:read'))).toBe(true);
    expect(mayUse('employees', [...at('DEPARTMENT', 'customer:read'), ...at('SELF', 'employee:read')])).toBe(false);
  });

  it('opens only Home before the permissions are known, or with none', () => {
    expect(open(undefined)).toEqual(['home']);
    expect(open([])).toEqual(['home']);
  });

  it('names the customers page by how far customer:read reaches', () => {
    expect(customersLabelKey(SALES)).toBe('nav.myCustomers');
    expect(customersLabelKey(MANAGER)).toBe('nav.teamCustomers');
    expect(customersLabelKey(ADMIN)).toBe('nav.allCustomers');
    expect(customersLabelKey(at('ORGANIZATION', 'customer:read'))).toBe('nav.allCustomers');
    expect([SALES, MANAGER, ADMIN].map(kpiLabelKey)).toEqual(['nav.myKpi', 'nav.teamKpi', 'nav.kpi']);
  });
});
