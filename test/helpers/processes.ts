import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real CLI as a child process (`node dist/src/cli.js <args>`), as an
 * operator runs it, for the fault tests: its output, its exit, readiness.
 */
export const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli.js');

export interface LogLine {
  level: string;
  msg: string;
  [k: string]: unknown;
}

export interface CliProcess {
  child: ChildProcess;
  pid: number;
  /** Everything written so far, stdout and stderr. */
  output(): string;
  /** The JSON log lines so far (other lines skipped). */
  lines(): LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
}

/** The settings of every spawned process: embedded database unless given, no demo seed. */
const BASE_ENV = { DATABASE_URL: '', REDIS_URL: '', SEED_DEMO: 'false', LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: '' };

export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...BASE_ENV, ...env },
    detached: true, // a process group of its own, as a shell gives a job
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid!,
    output: () => out,
    lines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine),
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

/** Polls /ready until 200; throws with the output when the process exits or the time is up. */
export async function waitReady(p: CliProcess, port: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    if (Date.now() > deadline || !p.running()) throw new Error(`not ready:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resolves with the exit, or null when the process still runs after `ms`. */
export async function exitWithin(
  p: CliProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([p.exited, new Promise<null>((res) => (timer = setTimeout(() => res(null), ms)))]);
  clearTimeout(timer);
  return r;
}

/** A DATA_DIR for an embedded PostgreSQL (as root the server runs as user postgres, which must reach it). */
export function dataDirFor(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wecrm-${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
};

/** The embedded server of DATA_DIR as its postmaster.pid says: pid and port (undefined when none). */
export function postmasterOf(dataDir: string): { pid: number; port: number } | undefined {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** The postmaster and its children (the server's sessions and workers), from /proc. */
export function serverProcesses(postmasterPid: number): number[] {
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmasterPid;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmasterPid, ...children];
}

/** Ends whatever a test left running: the CLI's process group and the embedded server of DATA_DIR. */
export async function cleanUp(p: CliProcess | undefined, dataDir: string): Promise<void> {
  if (p?.running()) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const pm = postmasterOf(dataDir);
  if (pm && isAlive(pm.pid)) {
    for (const pid of serverProcesses(pm.pid)) {
      try {
        process.kill(pid, 'SIGCONT'); // a test may have frozen it
      } catch {
        // gone
      }
    }
    try {
      process.kill(pm.pid, 'SIGQUIT');
    } catch {
      // gone
    }
    const deadline = Date.now() + 10_000;
    while (isAlive(pm.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
}

export { freshDatabaseUrl } from './test-app';

/** POSTs a GraphQL request; the status, and the body when it is JSON. */
export async function postGql(
  port: number,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as never };
}
