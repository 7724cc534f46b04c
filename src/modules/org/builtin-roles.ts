import { BuiltinRole } from 'src/core/authz/authz.model';

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
      'kpi:target',
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

/**
 * Every `resource:action` a custom role may be granted, with what it allows
 * (served by the `permissionCatalog` query so the console can explain each one).
 */
export const PERMISSION_DESCRIPTIONS: Record<string, Record<string, string>> = {
  organization: {
    read: 'See the organization and its settings.',
    update: 'Change the organization settings (time zone, transfer and moment rules, chat retention).',
  },
  department: {
    read: 'See the department tree.',
    create: 'Create departments.',
    update: 'Rename and move departments.',
    delete: 'Delete empty departments.',
  },
  employee: {
    read: 'See employees within the data scope.',
    create: 'Create employees and their logins.',
    update: 'Change employees: roles, department, capacity, status and password.',
  },
  role: { read: 'See roles and the permission catalogue.', manage: 'Create, change and delete custom roles.' },
  apiKey: { read: 'See API keys (never their secrets).', create: 'Create API keys.', revoke: 'Revoke API keys.' },
  customer: {
    read: 'See customers within the data scope.',
    create: 'Create customers.',
    update: 'Change customers’ profiles and stages.',
    tag: 'Tag and untag customers.',
    note: 'Write notes and follow-up tasks on customers.',
    contact: 'See customers’ full phone numbers (masked otherwise).',
    record: 'Record WeCom events: a customer added or removed an employee (connectors).',
    import: 'Import customers in bulk.',
  },
  tag: { read: 'See tag groups and tags.', manage: 'Create, rename and delete tag groups and tags.' },
  channel: { read: 'See channels and their statistics.', manage: 'Create, change and archive channels.' },
  handover: {
    read: 'See hand-overs and their transfers.',
    create: 'Depart employees and transfer their customers.',
    respond: 'Record customers’ answers to transfers (connectors).',
  },
  moment: {
    read: 'See moments and their tasks.',
    create: 'Draft moments.',
    update: 'Edit draft and scheduled moments.',
    schedule: 'Schedule and reschedule moments.',
    cancel: 'Cancel moments.',
    remind: 'Remind employees of unconfirmed moment tasks.',
    interact: 'Record likes and comments on moments (connectors).',
  },
  momentTask: { read: 'See one’s own moment tasks.', confirm: 'Confirm one’s own moment tasks as published.' },
  chat: {
    read: 'Read archived conversations and search messages.',
    ingest: 'Send archived messages in (connectors).',
    consent: 'Record customers’ consent to chat archiving.',
  },
  keywordRule: { read: 'See keyword rules.', manage: 'Create, change and delete keyword rules.' },
  alert: { read: 'See keyword alerts.', update: 'Handle keyword alerts.' },
  accessLog: { read: 'See who read which conversations.' },
  kpi: {
    read: 'See KPI and KPI targets within the data scope.',
    target: 'Set monthly KPI targets of employees and departments within the data scope.',
  },
};

/** Every `resource:action` a custom role may be granted. */
export const PERMISSION_CATALOG: Record<string, string[]> = Object.fromEntries(
  Object.entries(PERMISSION_DESCRIPTIONS).map(([resource, actions]) => [resource, Object.keys(actions)]),
);

export const BUILTIN_ROLE_NAMES = BUILTIN_ROLE_DEFINITIONS.map((r) => r.name);
