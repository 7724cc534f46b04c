import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from 'test/helpers/net';
import { cleanUp, CliProcess, exitWithin, freshDatabaseUrl, spawnCli } from 'test/helpers/processes';

const isRoot = userInfo().uid === 0;

/**
 * Every failure at start says what failed and which setting to change, never
 * `undefined`, and the process exits non-zero (a supervisor sees it) without
 * leaving anything running.
 */
describe('start failures name their cause and setting', () => {
  const dirs: string[] = [];
  const started: Array<[CliProcess, string]> = [];
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl();
  });
  afterAll(async () => {
    for (const [p, dir] of started) await cleanUp(p, dir);
    for (const d of dirs) {
      chmodSync(d, 0o755);
      rmSync(d, { recursive: true, force: true });
    }
  });

  const tmp = (mode: number) => {
    const d = mkdtempSync(join(tmpdir(), 'wecrm-start-err-'));
    chmodSync(d, mode);
    dirs.push(d);
    return d;
  };

  /** Runs `start` with `env` until it exits (bounded); its exit code and output. */
  async function failedStart(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    const dataDir = env.DATA_DIR ?? tmp(0o755);
    const p = spawnCli(['start'], { PORT: '0', DATA_DIR: dataDir, ...env });
    started.push([p, dataDir]);
    const exit = await exitWithin(p, 60_000);
    expect(exit).not.toBeNull(); // it did not hang
    return { code: exit!.code, out: p.output() };
  }

  it('an unreachable Redis names REDIS_URL', async () => {
    const closed = await freePort();
    const { code, out } = await failedStart({ DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${closed}` });
    expect(code).toBe(1);
    expect(out).toMatch(
      new RegExp(
        `start failed: cannot connect to Redis at REDIS_URL \\(redis://127\\.0\\.0\\.1:${closed}\\): .*ECONNREFUSED`,
      ),
    );
    expect(out).not.toMatch(/undefined/);
  }, 60_000);

  it('an unreachable DATABASE_URL names it, without its password', async () => {
    const closed = await freePort();
    const { code, out } = await failedStart({ DATABASE_URL: `postgres://wecrm:s3cret-pw@127.0.0.1:${closed}/wecrm` });
    expect(code).toBe(1);
    expect(out).toMatch(new RegExp(`start failed: cannot connect to PostgreSQL at DATABASE_URL \\(postgres://wecrm@127\\.0\\.0\\.1:${closed}/wecrm\\)`));
    expect(out).not.toMatch(/s3cret-pw|undefined/);
  }, 60_000);

  it('a DATA_DIR the database user cannot use names DATA_DIR and that user', async () => {
    // Under root the server runs as user postgres, which cannot enter a
    // directory of mode 700; otherwise one of mode 500 is not writable.
    const parent = tmp(isRoot ? 0o700 : 0o500);
    const dataDir = join(parent, 'data');
    const { code, out } = await failedStart({ DATA_DIR: dataDir, ...(isRoot ? {} : { JWT_SECRET: 'x'.repeat(40) }) });
    expect(code).toBe(1);
    expect(out).toContain(`DATA_DIR (${dataDir})`);
    expect(out).toContain(`user ${isRoot ? 'postgres' : userInfo().username}`);
    expect(out).not.toMatch(/undefined/);
  }, 60_000);

  it('a busy PORT names PORT, before the database starts', async () => {
    const busy: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      busy.listen(0, '0.0.0.0', () => resolve((busy.address() as { port: number }).port)),
    );
    try {
      const dataDir = tmp(0o755);
      const { code, out } = await failedStart({ PORT: String(port), DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(out).toMatch(
        new RegExp(
          `start failed: PORT ${port} is in use by another process: stop that process or set PORT to a free port`,
        ),
      );
      expect(out).not.toMatch(/undefined/);
      expect(out).not.toMatch(/embedded PostgreSQL ready/);
    } finally {
      busy.close();
    }
  }, 60_000);
});
