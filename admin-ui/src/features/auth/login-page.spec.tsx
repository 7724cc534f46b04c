import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../core/i18n/i18n';
import { sessionStore } from '../../core/auth/session-store';
import { LoginDocument } from '../../core/auth/auth.generated';
import { renderPage, viewerMock } from '../../test/render';
import LoginPage from './login-page';

const input = { slug: 'demo', email: 'zhangwei@demo.local', password: 'Harbor-lantern-42' };

function loginAnswer(error: GraphQLError) {
  return { request: { query: LoginDocument, variables: { input } }, result: { errors: [error] } };
}

async function fillAndSubmit(submit = 'Log in') {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Organization'), input.slug);
  await user.type(screen.getByLabelText('E-mail'), input.email);
  await user.type(screen.getByLabelText('Password'), input.password);
  await user.click(screen.getByRole('button', { name: submit }));
}

describe('login page', () => {
  beforeEach(async () => {
    localStorage.clear();
    await i18n.changeLanguage('en');
  });
  afterEach(() => sessionStore.set(null));

  it('says the credentials are wrong on UNAUTHENTICATED, without naming which', async () => {
    renderPage(<LoginPage />, {
      path: '/login',
      mocks: [loginAnswer(new GraphQLError('Invalid login', { extensions: { code: 'UNAUTHENTICATED' } }))],
    });
    await fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('The organization, e-mail or password is not right.');
    expect(sessionStore.get()).toBeNull();
  });

  it('tells how long to wait on RATE_LIMITED, from retryAfterSeconds', async () => {
    renderPage(<LoginPage />, {
      path: '/login',
      mocks: [
        loginAnswer(new GraphQLError('Too many', { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42 } })),
      ],
    });
    await fillAndSubmit();
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 42 seconds.');
  });

  it('puts BAD_USER_INPUT field problems under the named field', async () => {
    renderPage(<LoginPage />, {
      path: '/login',
      mocks: [
        loginAnswer(
          new GraphQLError('input.email: must be an e-mail address', {
            extensions: {
              code: 'BAD_USER_INPUT',
              fields: [{ field: 'input.email', message: 'must be an e-mail address' }],
            },
          }),
        ),
      ],
    });
    await fillAndSubmit();
    expect(await screen.findByText('Enter a valid e-mail address')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('stores the session and leaves the page on success', async () => {
    renderPage(<LoginPage />, {
      path: '/login',
      mocks: [
        {
          request: { query: LoginDocument, variables: { input } },
          result: {
            data: {
              login: {
                __typename: 'AuthPayload',
                token: 'tok-1',
                employee: { __typename: 'Employee', id: 'e1', name: '张伟' },
              },
            },
          },
        },
        viewerMock({
          permissions: ['customer:read'],
          dataScope: 'SELF',
          id: 'e1',
          name: '张伟',
          email: 'zhangwei@demo.local',
          roles: ['sales'],
          department: null,
        }),
      ],
    });
    await fillAndSubmit();
    await waitFor(() => expect(sessionStore.get()).toBe('tok-1'));
    expect(await screen.findByText('home page')).toBeInTheDocument();
  });

  it('asks for the empty fields before calling the API, in Chinese too', async () => {
    await i18n.changeLanguage('zh-CN');
    renderPage(<LoginPage />, { path: '/login' });
    // Ant Design spaces two-character Chinese button labels (登 录).
    await userEvent.setup().click(screen.getByRole('button', { name: /登\s?录/ }));
    expect(await screen.findByText('请输入企业标识')).toBeInTheDocument();
    expect(screen.getByText('请输入密码')).toBeInTheDocument();
  });
});
