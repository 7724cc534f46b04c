import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sessionStore } from '../../core/auth/session-store';
import { isoDate, presetDays } from '../../core/dates/zoned-range';
import i18n from '../../core/i18n/i18n';
import { contextMock, department, renderPage, viewerMock } from '../../test/render';
import { formatDuration, formatRate } from './kpi-format';
import KpiPage from './kpi-page';
import { KpiContextDocument, KpiDashboardDocument } from './kpi.generated';

const TZ = 'Asia/Shanghai';

// The live channel, recorded instead of opening a socket: which department the page listens to, and its handler.
const live = vi.hoisted(() => ({ calls: [] as Array<{ variables: Record<string, unknown>; onData: () => void }> }));
vi.mock('../../core/live/subscribe-live', () => ({
  subscribeLive: (_query: string, variables: Record<string, unknown>, handlers: { onData: () => void }) => {
    live.calls.push({ variables, onData: handlers.onData });
    return () => undefined;
  },
}));

describe('KPI formats', () => {
  const t = i18n.getFixedT('en', 'kpi');
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    // Loads the kpi namespace.
    await import('./kpi-page');
  });

  it('reads durations the way people say them', () => {
    expect(formatDuration(null, t)).toBe('—');
    expect(formatDuration(44.6, t)).toBe('45 s');
    expect(formatDuration(200, t)).toBe('3 min 20 s');
    expect(formatDuration(180, t)).toBe('3 min');
    expect(formatDuration(1500, t)).toBe('25 min');
    expect(formatDuration(7500, t)).toBe('2 h 5 min');
  });

  it('shows a rate as a percentage, and nothing for no customer-started chat', () => {
    expect(formatRate(0.8125, 'en', '—')).toBe('81.3%');
    expect(formatRate(null, 'en', '—')).toBe('—');
    expect(formatRate(1, 'zh-CN', '—')).toBe('100%');
  });
});

const numbers = (n: Partial<Record<string, number | null>> = {}) => ({
  __typename: 'KpiSummary',
  newCustomers: 0,
  lostCustomers: 0,
  netNewCustomers: 0,
  chats: 0,
  messagesSent: 0,
  messagesReceived: 0,
  customerInitiatedChats: 0,
  repliedChats: 0,
  replyRate: null,
  avgFirstResponseSeconds: null,
  p90FirstResponseSeconds: null,
  momentTasksAssigned: 0,
  momentTasksPublished: 0,
  transfersIn: 0,
  transfersOut: 0,
  ...n,
});

const progress = (p: Record<string, unknown>) => ({
  __typename: 'KpiTargetProgress',
  target: null,
  actual: null,
  progress: null,
  lowerIsBetter: false,
  source: 'OWN',
  ...p,
});

const viewer = (dataScope: 'DEPARTMENT' | 'SELF', extra: string[] = []) =>
  viewerMock({ permissions: ['kpi:read', ...extra], dataScope });

const context = contextMock(
  KpiContextDocument,
  [department('root', 'HQ'), department('east', 'East', 'root'), department('e1', 'East 1', 'east')],
  TZ,
);

function dashboard(
  opts: { withTeam: boolean; orderBy?: string; direction?: string; departmentId?: string },
  result: { ranking?: Array<{ id: string; name: string; newCustomers: number }> } = {},
) {
  const { first, last } = presetDays('last30', TZ);
  const input: Record<string, unknown> = { from: isoDate(first), to: isoDate(last) };
  if (opts.departmentId) input.departmentId = opts.departmentId;
  return {
    request: {
      query: KpiDashboardDocument,
      variables: {
        input,
        orderBy: opts.orderBy ?? 'NEW_CUSTOMERS',
        direction: opts.direction ?? 'DESC',
        first: 50,
        withTeam: opts.withTeam,
      },
    },
    result: {
      data: {
        kpiDashboard: {
          __typename: 'KpiDashboard',
          from: isoDate(first),
          to: isoDate(last),
          timezone: TZ,
          total: numbers({
            newCustomers: 12,
            lostCustomers: 2,
            netNewCustomers: 10,
            chats: 40,
            messagesSent: 300,
            messagesReceived: 280,
            customerInitiatedChats: 16,
            repliedChats: 13,
            replyRate: 13 / 16,
            avgFirstResponseSeconds: 200,
            p90FirstResponseSeconds: 1500,
            momentTasksAssigned: 4,
            momentTasksPublished: 3,
          }),
          targets: {
            __typename: 'KpiDashboardTargets',
            subject: opts.withTeam ? 'DEPARTMENT' : 'EMPLOYEE',
            days: 30,
            wholeMonth: false,
            newCustomers: progress({ target: 24, actual: 12, progress: 0.5 }),
            replyRate: progress({ actual: 13 / 16, source: 'NONE' }),
            avgFirstResponseSeconds: progress({ target: 100, actual: 200, progress: 0.5, lowerIsBetter: true }),
            momentCompletionRate: progress({ target: 0.5, actual: 0.75, progress: 1.5, source: 'MEMBERS' }),
          },
          series: [
            {
              __typename: 'KpiPoint',
              date: isoDate(last),
              summary: {
                __typename: 'KpiSummary',
                newCustomers: 1,
                lostCustomers: 0,
                chats: 3,
                repliedChats: 1,
                customerInitiatedChats: 2,
              },
            },
          ],
          ...(opts.withTeam
            ? {
                byEmployee: (result.ranking ?? []).map((r) => ({
                  __typename: 'EmployeeKpi',
                  employee: {
                    __typename: 'Employee',
                    id: r.id,
                    name: r.name,
                    department: { __typename: 'Department', id: 'e1', name: 'East 1' },
                  },
                  summary: numbers({ newCustomers: r.newCustomers }),
                })),
                byDepartment: [
                  {
                    __typename: 'DepartmentKpi',
                    department: { __typename: 'Department', id: 'e1', name: 'East 1' },
                    summary: numbers({ newCustomers: 12 }),
                  },
                ],
              }
            : {}),
        },
      },
    },
  };
}

