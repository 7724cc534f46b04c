import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { MIGRATIONS } from '../migrations';
import { TIME_ORDERED_ID_TABLES, UUIDV7_FALLBACK_BODY } from '../migrations/1764288000000-time-ordered-ids';
import { INDEX_ONLY_SCALE_FACTOR, INDEX_ONLY_TABLES } from '../migrations/1764374400000-index-only-upkeep';
import { APP_ENTITIES } from '../src/app.entities';
import { buildDataSource } from '../src/core/database/data-source';

/** Migrations and entities must describe the same schema, and every migration must undo cleanly. */
describe('migrations', () => {
  let admin: Pool;
  let url: string;
  beforeAll(async () => {
    admin = new Pool({ connectionString: process.env.WECRM_TEST_ADMIN_URL, max: 1 });
    const name = `t_${process.env.WECRM_TEST_TEMPLATE!.split('_').pop()}_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.WECRM_TEST_TEMPLATE}`);
    const u = new URL(process.env.WECRM_TEST_ADMIN_URL!);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(() => admin.end());

  it('leave no drift between entities and the migrated schema', async () => {
    const ds = buildDataSource({ url, entities: APP_ENTITIES, migrations: MIGRATIONS });
    await ds.initialize();
    try {
      const sql = await ds.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('undo completely and apply again', async () => {
    const ds = buildDataSource({ url, entities: APP_ENTITIES, migrations: MIGRATIONS });
    await ds.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const left = await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations'`,
      );
      expect(left).toEqual([]);
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    } finally {
      await ds.destroy();
    }
  });

  it('give bulk-written tables time-ordered (version 7) ids, with a fallback for PostgreSQL before 18 that makes the same', async () => {
    const db = new Pool({ connectionString: url, max: 1 });
    try {
      const defaults = await db.query(
        `SELECT table_name, column_default FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' AND table_name = ANY($1) ORDER BY 1`,
        [[...TIME_ORDERED_ID_TABLES]],
      );
      expect(defaults.rows).toEqual([...TIME_ORDERED_ID_TABLES].sort().map((t) => ({ table_name: t, column_default: 'uuidv7()' })));
      // The fallback, created under another name here (this server has the built-in one): version 7, RFC variant,
      // the current time in the first 48 bits, unique, and in time order across milliseconds.
      await db.query(`CREATE FUNCTION pg_temp.uuidv7_fallback() RETURNS uuid LANGUAGE sql VOLATILE AS $$${UUIDV7_FALLBACK_BODY}$$`);
      const before = Date.now();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await db.query(`SELECT pg_temp.uuidv7_fallback()::text AS id FROM generate_series(1, 500)`);
        ids.push(...r.rows.map((x) => x.id));
        await new Promise((res) => setTimeout(res, 5));
      }
      const after = Date.now();
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
        expect(ms).toBeGreaterThanOrEqual(before - 1);
        expect(ms).toBeLessThanOrEqual(after + 1);
      }
      const stamps = ids.map((id) => id.slice(0, 13));
      expect([...stamps].sort()).toEqual(stamps);
      // The built-in one gives the same shape.
      const builtIn = (await db.query(`SELECT uuidv7()::text AS id`)).rows[0].id;
      expect(builtIn).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      await db.end();
    }
  });

  it('have the index-only-read tables vacuumed after 2 % of their rows changed, and forget it on undo', async () => {
    const ds = buildDataSource({ url, entities: APP_ENTITIES, migrations: MIGRATIONS });
    await ds.initialize();
    const options = () =>
      ds.query(`SELECT relname, reloptions FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = ANY($1) ORDER BY 1`, [
        [...INDEX_ONLY_TABLES],
      ]) as Promise<Array<{ relname: string; reloptions: string[] | null }>>;
    try {
      await ds.runMigrations({ transaction: 'each' });
      const set = [`autovacuum_vacuum_scale_factor=${INDEX_ONLY_SCALE_FACTOR}`, `autovacuum_vacuum_insert_scale_factor=${INDEX_ONLY_SCALE_FACTOR}`];
      expect(await options()).toEqual([...INDEX_ONLY_TABLES].sort().map((relname) => ({ relname, reloptions: set })));
      await ds.undoLastMigration({ transaction: 'each' });
      expect(await options()).toEqual([...INDEX_ONLY_TABLES].sort().map((relname) => ({ relname, reloptions: null })));
      await ds.runMigrations({ transaction: 'each' });
      expect((await options()).every((r) => r.reloptions?.length === 2)).toBe(true);
    } finally {
      await ds.destroy();
    }
  });
});
