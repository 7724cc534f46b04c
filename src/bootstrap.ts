import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { MIGRATIONS } from '../migrations';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { graphqlAdmission } from './core/graphql/admission';
import { installGraphqlBody } from './core/graphql/graphql-body.middleware';
import { requestContext } from './core/context/request-context';
import { DatabaseConnectionInfo } from './core/database/database-connection';
import { runMigrations } from './core/database/migrate';
import { installConsole } from './core/console/console-static';
import { ensureDatabase, startEmbeddedPostgres } from './core/dev-services/embedded-postgres';
import { setSchemaHost } from './core/graphql/graphql.factory';
import { JsonLogger } from './core/logging/json-logger';
import { QueueWorkerService } from './core/queue';

export interface ResolvedDatabase {
  info: DatabaseConnectionInfo;
  /** Stops the embedded server, when this process started one. */
  stop(): Promise<void>;
}

/** DATABASE_URL, or a real embedded PostgreSQL in DATA_DIR/postgres (persistent). */
export async function resolveDatabase(config: AppConfig, logger = new Logger('Database')): Promise<ResolvedDatabase> {
  if (config.databaseUrl) return { info: new DatabaseConnectionInfo(config.databaseUrl, false), stop: async () => undefined };
  const started = Date.now();
  const pg = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), (m) => logger.debug(m), { ownSignals: true });
  await ensureDatabase(pg.adminUrl, 'wecrm');
  logger.log(`embedded PostgreSQL ready in ${Date.now() - started} ms (data in ${join(config.dataDir, 'postgres')})`);
  return { info: new DatabaseConnectionInfo(pg.urlFor('wecrm'), true), stop: () => pg.stop() };
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
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
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
  await app.init();
  if (opts.worker) await startWorkers(app);
  if (opts.api) await app.listen(opts.port ?? config.port, '0.0.0.0');
  return app;
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
