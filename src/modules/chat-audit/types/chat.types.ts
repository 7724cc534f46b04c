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

/**
 * Shape of a keyword rule (contract). Rules and alerts are the next slice of
 * issue 19: until then no rule exists and no message has alerts.
 */
@ObjectType({ description: 'A keyword rule (keyword rules and alerts are not served yet: none exists).' })
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

@ObjectType({ description: 'An alert raised by a keyword rule on a message (not served yet: no rule exists).' })
export class AuditAlert {
  @Field(() => ID)
  id: string;

  @Field(() => KeywordRule)
  rule: KeywordRule;

  @Field(() => ChatMessage)
  message: ChatMessage;

  @Field(() => [String])
  matched: string[];

  @Field(() => AlertStatus)
  status: AlertStatus;

  @Field()
  createdAt: Date;
}

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

