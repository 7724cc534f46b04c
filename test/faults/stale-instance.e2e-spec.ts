import { rmSync } from 'node:fs';
import { freePort } from 'test/helpers/net';
import { cleanUp, CliProcess, dataDirFor, isAlive, postmasterOf, spawnCli, waitReady } from 'test/helpers/processes';

/**
 * `npm start` killed with SIGKILL cannot stop its embedded PostgreSQL, which
 * keeps running. The next start on the same DATA_DIR finds it through
 * postmaster.pid (its owner is gone), stops it, and comes up.
 */
describe('a PostgreSQL left running by a killed server', () => {
  const dataDir = dataDirFor('stale');
  let first: CliProcess | undefined;
  let second: CliProcess | undefined;
  afterAll(async () => {
    await cleanUp(first, dataDir);
    await cleanUp(second, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is stopped by the next start on the same DATA_DIR, which then comes up', async () => {
    const port = await freePort();
    first = spawnCli(['start'], { PORT: String(port), DATA_DIR: dataDir });
    await waitReady(first, port);
    const stale = postmasterOf(dataDir)!;

    process.kill(-first.pid, 'SIGKILL'); // the whole group; the embedded server runs in a group of its own
    await first.exited;
    expect(isAlive(stale.pid)).toBe(true);

    second = spawnCli(['start'], { PORT: String(port), DATA_DIR: dataDir });
    await waitReady(second, port);
    const now = postmasterOf(dataDir)!;
    expect(isAlive(stale.pid)).toBe(false);
    expect(now.pid).not.toBe(stale.pid);
    const said = second.lines().map((l) => l.msg);
    expect(said).toContainEqual(
      expect.stringMatching(new RegExp(`^stopping the PostgreSQL \\(pid ${stale.pid}, port ${stale.port}\\) left running in .* by a process that is gone`)),
    );
    expect(second.output()).not.toMatch(/undefined/);

    process.kill(second.pid, 'SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(postmasterOf(dataDir)).toBeUndefined();
  }, 120_000);
});
