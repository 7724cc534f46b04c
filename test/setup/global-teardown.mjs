import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export default async function globalTeardown() {
  const { Client } = require('pg');
  const t = globalThis.__WECRM_TEMPLATE__;
  if (t && process.env.TEST_DATABASE_URL) {
    // On a shared server, drop what this run created.
    const admin = new Client({ connectionString: t.adminUrl });
    await admin.connect();
    const { rows } = await admin.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 't\\_${process.pid}\\_%' OR datname = $1`,
      [t.template],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await admin.end();
  }
  const e = globalThis.__WECRM_PG__;
  if (e) {
    await e.pg.stop();
    rmSync(e.dir, { recursive: true, force: true });
  }
}
