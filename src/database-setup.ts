import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS } from 'migrations';
import { AppConfig } from './core/config/app-config';
import { DatabaseConnectionInfo } from './core/database/database-connection';
import { runMigrations } from './core/database/migrate';
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

/**
 * The database a process uses, and its migrations: what the server (bootstrap.ts)
 * and the CLI commands share, without the application's module graph.
 */

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
