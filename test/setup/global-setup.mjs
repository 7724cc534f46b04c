// Starts one real PostgreSQL for the whole run (embedded unless TEST_DATABASE_URL
// names a server), migrates a template database once, and leaves each test file
// to clone its own database from it (see test/helpers/test-app.ts).
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export default async function globalSetup() {
  const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
  const { runMigrations } = require(join(root, 'dist/src/core/database/migrate.js'));
  const { MIGRATIONS } = require(join(root, 'dist/migrations/index.js'));
  const { Client } = require('pg');

  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const { startEmbeddedPostgres } = require(join(root, 'dist/src/core/dev-services/embedded-postgres.js'));
    const dir = mkdtempSync(join(tmpdir(), 'wecrm-test-pg-'));
    const pg = await startEmbeddedPostgres(dir);
    globalThis.__WECRM_PG__ = { pg, dir };
    adminUrl = pg.adminUrl;
  }
  const template = `wecrm_tpl_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(
    `CREATE DATABASE ${template} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  await runMigrations(url.toString(), MIGRATIONS);
  // BullMQ's PostgreSQL backend keeps its own schema; create it once in the template too.
  const { PostgresQueueConnection } = require(join(root, 'dist/src/core/queue/queue-connection.js'));
  const queue = new PostgresQueueConnection(url.toString());
  await queue.ready();
  await queue.close();
  process.env.WECRM_TEST_ADMIN_URL = adminUrl;
  process.env.WECRM_TEST_TEMPLATE = template;
  globalThis.__WECRM_TEMPLATE__ = { adminUrl, template };
}
