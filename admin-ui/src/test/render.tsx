import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter, Route, Routes } from 'react-router';
import { render } from '@testing-library/react';
import { AuthProvider } from '../core/auth/auth-context';
import { ViewerDocument } from '../core/auth/auth.generated';
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

/** Who the mocked Viewer query says is signed in: the demo's manager unless a spec says otherwise. */
export interface ViewerOptions {
  permissions: string[];
  /** The data scope of every permission. */
  dataScope?: 'ORGANIZATION' | 'DEPARTMENT' | 'SELF';
  id?: string;
  name?: string;
  email?: string;
  roles?: string[];
  department?: { id: string; name: string } | null;
}

/** The session's Viewer query (AuthProvider asks it first), answered with `permissions` in `dataScope`. */
export function viewerMock({
  permissions,
  dataScope = 'DEPARTMENT',
  id = 'm1',
  name = 'Manager Li',
  email = 'li@demo.local',
  roles = ['manager'],
  department = { id: 'east', name: 'East' },
}: ViewerOptions): MockLink.MockedResponse {
  return {
    request: { query: ViewerDocument },
    result: {
      data: {
        me: {
          __typename: 'Employee',
          id,
          name,
          title: null,
          email,
          roles,
          department: department && { __typename: 'Department', ...department },
        },
        organization: { __typename: 'Organization', id: 'o1', name: 'Demo', slug: 'demo' },
        myPermissions: permissions.map((key) => ({ __typename: 'GrantedPermission', key, dataScope })),
      },
    },
  };
}

/** A department of a context query's tree: `department('e1', 'East 1', 'east')`. */
export const department = (id: string, name: string, parentId: string | null = null) => ({
  __typename: 'Department' as const,
  id,
  name,
  parent: parentId ? { __typename: 'Department' as const, id: parentId } : null,
});

/** The organization's time zone and department tree, as a page's context query (KpiContext, ...) reads them. */
type ContextQuery = {
  organization: { id: string; timezone: string };
  departments: Array<{ id: string; name: string; parent: { id: string } | null }>;
};

/** A page's context query answered with the organization's time zone and its departments. */
export function contextMock<Variables>(
  query: TypedDocumentNode<ContextQuery, Variables>,
  departments: ReturnType<typeof department>[],
  timezone = 'Asia/Shanghai',
): MockLink.MockedResponse {
  return {
    request: { query },
    result: { data: { organization: { __typename: 'Organization', id: 'o1', timezone }, departments } },
  };
}
