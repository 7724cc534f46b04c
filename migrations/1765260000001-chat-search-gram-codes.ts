import { MigrationInterface, QueryRunner } from 'typeorm';

/** 2^21: every code point is below it, so a pair's first character times it plus the second is unique. */
const PAIR = 2097152;

/**
 * Search grams as numbers (issue 19, bulk import at 20,000 messages/s): `chat_messages.search_grams` becomes int8[],
 * each gram a code: a character is its code point, a pair of adjacent characters (a, b) is a * 2^21 + b (never a
 * code point: a is at least 1). Same grams, same search (`search_grams @> chat_query_grams(q)`, then the substring
 * test), but the GIN index's keys are 8-byte integers instead of short strings: appending ~100 keys per message to
 * the pending list and merging it into the index compares and copies integers, no collation (bench/RESULTS.md:
 * the bulk import's two largest statements). Code points come from ascii(), which gives them in a UTF8 database
 * (the archive holds Chinese text: it needs one).
 *
 * Existing rows are converted gram by gram (not recomputed from the text: what is stored stays what was stored,
 * '{}' for withheld content). The CHECK on withheld content names the column's type, so it is dropped and added
 * again; the GIN index is built anew once the column is rewritten.
 */
export class ChatSearchGramCodes1765260000001 implements MigrationInterface {
  name = 'ChatSearchGramCodes1765260000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_chat_messages_search_grams"`);
    await q.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "chk_chat_messages_withheld"`);
    // ALTER COLUMN ... USING takes no subquery: a function converts one array.
    await q.query(`CREATE FUNCTION chat_grams_to_codes(g text[]) RETURNS int8[] LANGUAGE sql IMMUTABLE AS $$
      SELECT coalesce(array_agg(CASE WHEN length(x) = 1 THEN ascii(x)::int8
                                     ELSE ascii(x)::int8 * ${PAIR} + ascii(substr(x, 2)) END), '{}')
        FROM unnest(g) x $$`);
    await q.query(`ALTER TABLE "chat_messages" ALTER COLUMN "search_grams" DROP DEFAULT`);
    await q.query(
      `ALTER TABLE "chat_messages" ALTER COLUMN "search_grams" TYPE int8[] USING chat_grams_to_codes("search_grams")`,
    );
    await q.query(`ALTER TABLE "chat_messages" ALTER COLUMN "search_grams" SET DEFAULT '{}'`);
    await q.query(`DROP FUNCTION chat_grams_to_codes(text[])`);
    await q.query(`DROP FUNCTION chat_search_grams(text)`);
    await q.query(`DROP FUNCTION chat_query_grams(text)`);
    await q.query(`CREATE FUNCTION chat_search_grams(t text) RETURNS int8[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT CASE n WHEN 1 THEN ascii(substr(l, i, 1))::int8
                                               ELSE ascii(substr(l, i, 1))::int8 * ${PAIR} + ascii(substr(l, i + 1, 1)) END), '{}')
        FROM (SELECT lower(t) AS l) s, generate_series(1, length(s.l)) i, (VALUES (1), (2)) v(n)
       WHERE i + n - 1 <= length(s.l) $$`);
    // A query's grams: its pairs (each implies its characters), or the one character of a 1-character query.
    await q.query(`CREATE FUNCTION chat_query_grams(t text) RETURNS int8[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN length(t) = 1 THEN ARRAY[ascii(lower(t))::int8]
                  ELSE (SELECT coalesce(array_agg(DISTINCT ascii(substr(lower(t), i, 1))::int8 * ${PAIR}
                                                  + ascii(substr(lower(t), i + 1, 1))), '{}')
                          FROM generate_series(1, length(t) - 1) i) END $$`);
    await q.query(
      `ALTER TABLE "chat_messages" ADD CONSTRAINT "chk_chat_messages_withheld" CHECK (NOT "content_withheld" OR ("text" IS NULL AND "payload" IS NULL AND "search_grams" = '{}'))`,
    );
    await q.query(`CREATE INDEX "idx_chat_messages_search_grams" ON "chat_messages" USING gin ("search_grams")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_chat_messages_search_grams"`);
    await q.query(`ALTER TABLE "chat_messages" DROP CONSTRAINT "chk_chat_messages_withheld"`);
    await q.query(`CREATE FUNCTION chat_codes_to_grams(g int8[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
      SELECT coalesce(array_agg(CASE WHEN x < ${PAIR} THEN chr(x::int)
                                     ELSE chr((x / ${PAIR})::int) || chr((x % ${PAIR})::int) END), '{}')
        FROM unnest(g) x $$`);
    await q.query(`ALTER TABLE "chat_messages" ALTER COLUMN "search_grams" DROP DEFAULT`);
    await q.query(
      `ALTER TABLE "chat_messages" ALTER COLUMN "search_grams" TYPE text array USING chat_codes_to_grams("search_grams")`,
    );
    await q.query(`ALTER TABLE "chat_messages" ALTER COLUMN "search_grams" SET DEFAULT '{}'`);
    await q.query(`DROP FUNCTION chat_codes_to_grams(int8[])`);
    await q.query(`DROP FUNCTION chat_search_grams(text)`);
    await q.query(`DROP FUNCTION chat_query_grams(text)`);
    await q.query(`CREATE FUNCTION chat_search_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT substr(l, i, n)), '{}')
        FROM (SELECT lower(t) AS l) s, generate_series(1, length(s.l)) i, (VALUES (1), (2)) v(n)
       WHERE i + n - 1 <= length(s.l) $$`);
    await q.query(`CREATE FUNCTION chat_query_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN length(t) = 1 THEN ARRAY[lower(t)]
                  ELSE (SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}') FROM generate_series(1, length(t) - 1) i) END $$`);
    await q.query(
      `ALTER TABLE "chat_messages" ADD CONSTRAINT "chk_chat_messages_withheld" CHECK (NOT "content_withheld" OR ("text" IS NULL AND "payload" IS NULL AND "search_grams" = '{}'))`,
    );
    await q.query(`CREATE INDEX "idx_chat_messages_search_grams" ON "chat_messages" USING gin ("search_grams")`);
  }
}
