import { DynamicModule, INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { AppConfig, ConfigError, LogLevel } from 'src/core/config/app-config';
import { requestContext } from 'src/core/context/request-context';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { describeError, StartError } from 'src/core/errors/start-error';
import { JsonLogger } from 'src/core/logging/json-logger';
import { migrate, resolveDatabase, ResolvedDatabase } from 'src/database-setup';

/**
 * Runs a command (`role`: import-customers, import-chat, kpi-rebuild) in its own small module graph: the
 * configuration (exit 2 when invalid), the database (the running server's embedded PostgreSQL on the same DATA_DIR
 * is shared, not a second one started), migrations, the Nest context, then `run`; a fault is printed (exit 1) and
 * everything is closed whatever happens. Stdout is the command's: Nest's boot chatter (info) stays quiet unless
 * asked for with LOG_LEVEL=debug.
 */
export async function runCommand(
  role: string,
  graph: (config: AppConfig, db: DatabaseConnectionInfo) => DynamicModule,
  run: (app: INestApplicationContext) => Promise<number>,
): Promise<number> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  const level: LogLevel = config.logLevel === 'info' ? 'warn' : config.logLevel;
  Logger.overrideLogger(new JsonLogger(level));
  let db: ResolvedDatabase | undefined;
  let app: INestApplicationContext | undefined;
  try {
    db = await resolveDatabase(config, undefined, { role, attach: true });
    await migrate(db.info);
    const context = await NestFactory.createApplicationContext(graph(config, db.info), {
      logger: new JsonLogger(level),
      abortOnError: false,
    });
    app = context;
    return await requestContext.run({ requestId: `${role}-${randomUUID()}` }, () => run(context));
  } catch (e) {
    process.stderr.write(
      `error: ${e instanceof Error && !(e instanceof StartError) && e.stack ? e.stack : describeError(e)}\n`,
    );
    return 1;
  } finally {
    await app?.close().catch(() => undefined);
    await db?.stop().catch(() => undefined);
  }
}
