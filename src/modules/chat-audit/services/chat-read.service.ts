import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Actor } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { AppError } from 'src/core/errors/app-error';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { charCount, clipChars } from 'src/core/validation/storable-text';
import { ScopeEmployees } from 'src/modules/org/org.fragments';
import { DepartmentsService } from 'src/modules/org/services/departments.service';
import { ChatSearchFilter, ConversationFilter } from 'src/modules/chat-audit/dto/chat.inputs';
import { AccessEntryRow, AccessLogRepository } from 'src/modules/chat-audit/repositories/access-log.repository';
import {
  ChatArchiveRepository,
  ConversationRow,
  MessageRow,
} from 'src/modules/chat-audit/repositories/chat-archive.repository';

export const MAX_SEARCH_QUERY = 100;
/** chat_access_log.target: a search's query and filter (200 employee ids) fit. */
const MAX_ACCESS_TARGET = 10_000;

/** A (timestamp, id) keyset cursor, checked before any SQL sees it. */
function timeIdCursor(after: string | null | undefined, field = 'after'): [string, string] | null {
  const c = decodeCursor(after, 2, field);
  if (!c) return null;
  const [at, id] = c;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !isUUID(id, 'all')) {
    throw AppError.badInput(field, 'is not a valid cursor');
  }
  return [at, id];
}

const cursorOf = (at: Date | null, id: string) => [new Date(at as Date).toISOString(), id];

/**
 * Reads of the chat archive. Every read of chat content (search, a
 * conversation, its messages) appends an entry to the access log before the
 * content is returned: no entry, no content. Every read obeys the data scope
 * of `chat:read` (the conversation's employee must be in it): the built-in
 * auditor reads the whole organization, a custom role at DEPARTMENT or SELF
 * scope only its department trees or its own conversations. The access log
 * obeys `accessLog:read`'s scope over who read (docs/rules.md).
 */
@Injectable()
export class ChatReadService {
  constructor(
    private readonly archive: ChatArchiveRepository,
    private readonly log: AccessLogRepository,
    private readonly departments: DepartmentsService,
    private readonly authz: AuthzService,
  ) {}

  /** The employees whose conversations the caller may read (null: all of the organization's). */
  async chatScope(actor: Actor): Promise<ScopeEmployees | null> {
    return ScopeEmployees.of(await this.authz.requireScope(actor, 'chat', 'read'), actor.orgId);
  }

  async search(
    actor: Actor,
    query: string,
    filter: ChatSearchFilter | undefined | null,
    first?: number,
    after?: string | null,
  ): Promise<Page<MessageRow>> {
    const limit = pageSize(first);
    const before = timeIdCursor(after);
    if (query.length === 0) throw AppError.badInput('query', 'must not be empty');
    if (charCount(query) > MAX_SEARCH_QUERY)
      throw AppError.badInput('query', `must be at most ${MAX_SEARCH_QUERY} characters`);
    if (filter?.from && filter?.to && filter.from >= filter.to)
      throw AppError.badInput('filter.to', 'must be after filter.from');
    const scope = await this.chatScope(actor);
    await this.record(actor, 'searchChatMessages', JSON.stringify({ query, filter: filter ?? {} }));
    const rows = await this.archive.search(actor.orgId, {
      query,
      employeeIds: filter?.employeeIds ?? undefined,
      customerId: filter?.customerId ?? undefined,
      senderType: filter?.senderType ?? undefined,
      from: filter?.from ?? undefined,
      to: filter?.to ?? undefined,
      before,
      limit: limit + 1,
      scope,
    });
    return toPage(rows, limit, (m) => cursorOf(m.sentAt, m.id));
  }

  /**
   * One conversation (its metadata); reading it is logged, as its messages are read with it. Another
   * organization's or an unknown id is NOT_FOUND; one outside the caller's chat:read scope FORBIDDEN.
   */
  async conversation(actor: Actor, id: string): Promise<ConversationRow> {
    const c = await this.archive.conversation(actor.orgId, id, await this.chatScope(actor));
    if (!c) throw new AppError('NOT_FOUND', `id: conversation ${id} not found`, { field: 'id' });
    if (!c.inScope) throw AppError.forbidden(`id: conversation ${id} is outside your data scope`);
    await this.record(actor, 'conversation', id);
    const { inScope: _inScope, ...row } = c;
    return row;
  }

