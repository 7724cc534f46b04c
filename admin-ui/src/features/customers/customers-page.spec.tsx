import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import {
  CustomerFilterOptionsDocument,
  CustomersDocument,
  CustomerTotalDocument,
  type CustomerFilter,
} from './customer.generated';
import { renderPage } from '../../test/render';
import { filtersFromParams, filtersToParams, toCustomerFilter } from './customer-list-filters';
import CustomersPage from './customers-page';

const options = {
  request: { query: CustomerFilterOptionsDocument },
  result: {
    data: {
      tagGroups: [
        {
          __typename: 'TagGroup',
          id: 'g1',
          name: 'Interest',
          tags: [{ __typename: 'Tag', id: 't-skin', name: 'Skincare' }],
        },
      ],
      channels: {
        __typename: 'ChannelConnection',
        edges: [
          {
            __typename: 'ChannelEdge',
            node: { __typename: 'Channel', id: 'c1', name: 'Store poster', state: 'poster', archived: false },
          },
        ],
      },
    },
  },
  maxUsageCount: 10,
};

const customer = (id: string, name: string, stage: string) => ({
  __typename: 'Customer',
  id,
  name,
  company: null,
  phone: '13812345678',
  stage,
  lastContactAt: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  tags: [],
  relations: [],
});

/** The customers query answering `rows` for exactly this filter (a different filter finds no mock and fails). */
function customersAnswer(filter: CustomerFilter | undefined, rows: ReturnType<typeof customer>[], hasNextPage = false) {
  return {
    request: { query: CustomersDocument, variables: { first: 20, filter } },
    result: {
      data: {
        customers: {
          __typename: 'CustomerConnection',
          edges: rows.map((node) => ({ __typename: 'CustomerEdge', cursor: `cur-${node.id}`, node })),
          pageInfo: {
            __typename: 'PageInfo',
            hasNextPage,
            endCursor: rows.length ? `cur-${rows[rows.length - 1].id}` : null,
          },
        },
      },
    },
  };
}

describe('customer list filters', () => {
  beforeEach(() => i18n.changeLanguage('en'));

  it('turns the filter bar into the API filter, leaving out what is empty', () => {
    expect(toCustomerFilter({ search: '  ', stages: [], tagIds: [] })).toBeUndefined();
    expect(toCustomerFilter({ search: ' Li ', stages: ['WON'], tagIds: ['t1'], state: 'poster' })).toEqual({
      search: 'Li',
      stages: ['WON'],
      tagIds: ['t1'],
      state: 'poster',
    });
  });

  it('keeps filters in the URL and reads them back, ignoring unknown stages', () => {
    const params = filtersToParams({ search: '王', stages: ['NEW', 'LOST'], tagIds: ['a', 'b'], state: 's1' });
    expect(params.toString()).toBe('q=%E7%8E%8B&stage=NEW&stage=LOST&tag=a&tag=b&channel=s1');
    params.append('stage', 'BOGUS');
    expect(filtersFromParams(params)).toEqual({
      search: '王',
      stages: ['NEW', 'LOST'],
      tagIds: ['a', 'b'],
      state: 's1',
    });
  });

  it('sends the search to the API and shows what it answers', async () => {
    renderPage(<CustomersPage />, {
      path: '/customers',
      mocks: [
        options,
        customersAnswer(undefined, [customer('1', '李娜', 'NEW'), customer('2', 'Wang Fang', 'WON')]),
        customersAnswer({ search: 'Wang' }, [customer('2', 'Wang Fang', 'WON')]),
      ],
    });
    expect(await screen.findByRole('link', { name: '李娜' })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByRole('searchbox', { name: 'Search customers' }), 'Wang{Enter}');
    await waitFor(() => expect(screen.queryByRole('link', { name: '李娜' })).toBeNull());
    expect(screen.getByRole('link', { name: 'Wang Fang' })).toBeInTheDocument();
  });

  it('filters by stage from the URL and pages on with the cursor', async () => {
    const next = {
      request: { query: CustomersDocument, variables: { first: 20, after: 'cur-3', filter: { stages: ['WON'] } } },
      result: customersAnswer({ stages: ['WON'] }, [customer('4', 'Zhou Jie', 'WON')]).result,
      delay: 300,
    };
    renderPage(<CustomersPage />, {
      path: '/customers?stage=WON',
      mocks: [options, customersAnswer({ stages: ['WON'] }, [customer('3', 'Chen Jing', 'WON')], true), next],
    });
    expect(await screen.findByRole('link', { name: 'Chen Jing' })).toBeInTheDocument();
    expect(screen.getByText('Rows 1–1, more on the next page')).toBeInTheDocument();
    const table = screen.getByRole('table');
    expect(within(table).getAllByText('Won').length).toBe(1);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Next' }));
    // While the next page loads, the rows on screen are the first page's: no range claims otherwise.
    expect(screen.getByText('Chen Jing')).toBeInTheDocument();
    expect(screen.queryByText(/^Rows 21/)).toBeNull();
    expect(await screen.findByRole('link', { name: 'Zhou Jie' })).toBeInTheDocument();
    expect(screen.getByText('Rows 21–21')).toBeInTheDocument();
  });

  it('shows the total of the filter, and "10,000+" when the server stopped counting', async () => {
    const total = (filter: CustomerFilter | undefined, totalCount: number, totalCountPrecision: string) => ({
      request: { query: CustomerTotalDocument, variables: { filter } },
      result: { data: { customers: { __typename: 'CustomerConnection', totalCount, totalCountPrecision } } },
    });
    renderPage(<CustomersPage />, {
      path: '/customers',
      mocks: [
        options,
        customersAnswer(undefined, [customer('1', '李娜', 'NEW'), customer('2', 'Wang Fang', 'WON')], true),
        total(undefined, 10000, 'AT_LEAST'),
        customersAnswer({ search: 'Wang' }, [customer('2', 'Wang Fang', 'WON')]),
        total({ search: 'Wang' }, 1, 'EXACT'),
      ],
    });
    expect(await screen.findByText('Rows 1–2 of 10,000+')).toBeInTheDocument();
    await userEvent.setup().type(screen.getByRole('searchbox', { name: 'Search customers' }), 'Wang{Enter}');
    expect(await screen.findByText('Rows 1–1 of 1')).toBeInTheDocument();
  });

  it('shows the empty state for filters that match nobody', async () => {
    renderPage(<CustomersPage />, {
      path: '/customers?q=nobody',
      mocks: [options, customersAnswer({ search: 'nobody' }, [])],
    });
    expect(await screen.findByText('No customer matches these filters')).toBeInTheDocument();
  });
});
