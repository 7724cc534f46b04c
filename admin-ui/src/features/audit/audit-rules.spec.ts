import { describe, expect, it } from 'vitest';
import { readAccessTarget } from './access-log';
import {
  auditFiltersFromParams,
  auditFiltersToParams,
  MAX_QUERY_CHARS,
  queryProblem,
  rangeIsBackwards,
  toConversationFilter,
  toSearchFilter,
} from './audit-filters';
import { appendMessages, threadLink } from './thread-pages';
import { messageBody } from './message-bubble';

describe('audit filters in the URL', () => {
  it('round-trips every filter through the URL, keeping the search query', () => {
    const params = new URLSearchParams(
      'q=价格&employee=e1&employee=e2&customer=c1&sender=CUSTOMER&from=2026-03-01&to=2026-03-31',
    );
    const filters = auditFiltersFromParams(params);
    expect(filters).toEqual({
      employeeIds: ['e1', 'e2'],
      customerId: 'c1',
      senderType: 'CUSTOMER',
      fromDay: '2026-03-01',
      toDay: '2026-03-31',
    });
    expect(auditFiltersToParams(filters, params).toString()).toBe(params.toString());
  });

  it('drops what the URL holds that is not a filter value (a bad sender, a malformed day)', () => {
    const filters = auditFiltersFromParams(new URLSearchParams('sender=BOT&from=yesterday&to=2026-13-45&employee='));
    expect(filters).toEqual({
      employeeIds: [],
      customerId: undefined,
      senderType: undefined,
      fromDay: undefined,
      toDay: undefined,
    });
    expect(toSearchFilter(filters)).toBeUndefined();
  });
});

describe('audit filters for the API', () => {
  it('includes the last chosen day: `to` is the next local midnight (the API’s `to` is exclusive)', () => {
    const filter = toConversationFilter({ employeeIds: [], fromDay: '2026-03-01', toDay: '2026-03-01' });
    expect(filter).toEqual({
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 2, 2).toISOString(),
    });
  });

  it('never sends an empty employee list (it would mean "none of them")', () => {
    expect(toSearchFilter({ employeeIds: [] })).toBeUndefined();
    expect(toSearchFilter({ employeeIds: ['e1', 'e2'], senderType: 'EMPLOYEE' })).toEqual({
      employeeIds: ['e1', 'e2'],
      senderType: 'EMPLOYEE',
    });
  });

  it('gives the conversations browser one employee and no sender (its filter has neither list nor sender)', () => {
    expect(toConversationFilter({ employeeIds: ['e1', 'e2'], senderType: 'CUSTOMER', customerId: 'c1' })).toEqual({
      employeeId: 'e1',
      customerId: 'c1',
    });
  });

  it('spots a backwards range before asking the server', () => {
    expect(rangeIsBackwards({ fromDay: '2026-03-02', toDay: '2026-03-01' })).toBe(true);
    expect(rangeIsBackwards({ fromDay: '2026-03-01', toDay: '2026-03-01' })).toBe(false);
    expect(rangeIsBackwards({ fromDay: '2026-03-01' })).toBe(false);
  });

  it('refuses an empty query and one over the server’s limit, counting characters not code units', () => {
    expect(queryProblem('   ')).toBe('empty');
    expect(queryProblem('价')).toBeNull();
    expect(queryProblem('价'.repeat(MAX_QUERY_CHARS))).toBeNull();
    expect(queryProblem('价'.repeat(MAX_QUERY_CHARS + 1))).toBe('tooLong');
    // 100 emoji are 200 UTF-16 code units but 100 characters: allowed, as the server counts them.
    expect(queryProblem('😀'.repeat(MAX_QUERY_CHARS))).toBeNull();
  });
});

describe('message bodies', () => {
  it('shows withheld content as withheld, never as empty text', () => {
    expect(messageBody({ contentWithheld: true, text: null, type: 'TEXT' })).toEqual({ kind: 'withheld' });
  });

  it('names the type of a message without text, and shows text as it is', () => {
    expect(messageBody({ contentWithheld: false, text: null, type: 'IMAGE' })).toEqual({
      kind: 'typeOnly',
      type: 'IMAGE',
    });
    expect(messageBody({ contentWithheld: false, text: '', type: 'TEXT' })).toEqual({ kind: 'typeOnly', type: 'TEXT' });
    expect(messageBody({ contentWithheld: false, text: '价格', type: 'TEXT' })).toEqual({ kind: 'text', text: '价格' });
  });
});

describe('access log targets', () => {
  it('reads a conversation read as its conversation', () => {
    expect(readAccessTarget('conversation.messages', 'c-1')).toEqual({ kind: 'conversation', conversationId: 'c-1' });
  });

  it('reads a search as its query and the number of filters set', () => {
    const target = JSON.stringify({
      query: '价格',
      filter: { employeeIds: ['e1'], customerId: null, senderType: 'CUSTOMER' },
    });
    expect(readAccessTarget('searchChatMessages', target)).toEqual({ kind: 'search', query: '价格', filterParts: 2 });
    expect(readAccessTarget('searchChatMessages', JSON.stringify({ query: 'x', filter: { employeeIds: [] } }))).toEqual(
      {
        kind: 'search',
        query: 'x',
        filterParts: 0,
      },
    );
  });

  it('shows a clipped or unknown target as written', () => {
    expect(readAccessTarget('searchChatMessages', '{"query":"价')).toEqual({ kind: 'other', text: '{"query":"价' });
    expect(readAccessTarget('export', 'all')).toEqual({ kind: 'other', text: 'all' });
  });
});

describe('thread pages', () => {
  const page = (ids: string[], hasNextPage: boolean) => ({
    conversation: {
      __typename: 'Conversation' as const,
      id: 'c1',
      messageCount: 3,
      lastMessageAt: null,
      consent: 'AGREED' as const,
      employee: { __typename: 'Employee' as const, id: 'e1', name: 'E' },
      customer: { __typename: 'Customer' as const, id: 'k1', name: 'K' },
      messages: {
        __typename: 'ChatMessageConnection' as const,
        edges: ids.map((id) => ({
          __typename: 'ChatMessageEdge' as const,
          cursor: id,
          node: {
            __typename: 'ChatMessage' as const,
            id,
            senderType: 'EMPLOYEE' as const,
            type: 'TEXT' as const,
            text: id,
            contentWithheld: false,
            sentAt: '2026-01-01T00:00:00Z',
          },
        })),
        pageInfo: { __typename: 'PageInfo' as const, hasNextPage, endCursor: ids[ids.length - 1] },
      },
    },
  });

  it('appends a later page after the ones read, its page info replacing theirs', () => {
    const merged = appendMessages(page(['m1', 'm2'], true), page(['m3'], false));
    expect(merged.conversation.messages.edges.map((e) => e.node.id)).toEqual(['m1', 'm2', 'm3']);
    expect(merged.conversation.messages.pageInfo).toMatchObject({ hasNextPage: false, endCursor: 'm3' });
  });
});

describe('thread links', () => {
  it('addresses a message in its thread with the query to mark, encoded', () => {
    expect(threadLink('c1', 'm1', '价格 & co')).toBe('/audit/conversations/c1?message=m1&q=%E4%BB%B7%E6%A0%BC+%26+co');
    expect(threadLink('c1')).toBe('/audit/conversations/c1');
  });
});
