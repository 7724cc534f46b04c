import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { graphqlAdmission } from './core/graphql/admission';
import { installGraphqlBody } from './core/graphql/graphql-body.middleware';
import { requestDeadlines } from './core/http/request-deadlines';
import { CHAT_IMPORT_PATH } from './modules/chat-audit/resolvers/chat-import.controller';
import { requestContext } from './core/context/request-context';
import { DatabaseConnectionInfo } from './core/database/database-connection';
import { installConsole } from './core/console/console-static';
import { describeError, StartError } from './core/errors/start-error';
import { setSchemaHost } from './core/graphql/graphql.factory';
import { JsonLogger } from './core/logging/json-logger';
import { QueueService, QueueWorkerService } from './core/queue';
import { SubscriptionServer } from './core/realtime/subscription-server';

export { migrate, resolveDatabase } from './database-setup';
export type { ResolvedDatabase, ResolveDatabaseOptions } from './database-setup';

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
export async function createServer(
  config: AppConfig,
  db: DatabaseConnectionInfo,
  opts: ServerOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, db), {
    logger: opts.logger === false ? false : (opts.logger ?? new JsonLogger(config.logLevel)),
    abortOnError: false,
    // The GraphQL body is parsed by installGraphqlBody (its limit, GraphQL-shaped refusals); nothing else takes a body.
    bodyParser: false,
  });
  // Responses do not advertise the framework (Express's X-Powered-By).
  const express = app.getHttpAdapter().getInstance() as {
    disable(setting: string): void;
    set(setting: string, value: unknown): void;
  };
  express.disable('x-powered-by');
  // Only trusted proxies may name the client (rate limits key on it); by default nobody can.
  express.set('trust proxy', config.trustProxy);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    requestContext.run({ requestId }, next);
  });
  // A history import streams for as long as storing it takes: its own limit, not every request's (Node's 300 s).
  app.use(
    requestDeadlines(app.getHttpServer(), {
      defaultMs: config.httpRequestTimeoutSeconds * 1000,
      routes: { [CHAT_IMPORT_PATH]: config.chatImportTimeoutSeconds * 1000 },
    }),
  );
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
