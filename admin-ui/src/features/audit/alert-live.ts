import { createClient } from 'graphql-ws';
import { sessionStore } from '../../core/auth/session-store';

/** What the inbox needs of a raised alert to decide whether the filtered page would list it. */
export interface LiveAlert {
  id: string;
  createdAt: string;
  rule: { id: string };
  message: { conversation: { employee: { id: string } } };
}

const RAISED = `subscription AuditAlertRaisedLive {
  auditAlertRaised { id createdAt rule { id } message { id conversation { id employee { id } } } }
}`;

/**
 * Runs `onAlert` for each alert raised that the viewer may see (the server filters by alert:read and its scope),
 * over graphql-ws on the console's own /graphql with the session token, as the notification bell listens.
 * `onReconnect` runs after a dropped connection comes back (events are delivered at most once: the caller reads
 * the list again). Returns the disposer.
 */
export function listenForAlerts(
  onAlert: (alert: LiveAlert) => void,
  onReconnect: () => void,
  onConnected?: () => void,
  url = '/graphql',
): () => void {
  if (typeof WebSocket === 'undefined') return () => undefined;
  const token = sessionStore.get();
  if (!token) return () => undefined;
  const client = createClient({
    url: new URL(url, window.location.href).href.replace(/^http/, 'ws'),
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    // 4101/4401: the session ended; stop, the console signs out on its next request.
    shouldRetry: (e) => !(e && typeof e === 'object' && 'code' in e && [4101, 4401].includes(Number(e.code))),
    on: {
      connected: (_socket, _payload, wasRetry) => {
        onConnected?.();
        if (wasRetry) onReconnect();
      },
    },
  });
  const stop = client.subscribe<{ auditAlertRaised: LiveAlert }>(
    { query: RAISED },
    {
      next: (r) => r.data?.auditAlertRaised && onAlert(r.data.auditAlertRaised),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return () => {
    stop();
    void client.dispose();
  };
}
