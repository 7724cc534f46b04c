import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { MIGRATIONS } from '../migrations';
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
});
