import { useQuery } from '@apollo/client/react';
import { useEffect } from 'react';
import { UnreadNotificationCountDocument } from './notifications.generated';

/** How often the count is asked again while the console is open, until it arrives over a subscription. */
export const UNREAD_POLL_MS = 30_000;

/**
 * The signed-in employee's unread notification count, kept fresh: polled every
 * 30 s and asked again whenever the window regains focus. This hook is the one
 * place to swap for the `notificationAdded` subscription once the websocket
 * transport is served: callers only read `count` and call `refresh`.
 */
export function useUnreadCount(): { count: number; refresh: () => void; error: unknown } {
  const { data, refetch, error } = useQuery(UnreadNotificationCountDocument, {
    pollInterval: UNREAD_POLL_MS,
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: false,
  });
  useEffect(() => {
    const onFocus = () => void refetch().catch(() => undefined);
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refetch]);
  return { count: data?.unreadNotificationCount ?? 0, refresh: () => void refetch().catch(() => undefined), error };
}
