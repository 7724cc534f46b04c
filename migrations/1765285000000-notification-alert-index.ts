import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AUDIT_ALERT notices by their alert: a refusal of consent recorded late deletes the alerts raised on the messages
 * it erases, and their notices with them (NotificationsService.withdraw). Partial: other kinds have no alert.
 */
export class NotificationAlertIndex1765285000000 implements MigrationInterface {
  name = 'NotificationAlertIndex1765285000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "idx_notifications_org_id_audit_alert_id" ON "notifications"("org_id", "audit_alert_id") WHERE "audit_alert_id" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_notifications_org_id_audit_alert_id"`);
  }
}
