import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { QueueService } from 'src/core/queue';
import { PURGE_RATE_LIMITS } from 'src/modules/auth/jobs/purge-rate-limits.job';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { signUpOrg } from './helpers/fixtures';
import { eventually } from './helpers/wait';


describe('platform: health, readiness, request limits, jobs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers /health and /ready with the database and the queue backend in use', async () => {
    expect(await (await fetch(`${t.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      database: { ok: true, embedded: false },
      queue: { ok: true, backend: process.env.REDIS_URL ? 'redis' : 'postgres' },
    });
  });

  it('sizes the database pool from the configuration and keeps idle connections for DATABASE_POOL_IDLE_SECONDS', async () => {
    const poolOf = (app: TestApp) =>
      (app.app.get(DataSource).driver as PostgresDriver).master as Pool & {
        options: { max: number; idleTimeoutMillis: number };
      };
    expect(poolOf(t).options).toMatchObject({ max: 20, idleTimeoutMillis: 600_000 });
    const other = await startTestApp({ DATABASE_POOL_SIZE: '3', DATABASE_POOL_IDLE_SECONDS: '0' });
    try {
      const pool = poolOf(other);
      expect(pool.options).toMatchObject({ max: 3, idleTimeoutMillis: 0 });
      // Five at once on three connections: the pool never grows past its size, and (idle time 0) keeps them all.
      const ds = other.app.get(DataSource);
      await Promise.all(Array.from({ length: 5 }, () => ds.query('SELECT pg_sleep(0.05)')));
      expect(pool.totalCount).toBe(3);
      // (The app's own background reads may hold one for a moment.)
      expect(
        await eventually(
          async () => pool.idleCount,
          (n) => n === 3,
        ),
      ).toBe(3);
      expect(pool.totalCount).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('echoes a request id, or makes one', async () => {
    const given = await fetch(`${t.url}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${t.url}/health`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not name its framework in responses', async () => {
    for (const path of ['/health', '/graphql?query=%7B__typename%7D']) {
      const r = await fetch(`${t.url}${path}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect([r.status, r.headers.get('x-powered-by')]).toEqual([200, null]);
    }
  });

  it('maps malformed and invalid operations to BAD_USER_INPUT', async () => {
    expect(codeOf(await t.gql(`{ organization { id `))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(`{ noSuchField }`))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(`query($n: Int!) { employees(first: $n) { edges { cursor } } }`, { n: 'ten' }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('rejects queries nested deeper than the limit before running them', async () => {
    const org = await signUpOrg(t);
    let sel = 'id';
    for (let i = 0; i < 14; i++) sel = `parent { ${sel} }`;
    const r = await t.gql(`{ departments { ${sel} } }`, {}, org.adminToken);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/depth \d+ exceeds the limit of 12/);
    const fine = await t.gql(`{ departments { parent { parent { id } } } }`, {}, org.adminToken);
    expect(fine.errors).toBeUndefined();
  });

  it('rejects queries whose estimated cost is over the limit', async () => {
    const org = await signUpOrg(t);
    // A list inside a list: 200 customers times 200 timeline entries each, with no alias (those have their own limit).
    const nested = `{ customers(first: 200) { edges { node { id timeline(first: 200) { edges { node { id } } } } } } }`;
    const r = await t.gql(nested, {}, org.adminToken);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/cost \d+ exceeds the limit of 50000/);
  });

  it('runs jobs through the real queue: the rate-limit purge deletes only counters expired over an hour ago', async () => {
    const now = Date.now();
    await t.db.query(
      `INSERT INTO rate_limits (key, points, expire) VALUES ('old', 3, $1), ('recent', 3, $2), ('live', 3, $3)`,
      [now - 2 * 3600_000, now - 60_000, now + 600_000],
    );
    const queue = t.app.get(QueueService);
    expect(queue.backend).toBe(process.env.REDIS_URL ? 'redis' : 'postgres');
    const job = await queue.enqueue(PURGE_RATE_LIMITS, {}, { jobId: 'test-purge' });
    expect(job.name).toBe(PURGE_RATE_LIMITS);
    const rows = await eventually(
      async () =>
        (await t.db.query(`SELECT key FROM rate_limits WHERE key IN ('old', 'recent', 'live') ORDER BY key`)).rows.map(
          (r) => r.key,
        ),
      (keys) => !keys.includes('old'),
    );
    expect(rows).toEqual(['live', 'recent']);
  });
});
