import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionStore } from '../../core/auth/session-store';
import i18n from '../../core/i18n/i18n';
import {
  CompleteFollowUpTaskDocument,
  ConfirmMyMomentTaskDocument,
  MyFollowUpTasksDocument,
  MyMomentTaskListDocument,
} from './tasks.generated';
import { renderPage, viewerMock } from '../../test/render';
import { dueState } from './due-state';
import MyTasksPage from './my-tasks-page';

const HOUR = 3_600_000;
const iso = (offset: number) => new Date(Date.now() + offset).toISOString();

const viewer = (permissions: string[]) =>
  viewerMock({
    permissions,
    dataScope: 'SELF',
    id: 'e1',
    name: '张伟',
    email: 'z@demo.local',
    roles: ['custom'],
    department: null,
  });

const task = (id: string, body: string, dueAt: string | null, authorId = 'e1') => ({
  __typename: 'CustomerNote',
  id,
  body,
  dueAt,
  doneAt: null,
  createdAt: iso(-48 * HOUR),
  author: { __typename: 'Employee', id: authorId, name: authorId === 'e1' ? '张伟' : 'Manager Li' },
  customer: { __typename: 'Customer', id: `c-${id}`, name: `Customer ${id}` },
});

function followUps(done: boolean, rows: ReturnType<typeof task>[]) {
  return {
    request: { query: MyFollowUpTasksDocument, variables: { done, first: 20 } },
    result: {
      data: {
        myCustomerTasks: {
          __typename: 'CustomerNoteConnection',
          edges: rows.map((node) => ({ __typename: 'CustomerNoteEdge', cursor: `cur-${node.id}`, node })),
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
      },
    },
  };
}

const momentTask = {
  __typename: 'MomentTask',
  id: 'mt1',
  status: 'PENDING',
  publishedAt: null,
  visibleCustomerCount: 12,
  moment: {
    __typename: 'Moment',
    id: 'm1',
    text: 'Spring serum launch 春季新品',
    publishedAt: iso(-HOUR),
    attachments: [
      { __typename: 'MomentAttachment', type: 'IMAGE', url: 'https://img.example/a.jpg', title: null },
      { __typename: 'MomentAttachment', type: 'IMAGE', url: 'https://img.example/b.jpg', title: null },
    ],
    createdBy: { __typename: 'Employee', id: 'm', name: 'Marketer Wu' },
  },
};
const momentTasks = (rows: (typeof momentTask)[]) => ({
  request: { query: MyMomentTaskListDocument, variables: { status: ['PENDING'], first: 20 } },
  result: {
    data: {
      myMomentTasks: {
        __typename: 'MomentTaskConnection',
        edges: rows.map((node) => ({ __typename: 'MomentTaskEdge', cursor: 'c', node })),
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
      },
    },
  },
});

describe('due state', () => {
  const now = new Date('2026-03-10T10:00:00');
  it('tells overdue, due today, later and undated apart; a done task is never overdue', () => {
    expect(dueState('2026-03-10T09:59:00', null, now)).toBe('overdue');
    expect(dueState('2026-03-10T18:00:00', null, now)).toBe('today');
    expect(dueState('2026-03-11T00:00:00', null, now)).toBe('later');
    expect(dueState(null, null, now)).toBe('none');
    expect(dueState('2026-03-01T00:00:00', '2026-03-02T00:00:00', now)).toBe('later');
  });
});

describe('My tasks', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    sessionStore.set('tok');
  });
  afterEach(() => sessionStore.set(null));

  it('lists open follow-ups due first, the overdue one marked, and completes one', async () => {
    let completed = false;
    renderPage(<MyTasksPage />, {
      path: '/tasks',
      mocks: [
        viewer(['customer:read', 'customer:note']),
        followUps(false, [
          task('1', 'Send the price list', iso(-2 * HOUR)),
          task('2', 'Book a visit', iso(72 * HOUR), 'boss'),
          task('3', 'Ask for feedback', null),
        ]),
        {
          request: { query: CompleteFollowUpTaskDocument, variables: { id: '1' } },
          result: () => {
            completed = true;
            return { data: { completeCustomerTask: { __typename: 'CustomerNote', id: '1', doneAt: iso(0) } } };
          },
        },
        followUps(false, [task('2', 'Book a visit', iso(72 * HOUR), 'boss'), task('3', 'Ask for feedback', null)]),
      ],
    });
    const list = await screen.findByRole('region', { name: 'Follow-ups' });
    await within(list).findByText('Send the price list');
    expect(
      within(list)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Customer 1', 'Customer 2', 'Customer 3']);
    // Each task's row (its actions are list items of their own, so rows are found from their text).
    const items = ['Send the price list', 'Book a visit', 'Ask for feedback'].map((body) =>
      within(list).getByText(body).closest('li')!,
    );
    expect(within(items[0]).getByText(/^Overdue · /)).toBeInTheDocument();
    expect(within(items[1]).queryByText(/^Overdue/)).toBeNull();
    expect(within(items[1]).getByText('from Manager Li')).toBeInTheDocument();
    expect(within(items[2]).getByText('No due date')).toBeInTheDocument();
    expect(screen.getByText('1 overdue')).toBeInTheDocument();
    expect(within(items[0]).getByRole('link')).toHaveAttribute('href', '/customers/c-1');
    // No moments tab: this employee holds no momentTask:read.
    expect(screen.queryByRole('tab', { name: 'Moments to post' })).toBeNull();

    await userEvent.setup().click(within(items[0]).getByRole('button', { name: 'Mark done: Send the price list' }));
    await waitFor(() => expect(screen.queryByText('Send the price list')).toBeNull());
    expect(completed).toBe(true);
  });

  it('previews a moment to post (text and images) and records it posted only after confirming', async () => {
    let confirmed = false;
    renderPage(<MyTasksPage />, {
      path: '/tasks',
      mocks: [
        viewer(['momentTask:read', 'momentTask:confirm']),
        momentTasks([momentTask]),
        {
          request: { query: ConfirmMyMomentTaskDocument, variables: { id: 'mt1' } },
          result: () => {
            confirmed = true;
            return {
              data: {
                confirmMomentTask: { __typename: 'MomentTask', id: 'mt1', status: 'PUBLISHED', publishedAt: iso(0) },
              },
            };
          },
        },
        momentTasks([]),
      ],
    });
    // Only the moments tab: no customer:read.
    expect(await screen.findByText('Spring serum launch 春季新品')).toBeInTheDocument();
    expect(screen.queryByRole('tab', { name: 'Follow-ups' })).toBeNull();
    expect(screen.getByRole('img', { name: 'Image 1' })).toHaveAttribute('src', 'https://img.example/a.jpg');
    expect(screen.getByRole('img', { name: 'Image 2' })).toBeInTheDocument();
    expect(screen.getByText('Seen by 12 customers')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Mark as posted' }));
    expect(confirmed).toBe(false);
    const tip = await screen.findByRole('tooltip');
    expect(within(tip).getByText('It is recorded as posted to your 12 customers.')).toBeInTheDocument();
    await user.click(within(tip).getByRole('button', { name: 'Mark as posted' }));
    expect(await screen.findByText('No moments waiting to be posted.')).toBeInTheDocument();
    expect(confirmed).toBe(true);
  });
});
