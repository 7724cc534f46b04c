import { types } from 'pg';
import { buildDataSource } from 'src/core/database/data-source';
import { POOL_TYPES } from 'src/core/database/pg-types';

/** The application's pool reads timestamptz values as pg's generic parser would, in any session time zone. */
describe('timestamptz values through the application pool', () => {
  const generic = types.getTypeParser(1184, 'text') as (s: string) => Date | number;
  const values = [
    `now()`,
    `'2026-12-02 04:41:05.123456+00'`,
    `'2026-02-28 23:59:59.999999-03'`,
    `'1999-12-31 23:59:59.5+14'`,
    `'1890-06-01 12:00:00+00'`,
    `'0044-03-15 12:00:00+00 BC'`,
    `'infinity'`,
    `'-infinity'`,
  ];

  it.each(['UTC', 'Asia/Shanghai', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'])('in %s', async (zone) => {
    const ds = buildDataSource({ url: process.env.WECRM_TEST_ADMIN_URL!, entities: [], migrations: [], poolSize: 1 });
    await ds.initialize();
    // The pool's clients parse with the application's type parsers.
    expect((ds.driver as unknown as { master: { options: { types?: unknown } } }).master.options.types).toBe(
      POOL_TYPES,
    );
    const runner = ds.createQueryRunner();
    try {
      await runner.query(`SET TIME ZONE '${zone}'`);
      const select = values.map((v, i) => `${v}::timestamptz AS v${i}, (${v}::timestamptz)::text AS t${i}`).join(', ');
      const [row] = (await runner.query(`SELECT ${select}`)) as Array<Record<string, unknown>>;
      values.forEach((_, i) => {
        const text = row[`t${i}`] as string;
        const expected = generic(text);
        const got = row[`v${i}`];
        expect([text, got instanceof Date ? got.getTime() : got]).toEqual([
          text,
          expected instanceof Date ? expected.getTime() : expected,
        ]);
      });
      // Sanity: the instant, not just the parser's agreement with itself.
      expect((row.v1 as Date).toISOString()).toBe('2026-12-02T04:41:05.123Z');
      expect((row.v2 as Date).toISOString()).toBe('2026-03-01T02:59:59.999Z');
    } finally {
      await runner.release();
      await ds.destroy();
    }
  });
});
