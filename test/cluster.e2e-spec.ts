import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './helpers/net';
import { startTestApp, TestApp } from './helpers/test-app';

const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');

/** Child pids of a process (the cluster's API processes). */
const children = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number).sort();
  } catch {
    return [];
  }
};

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, what: string, ms = 25_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** API_PROCESSES > 1: one port, several API processes, replaced when one dies, all stopped by SIGTERM. */
describe('API cluster', () => {
  let t: TestApp;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t.close();
  });

  it('serves from API_PROCESSES processes, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [CLI, 'api'], {
      env: {
        ...process.env,
        DATABASE_URL: t.databaseUrl,
        PORT: String(port),
        API_PROCESSES: '2',
        LOG_LEVEL: 'error',
        SEED_DEMO: 'false',
        JWT_SECRET: 'cluster-test-secret-that-is-long-enough-0123456789',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'wecrm-cluster-')),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const primary = child.pid!;
    const first = await until(
      () => (children(primary).length === 2 ? children(primary) : undefined),
      'two API processes',
    );
    const gql = async () => {
      const r = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }).catch(() => undefined);
      return r?.status === 200 ? ((await r.json()) as { data: { __typename: string } }) : undefined;
    };
    expect((await until(gql, 'GraphQL on the shared port')).data.__typename).toBe('Query');
    const ready = await until(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
      return r?.status === 200 ? r.json() : undefined;
    }, '/ready');
    expect(ready).toMatchObject({ database: { ok: true } });

    process.kill(first[0], 'SIGKILL');
    const replaced = await until(() => {
      const now = children(primary);
      return now.length === 2 && !now.includes(first[0]) ? now : undefined;
    }, 'a replacement API process');
    expect(replaced).toContain(first[1]);
    await until(gql, 'GraphQL after the replacement');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(replaced.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    })).toEqual([]);
  });
});
