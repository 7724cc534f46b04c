import { INestApplication, Logger } from '@nestjs/common';
import cluster, { Worker } from 'node:cluster';
import { assertPortFree, createServer, migrate, resolveDatabase, ResolvedDatabase, serverUrl } from './bootstrap';
import { DatabaseModule } from './core/database/database.module';
import { EmbeddedPostgresSupervisor } from './core/dev-services/embedded-postgres';
import { describeError, StartError } from './core/errors/start-error';
import { QueueService, QueueWorkerService } from './core/queue';
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
 * the app, then the embedded PostgreSQL, so nothing is left running; a stop
 * takes at most SHUTDOWN_GRACE_SECONDS. A failure at start prints its cause
 * and the setting to change, and exits 1.
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
  let db: ResolvedDatabase | undefined;
  let app: INestApplication | undefined;
  /** The start-up work still running (the first start's demo seed). */
  let afterStart: Promise<void> | undefined;
  const stop = stopper(logger, config.shutdownGraceSeconds * 1000, {
    stopWork: async () => {
      // It finishes first (a few seconds), so a Ctrl-C right after start leaves it complete.
      if (afterStart) logger.log('waiting for the start-up work (the demo seed) to finish');
      await afterStart?.catch(() => undefined);
      await app?.close();
    },
    unfinished: () => (app ? unfinishedWork(app) : []),
    stopDatabase: (ms) => db?.stop(ms) ?? Promise.resolve(true),
  });
  onStopSignals(stop);
  try {
    // Not in an API process of a cluster: the port is the primary's, shared, and checked there.
    if (opts.api && cluster.isPrimary) await assertPortFree(config.port);
    db = await resolveDatabase(config, undefined, { role: 'server', supervise: embeddedSupervisor(stop) });
    await migrate(db.info);
    app = await createServer(config, db.info, { api: opts.api, worker: opts.worker });
  } catch (e) {
    return failedStart(logger, e, stop);
  }
  const url = opts.api ? serverUrl(app) : '';
  if (opts.api) logger.log(`GraphQL ready at ${url}/graphql (health: ${url}/health, ${url}/ready)`);
  if (opts.worker) logger.log('worker running');
  if (opts.afterStart) {
    afterStart = opts.afterStart(app, config, url).finally(() => (afterStart = undefined));
    await afterStart;
  }
}

/**
 * Logs why the start failed (naming the setting when known,
 * never `undefined`), then stops what had started and exits 1.
 */
async function failedStart(logger: Logger, e: unknown, stop: Stop): Promise<void> {
  if (e instanceof StartError) logger.error({ msg: `start failed: ${e.message}`, setting: e.setting });
  else logger.error({ msg: `start failed: ${describeError(e)}` }, e instanceof Error ? e.stack : undefined);
  await stop('start failed', 1);
}

/** What the process says and does when its embedded PostgreSQL exits on its own: restart it, or give up and exit 1. */
function embeddedSupervisor(stop: Stop): EmbeddedPostgresSupervisor {
  const logger = new Logger('Database');
  return {
    onExit: (reason) => logger.error(`embedded PostgreSQL ${reason}; restarting it (requests fail with 503 meanwhile)`),
    onRestarted: (ms) => logger.log(`embedded PostgreSQL restarted; it was down for ${ms} ms`),
    onGiveUp: (reason) => {
      logger.error(
        `embedded PostgreSQL is gone: ${reason}. Exiting with code 1 so that a supervisor restarts the process`,
      );
      void stop('embedded PostgreSQL gone', 1);
    },
  };
}

