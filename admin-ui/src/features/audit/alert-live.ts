import { subscribeLive } from '../../core/live/subscribe-live';

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
  return subscribeLive<{ auditAlertRaised: LiveAlert | null }>(
    RAISED,
    {},
    { onData: (d) => d.auditAlertRaised && onAlert(d.auditAlertRaised), onReconnect, onConnected },
    url,
  );
}
