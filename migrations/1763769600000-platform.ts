import { MigrationInterface, QueryRunner } from 'typeorm';

/** Platform: organizations, departments, employees, roles, Casbin rules, API keys, login failures. */
export class Platform1763769600000 implements MigrationInterface {
  name = 'Platform1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "slug" character varying(40) NOT NULL, "timezone" character varying(64) NOT NULL DEFAULT 'Asia/Shanghai', "transfer_acceptance_minutes" integer NOT NULL DEFAULT '1440', "on_job_transfer_limit" integer NOT NULL DEFAULT '2', "on_job_transfer_window_days" integer NOT NULL DEFAULT '90', "moment_task_expiry_hours" integer NOT NULL DEFAULT '72', "chat_retention_days" integer, "policy_version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_organizations" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_organizations_slug" ON "organizations"("slug") `);
    await q.query(`CREATE TABLE "departments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "parent_id" uuid, "name" character varying(100) NOT NULL, "path" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_departments" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_departments_org_id_parent_id" ON "departments"("org_id", "parent_id") `);
    await q.query(`CREATE INDEX "idx_departments_org_id_path" ON "departments"("org_id", "path") `);
    await q.query(`CREATE TABLE "employees" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "department_id" uuid, "name" character varying(200) NOT NULL, "email" character varying(254) NOT NULL, "password_hash" text, "title" character varying(100), "external_id" character varying(128), "status" character varying(16) NOT NULL DEFAULT 'ACTIVE', "customer_capacity" integer NOT NULL DEFAULT '5000', "active_customer_count" integer NOT NULL DEFAULT '0', "token_version" integer NOT NULL DEFAULT '0', "departed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_employees_customer_capacity" CHECK ("customer_capacity" >= 0), CONSTRAINT "chk_employees_status" CHECK ("status" IN ('ACTIVE', 'SUSPENDED', 'DEPARTED')), CONSTRAINT "pk_employees" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_employees_org_id_created_at_id" ON "employees"("org_id", "created_at", "id") `);
    await q.query(`CREATE INDEX "idx_employees_org_id_department_id" ON "employees"("org_id", "department_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_employees_org_id_external_id" ON "employees"("org_id", "external_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_employees_org_id_email" ON "employees"("org_id", "email") `);
    await q.query(`CREATE TABLE "roles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "name" character varying(64) NOT NULL, "description" character varying(300), "data_scope" character varying(16) NOT NULL, "builtin" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_roles_data_scope" CHECK ("data_scope" IN ('ORGANIZATION', 'DEPARTMENT', 'SELF')), CONSTRAINT "pk_roles" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_roles_org_id_name" ON "roles"("org_id", "name") `);
    await q.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "prefix" character varying(16) NOT NULL, "secret_hash" character varying(64) NOT NULL, "created_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_api_keys_org_id_created_at" ON "api_keys"("org_id", "created_at") `);
    await q.query(`CREATE UNIQUE INDEX "uq_api_keys_prefix" ON "api_keys"("prefix") `);
    await q.query(`CREATE TABLE "login_failures" ("id" BIGSERIAL NOT NULL, "account_key" character varying(300) NOT NULL, "ip" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_login_failures" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_login_failures_ip_created_at" ON "login_failures"("ip", "created_at") `);
    await q.query(
      `CREATE INDEX "idx_login_failures_account_key_created_at" ON "login_failures"("account_key", "created_at") `,
    );
    await q.query(`CREATE TABLE "casbin_rules" ("id" BIGSERIAL NOT NULL, "ptype" character varying(8) NOT NULL, "v0" character varying(255) NOT NULL DEFAULT '', "v1" character varying(255) NOT NULL DEFAULT '', "v2" character varying(255) NOT NULL DEFAULT '', "v3" character varying(255) NOT NULL DEFAULT '', "v4" character varying(255) NOT NULL DEFAULT '', "v5" character varying(255) NOT NULL DEFAULT '', CONSTRAINT "pk_casbin_rules" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_casbin_rules_ptype_v1_v0" ON "casbin_rules"("ptype", "v1", "v0") `);
    await q.query(`CREATE INDEX "idx_casbin_rules_ptype_v2_v0" ON "casbin_rules"("ptype", "v2", "v0") `);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "departments" ADD CONSTRAINT "fk_departments_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "departments" ADD CONSTRAINT "fk_departments_parent_id" FOREIGN KEY ("parent_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "employees" ADD CONSTRAINT "fk_employees_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "employees" ADD CONSTRAINT "fk_employees_department_id" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "roles" ADD CONSTRAINT "fk_roles_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "casbin_rules"`);
    await q.query(`DROP TABLE "login_failures"`);
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP TABLE "roles"`);
    await q.query(`DROP TABLE "employees"`);
    await q.query(`DROP TABLE "departments"`);
    await q.query(`DROP TABLE "organizations"`);
  }
}
