import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { renderPage } from '../../test/render';
import { AdminRolesDocument, DeleteRoleDocument } from './org-admin.generated';
import RolesPage from './roles-page';
import './texts';

const role = (id: string, name: string, builtin: boolean) => ({
  __typename: 'Role' as const,
  id,
  name,
  description: null,
  builtin,
  dataScope: 'SELF' as const,
  permissions: ['customer:read'],
});
const roles = (...list: Array<ReturnType<typeof role>>) => ({
  request: { query: AdminRolesDocument },
  result: {
    data: {
      roles: list,
      permissionCatalog: [
        {
          __typename: 'Permission' as const,
          key: 'customer:read',
          resource: 'customer',
          action: 'read',
          description: 'See customers.',
        },
      ],
    },
  },
});

describe('the roles page', () => {
  beforeEach(() => i18n.changeLanguage('en'));

  it('deletes a custom role only after a confirmation, and never offers to delete a built-in one', async () => {
    let deleted = false;
    const user = userEvent.setup();
    renderPage(<RolesPage />, {
      path: '/admin/roles',
      mocks: [
        roles(role('r-sales', 'sales', true), role('r-temp', 'temp-staff', false)),
        {
          request: { query: DeleteRoleDocument, variables: { id: 'r-temp' } },
          result: () => {
            deleted = true;
            return { data: { deleteRole: true } };
          },
        },
        roles(role('r-sales', 'sales', true)),
      ],
    });
    const button = await screen.findByRole('button', { name: 'Delete temp-staff' });
    expect(screen.queryByRole('button', { name: 'Delete sales' })).toBeNull();
    await user.click(button);
    const confirm = await screen.findByRole('tooltip');
    expect(within(confirm).getByText('Delete the role temp-staff?')).toBeInTheDocument();
    expect(deleted).toBe(false);
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Role temp-staff deleted')).toBeInTheDocument();
    expect(deleted).toBe(true);
  });

  it('says why the server refuses to delete a role someone still holds (CONFLICT)', async () => {
    const user = userEvent.setup();
    renderPage(<RolesPage />, {
      path: '/admin/roles',
      mocks: [
        roles(role('r-temp', 'temp-staff', false)),
        {
          request: { query: DeleteRoleDocument, variables: { id: 'r-temp' } },
          result: {
            errors: [new GraphQLError('The role temp-staff is still assigned', { extensions: { code: 'CONFLICT' } })],
          },
        },
      ],
    });
    await user.click(await screen.findByRole('button', { name: 'Delete temp-staff' }));
    await user.click(within(await screen.findByRole('tooltip')).getByRole('button', { name: 'Delete' }));
    expect(
      await screen.findByText('The role temp-staff is still held by employees or API keys: take it from them first.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Delete temp-staff' })).toBeInTheDocument());
  });
});
