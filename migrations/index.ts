import { Platform1763769600000 } from './1763769600000-platform';
import { Customers1763856000000 } from './1763856000000-customers';
import { Reassignment1763942400000 } from './1763942400000-reassignment';
import { CustomerListKeys1764028800000 } from './1764028800000-customer-list-keys';
import { TransferWritePath1764115200000 } from './1764115200000-transfer-write-path';
import { TimelineKey1764201600000 } from './1764201600000-timeline-key';
import { TimeOrderedIds1764288000000 } from './1764288000000-time-ordered-ids';
import { IndexOnlyUpkeep1764374400000 } from './1764374400000-index-only-upkeep';
import { CustomerActiveEmployees1764460800000 } from './1764460800000-customer-active-employees';
import { Moments1764547200000 } from './1764547200000-moments';
import { MomentReminders1764633600000 } from './1764633600000-moment-reminders';
import { MomentTaskExpiry1764720000000 } from './1764720000000-moment-task-expiry';
import { PhoneSearch1764806400000 } from './1764806400000-phone-search';
import { RateLimits1764892800000 } from './1764892800000-rate-limits';
import { CustomerTasks1765040000000 } from './1765040000000-customer-tasks';
import { MomentCalendar1765130000000 } from './1765130000000-moment-calendar';
import { Notifications1765010000000 } from './1765010000000-notifications';
import { ChatAudit1765020000000 } from './1765020000000-chat-audit';
import { Kpi1765120000000 } from './1765120000000-kpi';
import { KpiTargets1765160000000 } from './1765160000000-kpi-targets';
import { CustomerLostNotices1765150000000 } from './1765150000000-customer-lost-notices';
import { KpiTeamDays1765170000000 } from './1765170000000-kpi-team-days';
import { SubscriptionLeases1765220000000 } from './1765220000000-subscription-leases';
import { ChatKeywordRules1765100000000 } from './1765100000000-chat-keyword-rules';
import { ChatImportPositions1765110000000 } from './1765110000000-chat-import-positions';
import { ChatArchiveLeanIndexes1765260000000 } from './1765260000000-chat-archive-lean-indexes';
import { ChatSearchGramCodes1765260000001 } from './1765260000001-chat-search-gram-codes';
import { NotificationAlertIndex1765285000000 } from './1765285000000-notification-alert-index';
import { KpiConversationDayFirsts1765270000000 } from './1765270000000-kpi-conversation-day-firsts';
import { ChatMessageKeysNoOrgFk1765275000000 } from './1765275000000-chat-message-keys-no-org-fk';

/** Every migration, in order. Listed explicitly so builds and tests load the same set. */
export const MIGRATIONS = [
  Platform1763769600000,
  Customers1763856000000,
  Reassignment1763942400000,
  CustomerListKeys1764028800000,
  TransferWritePath1764115200000,
  TimelineKey1764201600000,
  TimeOrderedIds1764288000000,
  IndexOnlyUpkeep1764374400000,
  CustomerActiveEmployees1764460800000,
  Moments1764547200000,
  MomentReminders1764633600000,
  MomentTaskExpiry1764720000000,
  PhoneSearch1764806400000,
  RateLimits1764892800000,
  Notifications1765010000000,
  ChatAudit1765020000000,
  CustomerTasks1765040000000,
  ChatKeywordRules1765100000000,
  ChatImportPositions1765110000000,
  Kpi1765120000000,
  MomentCalendar1765130000000,
  CustomerLostNotices1765150000000,
  KpiTargets1765160000000,
  KpiTeamDays1765170000000,
  SubscriptionLeases1765220000000,
  ChatArchiveLeanIndexes1765260000000,
  ChatSearchGramCodes1765260000001,
  KpiConversationDayFirsts1765270000000,
  ChatMessageKeysNoOrgFk1765275000000,
  NotificationAlertIndex1765285000000,
];
