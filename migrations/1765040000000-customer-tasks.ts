import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `myCustomerTasks` reads the follow-up tasks of every customer an employee
 * follows (up to their capacity, 5,000 by default): this partial index holds
 * only TASK notes, so each followed customer costs one probe that finds its
 * tasks, not a walk over all its notes, calls and visits.
 */
export class CustomerTasks1765040000000 implements MigrationInterface {
  name = 'CustomerTasks1765040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "idx_customer_notes_tasks" ON "customer_notes"("org_id", "customer_id", "due_at", "id") WHERE "kind" = 'TASK'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_customer_notes_tasks"`);
  }
}
