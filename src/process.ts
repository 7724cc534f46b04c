import { INestApplication, Logger } from '@nestjs/common';
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
  const logger = new Logger('Boot');
  const db = await resolveDatabase(config);
  let app: INestApplication | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await app?.close();
    } finally {
      await db.stop();
      logger.log('stopped');
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  await migrate(db.info);
  app = await createServer(config, db.info, { api: opts.api, worker: opts.worker });
  const url = opts.api ? serverUrl(app) : '';
  if (opts.api) logger.log(`GraphQL ready at ${url}/graphql (health: ${url}/health, ${url}/ready)`);
  if (opts.worker) logger.log('worker running');
  if (opts.afterStart) await opts.afterStart(app, config, url);
}
