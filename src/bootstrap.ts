import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { Client } from 'pg';
import { MIGRATIONS } from '../migrations';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { graphqlAdmission } from './core/graphql/admission';
import { installGraphqlBody } from './core/graphql/graphql-body.middleware';
import { requestContext } from './core/context/request-context';
import { DatabaseConnectionInfo } from './core/database/database-connection';
import { runMigrations } from './core/database/migrate';
import { installConsole } from './core/console/console-static';
import {
  EmbeddedPostgresHandle,
  EmbeddedPostgresInUseError,
  EmbeddedPostgresSupervisor,
  embeddedUrl,
  ensureDatabase,
  startEmbeddedPostgres,
} from './core/dev-services/embedded-postgres';
import { liveOwner } from './core/dev-services/embedded-postgres-state';
import { describeError, describeUrl, StartError } from './core/errors/start-error';
import { setSchemaHost } from './core/graphql/graphql.factory';
import { JsonLogger } from './core/logging/json-logger';
import { QueueService, QueueWorkerService } from './core/queue';
import { SubscriptionServer } from './core/realtime/subscription-server';

export interface ResolvedDatabase {
  info: DatabaseConnectionInfo;
  /** Stops the embedded server, when this process started one; false when it still runs after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<boolean>;
}

export interface ResolveDatabaseOptions {
  /** Recorded as the embedded server's owner: `server`, or the CLI command's name. */
  role?: string;
  /** A CLI command: use the embedded PostgreSQL of a server running on the same DATA_DIR instead of starting one. */
  attach?: boolean;
  /** Restart the embedded server when it exits on its own (long-running processes). */
  supervise?: EmbeddedPostgresSupervisor;
}

/**
 * DATABASE_URL (checked to answer), or a real embedded PostgreSQL in
 * DATA_DIR/postgres (persistent), whose address is printed. Failures are
 * StartErrors naming the setting to change.
 */
export async function resolveDatabase(
  config: AppConfig,
  logger = new Logger('Database'),
  opts: ResolveDatabaseOptions = {},
): Promise<ResolvedDatabase> {
  const none = async () => true;
  if (config.databaseUrl) {
    await checkDatabaseReachable(config.databaseUrl, config.databaseConnectTimeoutSeconds);
    return { info: new DatabaseConnectionInfo(config.databaseUrl, false), stop: none };
  }
  const dir = join(config.dataDir, 'postgres');
  const owner = opts.attach ? liveOwner(dir) : undefined;
  if (owner?.role === 'server') {
    logger.log(
      `using the embedded PostgreSQL of the server running on DATA_DIR (pid ${owner.pid}) ` +
        `at ${owner.host}:${owner.port}, database ${EMBEDDED_DATABASE}, user postgres`,
    );
    return { info: new DatabaseConnectionInfo(embeddedUrl(owner.port, EMBEDDED_DATABASE), false), stop: none };
  }
  const started = Date.now();
  let pg: EmbeddedPostgresHandle | undefined;
  try {
    pg = await startEmbeddedPostgres(dir, (m) => logger.log(m), {
      ownSignals: true,
      role: opts.role,
      supervise: opts.supervise,
      serverLog: (m) => logger.debug(m),
    });
    await ensureDatabase(pg.adminUrl, EMBEDDED_DATABASE);
  } catch (e) {
    await pg?.stopWithin(5000).catch(() => false);
    if (e instanceof EmbeddedPostgresInUseError) {
      const message = `DATA_DIR (${config.dataDir}) is in use: ${e.message}; stop it first, or set DATA_DIR to another directory`;
      throw new StartError(message, 'DATA_DIR');
    }
    throw new StartError(
      `the embedded PostgreSQL could not start in DATA_DIR (${config.dataDir}): ${describeError(e)}. ` +
        'Fix DATA_DIR or set it to another directory, or set DATABASE_URL to use an external PostgreSQL',
      'DATA_DIR',
    );
  }
  logger.log(
    `embedded PostgreSQL ready in ${Date.now() - started} ms at ${pg.host}:${pg.port}, ` +
      `database ${EMBEDDED_DATABASE}, user ${pg.user} (data in ${dir})`,
  );
  const handle = pg;
  return {
    info: new DatabaseConnectionInfo(pg.urlFor(EMBEDDED_DATABASE), true),
    stop: (timeoutMs = 30_000) => handle.stopWithin(timeoutMs),
  };
}

