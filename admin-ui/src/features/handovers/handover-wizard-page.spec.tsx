import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { DepartEmployeeDocument, HandoverEmployeesDocument, PreviewHandoverDocument } from './handovers.generated';
import { renderPage } from '../../test/render';
import HandoverWizardPage from './handover-wizard-page';

const employee = (id: string, name: string, activeCustomerCount: number) => ({
  __typename: 'Employee',
  id,
  name,
  title: 'Beauty Advisor',
  status: 'ACTIVE',
  activeCustomerCount,
  customerCapacity: 100,
  department: { __typename: 'Department', id: 'd1', name: 'Shanghai Stores' },
});

const people = {
  request: { query: HandoverEmployeesDocument },
  result: {
    data: {
      employees: {
        __typename: 'EmployeeConnection',
        edges: [employee('e-ann', 'Ann', 12), employee('e-bo', 'Bo', 90), employee('e-cy', 'Cy', 10)].map((node) => ({
          __typename: 'EmployeeEdge',
          node,
        })),
      },
      organization: {
        __typename: 'Organization',
        id: 'o1',
        settings: {
          __typename: 'OrganizationSettings',
          transferAcceptanceMinutes: 1440,
          onJobTransferLimit: 2,
          onJobTransferWindowDays: 90,
        },
      },
    },
  },
  maxUsageCount: 10,
};

const takeover = { strategy: 'LEAST_LOADED', takeoverEmployeeIds: ['e-bo', 'e-cy'] };
const preview = {
  request: {
    query: PreviewHandoverDocument,
    variables: { input: { kind: 'DEPARTURE', fromEmployeeId: 'e-ann', takeover } },
  },
  result: {
    data: {
      previewHandover: {
        __typename: 'HandoverPreview',
        customers: 12,
        placed: 11,
        alreadyWaiting: 0,
        takeoverLimitExceeded: 1,
        transferLimitExceeded: 0,
        takeovers: [
          {
            __typename: 'HandoverPreviewTakeover',
            employeeId: 'e-bo',
            assigned: 1,
            capacityLeft: 10,
            employee: { __typename: 'Employee', id: 'e-bo', name: 'Bo' },
          },
          {
            __typename: 'HandoverPreviewTakeover',
            employeeId: 'e-cy',
            assigned: 10,
            capacityLeft: 90,
            employee: { __typename: 'Employee', id: 'e-cy', name: 'Cy' },
          },
        ],
      },
    },
  },
};

function departMock(calls: unknown[]) {
  return {
    request: {
      query: DepartEmployeeDocument,
      variables: { input: { employeeId: 'e-ann', takeover, message: 'Please call them' } },
    },
    result: () => {
      calls.push('depart');
      return {
        data: {
          departEmployee: {
            __typename: 'Handover',
            id: 'h1',
            kind: 'DEPARTURE',
            strategy: 'LEAST_LOADED',
            createdAt: '2026-01-02T03:04:05.000Z',
            message: 'Please call them',
            fromEmployee: { __typename: 'Employee', id: 'e-ann', name: 'Ann', status: 'DEPARTED' },
            requestedBy: null,
            counts: { __typename: 'HandoverCounts', total: 12, waiting: 11, completed: 0, refused: 0, failed: 1 },
          },
        },
      };
    },
  };
}

type User = ReturnType<typeof userEvent.setup>;

/** A button by its text (role queries walk the whole accessibility tree: slow on Ant Design pages in jsdom). */
async function button(text: string): Promise<HTMLElement> {
  const label = await screen.findByText(text, { selector: 'button span' });
  return label.closest('button')!;
}

/** Opens an Ant Design select by its label and clicks the option shown as `text`. */
async function choose(user: User, label: string, text: string | RegExp) {
  await user.click(screen.getByLabelText(label));
  const item = await waitFor(() => {
    const found = [...document.querySelectorAll('.ant-select-item-option')].find((el) =>
      typeof text === 'string' ? el.textContent === text : text.test(el.textContent ?? ''),
    );
    if (!found) throw new Error(`no option ${String(text)}`);
    return found as HTMLElement;
  });
  await user.click(item);
}

