import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from 'src/core/graphql/connection';
import { Department, Employee } from 'src/modules/org/types/org.types';

export enum SenderType {
  EMPLOYEE = 'EMPLOYEE',
  CUSTOMER = 'CUSTOMER',
}
registerEnumType(SenderType, { name: 'SenderType' });

export enum MessageType {
  TEXT = 'TEXT',
  IMAGE = 'IMAGE',
  VOICE = 'VOICE',
  VIDEO = 'VIDEO',
  FILE = 'FILE',
  LINK = 'LINK',
  LOCATION = 'LOCATION',
  CARD = 'CARD',
  MINI_PROGRAM = 'MINI_PROGRAM',
  REVOKE = 'REVOKE',
  AGREE = 'AGREE',
  DISAGREE = 'DISAGREE',
  OTHER = 'OTHER',
}
registerEnumType(MessageType, { name: 'MessageType' });

export enum ConsentStatus {
  AGREED = 'AGREED',
  DISAGREED = 'DISAGREED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(ConsentStatus, { name: 'ConsentStatus' });

export enum Semantic {
  PHONE_NUMBER = 'PHONE_NUMBER',
  EMAIL = 'EMAIL',
  RED_PACKET = 'RED_PACKET',
  BANK_CARD = 'BANK_CARD',
}
registerEnumType(Semantic, { name: 'Semantic' });

export enum Severity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}
registerEnumType(Severity, { name: 'Severity' });

export enum AlertStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(AlertStatus, { name: 'AlertStatus' });

@ObjectType()
export class RejectedMessage {
  @Field(() => Int, { description: 'Position of the message in input.messages (from 0).' })
  index: number;

  @Field(() => String, { nullable: true })
  externalId: string | null;

  @Field()
  reason: string;
}

@ObjectType()
export class IngestChatMessagesPayload {
  @Field(() => Int, { description: 'Messages stored by this call.' })
  accepted: number;

  @Field(() => Int, {
    description: 'Messages whose externalId was already stored (earlier, or earlier in this call): nothing written.',
  })
  duplicates: number;

  @Field(() => [RejectedMessage])
  rejected: RejectedMessage[];
}

@ObjectType({
  description:
    'A keyword rule: keywords (case-insensitive substrings) and semantic detectors, for the chosen sender types ' +
    'and departments (with sub-departments), raising one alert per (rule, message) at ingest.',
})
export class KeywordRule {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => [String])
  keywords: string[];

  @Field(() => [Semantic])
  semantics: Semantic[];

  @Field(() => [SenderType])
  appliesTo: SenderType[];

  @Field(() => [Department])
  departments: Department[];

  @Field(() => Severity)
  severity: Severity;

  @Field()
  enabled: boolean;

  @Field(() => [Employee])
  notify: Employee[];

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  orgId: string;
  departmentIds: string[];
  notifyEmployeeIds: string[];
}

export enum KeywordMatchKind {
  KEYWORD = 'KEYWORD',
  SEMANTIC = 'SEMANTIC',
}
registerEnumType(KeywordMatchKind, { name: 'KeywordMatchKind' });

@ObjectType({ description: 'One match of testKeywordRule, at its place in the text tested.' })
export class KeywordRuleMatch {
  @Field(() => KeywordMatchKind)
  kind: KeywordMatchKind;

  @Field({ description: 'The keyword as the rule wrote it, or the detector (PHONE_NUMBER, EMAIL, ...).' })
  value: string;

  @Field(() => Int, { description: 'UTF-16 offset of the first character matched in the text.' })
  start: number;

  @Field(() => Int, { description: 'UTF-16 offset after the last character matched (slice(start, end)).' })
  end: number;
}

@ObjectType({ description: 'What a rule would match in a text (nothing is stored).' })
export class KeywordRuleTestResult {
  @Field({ description: 'Whether a message with this text would raise an alert (sender types and departments aside).' })
  matches: boolean;

  @Field(() => [String], { description: 'What the alert would list: the keywords, then the detectors.' })
  matched: string[];

  @Field(() => [KeywordRuleMatch], { description: 'Each match with its position, in text order.' })
  positions: KeywordRuleMatch[];
}

@ObjectType()
export class Conversation {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'Messages archived (content withheld or not).' })
  messageCount: number;

  @Field(() => Date, { nullable: true })
  lastMessageAt: Date | null;

  orgId: string;
  employeeId: string;
  customerId: string;
}

@ObjectType()
export class ChatMessage {
  @Field(() => ID)
  id: string;

  @Field()
  externalId: string;

  @Field(() => SenderType)
  senderType: SenderType;

  @Field(() => MessageType)
  type: MessageType;

  @Field(() => String, {
    nullable: true,
    description:
      'Null when the content was withheld (the customer had disagreed to archiving) or the message has no text.',
  })
  text: string | null;

  @Field({ description: 'True when the customer had disagreed to archiving at sentAt: the content was never stored.' })
  contentWithheld: boolean;

  @Field()
  sentAt: Date;

  orgId: string;
  conversationId: string;
}

@ObjectType({
  description:
    'An alert a keyword rule raised on a message (one per rule and message). OPEN -> ACKNOWLEDGED -> RESOLVED, ' +
    'or OPEN -> RESOLVED; each step records who, when and a note.',
})
export class AuditAlert {
  @Field(() => ID)
  id: string;

  @Field(() => KeywordRule)
  rule: KeywordRule;

  @Field(() => ChatMessage)
  message: ChatMessage;

  @Field(() => [String], { description: 'The rule’s keywords found, then its detectors that fired (never the text).' })
  matched: string[];

  @Field(() => AlertStatus)
  status: AlertStatus;

  @Field()
  createdAt: Date;

  @Field(() => Severity, { description: 'The rule’s severity when the alert was raised.' })
  severity: Severity;

  @Field(() => Employee, {
    nullable: true,
    description: 'Who acknowledged it (null: not acknowledged, or an API key).',
  })
  acknowledgedBy: Employee | null;

  @Field(() => Date, { nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => String, { nullable: true })
  acknowledgedNote: string | null;

  @Field(() => Employee, { nullable: true, description: 'Who resolved it (null: not resolved, or an API key).' })
  resolvedBy: Employee | null;

  @Field(() => Date, { nullable: true })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true })
  resolvedNote: string | null;

  orgId: string;
  ruleId: string;
  messageId: string;
  messageSentAt: Date;
  employeeId: string;
  acknowledgedById: string | null;
  resolvedById: string | null;
}

@ObjectType()
export class AuditAlertConnection extends Connection(AuditAlert, 'AuditAlert') {}

@ObjectType()
export class ChatMessageConnection extends Connection(ChatMessage, 'ChatMessage') {}

@ObjectType()
export class ConversationConnection extends Connection(Conversation, 'Conversation') {}

@ObjectType({ description: 'One read of chat content.' })
export class AuditAccessEntry {
  @Field(() => ID)
  id: string;

  @Field({ description: 'What was read: searchChatMessages, conversation, conversation.messages.' })
  action: string;

  @Field({ description: 'Which: a conversation id, or the search query with its filter.' })
  target: string;

  @Field()
  occurredAt: Date;

  orgId: string;
  viewerId: string | null;
  apiKeyId: string | null;
}

@ObjectType()
export class AuditAccessEntryConnection extends Connection(AuditAccessEntry, 'AuditAccessEntry') {}
