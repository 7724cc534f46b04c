import { useQuery } from '@apollo/client/react';
import { createClient } from 'graphql-ws';
import { useEffect } from 'react';
import { sessionStore } from '../../core/auth/session-store';
import { UnreadNotificationCountDocument } from './notifications.generated';

/** A slow safety net: the count is asked again this often even while the live subscription runs. */
export const UNREAD_POLL_MS = 120_000;

const ADDED = 'subscription NotificationAddedLive { notificationAdded { id } }';

/**
 * Runs `onEvent` for each notification added to the signed-in employee's inbox, over graphql-ws on the console's
 * own /graphql (the session token in connection_init). Reconnects with graphql-ws's backoff; on a reconnect the
 * caller refreshes too, since events are delivered at most once. Returns the disposer.
 */
export function listenForNotifications(onEvent: () => void, url = '/graphql'): () => void {
  if (typeof WebSocket === 'undefined') return () => undefined;
  const token = sessionStore.get();
  if (!token) return () => undefined;
  const client = createClient({
    url: new URL(url, window.location.href).href.replace(/^http/, 'ws'),
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Infinity,
    // 4101/4401: the session ended; stop, the console signs out on its next request.
    shouldRetry: (e) => !(e && typeof e === 'object' && 'code' in e && [4101, 4401].includes(Number(e.code))),
    on: { connected: (_socket, _payload, wasRetry) => wasRetry && onEvent() },
  });
  const stop = client.subscribe({ query: ADDED }, { next: onEvent, error: () => undefined, complete: () => undefined });
  return () => {
    stop();
    void client.dispose();
  };
}

/**
 * The signed-in employee's unread notification count, kept fresh: live through the `notificationAdded`
 * subscription, asked again whenever the window regains focus, and polled slowly as a safety net.
 */
export function useUnreadCount(): { count: number; refresh: () => void; error: unknown } {
  const { data, refetch, error } = useQuery(UnreadNotificationCountDocument, {
    pollInterval: UNREAD_POLL_MS,
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: false,
  });
  useEffect(() => {
    const refresh = () => void refetch().catch(() => undefined);
    window.addEventListener('focus', refresh);
    const stop = listenForNotifications(refresh);
    return () => {
      window.removeEventListener('focus', refresh);
      stop();
    };
  }, [refetch]);
  return { count: data?.unreadNotificationCount ?? 0, refresh: () => void refetch().catch(() => undefined), error };
}
