import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionStore } from '../../core/auth/session-store';
import { presetDays } from '../../core/dates/zoned-range';
import i18n from '../../core/i18n/i18n';
import { contextMock, department, renderPage, viewerMock } from '../../test/render';
import { draftOf, inputOf, problemMetrics } from './kpi-target-drafts';
import KpiTargetsPage from './kpi-targets-page';
import { KpiTargetsDepartmentsDocument, KpiTargetsEditorDocument, SetKpiTargetDocument } from './kpi-targets.generated';
import { KpiContextDocument } from './kpi.generated';

const TZ = 'Asia/Shanghai';
const first = presetDays('thisMonth', TZ).first;
const MONTH = `${first.year}-${String(first.month).padStart(2, '0')}`;

const viewer = viewerMock({ permissions: ['kpi:read', 'kpi:target'] });
const departments = [
  department('root', 'HQ'),
  department('east', 'East', 'root'),
  department('e1', 'East 1', 'east'),
  department('west', 'West', 'root'),
];
const context = contextMock(KpiContextDocument, departments, TZ);
const departmentsMock = { request: { query: KpiTargetsDepartmentsDocument }, result: { data: { departments } } };

const target = (
  id: string,
  who: { employee?: string; department?: string },
  values: Record<string, number | null>,
) => ({
  __typename: 'KpiTarget',
  id,
  month: MONTH,
  employee: who.employee ? { __typename: 'Employee', id: who.employee } : null,
  department: who.department ? { __typename: 'Department', id: who.department } : null,
  newCustomers: null,
  replyRate: null,
  avgFirstResponseSeconds: null,
  momentCompletionRate: null,
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...values,
});
const employee = (id: string, name: string, dept: string) => ({
  __typename: 'EmployeeEdge',
  node: {
    __typename: 'Employee',
    id,
    name,
    status: 'ACTIVE',
    department: { __typename: 'Department', id: dept, name: dept === 'east' ? 'East' : 'East 1' },
  },
});
const editor = (targets: unknown[]) => ({
  request: {
    query: KpiTargetsEditorDocument,
    variables: { month: MONTH, departmentId: 'east', employees: { departmentId: 'east', includeSubDepartments: true } },
  },
  result: {
    data: {
      kpiTargets: targets,
      employees: {
        __typename: 'EmployeeConnection',
        edges: [employee('s1', 'Rep Wang', 'e1'), employee('s2', 'Rep Zhao', 'east')],
        pageInfo: { __typename: 'PageInfo', hasNextPage: false },
      },
    },
  },
});
const stored = [
  target('t1', { department: 'east' }, { newCustomers: 40 }),
  target('t2', { employee: 's1' }, { newCustomers: 10, replyRate: 0.8 }),
];
const setTarget = (input: Record<string, unknown>, result: object) => ({
  request: { query: SetKpiTargetDocument, variables: { input: { month: MONTH, ...input } } },
  ...result,
});
const values = (v: Record<string, number | null>) => ({
  newCustomers: null,
  replyRate: null,
  avgFirstResponseSeconds: null,
  momentCompletionRate: null,
  ...v,
});

describe('KPI target drafts', () => {
  it('edits rates as percentages and sends fractions', () => {
    expect(draftOf({ replyRate: 0.7, momentCompletionRate: 0.333, newCustomers: 5 })).toEqual({
      newCustomers: 5,
      replyRate: 70,
      avgFirstResponseSeconds: null,
      momentCompletionRate: 33.3,
    });
    expect(
      inputOf({ newCustomers: 5, replyRate: 75, avgFirstResponseSeconds: 30, momentCompletionRate: null }),
    ).toEqual({ newCustomers: 5, replyRate: 0.75, avgFirstResponseSeconds: 30, momentCompletionRate: null });
  });

  it('reads which cells the server refused', () => {
    expect(problemMetrics([{ field: 'input.replyRate', message: 'must be between 0 and 1' }])).toEqual({
      metrics: ['replyRate'],
      other: false,
    });
    expect(problemMetrics([{ field: 'input.month', message: 'x' }])).toEqual({ metrics: [], other: true });
  });
});

