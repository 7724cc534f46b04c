import type { NotificationKind } from '../../gql/graphql';

export interface NotificationRef {
  kind: NotificationKind;
  momentId?: string | null;
  handoverId?: string | null;
}

/**
 * Where a notification leads, by what the viewer may open: a moment task to
 * the home page's task list (or the moment's page for those who manage
 * moments), a hand-over to its page for those who see hand-overs, else the
 * takeover's customers. Null when there is nowhere to go.
 */
export function linkOf(n: NotificationRef, mayUse: (area: 'moments' | 'momentTasks' | 'handovers' | 'customers' | 'lostCustomers') => boolean): string | null {
  switch (n.kind) {
    case 'MOMENT_TASK_ASSIGNED':
    case 'MOMENT_REMINDER':
      if (mayUse('momentTasks')) return '/';
      return n.momentId && mayUse('moments') ? `/moments/${n.momentId}` : null;
    case 'TRANSFER_WAITING':
    case 'HANDOVER_FINISHED':
      if (n.handoverId && mayUse('handovers')) return `/handovers/${n.handoverId}`;
      return mayUse('customers') ? '/customers' : null;
    case 'CUSTOMER_LOST':
      return mayUse('lostCustomers') ? '/lost-customers' : null;
    default:
      return null;
  }
}
