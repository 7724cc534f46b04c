import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import './moments-texts';
import { CancelMomentDocument, MomentDetailDocument, RemindMomentTasksDocument } from './moments.generated';
import { renderPage } from '../../test/render';
import MomentDetailPage from './moment-detail-page';

const ID = '11111111-1111-4111-8111-111111111111';
const task = (id: string, name: string, status: string) => ({
  __typename: 'MomentTask',
  id,
  status,
  visibleCustomerCount: 3,
  publishedAt: null,
  remindedCount: 0,
  employee: { __typename: 'Employee', id: `e-${id}`, name },
});
const detail = (status: string, tasks: ReturnType<typeof task>[]) => ({
  request: { query: MomentDetailDocument, variables: { id: ID } },
  result: {
    data: {
      moment: {
        __typename: 'Moment',
        id: ID,
        text: 'Spring sale',
        status,
        scheduledAt: '2026-03-01T02:00:00.000Z',
        publishedAt: status === 'PUBLISHED' ? '2026-03-01T02:00:01.000Z' : null,
        createdAt: '2026-02-01T02:00:00.000Z',
        attachments: [],
        createdBy: { __typename: 'Employee', id: 'm1', name: 'Grace' },
        audience: { __typename: 'MomentAudience', employees: [], departments: [], customerTags: [] },
        stats: {
          __typename: 'MomentStats',
          assignedEmployees: tasks.length,
          publishedEmployees: 1,
          reachableCustomers: 9,
          likes: 7,
          comments: 4,
        },
        tasks: {
          __typename: 'MomentTaskConnection',
          edges: tasks.map((node) => ({ __typename: 'MomentTaskEdge', node })),
          pageInfo: { __typename: 'PageInfo', hasNextPage: false },
        },
      },
    },
  },
  maxUsageCount: 5,
});

describe('moment detail', { timeout: 60_000 }, () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows the tasks by status and, when reminders run out, when the next is allowed', async () => {
    const user = userEvent.setup();
    const limited = {
      request: { query: RemindMomentTasksDocument, variables: { momentId: ID } },
      result: {
        errors: [
          new GraphQLError('At most 3 reminders', { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 5400 } }),
        ],
      },
    };
    const tasks = [task('t1', 'Wei', 'PENDING'), task('t2', 'Lin', 'PUBLISHED'), task('t3', 'Sun', 'EXPIRED')];
    renderPage(<MomentDetailPage />, {
      mocks: [detail('PUBLISHED', tasks), limited],
      path: `/moments/${ID}`,
      route: '/moments/:id',
    });
    expect(await screen.findByRole('cell', { name: 'Wei' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'Expired' })).toBeInTheDocument();
    expect(screen.getByText('Visible to 9 customers in all.')).toBeInTheDocument();
    // The channels' likes and comments, each under its title.
    expect(screen.getByText('Likes').closest('.ant-statistic')).toHaveTextContent('Likes7');
    expect(screen.getByText('Comments').closest('.ant-statistic')).toHaveTextContent('Comments4');
    await user.click(screen.getByRole('button', { name: 'Remind pending' }));
    expect(await screen.findByText(/The next is possible at .* \(in 5400 s\)\./)).toBeInTheDocument();
  });

  it('cancels only after confirming', async () => {
    const user = userEvent.setup();
    let canceled = 0;
    const cancel = {
      request: { query: CancelMomentDocument, variables: { id: ID } },
      result: () => {
        canceled++;
        return { data: { cancelMoment: { ...detail('CANCELED', []).result.data.moment, status: 'CANCELED' } } };
      },
    };
    renderPage(<MomentDetailPage />, {
      mocks: [detail('SCHEDULED', []), cancel],
      path: `/moments/${ID}`,
      route: '/moments/:id',
    });
    await user.click(await screen.findByRole('button', { name: 'Cancel moment' }));
    const dialog = (await screen.findAllByRole('dialog')).at(-1)!;
    expect(within(dialog).getAllByText('Cancel this moment?').length).toBeGreaterThan(0);
    expect(canceled).toBe(0);
    await user.click(within(dialog).getByRole('button', { name: 'Back' }));
    expect(canceled).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Cancel moment' }));
    const again = (await screen.findAllByRole('dialog')).at(-1)!;
    await user.click(within(again).getByRole('button', { name: 'Cancel moment' }));
    await screen.findByText('Moment canceled');
    expect(canceled).toBe(1);
  });
});
