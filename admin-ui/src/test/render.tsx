import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter, Route, Routes } from 'react-router';
import { render } from '@testing-library/react';
import { AuthProvider } from '../core/auth/auth-context';
import i18n from '../core/i18n/i18n';

/** Renders a page as the console does (Apollo mocks, session, router, translations) at `path`. */
export function renderPage(
  element: ReactNode,
  { mocks = [], path = '/', route = '*' }: { mocks?: MockLink.MockedResponse[]; path?: string; route?: string } = {},
) {
  return render(
    <I18nextProvider i18n={i18n}>
      <AntApp>
        <MockedProvider mocks={mocks}>
          <AuthProvider>
            <MemoryRouter initialEntries={[path]}>
              <Routes>
                <Route path={route} element={element} />
                <Route path="/" element={<div>home page</div>} />
              </Routes>
            </MemoryRouter>
          </AuthProvider>
        </MockedProvider>
      </AntApp>
    </I18nextProvider>,
  );
}
