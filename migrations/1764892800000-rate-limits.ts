import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login and sign-up limits move to atomic counters (rate-limiter-flexible's
 * RateLimiterPostgres): one row per limiter key, reserved before the password
 * check. The per-failure log they replace is dropped.
 */
export class RateLimits1764892800000 implements MigrationInterface {
  name = 'RateLimits1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "rate_limits" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT 0, "expire" bigint, CONSTRAINT "pk_rate_limits" PRIMARY KEY ("key"))`,
    );
    await q.query(`CREATE INDEX "idx_rate_limits_expire" ON "rate_limits"("expire") `);
    await q.query(`DROP TABLE "login_failures"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "login_failures" ("id" BIGSERIAL NOT NULL, "account_key" character varying(300) NOT NULL, "ip" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_login_failures" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_login_failures_ip_created_at" ON "login_failures"("ip", "created_at") `);
    await q.query(
      `CREATE INDEX "idx_login_failures_account_key_created_at" ON "login_failures"("account_key", "created_at") `,
    );
    await q.query(`DROP INDEX "idx_rate_limits_expire"`);
    await q.query(`DROP TABLE "rate_limits"`);
  }
}