/** The database of the embedded server that the product uses. */
const EMBEDDED_DATABASE = 'wecrm';

/** Connects once to DATABASE_URL so that a wrong or unreachable one fails the start with its name. */
async function checkDatabaseReachable(url: string, timeoutSeconds: number): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutSeconds * 1000 });
  client.on('error', () => undefined); // the failure is the rejected connect or query
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new StartError(
      `cannot connect to PostgreSQL at DATABASE_URL (${describeUrl(url)}): ${describeError(e)}. ` +
        'Check that it runs and accepts this user, or unset DATABASE_URL to use the embedded PostgreSQL in DATA_DIR',
      'DATABASE_URL',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function migrate(db: DatabaseConnectionInfo, logger = new Logger('Database')): Promise<void> {
  const applied = await runMigrations(db.url, MIGRATIONS);
  if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);
}

export interface ServerOptions {
  /** Serve HTTP (GraphQL, health). */
  api: boolean;
  /** Run job handlers and schedulers. */
  worker: boolean;
  /** Overrides config.port (0 picks a free port). */
  port?: number;
  logger?: JsonLogger | false;
}

/** Builds the Nest application for the API, the worker, or both. */
export async function createServer(config: AppConfig, db: DatabaseConnectionInfo, opts: ServerOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, db), {
    logger: opts.logger === false ? false : (opts.logger ?? new JsonLogger(config.logLevel)),
    abortOnError: false,
    // The GraphQL body is parsed by installGraphqlBody (its limit, GraphQL-shaped refusals); nothing else takes a body.
    bodyParser: false,
  });
  // Responses do not advertise the framework (Express's X-Powered-By).
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void; set(setting: string, value: unknown): void };
  express.disable('x-powered-by');
  // Only trusted proxies may name the client (rate limits key on it); by default nobody can.
  express.set('trust proxy', config.trustProxy);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    requestContext.run({ requestId }, next);
  });
  app.use(
    '/graphql',
    graphqlAdmission({
      maxActive: config.graphqlMaxActive,
      activeMs: config.graphqlActiveMs,
      maxInFlight: config.graphqlMaxInFlight,
      maxQueued: config.graphqlMaxQueued,
    }),
  );
  installGraphqlBody(app, '/graphql', config.graphqlMaxBodyBytes);
  if (opts.api) installConsole(app, config.consoleDir);
  setSchemaHost(app.get(GraphQLSchemaHost));
  try {
    await app.init();
    if (opts.worker) await startWorkers(app);
    // A wrong REDIS_URL fails the start of every role (the worker's start above connects already).
    else await app.get(QueueService).checkConnection();
    if (opts.api) {
      // GraphQL subscriptions (graphql-ws) on the same port and path.
      app.get(SubscriptionServer).attach(app.getHttpServer());
      const port = opts.port ?? config.port;
      await app.listen(port, '0.0.0.0').catch((e: unknown) => {
        throw portError(port, e);
      });
    }
  } catch (e) {
    // Its pools closed before the caller stops an embedded database under them.
    await app.close().catch(() => undefined);
    throw e;
  }
  return app;
}

/** The StartError for a port that cannot be listened on, naming PORT. */
function portError(port: number, e: unknown): StartError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? 'is in use by another process'
      : code === 'EACCES'
        ? 'needs privileges this user lacks (ports below 1024)'
        : `cannot be listened on (${describeError(e)})`;
  return new StartError(`PORT ${port} ${why}: stop that process or set PORT to a free port`, 'PORT');
}

/** Fails early (before the database starts) when PORT cannot be listened on. */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (e) => reject(portError(port, e)));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve()));
  });
}

/** Starts the job handlers and schedulers (worker role). */
async function startWorkers(app: INestApplication): Promise<void> {
  await app.get(QueueWorkerService).start();
}

export function serverUrl(app: INestApplication): string {
  const addr = app.getHttpServer().address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return `http://localhost:${port}`;
}
