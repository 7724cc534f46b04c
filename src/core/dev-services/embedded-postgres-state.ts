import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, parse, sep } from 'node:path';

/**
 * What is on disk about an embedded PostgreSQL data directory: the server's
 * own lock file (postmaster.pid) and our owner file beside the directory
 * (`<dir>.owner.json`), which says which process started the server. Together
 * they tell a stale server (its owner was killed) from one in use (a running
 * `npm start`, whose database a CLI command may then share).
 */

/** The user PostgreSQL runs as when this process runs as root (it refuses to run as root). */
export const POSTGRES_OS_USER = 'postgres';

export interface RunningPostmaster {
  pid: number;
  port: number;
}

export interface EmbeddedOwner {
  /** The process that started the server and stops it. */
  pid: number;
  /** `server` (npm start, api, worker) or the CLI command's name. */
  role: string;
  host: string;
  port: number;
}

/** True while `pid` names a live process (a zombie, exited but not yet reaped, is not live). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // Linux: field 3 of /proc/<pid>/stat is the state; Z is a zombie
    // (e.g. a postmaster re-parented to an init that does not reap).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** The server recorded in `dir`/postmaster.pid, when that process is alive. */
export function runningPostmaster(dir: string): RunningPostmaster | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return isAlive(pid) && Number.isInteger(port) && servesDirectory(pid, dir) ? { pid, port } : undefined;
}

/**
 * Whether `pid` is a PostgreSQL serving `dir` (Linux: its command line), so
 * that a lock file outliving a reboot, whose pid now names another program,
 * never gets that program signalled. Elsewhere assumed true.
 */
function servesDirectory(pid: number, dir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /postgres$/.test(args[0] ?? '') && args.includes(dir);
  } catch {
    return true;
  }
}

function ownerFile(dir: string): string {
  return `${dir}.owner.json`;
}

export function readOwner(dir: string): EmbeddedOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(ownerFile(dir), 'utf8')) as Partial<EmbeddedOwner>;
    if (
      typeof o.pid === 'number' &&
      typeof o.port === 'number' &&
      typeof o.role === 'string' &&
      typeof o.host === 'string'
    ) {
      return o as EmbeddedOwner;
    }
  } catch {
    // absent or unreadable: no known owner
  }
  return undefined;
}

/**
 * Records this process as the owner of the server in `dir` (no
 * password: it is the embedded default, not a secret to spread).
 */
export function writeOwner(dir: string, owner: EmbeddedOwner): void {
  writeFileSync(ownerFile(dir), JSON.stringify(owner) + '\n', { mode: 0o644 });
}

export function removeOwner(dir: string): void {
  const o = readOwner(dir);
  if (!o || o.pid === process.pid) rmSync(ownerFile(dir), { force: true });
}

/** The live owner of the live server in `dir`, other than this process. */
export function liveOwner(dir: string): (EmbeddedOwner & { postmasterPid: number }) | undefined {
  const pm = runningPostmaster(dir);
  const owner = readOwner(dir);
  if (!pm || !owner || owner.pid === process.pid || owner.port !== pm.port || !isAlive(owner.pid)) return undefined;
  return { ...owner, postmasterPid: pm.pid };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The OS user the server runs as: `postgres` under root, else this process's user. */
export function serverOsUser(): string {
  return isRoot() ? POSTGRES_OS_USER : userInfo().username;
}

function idsOf(user: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(
      execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    );
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** The permission bits (r=4, w=2, x=1) that `ids` gets on a path's stat (owner, group, others; ACLs not considered). */
function bitsFor(path: string, ids: { uid: number; gid: number }): number {
  const s = statSync(path);
  if (s.uid === ids.uid) return (s.mode >> 6) & 7;
  if (s.gid === ids.gid) return (s.mode >> 3) & 7;
  return s.mode & 7;
}

/**
 * Why the server could not use `dir` (its data directory, created when
 * missing), or undefined when it can. Under root the server runs as user
 * `postgres`, which needs to pass through every parent directory; otherwise
 * this process's user needs to write the nearest existing ancestor.
 */
export function dataDirProblem(dir: string): string | undefined {
  if (!isRoot()) {
    let probe = dir;
    while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
    const need = probe === dir ? constants.R_OK | constants.W_OK | constants.X_OK : constants.W_OK | constants.X_OK;
    try {
      accessSync(probe, need);
      return undefined;
    } catch (e) {
      return `${probe} is not writable by user ${userInfo().username}, the user PostgreSQL runs as (${(e as NodeJS.ErrnoException).code})`;
    }
  }
  const ids = idsOf(POSTGRES_OS_USER);
  if (!ids) return undefined; // created by the first initialisation; a later failure is diagnosed again
  const { root } = parse(dir);
  let path = root;
  for (const part of dir.slice(root.length).split(sep).filter(Boolean)) {
    if (!existsSync(path)) break;
    if ((bitsFor(path, ids) & 1) === 0) {
      const s = statSync(path);
      return (
        `${path} (mode ${(s.mode & 0o777).toString(8)}, owner uid ${s.uid}) cannot be entered by user ${POSTGRES_OS_USER}, ` +
        'the user PostgreSQL runs as (it refuses to run as root)'
      );
    }
    path = join(path, part);
  }
  if (existsSync(dir) && existsSync(join(dir, 'PG_VERSION')) && (bitsFor(dir, ids) & 7) !== 7) {
    return `${dir} is not writable by user ${POSTGRES_OS_USER}, the user PostgreSQL runs as (it refuses to run as root)`;
  }
  return undefined;
}
