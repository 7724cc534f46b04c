import { CasbinRuleEntity } from './core/authz/casbin-rule.entity';
import { RateLimitEntity } from './core/security/rate-limit.entity';
import { SubscriptionLeaseEntity } from './core/realtime/subscription-lease.entity';
import { ChatAccessEntryEntity } from './modules/chat-audit/entities/chat-access-entry.entity';
import { ChatAuditAlertEntity } from './modules/chat-audit/entities/chat-audit-alert.entity';
import { ChatConsentEntity } from './modules/chat-audit/entities/chat-consent.entity';
import { ChatKeywordRuleVersionEntity } from './modules/chat-audit/entities/chat-keyword-rule-version.entity';
import { ChatKeywordRuleEntity } from './modules/chat-audit/entities/chat-keyword-rule.entity';
import { ChatImportPositionEntity } from './modules/chat-audit/entities/chat-import-position.entity';
import { ChatConversationEntity } from './modules/chat-audit/entities/chat-conversation.entity';
import { ChatMessageKeyEntity } from './modules/chat-audit/entities/chat-message-key.entity';
import { ChatMessageEntity } from './modules/chat-audit/entities/chat-message.entity';
import { ChannelEmployeeEntity, ChannelEntity, ChannelTagEntity } from './modules/channels/entities/channel.entity';
import { CustomerNoteEntity } from './modules/customers/entities/customer-note.entity';
import { CustomerRelationEntity } from './modules/customers/entities/customer-relation.entity';
import { CustomerEntity } from './modules/customers/entities/customer.entity';
import { CustomerTagEntity, TagEntity, TagGroupEntity } from './modules/customers/entities/tag.entity';
import { TimelineEventEntity } from './modules/customers/entities/timeline-event.entity';
import {
  KpiConversationDayEntity,
  KpiEmployeeDayEntity,
  KpiDepartmentDayEntity,
  KpiOrganizationDayEntity,
  KpiEmployeeWeekEntity,
} from './modules/kpi/entities/kpi-rollup.entity';
import { KpiTargetEntity } from './modules/kpi/entities/kpi-target.entity';
import { MomentTaskEntity } from './modules/moments/entities/moment-task.entity';
import { MomentEntity } from './modules/moments/entities/moment.entity';
import { MomentInteractionEntity } from './modules/moments/entities/moment-interaction.entity';
import { NotificationEntity } from './modules/notifications/entities/notification.entity';
import { HandoverEntity } from './modules/reassignment/entities/handover.entity';
import { TransferEntity } from './modules/reassignment/entities/transfer.entity';
import { ApiKeyEntity } from './modules/auth/entities/api-key.entity';
import { DepartmentEntity } from './modules/org/entities/department.entity';
import { EmployeeEntity } from './modules/org/entities/employee.entity';
import { OrganizationEntity } from './modules/org/entities/organization.entity';
import { RoleEntity } from './modules/org/entities/role.entity';

/** Every TypeORM entity of the product (the migration drift check compares against these). */
export const APP_ENTITIES = [
  OrganizationEntity,
  DepartmentEntity,
  EmployeeEntity,
  RoleEntity,
  CasbinRuleEntity,
  ApiKeyEntity,
  RateLimitEntity,
  SubscriptionLeaseEntity,
  CustomerEntity,
  CustomerRelationEntity,
  TagGroupEntity,
  TagEntity,
  CustomerTagEntity,
  CustomerNoteEntity,
  TimelineEventEntity,
  ChannelEntity,
  ChannelEmployeeEntity,
  ChannelTagEntity,
  HandoverEntity,
  TransferEntity,
  MomentEntity,
  MomentInteractionEntity,
  NotificationEntity,
  MomentTaskEntity,
  ChatConversationEntity,
  ChatMessageEntity,
  ChatKeywordRuleEntity,
  ChatKeywordRuleVersionEntity,
  ChatAuditAlertEntity,
  ChatMessageKeyEntity,
  ChatImportPositionEntity,
  ChatConsentEntity,
  ChatAccessEntryEntity,
  KpiConversationDayEntity,
  KpiEmployeeDayEntity,
  KpiDepartmentDayEntity,
  KpiOrganizationDayEntity,
  KpiEmployeeWeekEntity,
  KpiTargetEntity,
];
