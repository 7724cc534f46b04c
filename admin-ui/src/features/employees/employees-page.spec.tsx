import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { renderPage } from '../../test/render';
import { DepartmentsDocument, EmployeesDocument } from './employees.generated';
import EmployeesPage from './employees-page';

const employee = (n: number) => ({
  __typename: 'Employee' as const,
  id: `e${n}`,
  name: `Employee ${n}`,
  title: null,
  email: `e${n}@org.test`,
  externalId: null,
  roles: ['sales'],
  status: 'ACTIVE' as const,
  activeCustomerCount: 0,
  customerCapacity: 100,
  department: { __typename: 'Department' as const, id: 'd1', name: 'HQ' },
});
const page = (after: string | undefined, from: number, count: number, endCursor: string, hasNextPage: boolean) => ({
  request: { query: EmployeesDocument, variables: { filter: undefined, first: 50, after } },
  result: {
    data: {
      employees: {
        __typename: 'EmployeeConnection' as const,
        edges: Array.from({ length: count }, (_, i) => ({
          __typename: 'EmployeeEdge' as const,
          node: employee(from + i),
        })),
        pageInfo: { __typename: 'PageInfo' as const, hasNextPage, endCursor },
      },
    },
  },
});
const departments = {
  request: { query: DepartmentsDocument },
  result: {
    data: {
      departments: [{ __typename: 'Department' as const, id: 'd1', name: 'HQ', employeeCount: 60, parent: null }],
    },
  },
};

describe('the employees page', () => {
  beforeEach(() => i18n.changeLanguage('en'));

  it('reads past the first page with the API’s cursor, and back', async () => {
    const user = userEvent.setup();
    renderPage(<EmployeesPage />, {
      path: '/employees',
      mocks: [
        departments,
        page(undefined, 1, 50, 'c50', true),
        page('c50', 51, 10, 'c60', false),
        page(undefined, 1, 50, 'c50', true),
      ],
    });
    expect(await screen.findByText('Employee 1')).toBeInTheDocument();
    expect(screen.getByText('Rows 1–50 (more follow)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('Employee 60')).toBeInTheDocument();
    expect(screen.queryByText('Employee 1')).toBeNull();
    expect(screen.getByText('Rows 51–60')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('Employee 1')).toBeInTheDocument();
  });
});
