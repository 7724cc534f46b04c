import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createServer, serverUrl } from 'src/bootstrap';
import { AppConfig } from 'src/core/config/app-config';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { JsonLogger } from 'src/core/logging/json-logger';

export interface GqlResult<T = any> {
  status: number;
  /** SQL statements the request ran (x-sql-statements). */
  sqlStatements?: number;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }>;
}

/** A connection as a test reads it: the node's fields the query selected. */
export interface Connection<N> {
  edges: Array<{ node: N }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The nodes of a connection, in order. */
export const nodesOf = <N>(c: { edges: Array<{ node: N }> }): N[] => c.edges.map((e) => e.node);

export interface TestApp {
  app: INestApplication;
  url: string;
  /** Direct access to this file's database, for asserting side effects. */
  db: Pool;
  databaseUrl: string;
  config: AppConfig;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/** A fresh database cloned from the run's migrated template (see test/setup/global-setup.mjs). */
export async function freshDatabaseUrl(): Promise<string> {
  const adminUrl = process.env.WECRM_TEST_ADMIN_URL;
  const template = process.env.WECRM_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('test database not prepared: run through jest (global-setup)');
  const name = `t_${template.split('_').pop()}_${randomBytes(5).toString('hex')}`;
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Boots the real server (API and worker in one process) on a free port against
 * a fresh database cloned from the migrated template, so test files run in
 * parallel and never share state. The queue runs on Redis when REDIS_URL is set,
 * otherwise on the PostgreSQL backend. `opts.logger` receives the server's log
 * (a JsonLogger with a sink captures it in-process); by default it is silent.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { logger?: JsonLogger } = {},
): Promise<TestApp> {
  const databaseUrl = await freshDatabaseUrl();
  const name = new URL(databaseUrl).pathname.slice(1);
  const config = AppConfig.of({
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'wecrm-test-data-')),
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: name,
    SEED_DEMO: 'false',
    EXPOSE_SQL_COUNT: 'true',
    // Every test signs up organizations from 127.0.0.1; test/security/signup.e2e-spec.ts tests the limit itself.
    SIGNUP_MAX_PER_IP: '1000000',
    ...env,
  });
  const app = await createServer(config, new DatabaseConnectionInfo(databaseUrl, false), {
    api: true,
    worker: true,
    port: 0,
    logger: opts.logger ?? (process.env.TEST_LOG_LEVEL ? undefined : false),
  });
  const url = serverUrl(app);
  const db = new Pool({ connectionString: databaseUrl, max: 3 });
  return {
    app,
    url,
    db,
    databaseUrl,
    config,
    async gql(query, variables, token, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GqlResult;
      const sql = res.headers.get('x-sql-statements');
      return { ...body, status: res.status, sqlStatements: sql === null ? undefined : Number(sql) };
    },
    async close() {
      await app.close();
      await db.end();
    },
  };
}

/** The contract code of the first error, for terse assertions. */
export function codeOf(r: GqlResult): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

/** Fails with the server's errors when a call that should succeed did not. */
export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors, null, 2)}`);
  return r.data as T;
}
