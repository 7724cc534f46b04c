/**
 * Child processes of a run: the built server (`node dist/src/cli.js api` /
 * `worker`), the baselines, Redis, and the load driver; RSS sampled from
 * /proc/<pid>/status once a second. Every child is stopped by its own pid.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sleep } from './common';

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Last lines of its output (for error reports). */
  tail(): string;
  stop(): Promise<void>;
}

const children = new Set<Child>();

export function spawnChild(
  name: string,
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  cwd = repoRoot(),
): Child {
  const proc = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  // BENCH_CHILD_LOG_DIR=<dir>: every child's whole output also
  // goes to <dir>/<name>-<pid>.log (for --trace-gc and the like).
  const logDir = process.env.BENCH_CHILD_LOG_DIR;
  if (logDir) mkdirSync(logDir, { recursive: true });
  const keep = (b: Buffer) => {
    if (logDir) appendFileSync(join(logDir, `${name}-${proc.pid}.log`), b);
    for (const l of b.toString('utf8').split('\n')) if (l.trim()) lines.push(l);
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  const child: Child = {
    name,
    proc,
    pid: proc.pid ?? -1,
    tail: () => lines.join('\n'),
    async stop() {
      children.delete(child);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 25_000);
      await exited;
      clearTimeout(t);
    },
  };
  children.add(child);
  return child;
}

/** Stops every child still running (on error or Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop().catch(() => undefined)));
}

export async function waitForHttp(url: string, child: Child, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null)
      throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.tail()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.tail()}`);
}

export function waitForLine(child: Child, re: RegExp, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`${child.name}: no line matching ${re} within ${timeoutMs} ms:\n${child.tail()}`)),
      timeoutMs,
    );
    const on = (b: Buffer) => {
      const m = re.exec(b.toString('utf8'));
      if (m) {
        clearTimeout(t);
        child.proc.stdout?.off('data', on);
        child.proc.stderr?.off('data', on);
        resolve(m[0]);
      }
    };
    child.proc.stdout?.on('data', on);
    child.proc.stderr?.on('data', on);
    child.proc.once('exit', () => reject(new Error(`${child.name} exited:\n${child.tail()}`)));
  });
}

/** Resident set size in MB (VmRSS), or NaN when the process is gone. */
function ownRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** RSS of a process plus its direct children (the API processes of API_PROCESSES > 1). */
export function rssMb(pid: number): number {
  const own = ownRssMb(pid);
  let kids: number[];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    kids = [];
  }
  return kids.reduce((sum, k) => sum + (ownRssMb(k) || 0), own);
}

/** Samples the RSS of some processes once a second until stopped. */
export class RssSampler {
  readonly samples: Array<{ t: number; mb: Record<string, number> }> = [];
  private timer: NodeJS.Timeout | null = null;
  private t0 = 0;

  constructor(private readonly pids: Record<string, number>) {}

  start(): this {
    this.t0 = Date.now();
    const take = () => {
      const mb: Record<string, number> = {};
      for (const [k, pid] of Object.entries(this.pids)) mb[k] = Math.round(rssMb(pid) * 10) / 10;
      this.samples.push({ t: Math.round((Date.now() - this.t0) / 1000), mb });
    };
    take();
    this.timer = setInterval(take, 1000);
    return this;
  }

  stop(): this {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this;
  }

  peak(name: string): number {
    return Math.max(...this.samples.map((s) => s.mb[name]).filter(Number.isFinite));
  }
}

/**
 * The live heap of a process started with `--trace-gc`: the heap size after
 * each full (Mark-Compact) collection, read from its output. Unlike RSS, which
 * grows while V8 sizes its young generation and keeps freed pages, this only
 * grows when objects stay reachable, i.e. when something leaks. Per process id
 * (an API cluster has several).
 */
export class LiveHeapWatcher {
  /** `at`: epoch ms the line arrived. */
  readonly points: Array<{ at: number; pid: number; liveMb: number; committedMb: number }> = [];
  private partial = '';

  constructor(child: Child) {
    const on = (b: Buffer) => {
      const text = this.partial + b.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const l of lines) {
        const m = /^\[(\d+):0x[0-9a-f]+\]\s+\d+ ms: Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(l);
        if (m) this.points.push({ at: Date.now(), pid: Number(m[1]), liveMb: Number(m[2]), committedMb: Number(m[3]) });
      }
    };
    child.proc.stdout?.on('data', on);
  }
}

/** Runs the load driver in its own process; resolves with its result. */
export async function runDriver<T>(spec: unknown, tag: string): Promise<T> {
  const dir = process.env.TMPDIR || '/tmp';
  const specFile = join(dir, `wecrm-bench-${process.pid}-${tag}.spec.json`);
  const outFile = join(dir, `wecrm-bench-${process.pid}-${tag}.out.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  const child = spawnChild(
    `driver ${tag}`,
    process.execPath,
    [join(__dirname, '..', 'load', 'driver.js'), specFile, outFile],
    {},
  );
  const code = await new Promise<number | null>((done) => child.proc.once('exit', (c) => done(c)));
  await child.stop();
  if (code !== 0) throw new Error(`load driver failed (${code}):\n${child.tail()}`);
  return JSON.parse(readFileSync(outFile, 'utf8')) as T;
}
