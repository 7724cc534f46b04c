export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar day, YYYY-MM-DD, in the organization time zone. */
  Date: { input: string; output: string; }
  /** A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format. */
  DateTime: { input: string; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

export type AddCustomerNoteInput = {
  body: Scalars['String']['input'];
  customerId: Scalars['ID']['input'];
  dueAt?: InputMaybe<Scalars['DateTime']['input']>;
  kind?: InputMaybe<NoteKind>;
};

export type AddWay =
  | 'GROUP_CHAT'
  | 'IMPORT'
  | 'OTHER'
  | 'PHONE_SEARCH'
  | 'QR_CODE'
  | 'SHARED_CARD'
  | 'TRANSFER';

export type AlertStatus =
  | 'ACKNOWLEDGED'
  | 'OPEN'
  | 'RESOLVED';

export type AttachmentType =
  | 'IMAGE'
  | 'LINK'
  | 'VIDEO';

export type AuditAlertFilter = {
  /** The conversation’s employee. */
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  /** Alerts raised at or after this time. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  ruleId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<Array<AlertStatus>>;
  /** Alerts raised before this time. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type ChangeMyPasswordInput = {
  currentPassword: Scalars['String']['input'];
  /** At least 8 characters and hard to guess (not common, not built from your e-mail, name or organization). */
  newPassword: Scalars['String']['input'];
};

export type ChannelFilter = {
  /** true: only archived channels; false: only live ones; omitted: both. */
  archived?: InputMaybe<Scalars['Boolean']['input']>;
  /** Channels served by this employee. */
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  /** Substring of the name or the state (case-insensitive). */
  search?: InputMaybe<Scalars['String']['input']>;
};

export type ChatMessageInput = {
  /** WeCom external_userid, when customerId is not given. */
  customerExternalId?: InputMaybe<Scalars['String']['input']>;
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** WeCom userid, when employeeId is not given. */
  employeeExternalId?: InputMaybe<Scalars['String']['input']>;
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  /** The source system's message id (WeCom msgid); ingest is idempotent on it. */
  externalId: Scalars['String']['input'];
  /** Type-specific content (file name, link, location...); at most 16 KiB as JSON. */
  payload?: InputMaybe<Scalars['JSON']['input']>;
  senderType: SenderType;
  /** At most 5 minutes in the future. */
  sentAt: Scalars['DateTime']['input'];
  /** Required for TEXT; at most 10,000 characters. */
  text?: InputMaybe<Scalars['String']['input']>;
  type: MessageType;
};

export type ChatSearchFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  employeeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Messages sent at or after this time. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  senderType?: InputMaybe<SenderType>;
  /** Messages sent before this time. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type ConsentStatus =
  | 'AGREED'
  | 'DISAGREED'
  | 'UNKNOWN';

export type ConversationFilter = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Employees of this department and its sub-departments. */
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  /** Conversations with a message at or after this time. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** Conversations with a message before this time. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Whether a count is exact, or a floor (more match than were counted). */
export type CountPrecision =
  | 'AT_LEAST'
  | 'EXACT';

export type CreateApiKeyInput = {
  name: Scalars['String']['input'];
  roles: Array<Scalars['String']['input']>;
};

export type CreateChannelInput = {
  /** Active employees who serve the channel (at least one, at most 100). */
  employeeIds: Array<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  /** The attribution code (1-30 of A-Z a-z 0-9 _ -), unique in the organization. Generated (ch_xxxxxxxx) when omitted. */
  state?: InputMaybe<Scalars['String']['input']>;
  /** Tags given to every customer added through the channel. */
  tagIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  welcomeMessage?: InputMaybe<Scalars['String']['input']>;
};

export type CreateCustomerInput = {
  addWay?: InputMaybe<AddWay>;
  customer: CustomerInput;
  employeeId: Scalars['ID']['input'];
  remark?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
  tagIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type CreateDepartmentInput = {
  name: Scalars['String']['input'];
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateEmployeeInput = {
  customerCapacity?: InputMaybe<Scalars['Int']['input']>;
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  email: Scalars['String']['input'];
  externalId?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** Without one the employee cannot log in. Same policy as signUp. */
  password?: InputMaybe<Scalars['String']['input']>;
  roles?: InputMaybe<Array<Scalars['String']['input']>>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type CreateMomentInput = {
  /** Up to 9 IMAGEs, or exactly one VIDEO, or exactly one LINK (with a title); kinds never mix. */
  attachments?: InputMaybe<Array<MomentAttachmentInput>>;
  audience: MomentAudienceInput;
  /** Null keeps the moment a DRAFT. A time in the past is BAD_USER_INPUT. */
  scheduledAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** At most 2000 characters, not blank. */
  text: Scalars['String']['input'];
};

export type CreateTagGroupInput = {
  name: Scalars['String']['input'];
  tagNames: Array<Scalars['String']['input']>;
};

export type CustomerFilter = {
  /** A relation was added at or after this time. */
  addedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** A relation was added before this time. */
  addedBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Customers with an active relation to an employee of this department tree. */
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  /** Customers with an active relation to any of these employees. */
  employeeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Substring of name, company, a relation remark or, where the viewer sees it unmasked, the phone (Chinese or English). */
  search?: InputMaybe<Scalars['String']['input']>;
  stages?: InputMaybe<Array<CustomerStage>>;
  /** A relation was added through the channel with this state. */
  state?: InputMaybe<Scalars['String']['input']>;
  /** Customers having any of these tags. */
  tagIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Customers with no active relation (e.g. refused a transfer after a departure). */
  unassigned?: InputMaybe<Scalars['Boolean']['input']>;
};

export type CustomerInput = {
  company?: InputMaybe<Scalars['String']['input']>;
  externalId?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
  stage?: InputMaybe<CustomerStage>;
};

export type CustomerOrder = {
  direction: OrderDirection;
  field: CustomerOrderField;
};

export type CustomerOrderField =
  | 'CREATED_AT'
  | 'LAST_CONTACT_AT'
  | 'NAME'
  | 'UPDATED_AT';

export type CustomerStage =
  | 'CONTACTED'
  | 'INTERESTED'
  | 'LOST'
  | 'NEGOTIATING'
  | 'NEW'
  | 'WON';

/** Which rows a role reaches: the whole organization, the holder’s department tree, or only their own. */
export type DataScope =
  | 'DEPARTMENT'
  | 'ORGANIZATION'
  | 'SELF';

export type DepartEmployeeInput = {
  employeeId: Scalars['ID']['input'];
  message?: InputMaybe<Scalars['String']['input']>;
  takeover: TakeoverInput;
};

export type DistributionStrategy =
  /** Each customer goes to the candidate with the most free capacity. */
  | 'LEAST_LOADED'
  /** Customers are dealt to takeoverEmployeeIds in turn. */
  | 'ROUND_ROBIN'
  /** All customers go to the first employee in takeoverEmployeeIds. */
  | 'SINGLE';

export type EmployeeFilter = {
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  includeSubDepartments?: InputMaybe<Scalars['Boolean']['input']>;
  role?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Array<EmployeeStatus>>;
};

export type EmployeeStatus =
  | 'ACTIVE'
  | 'DEPARTED'
  | 'SUSPENDED';

export type HandoverFilter = {
  fromEmployeeId?: InputMaybe<Scalars['ID']['input']>;
  kind?: InputMaybe<TransferKind>;
};

export type IngestChatMessagesInput = {
  messages: Array<ChatMessageInput>;
};

export type InteractionKind =
  | 'COMMENT'
  | 'LIKE';

export type KeywordMatchKind =
  | 'KEYWORD'
  | 'SEMANTIC';

export type KeywordRuleInput = {
  /** Both when omitted. */
  appliesTo?: InputMaybe<Array<SenderType>>;
  /** Empty means the whole organization; with sub-departments. */
  departmentIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Matched as case-insensitive substrings (NFKC: full-width letters too); each 1-100 characters, at most 1,000 per rule and 10,000 per organization. May be empty when semantics are given. */
  keywords: Array<Scalars['String']['input']>;
  /** 1-100 characters. */
  name: Scalars['String']['input'];
  /** Employees told of each alert in their inbox (AUDIT_ALERT). */
  notifyEmployeeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  semantics?: InputMaybe<Array<Semantic>>;
  severity?: InputMaybe<Severity>;
};

export type KpiDashboardInput = {
  /** Only the employees of this department and its sub-departments (within your data scope). */
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  /** Only these employees (each within your data scope). */
  employeeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** First day, in the organization time zone. */
  from: Scalars['Date']['input'];
  /** Last day (inclusive); at most 366 days after `from`. */
  to: Scalars['Date']['input'];
};

export type KpiRankField =
  | 'AVG_FIRST_RESPONSE_SECONDS'
  | 'CHATS'
  | 'MESSAGES_SENT'
  | 'MOMENT_TASKS_PUBLISHED'
  | 'NEW_CUSTOMERS'
  | 'REPLY_RATE';

/** OWN: the subject’s own target (an employee’s, or a department’s own); MEMBERS: none of its own, so the targets of the covered employees that have one (counts summed, rates and times averaged); NONE: no target. */
export type KpiTargetSource =
  | 'MEMBERS'
  | 'NONE'
  | 'OWN';

/** EMPLOYEE: one employee (listed alone, or a sales rep’s own dashboard); DEPARTMENT: a department tree (selected, or a manager’s own); ORGANIZATION: everyone; EMPLOYEES: several listed employees. */
export type KpiTargetSubject =
  | 'DEPARTMENT'
  | 'EMPLOYEE'
  | 'EMPLOYEES'
  | 'ORGANIZATION';

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
  slug: Scalars['String']['input'];
};

/** Which lost customers to list: relations their customer ended in [from, to). */
export type LostCustomersFilter = {
  /** Only employees of this department tree. */
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  /** Only this employee. */
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};

/** Either ids (at most 200, each one of your own notifications) or all: true. */
export type MarkNotificationsReadInput = {
  /** Marks every notification of yours read. */
  all?: InputMaybe<Scalars['Boolean']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type MessageType =
  | 'AGREE'
  | 'CARD'
  | 'DISAGREE'
  | 'FILE'
  | 'IMAGE'
  | 'LINK'
  | 'LOCATION'
  | 'MINI_PROGRAM'
  | 'OTHER'
  | 'REVOKE'
  | 'TEXT'
  | 'VIDEO'
  | 'VOICE';

export type MomentAttachmentInput = {
  /** Required for a LINK; at most 64 characters. */
  title?: InputMaybe<Scalars['String']['input']>;
  type: AttachmentType;
  /** An http(s) URL. */
  url: Scalars['String']['input'];
};

export type MomentAudienceInput = {
  /** Each employee’s post is visible only to their ACTIVE customers having any of these tags. */
  customerTagIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Everyone in these departments and their sub-departments. */
  departmentIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  employeeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type MomentFilter = {
  /** Moments scheduled at or after this time. */
  scheduledFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Moments scheduled before this time. */
  scheduledTo?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<Array<MomentStatus>>;
};

export type MomentStatus =
  | 'CANCELED'
  | 'DRAFT'
  | 'FAILED'
  | 'PUBLISHED'
  | 'PUBLISHING'
  | 'SCHEDULED';

export type MomentTaskStatus =
  | 'EXPIRED'
  | 'PENDING'
  | 'PUBLISHED';

export type NoteKind =
  | 'CALL'
  | 'NOTE'
  | 'TASK'
  | 'VISIT';

export type NotificationKind =
  /** A keyword rule that notifies you raised an alert on a chat message (auditAlertId). */
  | 'AUDIT_ALERT'
  /** A customer ended their relation with you or with someone of your team (customerId, aboutEmployeeId). */
  | 'CUSTOMER_LOST'
  /** A hand-over you started has no transfer waiting any more (handoverId, count completed). */
  | 'HANDOVER_FINISHED'
  /** A marketer reminded you of a moment task still pending (momentId, momentTaskId). */
  | 'MOMENT_REMINDER'
  /** A moment fired and gave you a task (momentId, momentTaskId). */
  | 'MOMENT_TASK_ASSIGNED'
  /** Customers are being handed over to you, waiting for acceptance (handoverId, count). */
  | 'TRANSFER_WAITING';

export type OrderDirection =
  | 'ASC'
  | 'DESC';

export type PreviewHandoverInput = {
  /** ON_JOB: the chosen customers. DEPARTURE: ignored (all active customers). */
  customerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  fromEmployeeId: Scalars['ID']['input'];
  kind: TransferKind;
  takeover: TakeoverInput;
};

export type RecordConsentInput = {
  /** When the customer decided; now when omitted; at most 5 minutes in the future. */
  changedAt?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
  /** Only the conversations with this employee; all of the customer’s when omitted. */
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  status: ConsentStatus;
};

/** A channel or connector reports that a customer added an employee. */
export type RecordCustomerAddedInput = {
  addWay: AddWay;
  addedAt?: InputMaybe<Scalars['DateTime']['input']>;
  customer: CustomerInput;
  employeeExternalId?: InputMaybe<Scalars['String']['input']>;
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  remark?: InputMaybe<Scalars['String']['input']>;
  state?: InputMaybe<Scalars['String']['input']>;
};

/** A like or comment a channel reports on an employee’s post of a PUBLISHED moment, by one of the customers it reached. Repeating an externalId, or a like of the same customer on the same post, records nothing more. */
export type RecordMomentInteractionInput = {
  /** One of the employee’s ACTIVE customers having any of the moment’s tags (when it has tags). */
  customerId: Scalars['ID']['input'];
  /** The employee whose post it was (they must have a task for the moment). */
  employeeId: Scalars['ID']['input'];
  /** The channel’s id of the like or comment: a repeat records nothing. */
  externalId?: InputMaybe<Scalars['String']['input']>;
  kind: InteractionKind;
  momentId: Scalars['ID']['input'];
  /** When it happened (default: now); not in the future. */
  occurredAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** A COMMENT’s text (required, at most 2000 characters); a LIKE has none. */
  text?: InputMaybe<Scalars['String']['input']>;
};

export type RecordRelationEndedInput = {
  endedAt?: InputMaybe<Scalars['DateTime']['input']>;
  endedBy: RelationEndedBy;
  relationId: Scalars['ID']['input'];
};

export type RecordTransferResponseInput = {
  accepted: Scalars['Boolean']['input'];
  transferId: Scalars['ID']['input'];
};

export type RelationEndedBy =
  | 'CUSTOMER'
  | 'EMPLOYEE';

export type RelationStatus =
  | 'ACTIVE'
  | 'DELETED_BY_CUSTOMER'
  | 'DELETED_BY_EMPLOYEE'
  | 'TRANSFERRED_AWAY';

export type RoleInput = {
  dataScope: DataScope;
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** resource:action pairs from the permission catalog. */
  permissions: Array<Scalars['String']['input']>;
};

export type ScheduleMomentInput = {
  id: Scalars['ID']['input'];
  /** Must not be in the past. */
  scheduledAt: Scalars['DateTime']['input'];
};

export type Semantic =
  | 'BANK_CARD'
  | 'EMAIL'
  | 'PHONE_NUMBER'
  | 'RED_PACKET';

export type SenderType =
  | 'CUSTOMER'
  | 'EMPLOYEE';

/** A month’s targets for one employee or one department (exactly one of the two). Each metric may be null (no target for it); all null removes the target. */
export type SetKpiTargetInput = {
  /** Seconds, 1 to 86400. */
  avgFirstResponseSeconds?: InputMaybe<Scalars['Float']['input']>;
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  employeeId?: InputMaybe<Scalars['ID']['input']>;
  /** 0 to 1. */
  momentCompletionRate?: InputMaybe<Scalars['Float']['input']>;
  /** YYYY-MM, 2000-01 to 2100-12. */
  month: Scalars['String']['input'];
  /** 0 to 10000000. */
  newCustomers?: InputMaybe<Scalars['Int']['input']>;
  /** 0 to 1. */
  replyRate?: InputMaybe<Scalars['Float']['input']>;
};

export type Severity =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type SignUpInput = {
  adminEmail: Scalars['String']['input'];
  adminName: Scalars['String']['input'];
  /** At least 8 characters and hard to guess (not common, not built from your e-mail, name or organization). */
  adminPassword: Scalars['String']['input'];
  organizationName: Scalars['String']['input'];
  slug: Scalars['String']['input'];
  timezone?: InputMaybe<Scalars['String']['input']>;
};

export type TagCustomersInput = {
  customerIds: Array<Scalars['ID']['input']>;
  tagIds: Array<Scalars['ID']['input']>;
};

export type TakeoverInput = {
  strategy: DistributionStrategy;
  takeoverEmployeeIds: Array<Scalars['ID']['input']>;
};

export type TransferCustomersInput = {
  customerIds: Array<Scalars['ID']['input']>;
  fromEmployeeId: Scalars['ID']['input'];
  message?: InputMaybe<Scalars['String']['input']>;
  takeover: TakeoverInput;
};

export type TransferKind =
  | 'DEPARTURE'
  | 'ON_JOB';

export type TransferStatus =
  | 'CANCELED'
  | 'COMPLETED'
  | 'REFUSED'
  | 'TAKEOVER_LIMIT_EXCEEDED'
  | 'TRANSFER_LIMIT_EXCEEDED'
  | 'WAITING';

export type UpdateAuditAlertInput = {
  id: Scalars['ID']['input'];
  /** At most 2,000 characters; recorded with the step. */
  note?: InputMaybe<Scalars['String']['input']>;
  /** ACKNOWLEDGED (from OPEN) or RESOLVED (from OPEN or ACKNOWLEDGED). */
  status: AlertStatus;
};

/** Changes what is given; lists given replace the current ones. The state never changes. */
export type UpdateChannelInput = {
  /** Replaces the employees (at least one). */
  employeeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the tags; [] removes them all. */
  tagIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** null or "" removes the welcome message. */
  welcomeMessage?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateCustomerInput = {
  company?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  stage?: InputMaybe<CustomerStage>;
};

export type UpdateDepartmentInput = {
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  /** Moves the department under this parent (cycles are refused). */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

export type UpdateEmployeeInput = {
  customerCapacity?: InputMaybe<Scalars['Int']['input']>;
  departmentId?: InputMaybe<Scalars['ID']['input']>;
  /** The WeCom userid; empty clears it. */
  externalId?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  /** A new password (same policy as signUp); ends the employee's sessions. */
  password?: InputMaybe<Scalars['String']['input']>;
  roles?: InputMaybe<Array<Scalars['String']['input']>>;
  status?: InputMaybe<EmployeeStatus>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateKeywordRuleInput = {
  id: Scalars['ID']['input'];
  /** The whole rule: it replaces the rule’s values. */
  rule: KeywordRuleInput;
};

/** Changes what is given (only DRAFT or SCHEDULED moments; otherwise CONFLICT). Lists given replace the current ones. */
export type UpdateMomentInput = {
  /** Replaces the attachments; [] removes them all. */
  attachments?: InputMaybe<Array<MomentAttachmentInput>>;
  /** Replaces the whole audience. */
  audience?: InputMaybe<MomentAudienceInput>;
  id: Scalars['ID']['input'];
  text?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateOrganizationSettingsInput = {
  chatRetentionDays?: InputMaybe<Scalars['Int']['input']>;
  momentTaskExpiryHours?: InputMaybe<Scalars['Int']['input']>;
  onJobTransferLimit?: InputMaybe<Scalars['Int']['input']>;
  onJobTransferWindowDays?: InputMaybe<Scalars['Int']['input']>;
  timezone?: InputMaybe<Scalars['String']['input']>;
  transferAcceptanceMinutes?: InputMaybe<Scalars['Int']['input']>;
};

export type UpdateRoleInput = {
  id: Scalars['ID']['input'];
  role: RoleInput;
};
