import { INestApplication, Logger } from '@nestjs/common';
import cluster, { Worker } from 'node:cluster';
import { createServer, migrate, resolveDatabase, serverUrl } from './bootstrap';
import { AppConfig, ConfigError } from './core/config/app-config';
import { JsonLogger } from './core/logging/json-logger';

export interface ProcessOptions {
  api: boolean;
  worker: boolean;
  /** Runs after start (the demo seed in `npm start`). */
  afterStart?: (app: INestApplication, config: AppConfig, url: string) => Promise<void>;
}

/**
 * Boots one process: validated config, the database (embedded when no
 * DATABASE_URL), migrations, then API and/or worker. Ctrl-C and SIGTERM close
 * the app, then the embedded PostgreSQL, so nothing is left running.
 */
export async function bootstrapProcess(opts: ProcessOptions): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  Logger.overrideLogger(new JsonLogger(config.logLevel));
  if (opts.api && !opts.worker && config.apiProcesses > 1 && cluster.isPrimary) return runApiCluster(config);
  const logger = new Logger('Boot');
  const db = await resolveDatabase(config);
  let app: INestApplication | undefined;
  /** The start-up work still running (the first start's demo seed). */
  let afterStart: Promise<void> | undefined;
  onStopSignals(logger, 20_000, async () => {
    // It finishes first (a few seconds), so a Ctrl-C right after start leaves it complete.
    if (afterStart) logger.log('waiting for the start-up work (the demo seed) to finish');
    await afterStart?.catch(() => undefined);
    await app?.close();
  }, db.stop);
  await migrate(db.info);
  app = await createServer(config, db.info, { api: opts.api, worker: opts.worker });
  const url = opts.api ? serverUrl(app) : '';
  if (opts.api) logger.log(`GraphQL ready at ${url}/graphql (health: ${url}/health, ${url}/ready)`);
  if (opts.worker) logger.log('worker running');
  if (opts.afterStart) {
    afterStart = opts.afterStart(app, config, url).finally(() => (afterStart = undefined));
    await afterStart;
  }
}

/**
 * `API_PROCESSES` > 1: this process resolves the database (starting the
 * embedded one when there is no DATABASE_URL) and applies migrations, then runs
 * that many API processes sharing one port (node:cluster hands connections out
 * in turn). API processes are stateless, so this is the one-machine form of
 * running replicas behind a load balancer: it uses every core for GraphQL. A
 * process that dies is replaced; SIGTERM/SIGINT stop them all, then the
 * embedded database.
 */
async function runApiCluster(config: AppConfig): Promise<void> {
  const logger = new Logger('Cluster');
  const db = await resolveDatabase(config);
  await migrate(db.info);
  const stopping = onStopSignals(logger, 25_000, async () => {
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    logger.log(`stopping ${alive.length} API processes`);
    await Promise.all(
      alive.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
  }, db.stop);
  const fork = (): Worker => cluster.fork({ DATABASE_URL: db.info.url });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping()) return;
    logger.error(`API process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < config.apiProcesses; i++) fork();
  logger.log(`${config.apiProcesses} API processes on port ${config.port}`);
}

/**
 * SIGINT, SIGTERM and SIGHUP: once, stop what the process runs, then the
 * (embedded) database, then exit; a stop slower than `graceMs` exits 1.
 * Returns whether a stop has begun.
 */
function onStopSignals(logger: Logger, graceMs: number, stopWork: () => Promise<void>, stopDatabase: () => Promise<void>): () => boolean {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    setTimeout(() => process.exit(1), graceMs).unref();
    try {
      await stopWork();
    } finally {
      await stopDatabase();
      logger.log('stopped');
      process.exit(0);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
  return () => stopping;
}