  async conversations(
    actor: Actor,
    filter: ConversationFilter | undefined | null,
    first?: number,
    after?: string | null,
  ): Promise<Page<ConversationRow>> {
    const limit = pageSize(first);
    const cursor = timeIdCursor(after);
    if (filter?.from && filter?.to && filter.from >= filter.to)
      throw AppError.badInput('filter.to', 'must be after filter.from');
    if (filter?.departmentId && !(await this.departments.findByIds(actor.orgId, [filter.departmentId])).length) {
      throw new AppError('NOT_FOUND', `filter.departmentId: department ${filter.departmentId} not found`, {
        field: 'filter.departmentId',
      });
    }
    const scope = await this.chatScope(actor);
    const rows = await this.archive.conversations(actor.orgId, {
      employeeId: filter?.employeeId ?? undefined,
      customerId: filter?.customerId ?? undefined,
      departmentId: filter?.departmentId ?? undefined,
      from: filter?.from ?? undefined,
      to: filter?.to ?? undefined,
      after: cursor,
      limit: limit + 1,
      scope,
    });
    return toPage(rows, limit, (c) => cursorOf(c.lastMessageAt, c.id));
  }

  conversationsByIds(orgId: string, ids: readonly string[]): Promise<ConversationRow[]> {
    return this.archive.conversationsByIds(orgId, ids);
  }

  consentNow(orgId: string, conversations: readonly ConversationRow[]): Promise<Map<string, string>> {
    return this.archive.consentNow(orgId, conversations);
  }

  /** A conversation's messages, oldest first; logged per page read. */
  async messages(
    actor: Actor,
    conversationId: string,
    first?: number,
    after?: string | null,
  ): Promise<Page<MessageRow>> {
    const limit = pageSize(first);
    const cursor = timeIdCursor(after);
    // The conversation was checked where it was reached; its messages obey the scope again, on their own.
    const scope = await this.chatScope(actor);
    await this.record(actor, 'conversation.messages', conversationId);
    const rows = await this.archive.messagesOf(actor.orgId, conversationId, cursor, limit + 1, scope);
    return toPage(rows, limit, (m) => cursorOf(m.sentAt, m.id));
  }

  /**
   * The messages alerts point at (AuditAlert.message): their text only where the caller's chat:read scope
   * reaches the conversation (null otherwise, or without chat:read); content shown is logged, once per batch.
   */
  async alertMessages(
    actor: Actor,
    keys: ReadonlyArray<{ id: string; sentAt: Date }>,
  ): Promise<Map<string, MessageRow>> {
    const scope = await this.authz.scopeFor(actor, 'chat', 'read');
    const rows = await this.archive.messagesByKeys(
      actor.orgId,
      keys,
      scope ? ScopeEmployees.of(scope, actor.orgId) : null,
    );
    const shown = rows.filter((r) => scope && r.inScope && r.text !== null);
    if (shown.length) await this.record(actor, 'auditAlert.message', shown.map((r) => r.id).join(','));
    return new Map(rows.map(({ inScope, ...m }) => [m.id, scope && inScope ? m : { ...m, text: null }]));
  }

  async accessLog(actor: Actor, first?: number, after?: string | null): Promise<Page<AccessEntryRow>> {
    const limit = pageSize(first);
    const cursor = timeIdCursor(after);
    const viewers = ScopeEmployees.of(await this.authz.requireScope(actor, 'accessLog', 'read'), actor.orgId);
    const rows = await this.log.page(actor.orgId, cursor, limit + 1, viewers);
    return toPage(rows, limit, (e) => cursorOf(e.occurredAt, e.id));
  }

  private record(actor: Actor, action: string, target: string): Promise<void> {
    return this.log.append({
      orgId: actor.orgId,
      viewerId: actor.employeeId ?? null,
      apiKeyId: actor.apiKeyId ?? null,
      action,
      target: clipChars(target, MAX_ACCESS_TARGET),
    });
  }
}
