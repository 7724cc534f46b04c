import DataLoader from 'dataloader';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { Ctx, CurrentActor } from 'src/core/authz/current-actor.decorator';
import { RequirePermission } from 'src/core/authz/permission.decorator';
import { GqlContext, loader } from 'src/core/graphql/gql-context';
import { IdArg } from 'src/core/graphql/id-arg';
import { mapPage, Page } from 'src/core/graphql/pagination';
import { ApiKeysService } from 'src/modules/auth/api-keys.service';
import { toApiKey } from 'src/modules/auth/api-keys.resolver';
import { ApiKey } from 'src/modules/auth/types/auth.types';
import { toCustomer } from 'src/modules/customers/resolvers/mappers';
import { customerLoader } from 'src/modules/customers/resolvers/customer.loaders';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { Customer } from 'src/modules/customers/types/customer.types';
import { toEmployee } from 'src/modules/org/resolvers/employees.resolver';
import { employeeLoader } from 'src/modules/org/resolvers/org.loaders';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { Employee } from 'src/modules/org/types/org.types';
import {
  ChatSearchFilter,
  ConversationFilter,
  IngestChatMessagesInput,
  RecordConsentInput,
} from 'src/modules/chat-audit/dto/chat.inputs';
import { ConversationRow, MessageRow } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { AlertRow } from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { AuditAlertsService } from 'src/modules/chat-audit/services/audit-alerts.service';
import { ChatIngestService } from 'src/modules/chat-audit/services/chat-ingest.service';
import { ChatReadService } from 'src/modules/chat-audit/services/chat-read.service';
import {
  AuditAccessEntry,
  AuditAccessEntryConnection,
  AuditAlert,
  ChatMessage,
  ChatMessageConnection,
  ConsentStatus,
  Conversation,
  ConversationConnection,
  IngestChatMessagesPayload,
  MessageType,
  SenderType,
} from 'src/modules/chat-audit/types/chat.types';
import { apiKeyLoader, consentLoader, conversationLoader } from './chat.loaders';
import { toAuditAlert } from './keyword-rules.resolver';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

const toConversation = (c: ConversationRow): Conversation => ({
  id: c.id,
  orgId: c.orgId,
  employeeId: c.employeeId,
  customerId: c.customerId,
  messageCount: c.messageCount,
  lastMessageAt: c.lastMessageAt ? new Date(c.lastMessageAt) : null,
});

const toMessage = (m: MessageRow): ChatMessage => ({
  id: m.id,
  orgId: m.orgId,
  conversationId: m.conversationId,
  externalId: m.externalId,
  senderType: m.senderType as SenderType,
  type: m.type as MessageType,
  text: m.text,
  contentWithheld: m.contentWithheld,
  sentAt: new Date(m.sentAt),
});

const messagePage = (page: Page<MessageRow>): ChatMessageConnection => mapPage(page, toMessage);

/** Chat audit: ingest and consent (connectors), conversations and search (auditors), the access log. */
@Resolver(() => Conversation)
export class ChatAuditResolver {
  constructor(
    private readonly ingest: ChatIngestService,
    private readonly reads: ChatReadService,
    private readonly employees: EmployeesService,
    private readonly customers: CustomersService,
  ) {}

  @Mutation(() => IngestChatMessagesPayload, {
    description:
      'At most 1000 messages; each is checked alone (rejected with its index and reason) and the rest stored. Idempotent on externalId.',
  })
  @RequirePermission('chat', 'ingest')
  ingestChatMessages(
    @CurrentActor() actor: Actor,
    @Args('input') input: IngestChatMessagesInput,
  ): Promise<IngestChatMessagesPayload> {
    return this.ingest.ingest(actor, input.messages);
  }

  @Mutation(() => ConsentStatus, {
    description:
      'A change of the customer’s consent to archiving; DISAGREED erases the content of messages stored since changedAt.',
  })
  @RequirePermission('chat', 'consent')
  recordConsent(@CurrentActor() actor: Actor, @Args('input') input: RecordConsentInput): Promise<ConsentStatus> {
    return this.ingest.recordConsent(actor, input);
  }

  @Query(() => Conversation, { description: 'Logged in the access log.' })
  @RequirePermission('chat', 'read')
  async conversation(@CurrentActor() actor: Actor, @IdArg('a conversation') id: string): Promise<Conversation> {
    return toConversation(await this.reads.conversation(actor, id));
  }

