import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { IsDateTime } from 'src/core/validation/calendar.decorator';
import { JsonScalar } from 'src/core/graphql/scalars';
import {
  AlertStatus,
  ConsentStatus,
  MessageType,
  Semantic,
  SenderType,
  Severity,
} from 'src/modules/chat-audit/types/chat.types';

/** DOMAIN.md: at most 1000 messages per ingestChatMessages call. */
export const MAX_INGEST_BATCH = 1000;
/** Bounds the employee filter of a search (each id is one more index range). */
export const MAX_SEARCH_EMPLOYEES = 200;

/**
 * One message. Nothing here is validated by the input pipe: each message is
 * checked alone by the service (ingest-rules.ts) and a bad one is rejected with
 * its index and reason while the rest are stored.
 */
@InputType()
export class ChatMessageInput {
  @Field({ description: "The source system's message id (WeCom msgid); ingest is idempotent on it." })
  externalId: string;

  @Field(() => ID, { nullable: true })
  employeeId?: string | null;

  @Field(() => String, { nullable: true, description: 'WeCom userid, when employeeId is not given.' })
  employeeExternalId?: string | null;

  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: 'WeCom external_userid, when customerId is not given.' })
  customerExternalId?: string | null;

  @Field(() => SenderType)
  senderType: SenderType;

  @Field(() => MessageType)
  type: MessageType;

  @Field(() => String, { nullable: true, description: 'Required for TEXT; at most 10,000 characters.' })
  text?: string | null;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Type-specific content (file name, link, location...); at most 16 KiB as JSON.',
  })
  payload?: unknown;

  @Field({ description: 'At most 5 minutes in the future.' })
  sentAt: Date;
}

/**
 * No class-validator rule on purpose: a class with rules is deep-copied by the input pipe (class-transformer over
 * every message, several ms per 1000 for nothing checked); ChatIngestService.ingest refuses more than
 * MAX_INGEST_BATCH messages (BAD_USER_INPUT on input.messages) before anything else.
 */
@InputType()
export class IngestChatMessagesInput {
  @Field(() => [ChatMessageInput])
  messages: ChatMessageInput[];
}

@InputType()
export class RecordConsentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a customer id' })
  customerId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Only the conversations with this employee; all of the customer’s when omitted.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId?: string | null;

  @Field(() => ConsentStatus)
  @IsEnum(ConsentStatus, { message: 'must be AGREED, DISAGREED or UNKNOWN' })
  status: ConsentStatus;

  @Field(() => Date, {
    nullable: true,
    description: 'When the customer decided; now when omitted; at most 5 minutes in the future.',
  })
  @IsOptional()
  @IsDateTime()
  changedAt?: Date | null;
}

@InputType()
export class ConversationFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a customer id' })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Employees of this department and its sub-departments.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a department id' })
  departmentId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Conversations with a message at or after this time.' })
  @IsOptional()
  @IsDateTime()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Conversations with a message before this time.' })
  @IsOptional()
  @IsDateTime()
  to?: Date | null;
}

@InputType()
export class ChatSearchFilter {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_SEARCH_EMPLOYEES, { message: `must list at most ${MAX_SEARCH_EMPLOYEES} employees` })
  @IsUUID('all', { each: true, message: 'must be employee ids' })
  employeeIds?: string[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a customer id' })
  customerId?: string | null;

  @Field(() => SenderType, { nullable: true })
  @IsOptional()
  @IsEnum(SenderType, { message: 'must be EMPLOYEE or CUSTOMER' })
  senderType?: SenderType | null;

  @Field(() => Date, { nullable: true, description: 'Messages sent at or after this time.' })
  @IsOptional()
  @IsDateTime()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Messages sent before this time.' })
  @IsOptional()
  @IsDateTime()
  to?: Date | null;
}

@InputType()
export class KeywordRuleInput {
  @Field({ description: '1-100 characters.' })
  name: string;

  @Field(() => [String], {
    description:
      'Matched as case-insensitive substrings (NFKC: full-width letters too); each 1-100 characters, at most ' +
      '1,000 per rule and 10,000 per organization. May be empty when semantics are given.',
  })
  keywords: string[];

  @Field(() => [Semantic], { nullable: true })
  semantics?: Semantic[] | null;

  @Field(() => [SenderType], { nullable: true, description: 'Both when omitted.' })
  appliesTo?: SenderType[] | null;

  @Field(() => [ID], { nullable: true, description: 'Empty means the whole organization; with sub-departments.' })
  departmentIds?: string[] | null;

  @Field(() => Severity, { nullable: true, defaultValue: Severity.MEDIUM })
  severity?: Severity | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  enabled?: boolean | null;

  @Field(() => [ID], { nullable: true, description: 'Employees told of each alert in their inbox (AUDIT_ALERT).' })
  notifyEmployeeIds?: string[] | null;
}

@InputType()
export class UpdateKeywordRuleInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a keyword rule id' })
  id: string;

  @Field(() => KeywordRuleInput, { description: 'The whole rule: it replaces the rule’s values.' })
  rule: KeywordRuleInput;
}

@InputType()
export class AuditAlertFilter {
  @Field(() => [AlertStatus], { nullable: true })
  @IsOptional()
  status?: AlertStatus[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a keyword rule id' })
  ruleId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The conversation’s employee.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an employee id' })
  employeeId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Alerts raised at or after this time.' })
  @IsOptional()
  @IsDateTime()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Alerts raised before this time.' })
  @IsOptional()
  @IsDateTime()
  to?: Date | null;
}

@InputType()
export class UpdateAuditAlertInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an alert id' })
  id: string;

  @Field(() => AlertStatus, { description: 'ACKNOWLEDGED (from OPEN) or RESOLVED (from OPEN or ACKNOWLEDGED).' })
  @IsEnum(AlertStatus, { message: 'must be OPEN, ACKNOWLEDGED or RESOLVED' })
  status: AlertStatus;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters; recorded with the step.' })
  @IsOptional()
  note?: string | null;
}
