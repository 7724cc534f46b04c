import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlFragment } from 'src/core/database/sql-fragment';
import { Tx } from 'src/core/database/unit-of-work';
import { NotificationEntity, NotificationKindValue } from 'src/modules/notifications/entities/notification.entity';

const COLUMNS = `n.id, n.org_id AS "orgId", n.employee_id AS "employeeId", n.kind, n.event_key AS "eventKey",
  n.moment_id AS "momentId", n.moment_task_id AS "momentTaskId", n.handover_id AS "handoverId",
  n.audit_alert_id AS "auditAlertId", n.customer_id AS "customerId", n.about_employee_id AS "aboutEmployeeId", n.count,
  n.read_at AS "readAt", n.created_at AS "createdAt"`;

/**
 * One notice to write, as the rows of the notifying module's fragment: the
 * writer's SQL reads its own tables and yields these columns (nulls where they
 * do not apply); this module inserts them.
 */
export interface NotificationSourceRow {
  org_id: string;
  employee_id: string;
  event_key: string;
  moment_id: string | null;
  moment_task_id: string | null;
  handover_id: string | null;
  count: number | null;
  /**
   * The subject columns that only some kinds have are optional: a fragment that does not yield one writes null (each
   * is read as to_jsonb(s) ->> 'column', so a new kind's column never touches the other writers' fragments).
   */
  audit_alert_id?: string | null;
  customer_id?: string | null;
  about_employee_id?: string | null;
}

/** The notices to write: a fragment of the notifying module's making, read once as the INSERT's source. */
export type NotificationSource = SqlFragment<NotificationSourceRow>;

/** A notice just written: who it went to and the event it reports. */
export interface AddedNotification {
  orgId: string;
  employeeId: string;
  eventKey: string;
}

@Injectable()
export class NotificationsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * Inserts one notice per source row in one statement; a row whose event the
   * employee was already told of is skipped (uq_notifications_org_id_employee_id_event_key).
   */
  async insertFrom(
    tx: Pick<Tx, 'query'>,
    kind: NotificationKindValue,
    source: NotificationSource,
  ): Promise<AddedNotification[]> {
    const params: unknown[] = [kind];
    const from = source.bind(params);
    return tx.query(
      `INSERT INTO notifications (org_id, employee_id, kind, event_key, moment_id, moment_task_id, handover_id, count,
                                  audit_alert_id, customer_id, about_employee_id)
       SELECT s.org_id, s.employee_id, $1, s.event_key, s.moment_id, s.moment_task_id, s.handover_id, s.count,
              (to_jsonb(s) ->> 'audit_alert_id')::uuid, (to_jsonb(s) ->> 'customer_id')::uuid,
              (to_jsonb(s) ->> 'about_employee_id')::uuid
         FROM (${from}) AS s
       ON CONFLICT (org_id, employee_id, event_key) DO NOTHING
       RETURNING org_id AS "orgId", employee_id AS "employeeId", event_key AS "eventKey"`,
      params,
    );
  }

  /** One keyset page of an employee's inbox, newest first (on idx_notifications_org_id_employee_id_created_at_id). */
  page(
    orgId: string,
    employeeId: string,
    unreadOnly: boolean,
    after: [string, string] | null,
    limit: number,
  ): Promise<NotificationEntity[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM notifications n
        WHERE n.org_id = $1 AND n.employee_id = $2 AND (NOT $3::boolean OR n.read_at IS NULL)
          AND ($4::timestamptz IS NULL OR (n.created_at, n.id) < ($4::timestamptz, $5::uuid))
        ORDER BY n.created_at DESC, n.id DESC LIMIT $6`,
      [orgId, employeeId, unreadOnly, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /** On idx_notifications_unread (partial: only unread rows are scanned). */
  async unreadCount(orgId: string, employeeId: string): Promise<number> {
    const rows = await this.db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE org_id = $1 AND employee_id = $2 AND read_at IS NULL`,
      [orgId, employeeId],
    );
    return rows[0].n;
  }

  /** The notices of one event key held by these employees (a live event's look-up for its subscribers). */
  findByEventKeyFor(orgId: string, employeeIds: readonly string[], eventKey: string): Promise<NotificationEntity[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM notifications n
        WHERE n.org_id = $1 AND n.employee_id = ANY($2::uuid[]) AND n.event_key = $3`,
      [orgId, employeeIds, eventKey],
    );
  }

  /** The employee's own rows among `ids` (others' and unknown ids are simply absent). */
  async ownIds(orgId: string, employeeId: string, ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM notifications WHERE org_id = $1 AND employee_id = $2 AND id = ANY($3::uuid[])`,
      [orgId, employeeId, ids],
    );
    return rows.map((r) => r.id);
  }

  /** Marks read the employee's unread notices (those in `ids`, or all when null); returns how many changed. */
  async markRead(orgId: string, employeeId: string, ids: string[] | null): Promise<number> {
    const rows = await this.db.query(
      `UPDATE notifications SET read_at = now()
        WHERE org_id = $1 AND employee_id = $2 AND read_at IS NULL AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
        RETURNING 1`,
      [orgId, employeeId, ids],
    );
    return rows[0].length;
  }

  /** Deletes the AUDIT_ALERT notices of these alerts (on idx_notifications_org_id_audit_alert_id); returns how many. */
  async deleteAuditAlertNotices(tx: Pick<Tx, 'query'>, orgId: string, alertIds: readonly string[]): Promise<number> {
    const rows: Array<{ n: number }> = await tx.query(
      `WITH gone AS (DELETE FROM notifications WHERE org_id = $1 AND audit_alert_id = ANY($2::uuid[]) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [orgId, alertIds],
    );
    return rows[0].n;
  }
}
