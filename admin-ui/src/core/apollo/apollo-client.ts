import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { sessionStore } from '../auth/session-store';

/**
 * One client for the console: the session token as Bearer on every request;
 * an UNAUTHENTICATED answer (expired or revoked session) signs the user out,
 * except for the login itself, whose form shows the error.
 */
export function createApolloClient(uri = '/graphql'): ApolloClient {
  const auth = new SetContextLink((prev) => {
    const token = sessionStore.get();
    return token ? { headers: { ...prev.headers, authorization: `Bearer ${token}` } } : {};
  });
  const signOutOnExpiry = new ErrorLink(({ error, operation }) => {
    if (operation.operationName === 'Login') return;
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
      sessionStore.set(null);
    }
  });
  return new ApolloClient({
    link: ApolloLink.from([signOutOnExpiry, auth, new HttpLink({ uri })]),
    cache: new InMemoryCache({
      typePolicies: {
        // Lists are read page by page (keyset cursors), each page replacing the last.
        Customer: { fields: { tags: { merge: false }, relations: { merge: false } } },
      },
    }),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
