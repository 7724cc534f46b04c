import type { AuditConversationQuery } from './audit.generated';

/** Messages per page read (the API's largest); each page read is one access-log entry. */
export const THREAD_PAGE = 200;
/** How many pages the thread reads on its own to reach a linked message before asking the auditor. */
export const MAX_AUTO_PAGES = 10;

export type Order = 'oldest' | 'newest';

/** Appends a page of messages to the thread already read (the API pages oldest first). */
export function appendMessages(prev: AuditConversationQuery, next: AuditConversationQuery): AuditConversationQuery {
  return {
    ...next,
    conversation: {
      ...next.conversation,
      messages: {
        ...next.conversation.messages,
        edges: [...prev.conversation.messages.edges, ...next.conversation.messages.edges],
      },
    },
  };
}

/** The address of a message in its thread (the thread reads on to it and marks it; `query` is marked inside it). */
export function threadLink(conversationId: string, messageId?: string, query?: string): string {
  const params = new URLSearchParams();
  if (messageId) params.set('message', messageId);
  if (query) params.set('q', query);
  const search = params.toString();
  return `/audit/conversations/${encodeURIComponent(conversationId)}${search ? `?${search}` : ''}`;
}