describe('hand-over wizard', () => {
  beforeEach(() => i18n.changeLanguage('en'));

  it('asks for the employee, then the takeovers, and never lets the one handing over take over', async () => {
    const user = userEvent.setup({ delay: null });
    renderPage(<HandoverWizardPage />, { mocks: [people], path: '/handovers/new', route: '/handovers/new' });
    await screen.findByRole('heading', { name: 'Hand over customers' });

    await user.click(await button('Next'));
    expect(await screen.findByText('Choose the employee handing over')).toBeInTheDocument();

    await choose(user, 'Employee handing over', 'Ann');
    await user.click(await button('Next'));
    await user.click(await button('Next'));
    expect(await screen.findByText('Choose at least one takeover')).toBeInTheDocument();

    // Ann is offered, but only as the one handing over (disabled).
    await user.click(screen.getByLabelText('Takeover employees'));
    const annOption = await waitFor(() => {
      const el = [...document.querySelectorAll('.ant-select-item-option')].find(
        (o) => o.textContent === 'Ann (handing over)',
      );
      if (!el) throw new Error('Ann not listed');
      return el;
    });
    expect(annOption).toHaveAttribute('aria-disabled', 'true');
    await choose(user, 'Takeover employees', /^Bo · /);

    // Going back and making the takeover the one handing over is caught before the preview.
    await user.click(await button('Back'));
    await choose(user, 'Employee handing over', 'Bo');
    await user.click(await button('Next'));
    await user.click(await button('Next'));
    expect(await screen.findByText('Bo is handing over and cannot take over')).toBeInTheDocument();
    expect(screen.queryByText('Preview and confirm', { selector: '.ant-steps-item-active *' })).toBeNull();
    expect(screen.getByLabelText('Takeover employees')).toBeInTheDocument();

    // "One colleague" takes exactly one.
    await user.click(await button('Back'));
    await choose(user, 'Employee handing over', 'Ann');
    await user.click(await button('Next'));
    await choose(user, 'Takeover employees', /^Cy · /);
    await user.click(await button('Next'));
    expect(await screen.findByText('“One colleague” takes exactly one takeover')).toBeInTheDocument();
  }, 60_000);

  it('shows the preview, and departs only after the preview and the confirmation', async () => {
    const user = userEvent.setup({ delay: null });
    const calls: unknown[] = [];
    renderPage(<HandoverWizardPage />, {
      mocks: [people, preview, departMock(calls)],
      path: '/handovers/new?kind=DEPARTURE&from=e-ann',
      route: '/handovers/new',
    });
    await screen.findByRole('heading', { name: 'Hand over customers' });
    await waitFor(() =>
      expect(screen.getByText('Beauty Advisor · Shanghai Stores · 12 customers')).toBeInTheDocument(),
    );
    await user.click(await button('Next'));
    await user.click(await screen.findByText('Least loaded'));
    expect(screen.getByRole('radio', { name: 'Least loaded' })).toBeChecked();
    await choose(user, 'Takeover employees', /^Bo · /);
    await choose(user, 'Takeover employees', /^Cy · /);
    await user.type(screen.getByLabelText('Message to the takeovers (optional)'), 'Please call them');
    await user.click(await button('Next'));

    // The server's distribution, per takeover, and the limit hit.
    await screen.findByText('Customers assigned');
    const table = screen.getAllByRole('table').find((tb) => within(tb).queryByText('Customers assigned'))!;
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ['Bo', '1', '10', '9'],
      ['Cy', '10', '90', '80'],
    ]);
    expect(screen.getByText(/1 customer fits no takeover's capacity/)).toBeInTheDocument();
    expect(screen.getByText(/each customer has 1 day to refuse/)).toBeInTheDocument();
    expect(calls).toEqual([]);

    await user.click(await button('Confirm departure'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Ann leaves the organization?');
    expect(dialog).toHaveTextContent('this cannot be undone');
    expect(calls).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Hand over' }));
    await waitFor(() => expect(calls).toEqual(['depart']));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Hand over customers' })).toBeNull());
  }, 60_000);
});
