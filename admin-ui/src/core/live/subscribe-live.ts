import { createClient } from 'graphql-ws';
import { sessionStore } from '../auth/session-store';

/** graphql-ws close codes after which retrying is pointless: the session ended (the console signs out next). */
const SESSION_ENDED = [4101, 4401];

/**
 * Runs one GraphQL subscription over graphql-ws on the console's own /graphql,
 * the session token in connection_init. Reconnects with graphql-ws's backoff;
 * events are delivered at most once, so after a reconnect `onReconnect` lets
 * the caller refresh what it shows (`onConnected` runs on every connection).
 * Returns the disposer. The bell, the alerts inbox and the KPI dashboard listen through it.
 */
export function subscribeLive<T>(
  query: string,
  variables: Record<string, unknown>,
  handlers: { onData: (data: T) => void; onReconnect?: () => void; onConnected?: () => void },
  url = '/graphql',
): () => void {
  if (typeof WebSocket === 'undefined') return () => undefined;
  const token = sessionStore.get();
  if (!token) return () => undefined;
  const client = createClient({
    url: new URL(url, window.location.href).href.replace(/^http/, 'ws'),
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    shouldRetry: (e) => !(e && typeof e === 'object' && 'code' in e && SESSION_ENDED.includes(Number(e.code))),
    on: {
      connected: (_socket, _payload, wasRetry) => {
        handlers.onConnected?.();
        if (wasRetry) handlers.onReconnect?.();
      },
    },
  });
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => r.data && handlers.onData(r.data as T),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return () => {
    stop();
    void Promise.resolve(client.dispose()).catch(() => undefined);
  };
}
