/**
 * Small helpers shared by the benchmark suite (argument parsing, logging,
 * locating the repository and its build). Benchmarks are scripts: they read
 * their own argv/environment here, never through the application's config.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (the directory holding package.json and bench/). */
export function repoRoot(): string {
  let dir = __dirname;
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench', 'lib', 'common.ts'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** `--key value`, `--key=value` and bare `--flag` (true). */
export function parseArgs(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.set(a.slice(2), argv[++i]);
    else out.set(a.slice(2), true);
  }
  return out;
}

const T0 = Date.now();
/** Progress and diagnostics go to stderr; results to stdout and files. */
export function log(msg: string): void {
  console.error(`[bench ${((Date.now() - T0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** `1` -> `1`, `0.01` -> `0_01`: a scale in database and file names. */
export function scaleKey(scale: number): string {
  return String(scale).replace('.', '_');
}

/** `2026-11-22T04:25:49.123Z` -> `2026-11-22T042549Z`: a time in result file names. */
export function fileStamp(at: Date): string {
  return at.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Loads a module of the root build (dist/), typed by its source. */
export function requireBuilt<T>(relativeJs: string): T {
  const file = join(repoRoot(), 'dist', relativeJs);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the server first (npm run build)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}
