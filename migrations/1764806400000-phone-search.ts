import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phones leave customers.search_text and get their own trigram index. A
 * viewer without `customer:contact` on a customer sees its phone masked, so
 * the phone must not decide whether a search matches it (substring searches
 * would recover the hidden digits one at a time); the list matches phones in
 * a separate term, only on the customers the caller may see phones of.
 */
export class PhoneSearch1764806400000 implements MigrationInterface {
  name = 'PhoneSearch1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_customers_phone_trgm" ON "customers" USING gin ("phone" gin_trgm_ops)`);
    await q.query(searchText(false));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_customers_phone_trgm"`);
    await q.query(searchText(true));
  }
}

/** Recomputes every row's search_text, with or without the phone (the formula of CustomersRepository). */
function searchText(withPhone: boolean): string {
  return `UPDATE "customers" c SET "search_text" = lower(concat_ws(' ', c.name, c.company,${withPhone ? ' c.phone,' : ''}
    (SELECT string_agg(r.remark, ' ') FROM customer_relations r WHERE r.org_id = c.org_id AND r.customer_id = c.id AND r.remark IS NOT NULL)))`;
}
