import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import {
  LatestNotificationsDocument,
  MarkNotificationsReadDocument,
  UnreadNotificationCountDocument,
} from './notifications.generated';
import { renderPage } from '../../test/render';
import NotificationBell from './notification-bell';
import { linkOf } from './notification-link';

const node = (id: string, kind: string, readAt: string | null, extra: Record<string, unknown> = {}) => ({
  __typename: 'Notification',
  id,
  kind,
  readAt,
  momentId: null,
  momentTaskId: null,
  handoverId: null,
  count: null,
  createdAt: '2026-03-01T02:00:00.000Z',
  ...extra,
});

describe('notification bell', { timeout: 60_000 }, () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows the unread count, lists the latest and marks one read', async () => {
    const user = userEvent.setup();
    let unread = 2;
    let marked: unknown = null;
    const mocks = [
      {
        request: { query: UnreadNotificationCountDocument },
        result: () => ({ data: { unreadNotificationCount: unread } }),
        maxUsageCount: 10,
      },
      {
        request: { query: LatestNotificationsDocument, variables: { first: 10 } },
        result: () => ({
          data: {
            notifications: {
              __typename: 'NotificationConnection',
              edges: [
                {
                  __typename: 'NotificationEdge',
                  node: node('n2', 'MOMENT_REMINDER', unread === 2 ? null : '2026-03-01T03:00:00.000Z', {
                    momentId: 'm1',
                  }),
                },
                {
                  __typename: 'NotificationEdge',
                  node: node('n1', 'TRANSFER_WAITING', null, { handoverId: 'h1', count: 3 }),
                },
              ],
            },
          },
        }),
        maxUsageCount: 10,
      },
      {
        request: { query: MarkNotificationsReadDocument, variables: { input: { ids: ['n2'] } } },
        result: () => {
          marked = ['n2'];
          unread = 1;
          return { data: { markNotificationsRead: 1 } };
        },
      },
    ];
    renderPage(<NotificationBell />, { mocks, path: '/bell', route: '/bell' });
    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    await user.click(bell);
    expect(await screen.findByText('Reminder: a moment is still waiting for you to post it.')).toBeInTheDocument();
    expect(screen.getByText('3 customers are being handed over to you.')).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Mark read: Reminder: a moment is still waiting for you to post it.' }),
    );
    await waitFor(() => expect(marked).toEqual(['n2']));
    expect(await screen.findByRole('button', { name: 'Notifications, 1 unread' })).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Mark read: Reminder: a moment is still waiting for you to post it.' }),
      ).toBeNull(),
    );
  });

  it('reads the same in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    const mocks = [
      {
        request: { query: UnreadNotificationCountDocument },
        result: { data: { unreadNotificationCount: 5 } },
        maxUsageCount: 5,
      },
    ];
    renderPage(<NotificationBell />, { mocks, path: '/bell', route: '/bell' });
    expect(await screen.findByRole('button', { name: '通知，5 条未读' })).toBeInTheDocument();
  });

  it('links each kind to a page the viewer may open', () => {
    const sales = (a: string) => ['momentTasks', 'customers'].includes(a);
    const marketer = (a: string) => a === 'moments';
    const manager = (a: string) => ['handovers', 'customers'].includes(a);
    expect(linkOf({ kind: 'MOMENT_REMINDER', momentId: 'm1' }, sales)).toBe('/');
    expect(linkOf({ kind: 'MOMENT_TASK_ASSIGNED', momentId: 'm1' }, marketer)).toBe('/moments/m1');
    expect(linkOf({ kind: 'TRANSFER_WAITING', handoverId: 'h1' }, sales)).toBe('/customers');
    expect(linkOf({ kind: 'HANDOVER_FINISHED', handoverId: 'h1' }, manager)).toBe('/handovers/h1');
    expect(linkOf({ kind: 'HANDOVER_FINISHED', handoverId: 'h1' }, () => false)).toBeNull();
    expect(linkOf({ kind: 'CUSTOMER_LOST' }, (a) => a === 'lostCustomers')).toBe('/lost-customers');
    expect(linkOf({ kind: 'CUSTOMER_LOST' }, () => false)).toBeNull();
    expect(linkOf({ kind: 'AUDIT_ALERT' }, (a) => a === 'auditAlerts')).toBe('/audit/alerts');
    expect(linkOf({ kind: 'AUDIT_ALERT' }, sales)).toBeNull();
  });
});
