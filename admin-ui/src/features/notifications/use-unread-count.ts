import { useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import { subscribeLive } from '../../core/live/subscribe-live';
import { UnreadNotificationCountDocument } from './notifications.generated';

/** A slow safety net: the count is asked again this often even while the live subscription runs. */
export const UNREAD_POLL_MS = 120_000;

const ADDED = 'subscription NotificationAddedLive { notificationAdded { id } }';

/**
 * Runs `onEvent` for each notification added to the signed-in employee's inbox (and after a reconnect, since events
 * are delivered at most once). Returns the disposer.
 */
export function listenForNotifications(onEvent: () => void, url = '/graphql'): () => void {
  return subscribeLive(ADDED, {}, { onData: onEvent, onReconnect: onEvent }, url);
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
