/** What an access-log entry's target says, read for people: a conversation, or a search with its filter. */
export type AccessTarget =
  | { kind: 'conversation'; conversationId: string }
  | { kind: 'search'; query: string; filterParts: number }
  | { kind: 'other'; text: string };

/**
 * The server writes a conversation's id for `conversation` and `conversation.messages`, and
 * `{"query": ..., "filter": {...}}` for `searchChatMessages` (src/modules/chat-audit/services/chat-read.service.ts).
 * Anything else (an action added later, a clipped target) is shown as written.
 */
export function readAccessTarget(action: string, target: string): AccessTarget {
  if (action === 'conversation' || action === 'conversation.messages') {
    return { kind: 'conversation', conversationId: target };
  }
  if (action === 'searchChatMessages') {
    try {
      const parsed = JSON.parse(target) as { query?: unknown; filter?: unknown };
      if (typeof parsed.query === 'string') {
        const filter = parsed.filter && typeof parsed.filter === 'object' ? parsed.filter : {};
        const filterParts = Object.values(filter).filter((v) => v != null && !(Array.isArray(v) && !v.length)).length;
        return { kind: 'search', query: parsed.query, filterParts };
      }
    } catch {
      // Clipped or not JSON: shown as written.
    }
  }
  return { kind: 'other', text: target };
}

/** The actions the server writes, with their text's key (an i18next key cannot hold the action's dot). */
export const ACTION_TEXT: Record<string, string> = {
  searchChatMessages: 'search',
  conversation: 'conversation',
  'conversation.messages': 'messages',
};
