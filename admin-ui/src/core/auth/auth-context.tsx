import { useApolloClient, useQuery } from '@apollo/client/react';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ViewerQuery } from './auth.generated';
import { ViewerDocument } from './auth.generated';
import { sessionStore } from './session-store';

export type Viewer = ViewerQuery['me'];
export type ViewerOrganization = ViewerQuery['organization'];
export type ViewerPermission = ViewerQuery['myPermissions'][number];

interface AuthState {
  token: string | null;
  viewer?: Viewer;
  organization?: ViewerOrganization;
  /** The permissions the employee holds, with their data scope (the console's navigation and route guards). */
  permissions?: readonly ViewerPermission[];
  /** True while the signed-in employee is being read. */
  loading: boolean;
  /** Reading `me` failed for another reason than an ended session. */
  error?: unknown;
  signIn(token: string): void;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useApolloClient();
  const [token, setToken] = useState(sessionStore.get);
  useEffect(() => sessionStore.subscribe(setToken), []);
  const { data, loading, error } = useQuery(ViewerDocument, { skip: !token, fetchPolicy: 'network-only' });
  const signIn = useCallback((t: string) => sessionStore.set(t), []);
  const signOut = useCallback(async () => {
    sessionStore.set(null);
    // Nothing of the previous employee's data stays in memory for the next one.
    await client.clearStore();
  }, [client]);
  const value = useMemo<AuthState>(
    () => ({
      token,
      viewer: token ? data?.me : undefined,
      organization: token ? data?.organization : undefined,
      permissions: token ? data?.myPermissions : undefined,
      loading: !!token && loading,
      error: token ? error : undefined,
      signIn,
      signOut,
    }),
    [token, data, loading, error, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