describe('KPI dashboard', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    sessionStore.set('tok');
  });
  afterEach(() => sessionStore.set(null));

  it('shows a manager the cards, the ranking sorted by the server and the departments to drill into', async () => {
    const ranking = [
      { id: 's1', name: 'Rep Wang', newCustomers: 8 },
      { id: 's2', name: 'Rep Zhao', newCustomers: 4 },
    ];
    renderPage(<KpiPage />, {
      path: '/kpi',
      mocks: [
        viewer('DEPARTMENT', ['kpi:target']),
        context,
        dashboard({ withTeam: true, departmentId: 'east' }, { ranking }),
        dashboard(
          { withTeam: true, orderBy: 'CHATS', direction: 'DESC', departmentId: 'east' },
          { ranking: [...ranking].reverse() },
        ),
        dashboard({ withTeam: true, orderBy: 'CHATS', direction: 'DESC', departmentId: 'e1' }, { ranking }),
      ],
    });
    expect(await screen.findByRole('heading', { name: 'Team KPI' })).toBeInTheDocument();
    await screen.findByText('Net 10 after 2 lost');
    // Listening live to the manager's own department tree.
    expect(live.calls.at(-1)?.variables).toEqual({ departmentId: 'east' });
    expect(screen.getByText('81.3%')).toBeInTheDocument();
    expect(screen.getByText('13 of 16 customer-started chats answered the same day')).toBeInTheDocument();
    expect(screen.getByText('3 min 20 s')).toBeInTheDocument();
    expect(screen.getByText('90 % within 25 min')).toBeInTheDocument();
    expect(screen.getByText('75%')).toBeInTheDocument();
    expect(screen.getByText('Days in Asia/Shanghai')).toBeInTheDocument();
    // Targets on the cards: a prorated count, none for the reply rate, first response lower-is-better, and a
    // members' target passed (the bar full, the label beyond).
    expect(screen.getByText('Target 24 · prorated to 30 days')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'New customers: 50% of target' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
    expect(screen.getByText('No target')).toBeInTheDocument();
    expect(screen.getByText('Target ≤ 1 min 40 s')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'First response: 50% of target' })).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Moments posted: 150% of target' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    // A manager holds kpi:target: the editor is offered.
    expect(screen.getByRole('link', { name: 'Set targets' })).toHaveAttribute('href', '/kpi-targets');

    const rankingCard = screen.getByText('Ranking').closest('.ant-card') as HTMLElement;
    const names = () =>
      within(rankingCard)
        .getAllByRole('row')
        .slice(1)
        .map((r) => within(r).getAllByRole('cell')[0].textContent);
    await waitFor(() => expect(names()).toEqual(['Rep Wang', 'Rep Zhao']));
    // Sorting asks the server for its ranking on that field.
    const user = userEvent.setup();
    await user.click(within(rankingCard).getByRole('columnheader', { name: /^Chats/ }));
    await waitFor(() => expect(names()).toEqual(['Rep Zhao', 'Rep Wang']));

    // Drilling into a department narrows the dashboard to it and shows the way back.
    await user.click(screen.getByRole('button', { name: 'Open East 1' }));
    expect(await screen.findByRole('button', { name: 'All departments in my scope' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'East' })).toBeInTheDocument();
  }, 60_000);

  it('shows a sales rep their own numbers only: no ranking, no departments', async () => {
    renderPage(<KpiPage />, {
      path: '/kpi',
      mocks: [viewer('SELF'), context, dashboard({ withTeam: false })],
    });
    expect(await screen.findByRole('heading', { name: 'My KPI' })).toBeInTheDocument();
    await screen.findByText('Net 10 after 2 lost');
    expect(screen.queryByText('Ranking')).toBeNull();
    expect(screen.queryByText('By department')).toBeNull();
    expect(screen.queryByLabelText('Department')).toBeNull();
    // Their own targets, read-only: the progress shows, the editor is not offered.
    expect(screen.getByRole('progressbar', { name: 'New customers: 50% of target' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Set targets' })).toBeNull();
  });
});
