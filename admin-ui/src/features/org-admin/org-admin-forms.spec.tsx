import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { CreateEmployeeDocument, CreateRoleDocument } from './org-admin.generated';
import { renderPage } from '../../test/render';
import { SecretOnce } from './api-keys-page';
import { EmployeeForm } from './employee-form';
import { RoleForm, type CatalogEntry } from './role-form';
import './texts';

const departments = [{ id: 'd-root', name: 'HQ', employeeCount: 1, parent: null }];
const catalog: CatalogEntry[] = [
  { key: 'customer:read', resource: 'customer', action: 'read', description: 'See customers within the data scope.' },
  { key: 'apiKey:revoke', resource: 'apiKey', action: 'revoke', description: 'Revoke API keys.' },
];

const employeeInput = (password: string) => ({
  name: 'Li Lei',
  title: undefined,
  departmentId: 'd-root',
  roles: ['sales'],
  customerCapacity: 5000,
  password,
  email: 'lilei@org.test',
  externalId: undefined,
});

async function fillEmployee(password: string) {
  const user = userEvent.setup();
  await user.click(screen.getByLabelText('Name'));
    await user.paste('Li Lei');
  await user.click(screen.getByLabelText('E-mail'));
    await user.paste('lilei@org.test');
  await user.click(screen.getByLabelText('Password'));
    await user.paste(password);
  await user.click(screen.getByRole('button', { name: 'Save' }));
  return user;
}

describe('the admin forms', () => {
  beforeEach(() => i18n.changeLanguage('en'));

  it('refuses a password under 8 characters before sending it', async () => {
    const onSaved = vi.fn();
    renderPage(<EmployeeForm departments={departments} roleNames={['sales']} onClose={() => {}} onSaved={onSaved} />, {
      path: '/form',
    });
    await fillEmployee('short');
    expect(await screen.findByText('At least 8 characters', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('shows the server’s password policy under the field, then saves a good password', async () => {
    const onSaved = vi.fn();
    const policy = 'is too easy to guess: add another word or two';
    renderPage(<EmployeeForm departments={departments} roleNames={['sales']} onClose={() => {}} onSaved={onSaved} />, {
      path: '/form',
      mocks: [
        {
          request: { query: CreateEmployeeDocument, variables: { input: employeeInput('password1') } },
          result: {
            errors: [
              new GraphQLError(`input.password: ${policy}`, {
                extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.password', message: policy }] },
              }),
            ],
          },
        },
        {
          request: { query: CreateEmployeeDocument, variables: { input: employeeInput('password1-Quasar') } },
          result: {
            data: {
              createEmployee: {
                __typename: 'Employee',
                id: 'e1',
                name: 'Li Lei',
                title: null,
                email: 'lilei@org.test',
                externalId: null,
                roles: ['sales'],
                status: 'ACTIVE',
                activeCustomerCount: 0,
                customerCapacity: 5000,
                department: { __typename: 'Department', id: 'd-root', name: 'HQ' },
              },
            },
          },
        },
      ],
    });
    const user = await fillEmployee('password1');
    expect(await screen.findByText(policy, {}, { timeout: 5000 })).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();
    await user.click(screen.getByLabelText('Password'));
    await user.paste('-Quasar');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1), { timeout: 5000 });
  });

  it('checks a custom role: name format, not a built-in name, at least one permission', async () => {
    renderPage(<RoleForm catalog={catalog} builtinNames={['admin', 'sales']} onClose={() => {}} onSaved={() => {}} />, {
      path: '/form',
    });
    const user = userEvent.setup();
    const name = screen.getByLabelText('Role');
    await user.click(name);
    await user.paste('Bad Name');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('2-64 lowercase letters, digits, - or _, starting with a letter', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Choose at least one permission', {}, { timeout: 5000 })).toBeInTheDocument();
    await user.clear(name);
    await user.click(name);
    await user.paste('sales');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText("This is a built-in role's name", {}, { timeout: 5000 })).toBeInTheDocument();
  });

  it('creates a role from the catalogue, each permission shown with what it allows, with its data scope', async () => {
    const onSaved = vi.fn();
    renderPage(<RoleForm catalog={catalog} builtinNames={['admin']} onClose={() => {}} onSaved={onSaved} />, {
      path: '/form',
      mocks: [
        {
          request: {
            query: CreateRoleDocument,
            variables: {
              input: { name: 'key-keeper', description: null, dataScope: 'DEPARTMENT', permissions: ['apiKey:revoke'] },
            },
          },
          result: {
            data: {
              createRole: {
                __typename: 'Role',
                id: 'r1',
                name: 'key-keeper',
                description: null,
                builtin: false,
                dataScope: 'DEPARTMENT',
                permissions: ['apiKey:revoke'],
              },
            },
          },
        },
      ],
    });
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Role'));
    await user.paste('key-keeper');
    await user.click(screen.getByRole('radio', { name: 'Department tree' }));
    await user.click(screen.getByRole('checkbox', { name: /apiKey:revoke\s+Revoke API keys\./ }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1), { timeout: 5000 });
  });

  it('words the catalogue in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    renderPage(<RoleForm catalog={catalog} builtinNames={[]} onClose={() => {}} onSaved={() => {}} />, {
      path: '/form',
    });
    expect(await screen.findByText('吊销 API 密钥。')).toBeInTheDocument();
    expect(screen.getByText('查看数据范围内的客户。')).toBeInTheDocument();
  });

  it('shows a new key’s secret once, with a warning and a copy button', async () => {
    const onClose = vi.fn();
    renderPage(<SecretOnce name="ERP" secret="wk_abc.secret-value" onClose={onClose} />, { path: '/form' });
    expect(await screen.findByText('wk_abc.secret-value')).toBeInTheDocument();
    expect(screen.getByText(/shown only this once/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    // No way out but saying it was copied: no close button, Escape does nothing.
    expect(screen.queryByRole('button', { name: /close/i })).toBeNull();
    await userEvent.setup().keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.setup().click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
