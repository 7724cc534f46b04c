import { MigrationInterface, QueryRunner } from 'typeorm';

/** Customers: customers, relations, tags, notes, timeline, channels. */
export class Customers1763856000000 implements MigrationInterface {
  name = 'Customers1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "customers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "external_id" character varying(128), "name" character varying(200) NOT NULL, "company" character varying(200), "phone" character varying(32), "stage" character varying(16) NOT NULL DEFAULT 'NEW', "last_contact_at" TIMESTAMP(3) WITH TIME ZONE, "search_text" text NOT NULL DEFAULT '', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_customers_stage" CHECK ("stage" IN ('NEW', 'CONTACTED', 'INTERESTED', 'NEGOTIATING', 'WON', 'LOST')), CONSTRAINT "pk_customers" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "idx_customers_org_id_stage_created_at_id" ON "customers"("org_id", "stage", "created_at", "id")`,
    );
    await q.query(
      `CREATE INDEX "idx_customers_org_id_last_contact_at_id" ON "customers"("org_id", "last_contact_at", "id")`,
    );
    await q.query(`CREATE INDEX "idx_customers_org_id_name_id" ON "customers"("org_id", "name", "id")`);
    await q.query(`CREATE INDEX "idx_customers_org_id_updated_at_id" ON "customers"("org_id", "updated_at", "id")`);
    await q.query(`CREATE INDEX "idx_customers_org_id_created_at_id" ON "customers"("org_id", "created_at", "id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_customers_org_id_external_id" ON "customers"("org_id", "external_id")`);
    await q.query(`CREATE TABLE "customer_relations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "status" character varying(24) NOT NULL DEFAULT 'ACTIVE', "add_way" character varying(16) NOT NULL, "state" character varying(64), "remark" character varying(200), "added_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_customer_relations_add_way" CHECK ("add_way" IN ('QR_CODE', 'PHONE_SEARCH', 'SHARED_CARD', 'GROUP_CHAT', 'IMPORT', 'TRANSFER', 'OTHER')), CONSTRAINT "chk_customer_relations_status" CHECK ("status" IN ('ACTIVE', 'DELETED_BY_CUSTOMER', 'DELETED_BY_EMPLOYEE', 'TRANSFERRED_AWAY')), CONSTRAINT "pk_customer_relations" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_customer_relations_org_id_state_added_at" ON "customer_relations"("org_id", "state", "added_at")`);
    await q.query(`CREATE INDEX "idx_customer_relations_org_id_employee_id_status" ON "customer_relations"("org_id", "employee_id", "status", "customer_id")`);
    await q.query(
      `CREATE INDEX "idx_customer_relations_org_id_customer_id" ON "customer_relations"("org_id", "customer_id")`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_customer_relations_active" ON "customer_relations"("org_id", "employee_id", "customer_id") WHERE "status" = 'ACTIVE'`);
    await q.query(`CREATE TABLE "tag_groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "name" character varying(64) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_tag_groups" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_tag_groups_org_id_name" ON "tag_groups"("org_id", "name")`);
    await q.query(`CREATE TABLE "tags" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "group_id" uuid NOT NULL, "name" character varying(64) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_tags" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_tags_org_id_group_id_name" ON "tags"("org_id", "group_id", "name")`);
    await q.query(`CREATE TABLE "customer_tags" ("customer_id" uuid NOT NULL, "tag_id" uuid NOT NULL, "org_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_customer_tags" PRIMARY KEY ("customer_id", "tag_id"))`);
    await q.query(`CREATE INDEX "idx_customer_tags_org_id_tag_id_customer_id" ON "customer_tags"("org_id", "tag_id", "customer_id")`);
    await q.query(`CREATE TABLE "customer_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "author_id" uuid NOT NULL, "kind" character varying(8) NOT NULL DEFAULT 'NOTE', "body" text NOT NULL, "due_at" TIMESTAMP(3) WITH TIME ZONE, "done_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_customer_notes_kind" CHECK ("kind" IN ('NOTE', 'CALL', 'VISIT', 'TASK')), CONSTRAINT "pk_customer_notes" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "idx_customer_notes_org_id_author_id_due_at" ON "customer_notes"("org_id", "author_id", "due_at")`,
    );
    await q.query(`CREATE INDEX "idx_customer_notes_org_id_customer_id_created_at_id" ON "customer_notes"("org_id", "customer_id", "created_at", "id")`);
    await q.query(`CREATE TABLE "timeline_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "type" character varying(48) NOT NULL, "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "employee_id" uuid, "summary" character varying(500) NOT NULL, "data" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_timeline_events" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_timeline_events_org_id_customer_id_occurred_at_id" ON "timeline_events"("org_id", "customer_id", "occurred_at", "id")`);
    await q.query(`CREATE TABLE "channels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "state" character varying(64) NOT NULL, "welcome_message" text, "archived_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_channels" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_channels_org_id_name" ON "channels"("org_id", "name")`);
    await q.query(`CREATE UNIQUE INDEX "uq_channels_org_id_state" ON "channels"("org_id", "state")`);
    await q.query(`CREATE TABLE "channel_employees" ("channel_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "org_id" uuid NOT NULL, CONSTRAINT "pk_channel_employees" PRIMARY KEY ("channel_id", "employee_id"))`);
    await q.query(
      `CREATE INDEX "idx_channel_employees_org_id_employee_id" ON "channel_employees"("org_id", "employee_id")`,
    );
    await q.query(`CREATE TABLE "channel_tags" ("channel_id" uuid NOT NULL, "tag_id" uuid NOT NULL, "org_id" uuid NOT NULL, CONSTRAINT "pk_channel_tags" PRIMARY KEY ("channel_id", "tag_id"))`);
    await q.query(`ALTER TABLE "customers" ADD CONSTRAINT "fk_customers_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "tag_groups" ADD CONSTRAINT "fk_tag_groups_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "tags" ADD CONSTRAINT "fk_tags_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "tags" ADD CONSTRAINT "fk_tags_group_id" FOREIGN KEY ("group_id") REFERENCES "tag_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customer_tags" ADD CONSTRAINT "fk_customer_tags_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customer_tags" ADD CONSTRAINT "fk_customer_tags_tag_id" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "channels" ADD CONSTRAINT "fk_channels_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "channel_employees" ADD CONSTRAINT "fk_channel_employees_channel_id" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "channel_tags" ADD CONSTRAINT "fk_channel_tags_channel_id" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "channel_tags" ADD CONSTRAINT "fk_channel_tags_tag_id" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customer_notes" ADD CONSTRAINT "fk_customer_notes_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customer_relations" ADD CONSTRAINT "fk_customer_relations_org_id" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customer_relations" ADD CONSTRAINT "fk_customer_relations_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "timeline_events" ADD CONSTRAINT "fk_timeline_events_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "channel_employees" ADD CONSTRAINT "fk_channel_employees_employee_id" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customer_notes" ADD CONSTRAINT "fk_customer_notes_author_id" FOREIGN KEY ("author_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "customer_relations" ADD CONSTRAINT "fk_customer_relations_employee_id" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(
      `CREATE INDEX "idx_customers_search_text_trgm" ON "customers" USING gin ("search_text" gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "channel_tags"`);
    await q.query(`DROP TABLE "channel_employees"`);
    await q.query(`DROP TABLE "channels"`);
    await q.query(`DROP TABLE "timeline_events"`);
    await q.query(`DROP TABLE "customer_notes"`);
    await q.query(`DROP TABLE "customer_tags"`);
    await q.query(`DROP TABLE "tags"`);
    await q.query(`DROP TABLE "tag_groups"`);
    await q.query(`DROP TABLE "customer_relations"`);
    await q.query(`DROP TABLE "customers"`);
  }
}
