import { Args, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Actor } from 'src/core/authz/actor';
import { CurrentActor } from 'src/core/authz/current-actor.decorator';
import { Authenticated } from 'src/core/authz/permission.decorator';
import { EventBus } from 'src/core/realtime/event-bus';
import { MarkNotificationsReadInput } from 'src/modules/notifications/dto/notification.inputs';
import { NotificationEntity } from 'src/modules/notifications/entities/notification.entity';
import { addressedTo, filterMap, NOTIFICATION_ADDED } from 'src/modules/notifications/services/notification-events';
import { NotificationsService } from 'src/modules/notifications/services/notifications.service';
import {
  Notification,
  NotificationConnection,
  NotificationKind,
} from 'src/modules/notifications/types/notification.types';
import { AfterArg, FirstArg } from 'src/core/graphql/page-args';

export const toNotification = (n: NotificationEntity): Notification => ({
  id: n.id,
  kind: n.kind as NotificationKind,
  readAt: n.readAt ? new Date(n.readAt) : null,
  momentId: n.momentId,
  momentTaskId: n.momentTaskId,
  handoverId: n.handoverId,
  auditAlertId: n.auditAlertId,
  count: n.count,
  customerId: n.customerId,
  aboutEmployeeId: n.aboutEmployeeId,
  createdAt: new Date(n.createdAt),
});

const OWN_INBOX = 'every employee reads and marks only their own inbox (API keys: FORBIDDEN)';

@Resolver(() => Notification)
export class NotificationsResolver {
  constructor(
    private readonly inbox: NotificationsService,
    private readonly bus: EventBus,
  ) {}

  @Query(() => NotificationConnection, { description: 'The signed-in employee’s notifications, newest first.' })
  @Authenticated(OWN_INBOX)
  async notifications(
    @CurrentActor() actor: Actor,
    @Args('unreadOnly', { type: () => Boolean, nullable: true, defaultValue: false }) unreadOnly?: boolean,
    @FirstArg() first?: number,
    @AfterArg() after?: string,
  ): Promise<NotificationConnection> {
    const page = await this.inbox.page(actor, !!unreadOnly, first, after);
    return { ...page, edges: page.edges.map((e) => ({ node: toNotification(e.node), cursor: e.cursor })) };
  }

  @Query(() => Int, { description: 'How many of the signed-in employee’s notifications are unread.' })
  @Authenticated(OWN_INBOX)
  unreadNotificationCount(@CurrentActor() actor: Actor): Promise<number> {
    return this.inbox.unreadCount(actor);
  }

  @Mutation(() => Int, {
    description: 'Marks your notifications read (the ids given, or all); returns how many were unread.',
  })
  @Authenticated(OWN_INBOX)
  markNotificationsRead(
    @CurrentActor() actor: Actor,
    @Args('input') input: MarkNotificationsReadInput,
  ): Promise<number> {
    return this.inbox.markRead(actor, input);
  }

  @Subscription(() => Notification, { description: 'Each notification added to the signed-in employee’s inbox.' })
  @Authenticated(OWN_INBOX)
  notificationAdded(@CurrentActor() actor: Actor): AsyncIterableIterator<{ notificationAdded: Notification }> {
    return this.listen(actor);
  }

  /**
   * The caller's notices as they arrive: events of their organization
   * addressed to them, each read back from their own inbox (the bus carries
   * only the event's key). Public for tests without a websocket.
   */
  listen(actor: Actor): AsyncIterableIterator<{ notificationAdded: Notification }> {
    const employeeId = this.inbox.employeeOf(actor);
    return filterMap(this.bus.subscribe(NOTIFICATION_ADDED, actor.orgId), async (event) => {
      if (!addressedTo(event, actor.orgId, employeeId)) return null;
      const n = await this.inbox.ofEvent(actor.orgId, employeeId, event);
      return n ? { notificationAdded: toNotification(n) } : null;
    });
  }
}
