import { BuiltinRole } from '../../core/authz/authz.model';

/**
 * The five built-in roles (DOMAIN.md). Their permissions are shared by every
 * organization; each organization gets a row per role (with its data scope) at
 * sign-up so custom roles sit beside them.
 */
export const BUILTIN_ROLE_DEFINITIONS: BuiltinRole[] = [
  {
    name: 'admin',
    description: 'Everything, including settings, roles and API keys.',
    dataScope: 'ORGANIZATION',
    permissions: ['*:*'],
  },
  {
    name: 'manager',
    description: 'Reads employees, customers and KPI of their department tree; hands over customers. No chat content.',
    dataScope: 'DEPARTMENT',
    permissions: [
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
    ],
  },
  {
    name: 'sales',
    description: 'Their own customers: read, update, tag, notes; their own moment tasks and KPI.',
    dataScope: 'SELF',
    permissions: [
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
    ],
  },
  {
    name: 'marketer',
    description: 'Moments: create, schedule, cancel, remind; reads tags, departments and employees.',
    dataScope: 'ORGANIZATION',
    permissions: [
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
    ],
  },
  {
    name: 'auditor',
    description: 'Chat audit: conversations, messages, search, keyword rules, alerts and the access log.',
    dataScope: 'ORGANIZATION',
    permissions: [
      'organization:read',
      'department:read',
      'employee:read',
      'chat:read',
      'keywordRule:read',
      'keywordRule:manage',
      'alert:read',
      'alert:update',
      'accessLog:read',
    ],
  },
];

/** Every `resource:action` a custom role may be granted. */
export const PERMISSION_CATALOG: Record<string, string[]> = {
  organization: ['read', 'update'],
  department: ['read', 'create', 'update', 'delete'],
  employee: ['read', 'create', 'update'],
  role: ['read', 'manage'],
  apiKey: ['read', 'create', 'revoke'],
  customer: ['read', 'create', 'update', 'tag', 'note', 'contact', 'record', 'import'],
  tag: ['read', 'manage'],
  channel: ['read', 'manage'],
  handover: ['read', 'create', 'respond'],
  moment: ['read', 'create', 'update', 'schedule', 'cancel', 'remind', 'interact'],
  momentTask: ['read', 'confirm'],
  chat: ['read', 'ingest', 'consent'],
  keywordRule: ['read', 'manage'],
  alert: ['read', 'update'],
  accessLog: ['read'],
  kpi: ['read'],
};

export const BUILTIN_ROLE_NAMES = BUILTIN_ROLE_DEFINITIONS.map((r) => r.name);
