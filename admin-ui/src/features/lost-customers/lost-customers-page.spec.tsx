import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionStore } from '../../core/auth/session-store';
import i18n from '../../core/i18n/i18n';
import { contextMock, department, renderPage, viewerMock } from '../../test/render';
import LostCustomersPage, { departmentOptions } from './lost-customers-page';
import { LostCustomersContextDocument, LostCustomersDocument } from './lost-customers.generated';
import { dayStart, presetRange } from '../../core/dates/zoned-range';

describe('day ranges in the organization’s time zone', () => {
  // 2026-03-15 20:00 UTC is already 2026-03-16 04:00 in Shanghai.
  const now = Date.parse('2026-03-15T20:00:00Z');

  it('counts days from the organization’s midnight, not the browser’s', () => {
    expect(presetRange('thisMonth', 'Asia/Shanghai', now)).toEqual({
      from: '2026-02-28T16:00:00.000Z',
      to: '2026-03-16T16:00:00.000Z',
    });
    expect(presetRange('last7', 'Asia/Shanghai', now)).toEqual({
      from: '2026-03-09T16:00:00.000Z',
      to: '2026-03-16T16:00:00.000Z',
    });
    expect(presetRange('lastMonth', 'Asia/Shanghai', now)).toEqual({
      from: '2026-01-31T16:00:00.000Z',
      to: '2026-02-28T16:00:00.000Z',
    });
    // In UTC the same instant is still the 15th.
    expect(presetRange('last7', 'UTC', now)).toEqual({
      from: '2026-03-09T00:00:00.000Z',
      to: '2026-03-16T00:00:00.000Z',
    });
  });

  it('follows daylight saving time: a day may last 23 hours', () => {
    const start = dayStart({ year: 2026, month: 3, day: 8 }, 'America/New_York');
    const next = dayStart({ year: 2026, month: 3, day: 9 }, 'America/New_York');
    expect(new Date(start).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(next).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(presetRange('last30', 'America/New_York', Date.parse('2026-01-10T12:00:00Z'))).toEqual({
      from: '2025-12-12T05:00:00.000Z',
      to: '2026-01-11T05:00:00.000Z',
    });
  });

  it('offers a manager only their own department tree', () => {
    const departments = [
      { __typename: 'Department' as const, id: 'root', name: 'HQ', parent: null },
      {
        __typename: 'Department' as const,
        id: 'east',
        name: 'East',
        parent: { __typename: 'Department' as const, id: 'root' },
      },
      {
        __typename: 'Department' as const,
        id: 'e1',
        name: 'East 1',
        parent: { __typename: 'Department' as const, id: 'east' },
      },
      {
        __typename: 'Department' as const,
        id: 'west',
        name: 'West',
        parent: { __typename: 'Department' as const, id: 'root' },
      },
    ];
    const tree = departmentOptions(departments, 'east');
    expect(tree.map((n) => n.value)).toEqual(['east']);
    expect(tree[0].children.map((n) => n.value)).toEqual(['e1']);
    expect(departmentOptions(departments)[0].children.map((n) => n.value)).toEqual(['east', 'west']);
  });
});

const viewer = (dataScope: 'DEPARTMENT' | 'SELF') => viewerMock({ permissions: ['customer:read'], dataScope });

const context = contextMock(LostCustomersContextDocument, [
  department('root', 'HQ'),
  department('east', 'East', 'root'),
]);

function lost(rows: Array<{ id: string; name: string; note: string | null }>) {
  return {
    request: {
      query: LostCustomersDocument,
      variables: { filter: { ...presetRange('last30', 'Asia/Shanghai') }, first: 50 },
    },
    result: {
      data: {
        lostCustomers: {
          __typename: 'LostCustomerConnection',
          edges: rows.map((r) => ({
            __typename: 'LostCustomerEdge',
            cursor: `c-${r.id}`,
            node: {
              __typename: 'LostCustomer',
              id: r.id,
              lostAt: '2026-03-10T02:00:00.000Z',
              stage: 'NEGOTIATING',
              customer: { __typename: 'Customer', id: `cu-${r.id}`, name: r.name },
              employee: {
                __typename: 'Employee',
                id: 's1',
                name: 'Rep Wang',
                department: { __typename: 'Department', id: 'east', name: 'East' },
              },
              lastNote: r.note
                ? {
                    __typename: 'LostCustomerNote',
                    kind: 'CALL',
                    body: r.note,
                    createdAt: '2026-03-09T02:00:00.000Z',
                    author: { __typename: 'Employee', id: 's1', name: 'Rep Wang' },
                  }
                : null,
            },
          })),
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
      },
    },
  };
}

describe('Lost customers page', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    sessionStore.set('tok');
  });
  afterEach(() => sessionStore.set(null));

  it('lists who left in the last 30 days of the organization’s calendar, with stage and last note', async () => {
    renderPage(<LostCustomersPage />, {
      path: '/lost-customers',
      mocks: [
        viewer('DEPARTMENT'),
        context,
        lost([
          { id: 'r1', name: 'Leaving Li', note: 'Asked for a discount' },
          { id: 'r2', name: 'Quiet Qian', note: null },
        ]),
      ],
    });
    const first = (await screen.findByText('Leaving Li')).closest('tr')!;
    expect(within(first).getByText('Negotiating')).toBeInTheDocument();
    expect(within(first).getByText('Asked for a discount')).toBeInTheDocument();
    expect(within(first).getByText('Call')).toBeInTheDocument();
    expect(within(first).getByText(/^Rep Wang, /)).toBeInTheDocument();
    const second = screen.getByText('Quiet Qian').closest('tr')!;
    expect(within(second).getByText('No note')).toBeInTheDocument();
    expect(screen.getByText('Days in Asia/Shanghai')).toBeInTheDocument();
    // A manager filters by a department of their tree.
    expect(screen.getByLabelText('Department')).toBeInTheDocument();
  });

  it('has no department filter for someone who reads only their own customers, and says when nobody left', async () => {
    renderPage(<LostCustomersPage />, {
      path: '/lost-customers',
      mocks: [viewer('SELF'), context, lost([])],
    });
    expect(await screen.findByText('No customer left in this period.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Department')).toBeNull();
  });
});
