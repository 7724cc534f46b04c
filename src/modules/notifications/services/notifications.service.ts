import { Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import DataLoader from 'dataloader';
import { Actor } from 'src/core/authz/actor';
import { Tx } from 'src/core/database/unit-of-work';
import { AppError } from 'src/core/errors/app-error';
import { memoIn } from 'src/core/graphql/gql-context';
import { decodeCursor, Page, pageSize, toPage } from 'src/core/graphql/pagination';
import { BusEvent, EventBus } from 'src/core/realtime/event-bus';
import { eventScope } from 'src/core/realtime/event-stream';
import { NotificationEntity, NotificationKindValue } from 'src/modules/notifications/entities/notification.entity';
import {
  AddedNotification,
  NotificationSource,
  NotificationsRepository,
} from 'src/modules/notifications/repositories/notifications.repository';
import { announcements, NOTIFICATION_ADDED } from './notification-events';

export type { NotificationSource, NotificationSourceRow } from '../repositories/notifications.repository';

/** Notices written in a transaction, to announce once it has committed (`announce`). */
export class NotificationBatch {
  constructor(readonly added: readonly AddedNotification[] = []) {}

  get size(): number {
    return this.added.length;
  }

  concat(other: NotificationBatch): NotificationBatch {
    return other.size ? new NotificationBatch([...this.added, ...other.added]) : this;
  }
}

/** A live event's subscribers' look-ups gathered this long into one statement. */
const EVENT_BATCH_MS = 5;

/** markNotificationsRead: at most this many ids per call. */
export const MARK_READ_MAX_IDS = 200;

/**
 * Each employee's in-app inbox. Other modules write notices inside the
 * transaction that makes the change (nothing is lost when it commits, nothing
 * is left when it rolls back), set-based from a fragment of their own SQL, and
 * announce them on the EventBus after the commit. Each employee reads and marks
 * only their own notices; API keys have no inbox.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly bus: EventBus,
  ) {}

  /**
   * Writes one `kind` notice per row of the caller's fragment, in the caller's
   * transaction, in one INSERT ... SELECT whatever the count; an event the
   * employee was already told of is skipped. Announce the result after commit.
   */
  async addFrom(
    tx: Pick<Tx, 'query'>,
    kind: NotificationKindValue,
    source: NotificationSource,
  ): Promise<NotificationBatch> {
    return new NotificationBatch(await this.notifications.insertFrom(tx, kind, source));
  }

  /**
   * Withdraws the AUDIT_ALERT notices of alerts deleted in the caller's transaction (a refusal of consent recorded
   * late erased their messages: DOMAIN.md "Chat audit", docs in src/modules/chat-audit/README.md). Read or not,
   * they leave the inbox; the unread count is lower on its next read.
   */
  withdrawAuditAlerts(tx: Pick<Tx, 'query'>, orgId: string, alertIds: readonly string[]): Promise<number> {
    return alertIds.length ? this.notifications.deleteAuditAlertNotices(tx, orgId, alertIds) : Promise.resolve(0);
  }

  /**
   * Publishes `notificationAdded` for notices written in a committed
   * transaction: one event per event key and organization, its addressees in
   * chunks (the bus carries ids, never the notice). A failure is logged, not
   * raised: the notices are stored and the inbox shows them on its next read.
   */
  async announce(batch: NotificationBatch): Promise<void> {
    for (const event of announcements(batch.added)) {
      await this.bus.publish(event).catch((e: Error) =>
        this.logger.warn({
          msg: 'could not announce notifications (they are in the inbox)',
          orgId: event.organizationId,
          error: e.message,
        }),
      );
    }
  }

  async page(
    actor: Actor,
    unreadOnly: boolean,
    first?: number,
    after?: string | null,
  ): Promise<Page<NotificationEntity>> {
    const employeeId = this.employeeOf(actor);
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    if (
      cursor &&
      (typeof cursor[0] !== 'string' ||
        Number.isNaN(Date.parse(cursor[0])) ||
        typeof cursor[1] !== 'string' ||
        !isUUID(cursor[1], 'all'))
    ) {
      throw AppError.badInput('after', 'is not a valid cursor');
    }
    const rows = await this.notifications.page(
      actor.orgId,
      employeeId,
      unreadOnly,
      cursor as [string, string] | null,
      limit + 1,
    );
    return toPage(rows, limit, (n) => [new Date(n.createdAt).toISOString(), n.id]);
  }

  unreadCount(actor: Actor): Promise<number> {
    return this.notifications.unreadCount(actor.orgId, this.employeeOf(actor));
  }

  /**
   * Marks the caller's notices read: the ids given (each must be the caller's:
   * another's or an unknown id is NOT_FOUND and nothing changes), or all of
   * them. Returns how many were unread.
   */
  async markRead(actor: Actor, input: { ids?: string[] | null; all?: boolean | null }): Promise<number> {
    const employeeId = this.employeeOf(actor);
    const ids = input.ids ? [...new Set(input.ids)] : null;
    if (input.all && ids) throw AppError.badInput('input', 'give either ids or all, not both');
    if (!input.all && !ids?.length) throw AppError.badInput('input.ids', 'give at least one id, or all: true');
    if (ids) {
      if (ids.length > MARK_READ_MAX_IDS) throw AppError.badInput('input.ids', `at most ${MARK_READ_MAX_IDS} ids`);
      const bad = ids.filter((id) => !isUUID(id, 'all'));
      if (bad.length) throw AppError.badInput('input.ids', `not notification ids: ${bad.join(', ')}`);
      const own = new Set(await this.notifications.ownIds(actor.orgId, employeeId, ids));
      const missing = ids.filter((id) => !own.has(id));
      if (missing.length) throw AppError.notFoundIds('input.ids', 'notification', missing);
    }
    return this.notifications.markRead(actor.orgId, employeeId, ids);
  }

  /**
   * The caller's notice of a bus event, for the subscription (null if it is not theirs). Every subscriber
   * of the event on this process asks through one loader (the event's eventScope): one statement for all of
   * them (an event has at most ADDRESSEES_PER_EVENT addressees), each handed only its own row.
   */
  ofEvent(orgId: string, employeeId: string, event: BusEvent): Promise<NotificationEntity | null> {
    const key = (event.payload as { eventKey?: unknown }).eventKey;
    if (event.topic !== NOTIFICATION_ADDED || typeof key !== 'string') return Promise.resolve(null);
    const notices = memoIn(
      eventScope(event),
      `notificationsByEmployee:${orgId}:${key}`,
      () =>
        new DataLoader<string, NotificationEntity | null>(
          async (employeeIds) => {
            const rows = await this.notifications.findByEventKeyFor(orgId, employeeIds, key);
            const by = new Map(rows.map((n) => [n.employeeId, n]));
            return employeeIds.map((id) => by.get(id) ?? null);
          },
          { batchScheduleFn: (run) => setTimeout(run, EVENT_BATCH_MS) },
        ),
    );
    return notices.load(employeeId);
  }

  /** The employee whose inbox it is; API keys have none (FORBIDDEN). */
  employeeOf(actor: Actor): string {
    if (!actor.employeeId) throw AppError.forbidden('Only employees have an inbox');
    return actor.employeeId;
  }
}