/** What a stop that ran out of time leaves behind, in words (jobs, connections). */
function unfinishedWork(app: INestApplication): string[] {
  const found: string[] = [];
  for (const source of [QueueWorkerService, QueueService, DatabaseModule] as const) {
    try {
      found.push(...app.get<{ unfinished(): string[] }>(source, { strict: false }).unfinished());
    } catch {
      // not part of this application
    }
  }
  return found.length ? found : ['the application did not finish closing (nothing more specific is known)'];
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
  let db: ResolvedDatabase | undefined;
  const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
  // A little longer than each API process's own grace, so that they finish first.
  const stop = stopper(logger, (config.shutdownGraceSeconds + 5) * 1000, {
    stopWork: async () => {
      const workers = alive();
      logger.log(`stopping ${workers.length} API processes`);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      );
    },
    unfinished: () => alive().map((w) => `API process ${w.process.pid} still running (left to its own stop)`),
    stopDatabase: (ms) => db?.stop(ms) ?? Promise.resolve(true),
  });
  onStopSignals(stop);
  try {
    await assertPortFree(config.port);
    db = await resolveDatabase(config, undefined, { role: 'server', supervise: embeddedSupervisor(stop) });
    await migrate(db.info);
  } catch (e) {
    return failedStart(logger, e, stop);
  }
  const fork = (): Worker => cluster.fork({ DATABASE_URL: db!.info.url });
  cluster.on('exit', (worker, code, signal) => {
    if (stop.begun()) return;
    logger.error(`API process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < config.apiProcesses; i++) fork();
  logger.log(`${config.apiProcesses} API processes on port ${config.port}`);
}

interface StopParts {
  /** Stops what the process runs (the application). */
  stopWork(): Promise<void>;
  /** What is still unfinished when stopWork runs out of time. */
  unfinished(): string[];
  /** Stops the (embedded) database, at most `timeoutMs`; false when it still runs. */
  stopDatabase(timeoutMs: number): Promise<boolean>;
}

/** Starts the stop once (later calls get the same); `begun()` says whether it has. Never returns: the process exits. */
type Stop = ((reason: string, exitCode?: number) => Promise<void>) & { begun(): boolean };

/** The last part of the grace kept for stopping the embedded database. */
const DATABASE_STOP_RESERVE_MS = 5000;

/**
 * The stop of a process: the application, then the (embedded) database, then
 * exit, within `graceMs` whatever hangs (a dead Redis, a database that does
 * not answer). What could not finish in time is abandoned and named in the
 * log, and the exit code is then 1.
 */
function stopper(logger: Logger, graceMs: number, parts: StopParts): Stop {
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, exitCode = 0) =>
    (stopping ??= (async () => {
      logger.log(`${reason}, shutting down`);
      const deadline = Date.now() + graceMs;
      // The last resort, should even the bounded steps below overrun.
      setTimeout(() => {
        logger.error(`stop still unfinished ${graceMs + 2000} ms after it began; exiting`);
        process.exit(1);
      }, graceMs + 2000).unref();
      let clean = true;
      const workBudget = graceMs - Math.min(DATABASE_STOP_RESERVE_MS, graceMs / 4);
      const work = parts.stopWork().then(
        () => true,
        (e: unknown) => {
          logger.error({ msg: `stopping the application failed: ${describeError(e)}` });
          return true;
        },
      );
      if (!(await settlesWithin(work, workBudget))) {
        clean = false;
        logger.error({
          msg: `stop unfinished after ${Math.round(workBudget / 1000)} s (SHUTDOWN_GRACE_SECONDS); abandoned what follows`,
          abandoned: parts.unfinished(),
        });
      }
      const dbStopped = await parts.stopDatabase(Math.max(1000, deadline - Date.now() - 200)).catch(() => false);
      if (!dbStopped) {
        clean = false;
        logger.error(
          'embedded PostgreSQL did not stop in time; left running (the next start on this DATA_DIR stops it)',
        );
      }
      logger.log('stopped');
      process.exit(clean ? exitCode : 1);
    })());
  return Object.assign(stop, { begun: () => stopping !== undefined });
}

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), Math.max(0, ms)))),
  ]);
  clearTimeout(timer);
  return done;
}

/** SIGINT, SIGTERM and SIGHUP start the stop (once). */
function onStopSignals(stop: Stop): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void stop(`${signal} received`));
}
