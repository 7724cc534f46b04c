import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { MIGRATIONS } from 'migrations';
import { TIME_ORDERED_ID_TABLES, UUIDV7_FALLBACK_BODY } from 'migrations/1764288000000-time-ordered-ids';
import {
  INDEX_ONLY_SCALE_FACTOR,
  INDEX_ONLY_TABLES,
  IndexOnlyUpkeep1764374400000,
} from 'migrations/1764374400000-index-only-upkeep';
import { CustomerActiveEmployees1764460800000 } from 'migrations/1764460800000-customer-active-employees';
import { ACTIVE_EMPLOYEES_BY_CALLER } from 'src/modules/customers/repositories/relations.repository';
import { APP_ENTITIES } from 'src/app.entities';
import { buildDataSource } from 'src/core/database/data-source';
import { runMigrations } from 'src/core/database/migrate';

/** Undoes the last migrations down to and including `migration`. */
async function undoThrough(ds: DataSource, migration: (typeof MIGRATIONS)[number]): Promise<void> {
  for (let i = MIGRATIONS.length - 1; i >= MIGRATIONS.indexOf(migration); i--)
    await ds.undoLastMigration({ transaction: 'each' });
}

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
      expect(defaults.rows).toEqual(
        [...TIME_ORDERED_ID_TABLES].sort().map((t) => ({ table_name: t, column_default: 'uuidv7()' })),
      );
      // The fallback, created under another name here (this server has the built-in one): version 7, RFC variant,
      // the current time in the first 48 bits, unique, and in time order across milliseconds.
      await db.query(
        `CREATE FUNCTION pg_temp.uuidv7_fallback() RETURNS uuid LANGUAGE sql VOLATILE AS $$${UUIDV7_FALLBACK_BODY}$$`,
      );
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
      const set = [
        `autovacuum_vacuum_scale_factor=${INDEX_ONLY_SCALE_FACTOR}`,
        `autovacuum_vacuum_insert_scale_factor=${INDEX_ONLY_SCALE_FACTOR}`,
      ];
      expect(await options()).toEqual([...INDEX_ONLY_TABLES].sort().map((relname) => ({ relname, reloptions: set })));
      await undoThrough(ds, IndexOnlyUpkeep1764374400000);
      expect(await options()).toEqual([...INDEX_ONLY_TABLES].sort().map((relname) => ({ relname, reloptions: null })));
      await ds.runMigrations({ transaction: 'each' });
      expect((await options()).every((r) => r.reloptions?.length === 2)).toBe(true);
    } finally {
      await ds.destroy();
    }
  });
  it("copy each customer's active employees onto it, keep the copy on every relation change, and leave it to a caller that asks", async () => {
    const ds = buildDataSource({ url, entities: APP_ENTITIES, migrations: MIGRATIONS });
    await ds.initialize();
    const ids = async (customer: string) =>
      (await ds.query(`SELECT active_employee_ids FROM customers WHERE id = $1`, [customer]))[0].active_employee_ids;
    try {
      await ds.runMigrations({ transaction: 'each' });
      const [{ id: org }] = await ds.query(
        `INSERT INTO organizations (name, slug) VALUES ('Copy', 'copy-${Date.now()}') RETURNING id`,
      );
      const emp: string[] = (
        await ds.query(
          `INSERT INTO employees (org_id, name, email) SELECT $1, 'E' || g, 'e' || g || '@copy.test' FROM generate_series(1, 4) g RETURNING id`,
          [org],
        )
      ).map((r: { id: string }) => r.id);
      const [{ id: c1 }, { id: c2 }, { id: c3 }] = await ds.query(
        `INSERT INTO customers (org_id, name) SELECT $1, 'C' || g FROM generate_series(1, 3) g RETURNING id`,
        [org],
      );
      const relate = (c: string, e: string, status = 'ACTIVE') =>
        ds.query(
          `INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at) VALUES ($1, $2, $3, $4, 'OTHER', now()) RETURNING id`,
          [org, c, e, status],
        );
      // Inserts (one statement for several rows too); ended relations do not count.
      await ds.query(
        `INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at) SELECT $1, $2, e, 'ACTIVE', 'OTHER', now() FROM unnest($3::uuid[]) e`,
        [org, c1, [emp[2], emp[0]]],
      );
      await relate(c2, emp[1]);
      await relate(c2, emp[3], 'DELETED_BY_CUSTOMER');
      expect(await ids(c1)).toEqual([emp[0], emp[2]].sort());
      expect(await ids(c2)).toEqual([emp[1]]);
      expect(await ids(c3)).toEqual([]);

      // Undo drops it; applying again fills it from the relations.
      await undoThrough(ds, CustomerActiveEmployees1764460800000);
      expect(
        (
          await ds.query(
            `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'active_employee_ids'`,
          )
        )[0].n,
      ).toBe(0);
      await ds.runMigrations({ transaction: 'each' });
      expect(await ids(c1)).toEqual([emp[0], emp[2]].sort());
      expect(await ids(c2)).toEqual([emp[1]]);

      // Updates: ending, moving to another employee or customer, reviving; other columns change nothing.
      await ds.query(
        `UPDATE customer_relations SET status = 'DELETED_BY_EMPLOYEE' WHERE customer_id = $1 AND employee_id = $2`,
        [c1, emp[0]],
      );
      expect(await ids(c1)).toEqual([emp[2]]);
      await ds.query(
        `UPDATE customer_relations SET employee_id = $3 WHERE customer_id = $1 AND employee_id = $2 AND status = 'ACTIVE'`,
        [c1, emp[2], emp[3]],
      );
      expect(await ids(c1)).toEqual([emp[3]]);
      await ds.query(`UPDATE customer_relations SET customer_id = $2 WHERE customer_id = $1 AND status = 'ACTIVE'`, [
        c1,
        c3,
      ]);
      expect([await ids(c1), await ids(c3)]).toEqual([[], [emp[3]]]);
      await ds.query(
        `UPDATE customer_relations SET status = 'ACTIVE', ended_at = NULL WHERE customer_id = $1 AND employee_id = $2`,
        [c2, emp[3]],
      );
      expect(await ids(c2)).toEqual([emp[1], emp[3]].sort());
      await ds.query(`UPDATE customer_relations SET remark = 'VIP' WHERE customer_id = $1`, [c2]);
      expect(await ids(c2)).toEqual([emp[1], emp[3]].sort());
      // Deletes.
      await ds.query(`DELETE FROM customer_relations WHERE customer_id = $1 AND employee_id = $2`, [c2, emp[1]]);
      expect(await ids(c2)).toEqual([emp[3]]);

      // A caller that applies the change itself: the triggers leave the row alone for that transaction only.
      const qr = ds.createQueryRunner();
      await qr.startTransaction();
      await qr.query(`SELECT set_config('${ACTIVE_EMPLOYEES_BY_CALLER}', 'on', true)`);
      await qr.query(
        `INSERT INTO customer_relations (org_id, customer_id, employee_id, status, add_way, added_at) VALUES ($1, $2, $3, 'ACTIVE', 'OTHER', now())`,
        [org, c2, emp[0]],
      );
      expect(
        (await qr.query(`SELECT active_employee_ids FROM customers WHERE id = $1`, [c2]))[0].active_employee_ids,
      ).toEqual([emp[3]]);
      await qr.commitTransaction();
      await qr.release();
      await relate(c2, emp[2]);
      expect(await ids(c2)).toEqual([emp[2], emp[3]].sort());
    } finally {
      await ds.destroy();
    }
  });
  it('run without the pool\'s statement timeout (a backfill of a large table takes minutes), under the migration lock', async () => {
    let seen: string | undefined;
    class Probe9999999999999 {
      name = 'Probe9999999999999';
      async up(q: QueryRunner) {
        seen = (await q.query(`SHOW statement_timeout`))[0].statement_timeout;
      }
      async down() {}
    }
    expect(await runMigrations(url, [...MIGRATIONS, Probe9999999999999])).toEqual(['Probe9999999999999']);
    expect(seen).toBe('0');
    const db = new Pool({ connectionString: url, max: 1 });
    try {
      await db.query(`DELETE FROM typeorm_migrations WHERE name = 'Probe9999999999999'`);
    } finally {
      await db.end();
    }
  });
});