  @Query(() => ConversationConnection, { name: 'conversations', description: 'Latest message first.' })
  @RequirePermission('chat', 'read')
  async listConversations(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => ConversationFilter, nullable: true }) filter?: ConversationFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<ConversationConnection> {
    return mapPage(await this.reads.conversations(actor, filter, first, after), toConversation);
  }

  @Query(() => ChatMessageConnection, {
    description:
      'Case-insensitive substring search (Chinese from one character, English), newest first. Logged in the access log.',
  })
  @RequirePermission('chat', 'read')
  async searchChatMessages(
    @CurrentActor() actor: Actor,
    @Args('query') query: string,
    @Args('filter', { type: () => ChatSearchFilter, nullable: true }) filter?: ChatSearchFilter,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<ChatMessageConnection> {
    return messagePage(await this.reads.search(actor, query, filter, first, after));
  }

  @Query(() => AuditAccessEntryConnection, { description: 'Reads of chat content, newest first.' })
  @RequirePermission('accessLog', 'read')
  async auditAccessLog(
    @CurrentActor() actor: Actor,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<AuditAccessEntryConnection> {
    const page = await this.reads.accessLog(actor, first, after);
    return mapPage(page, (entry) => ({ ...entry, occurredAt: new Date(entry.occurredAt) }));
  }

  @ResolveField(() => Employee)
  async employee(@Parent() c: Conversation, @Ctx() ctx: GqlContext): Promise<Employee> {
    return toEmployee((await employeeLoader(ctx, c.orgId, this.employees).load(c.employeeId))!);
  }

  @ResolveField(() => Customer)
  async customer(@Parent() c: Conversation, @Ctx() ctx: GqlContext): Promise<Customer> {
    return toCustomer((await customerLoader(ctx, c.orgId, this.customers).load(c.customerId))!);
  }

  @ResolveField(() => ConsentStatus, { description: 'The customer’s effective consent now for this conversation.' })
  async consent(@Parent() c: Conversation, @Ctx() ctx: GqlContext): Promise<ConsentStatus> {
    const row = {
      id: c.id,
      orgId: c.orgId,
      employeeId: c.employeeId,
      customerId: c.customerId,
      messageCount: 0,
      lastMessageAt: null,
    };
    return (await consentLoader(ctx, c.orgId, this.reads).load(row)) as ConsentStatus;
  }

  @ResolveField(() => ChatMessageConnection, {
    description: 'Oldest first. Each page read is logged in the access log.',
  })
  async messages(
    @Parent() c: Conversation,
    @CurrentActor() actor: Actor,
    @FirstArg(50) first?: number,
    @AfterArg() after?: string,
  ): Promise<ChatMessageConnection> {
    return messagePage(await this.reads.messages(actor, c.id, first, after));
  }
}

@Resolver(() => ChatMessage)
export class ChatMessagesResolver {
  constructor(
    private readonly reads: ChatReadService,
    private readonly alertsService: AuditAlertsService,
  ) {}

  @ResolveField(() => Conversation)
  async conversation(@Parent() m: ChatMessage, @Ctx() ctx: GqlContext): Promise<Conversation> {
    return toConversation((await conversationLoader(ctx, m.orgId, this.reads).load(m.conversationId))!);
  }

  @ResolveField(() => [AuditAlert], {
    description:
      'Alerts keyword rules raised on the message, oldest first, within alert:read’s scope (none without it).',
  })
  async alerts(@Parent() m: ChatMessage, @Ctx() ctx: GqlContext, @CurrentActor() actor: Actor): Promise<AuditAlert[]> {
    const l = loader(
      ctx,
      `chatMessageAlerts:${m.orgId}`,
      () =>
        new DataLoader<string, AlertRow[]>(async (ids) => {
          const map = await this.alertsService.ofMessages(actor, ids);
          return ids.map((id) => map.get(id) ?? []);
        }),
    );
    return (await l.load(m.id)).map(toAuditAlert);
  }
}

@Resolver(() => AuditAccessEntry)
export class AuditAccessEntriesResolver {
  constructor(
    private readonly employees: EmployeesService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @ResolveField(() => Employee, { nullable: true, description: 'The employee who read; null for an API key.' })
  async viewer(@Parent() e: AuditAccessEntry, @Ctx() ctx: GqlContext): Promise<Employee | null> {
    if (!e.viewerId) return null;
    const row = await employeeLoader(ctx, e.orgId, this.employees).load(e.viewerId);
    return row ? toEmployee(row) : null;
  }

  @ResolveField(() => ApiKey, { nullable: true, description: 'The API key that read; null for an employee.' })
  async apiKey(@Parent() e: AuditAccessEntry, @Ctx() ctx: GqlContext): Promise<Omit<ApiKey, 'roles'> | null> {
    // roles are ApiKey's own field resolver (from the key's orgId).
    if (!e.apiKeyId) return null;
    const key = await apiKeyLoader(ctx, e.orgId, this.apiKeys).load(e.apiKeyId);
    return key ? toApiKey(key) : null;
  }
}
