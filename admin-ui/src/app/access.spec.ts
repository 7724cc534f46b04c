import { describe, expect, it } from 'vitest';
import { AREA_NEEDS, customersLabelKey, mayUse, type Area, type DataScope, type Grant } from './access';

/** Grants as `myPermissions` answers them: `resource:action` at one data scope. */
const at = (dataScope: DataScope, ...keys: string[]): Grant[] => keys.map((key) => ({ key, dataScope }));

// The built-in roles as the server grants them (src/modules/org/builtin-roles.ts).
const SALES = at(
  'SELF',
  'organization:read',
  'department:read',
  'employee:read',
  'customer:read',
  'customer:create',
  'customer:update',
  'customer:tag',
  'customer:note',
  'customer:contact',
  'tag:read',
  'channel:read',
  'momentTask:read',
  'momentTask:confirm',
  'kpi:read',
);
const MANAGER = at(
  'DEPARTMENT',
  'organization:read',
  'department:read',
  'employee:read',
  'role:read',
  'customer:read',
  'tag:read',
  'channel:read',
  'handover:read',
  'handover:create',
  'kpi:read',
);
const MARKETER = at(
  'ORGANIZATION',
  'organization:read',
  'department:read',
  'employee:read',
  'tag:read',
  'moment:read',
  'moment:create',
  'moment:update',
  'moment:schedule',
  'moment:cancel',
  'moment:remind',
);
/** The admin's `*:*`, expanded by the server to the whole catalogue. */
const ADMIN = at(
  'ORGANIZATION',
  'organization:read',
  'organization:update',
  'department:read',
  'department:update',
  'employee:read',
  'employee:create',
  'employee:update',
  'role:read',
  'role:manage',
  'apiKey:read',
  'apiKey:create',
  'customer:read',
  'customer:note',
  'channel:manage',
  'handover:read',
  'handover:create',
  'moment:read',
  'moment:create',
  'momentTask:read',
  'chat:read',
  'keywordRule:read',
  'keywordRule:manage',
  'alert:read',
  'alert:update',
  'accessLog:read',
);
/** The built-in auditor (src/modules/org/builtin-roles.ts): chat audit, organization-wide, no customers. */
const AUDITOR = at(
  'ORGANIZATION',
  'organization:read',
  'department:read',
  'employee:read',
  'chat:read',
  'keywordRule:read',
  'keywordRule:manage',
  'alert:read',
  'alert:update',
  'accessLog:read',
);

const AREAS = Object.keys(AREA_NEEDS) as Area[];
const open = (grants: Grant[] | undefined) => AREAS.filter((a) => mayUse(a, grants));

describe('console access from permissions', () => {
  it('opens to a sales rep their customers, tasks and moment tasks, nothing of a team or the admin', () => {
    expect(open(SALES)).toEqual(['home', 'customers', 'customer360', 'tasks', 'momentTasks']);
  });

  it('opens to a manager the team pages, hand-overs and the customers, not My tasks (no notes, no moment tasks)', () => {
    expect(open(MANAGER)).toEqual(['home', 'customers', 'customer360', 'employees', 'handovers', 'handoverCreate']);
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
    expect(open(reader)).toEqual(['home', 'customers', 'customer360']);
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
  });
});
