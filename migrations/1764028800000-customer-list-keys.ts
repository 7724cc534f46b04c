import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys that let the customers list stop after one page instead of sorting a
 * scope's whole set (measured in bench/RESULTS.md):
 *
 * - `customer_relations.customer_created_at`: the customer's creation time
 *   (immutable) copied onto each relation, with a partial keyset index over a
 *   rep's ACTIVE relations, so "my customers, newest first" reads 51 index
 *   entries instead of every relation of the rep. Inserts that do not set it get
 *   it from a BEFORE INSERT trigger (bulk paths set it themselves).
 * - `customers.tag_ids`: the customer's tag ids (sorted), maintained from
 *   `customer_tags` by statement-level triggers (so tagging, untagging, tag
 *   deletion and every cascade keep it exact; rows of `customer_tags` are only
 *   inserted and deleted, never updated), and carried by the stage index,
 *   so a tag + stage filter is checked inside one index.
 * - The list reads ids from an index-only scan first and fetches only the
 *   page's rows; the scope check probes `idx_customer_relations_active_customer`
 *   (index only) instead of every relation of the customer.
 */
export class CustomerListKeys1764028800000 implements MigrationInterface {
  name = 'CustomerListKeys1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "customer_relations" ADD "customer_created_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q.query(
      `UPDATE "customer_relations" r SET "customer_created_at" = c."created_at" FROM "customers" c WHERE c."id" = r."customer_id"`,
    );
    await q.query(`ALTER TABLE "customer_relations" ALTER COLUMN "customer_created_at" SET NOT NULL`);
    await q.query(`CREATE FUNCTION "customer_relations_fill_customer_created_at"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT c."created_at" INTO NEW."customer_created_at" FROM "customers" c WHERE c."id" = NEW."customer_id";
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER "trg_customer_relations_customer_created_at" BEFORE INSERT ON "customer_relations"
      FOR EACH ROW WHEN (NEW."customer_created_at" IS NULL) EXECUTE FUNCTION "customer_relations_fill_customer_created_at"()`);
    await q.query(
      `CREATE INDEX "idx_customer_relations_active_keyset" ON "customer_relations"("org_id", "employee_id", "customer_created_at", "customer_id") WHERE "status" = 'ACTIVE'`,
    );

    await q.query(`ALTER TABLE "customers" ADD "tag_ids" uuid array NOT NULL DEFAULT '{}'`);
    await q.query(
      `UPDATE "customers" c SET "tag_ids" = t."ids"
         FROM (SELECT "customer_id", array_agg("tag_id" ORDER BY "tag_id") AS "ids" FROM "customer_tags" GROUP BY "customer_id") t
        WHERE c."id" = t."customer_id"`,
    );
    // Incremental (the row's current tag_ids plus or minus the statement's rows), so
    // concurrent statements on one customer serialize on its row lock and neither is lost.
    await q.query(`CREATE FUNCTION "customers_add_tag_ids"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "customers" c SET "tag_ids" = ARRAY(SELECT DISTINCT u FROM unnest(c."tag_ids" || ch."ids") AS u ORDER BY u)
          FROM (SELECT "customer_id", array_agg("tag_id") AS "ids" FROM "changed_customer_tags" GROUP BY "customer_id") ch
         WHERE c."id" = ch."customer_id";
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION "customers_remove_tag_ids"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "customers" c SET "tag_ids" = ARRAY(SELECT u FROM unnest(c."tag_ids") AS u WHERE u <> ALL (ch."ids") ORDER BY u)
          FROM (SELECT "customer_id", array_agg("tag_id") AS "ids" FROM "changed_customer_tags" GROUP BY "customer_id") ch
         WHERE c."id" = ch."customer_id";
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "trg_customer_tags_insert_tag_ids" AFTER INSERT ON "customer_tags"
      REFERENCING NEW TABLE AS "changed_customer_tags" FOR EACH STATEMENT EXECUTE FUNCTION "customers_add_tag_ids"()`);
    await q.query(`CREATE TRIGGER "trg_customer_tags_delete_tag_ids" AFTER DELETE ON "customer_tags"
      REFERENCING OLD TABLE AS "changed_customer_tags" FOR EACH STATEMENT EXECUTE FUNCTION "customers_remove_tag_ids"()`);
    await q.query(`DROP INDEX "idx_customers_org_id_stage_created_at_id"`);
    await q.query(
      `CREATE INDEX "idx_customers_org_id_stage_created_at_id" ON "customers"("org_id", "stage", "created_at", "id") INCLUDE ("tag_ids")`,
    );
    await q.query(`DROP INDEX "idx_customers_org_id_created_at_id"`);
    await q.query(
      `CREATE INDEX "idx_customers_org_id_created_at_id" ON "customers"("org_id", "created_at", "id") INCLUDE ("stage", "tag_ids")`,
    );
    // The scope check of a manager's list ("has an ACTIVE relation with one of
    // these employees"), answered from the index alone.
    await q.query(
      `CREATE INDEX "idx_customer_relations_active_customer" ON "customer_relations"("org_id", "customer_id", "employee_id") WHERE "status" = 'ACTIVE'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_customer_relations_active_customer"`);
    await q.query(`DROP INDEX "idx_customers_org_id_created_at_id"`);
    await q.query(`CREATE INDEX "idx_customers_org_id_created_at_id" ON "customers"("org_id", "created_at", "id")`);
    await q.query(`DROP INDEX "idx_customers_org_id_stage_created_at_id"`);
    await q.query(
      `CREATE INDEX "idx_customers_org_id_stage_created_at_id" ON "customers"("org_id", "stage", "created_at", "id")`,
    );
    await q.query(`DROP TRIGGER "trg_customer_tags_delete_tag_ids" ON "customer_tags"`);
    await q.query(`DROP TRIGGER "trg_customer_tags_insert_tag_ids" ON "customer_tags"`);
    await q.query(`DROP FUNCTION "customers_remove_tag_ids"()`);
    await q.query(`DROP FUNCTION "customers_add_tag_ids"()`);
    await q.query(`ALTER TABLE "customers" DROP COLUMN "tag_ids"`);
    await q.query(`DROP INDEX "idx_customer_relations_active_keyset"`);
    await q.query(`DROP TRIGGER "trg_customer_relations_customer_created_at" ON "customer_relations"`);
    await q.query(`DROP FUNCTION "customer_relations_fill_customer_created_at"()`);
    await q.query(`ALTER TABLE "customer_relations" DROP COLUMN "customer_created_at"`);
  }
}