describe('KPI targets editor', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    sessionStore.set('tok');
  });
  afterEach(() => sessionStore.set(null));

  it('shows a manager their tree and its employees, saves a row and shows the server’s validation', async () => {
    renderPage(<KpiTargetsPage />, {
      path: '/kpi-targets',
      mocks: [
        viewer,
        context,
        departmentsMock,
        editor(stored),
        setTarget(
          { employeeId: 's1', ...values({ newCustomers: 10, replyRate: 1.5 }) },
          {
            error: new CombinedGraphQLErrors({
              errors: [
                {
                  message: 'input.replyRate: must be between 0 and 1',
                  extensions: {
                    code: 'BAD_USER_INPUT',
                    fields: [{ field: 'input.replyRate', message: 'must be between 0 and 1' }],
                  },
                },
              ],
            }),
          },
        ),
        setTarget(
          { employeeId: 's1', ...values({ newCustomers: 10, replyRate: 0.75 }) },
          {
            result: { data: { setKpiTarget: target('t2', { employee: 's1' }, { newCustomers: 10, replyRate: 0.75 }) } },
          },
        ),
        editor([stored[0], target('t2', { employee: 's1' }, { newCustomers: 10, replyRate: 0.75 })]),
      ],
    });
    expect(await screen.findByRole('heading', { name: 'KPI targets' }, { timeout: 10_000 })).toBeInTheDocument();
    const reply = await screen.findByRole(
      'spinbutton',
      { name: 'Reply rate (%) target of Rep Wang' },
      { timeout: 10_000 },
    );
    // The stored 0.8 shows as 80 (%); the department's own target on its row; West (outside the tree) absent.
    expect(reply).toHaveValue('80');
    expect(screen.getByRole('spinbutton', { name: 'New customers target of East' })).toHaveValue('40');
    expect(screen.getByRole('spinbutton', { name: 'New customers target of East 1' })).toHaveValue('');
    expect(screen.queryByText('West')).toBeNull();
    const save = screen.getByRole('button', { name: 'Save the targets of Rep Wang' });
    expect(save).toBeDisabled();

    const user = userEvent.setup();
    await user.clear(reply);
    await user.type(reply, '150');
    await user.click(save);
    expect(await screen.findByText('Reply rate: enter 0 to 100 %.', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(reply.closest('.ant-input-number')).toHaveClass('ant-input-number-status-error');

    await user.clear(reply);
    await user.type(reply, '75');
    await user.click(save);
    expect(await screen.findByText('Targets of Rep Wang saved.', {}, { timeout: 10_000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Reply rate: enter 0 to 100 %.')).toBeNull());
    await waitFor(() =>
      expect(screen.getByRole('spinbutton', { name: 'Reply rate (%) target of Rep Wang' })).toHaveValue('75'),
    );
  }, 120_000);

  it('asks before clearing a row’s month, and clears it with every metric null', async () => {
    renderPage(<KpiTargetsPage />, {
      path: '/kpi-targets',
      mocks: [
        viewer,
        context,
        departmentsMock,
        editor(stored),
        setTarget({ departmentId: 'east', ...values({}) }, { result: { data: { setKpiTarget: null } } }),
        editor([stored[1]]),
      ],
    });
    const user = userEvent.setup();
    await screen.findByRole('spinbutton', { name: 'New customers target of East' }, { timeout: 10_000 });
    await user.click(screen.getByRole('button', { name: 'Clear the targets of East' }));
    const confirm = await screen.findByText(`Clear every target of East for ${MONTH}?`);
    // Only Rep Wang and East have stored targets: nothing else offers clearing.
    expect(screen.queryByRole('button', { name: 'Clear the targets of Rep Zhao' })).toBeNull();
    const pop = confirm.closest('.ant-popover') as HTMLElement;
    await user.click(within(pop).getByRole('button', { name: 'Clear' }));
    expect(await screen.findByText('Targets of East cleared.', {}, { timeout: 10_000 })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('spinbutton', { name: 'New customers target of East' })).toHaveValue(''),
    );
  }, 120_000);
});
