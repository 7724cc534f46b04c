import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { renderPage } from '../../test/render';
import { AuditEmployeesDocument, AuditSearchDocument } from './audit.generated';
import SearchPage from './search-page';

const employees = {
  request: { query: AuditEmployeesDocument, variables: () => true },
  result: { data: { employees: { __typename: 'EmployeeConnection', edges: [] } } },
  maxUsageCount: 10,
};

function searchMock(onCall: (vars: Record<string, unknown>) => void) {
  return {
    request: {
      query: AuditSearchDocument,
      variables: (vars: Record<string, unknown>) => {
        onCall(vars);
        return true;
      },
    },
    result: {
      data: {
        searchChatMessages: {
          __typename: 'ChatMessageConnection',
          edges: [
            {
              __typename: 'ChatMessageEdge',
              cursor: 'c1',
              node: {
                __typename: 'ChatMessage',
                id: 'm1',
                senderType: 'CUSTOMER',
                type: 'TEXT',
                text: '这个价格太贵<script>x</script>，价格',
                contentWithheld: false,
                sentAt: '2026-03-01T08:00:00Z',
                conversation: {
                  __typename: 'Conversation',
                  id: 'conv1',
                  employee: { __typename: 'Employee', id: 'e1', name: '张伟' },
                  customer: { __typename: 'Customer', id: 'k1', name: '郭安琪' },
                },
              },
            },
          ],
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'c1' },
        },
      },
    },
    maxUsageCount: 10,
  };
}

describe('chat search page', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows the hits of the URL’s query with each match marked and a link to the message in its thread', async () => {
    const calls: Array<Record<string, unknown>> = [];
    renderPage(<SearchPage />, {
      mocks: [employees, searchMock((v) => calls.push(v))],
      path: '/audit/search?q=价格&sender=CUSTOMER&from=2026-03-01&to=2026-03-01',
    });
    const results = await screen.findByRole('region', { name: 'Search results' });
    const item = (await within(results).findAllByRole('listitem'))[0];
    expect([...item.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['价格', '价格']);
    expect(item.querySelector('script')).toBeNull();
    expect(within(item).getByRole('link', { name: 'Open in conversation' })).toHaveAttribute(
      'href',
      '/audit/conversations/conv1?message=m1&q=%E4%BB%B7%E6%A0%BC',
    );
    expect(calls[0]).toMatchObject({
      query: '价格',
      filter: {
        senderType: 'CUSTOMER',
        from: new Date(2026, 2, 1).toISOString(),
        to: new Date(2026, 2, 2).toISOString(),
      },
    });
  });

  it('asks nothing for a blank query and says why', async () => {
    const onCall = vi.fn();
    renderPage(<SearchPage />, { mocks: [employees, searchMock(onCall)], path: '/audit/search' });
    const box = screen.getByRole('searchbox', { name: 'Search messages' });
    await userEvent.type(box, '   {Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Type something to search for.');
    expect(onCall).not.toHaveBeenCalled();
  });

  it('asks nothing for a backwards date range and says so', async () => {
    const onCall = vi.fn();
    renderPage(<SearchPage />, {
      mocks: [employees, searchMock(onCall)],
      path: '/audit/search?q=价格&from=2026-03-02&to=2026-03-01',
    });
    await screen.findByText('The start day is after the end day: change one of them.');
    expect(onCall).not.toHaveBeenCalled();
  });
});
