import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { freePort } from 'test/helpers/net';
import {
  cleanUp,
  CliProcess,
  dataDirFor,
  exitWithin,
  freshDatabaseUrl,
  isAlive,
  postmasterOf,
  serverProcesses,
  spawnCli,
  waitReady,
} from 'test/helpers/processes';

const GRACE_SECONDS = 4;
/** Process start-up of the stop and the exit itself, on a busy machine. */
const SLACK_MS = 3000;

const hasRedis = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * SIGTERM while a dependency hangs or is gone: the stop takes at most
 * SHUTDOWN_GRACE_SECONDS, says in the log what it abandoned, and exits 1.
 */
describe('SIGTERM with a dead dependency', () => {
  const dataDir = dataDirFor('stop-faults');
  const procs: CliProcess[] = [];
  afterAll(async () => {
    for (const p of procs) await cleanUp(p, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops within the grace time when the embedded PostgreSQL hangs (frozen), naming what it abandoned', async () => {
    const port = await freePort();
    const server = spawnCli(['start'], {
      PORT: String(port),
      DATA_DIR: dataDir,
      SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
    });
    procs.push(server);
    await waitReady(server, port);
    const pm = postmasterOf(dataDir)!;
    // Frozen, not dead: connections stay open and nothing answers on them (a host that hangs, a network cut).
    const frozen = serverProcesses(pm.pid);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      process.kill(server.pid, 'SIGTERM');
      const exit = await exitWithin(server, GRACE_SECONDS * 1000 + SLACK_MS);
      const took = Date.now() - started;
      expect(exit).not.toBeNull();
      expect(took).toBeLessThan(GRACE_SECONDS * 1000 + SLACK_MS);
      expect(exit!.code).toBe(1);
      const abandoned = server
        .lines()
        .find((l) => /^stop unfinished after \d+ s \(SHUTDOWN_GRACE_SECONDS\)/.test(l.msg));
      expect(abandoned?.level).toBe('error');
      expect(abandoned?.abandoned).toEqual(
        expect.arrayContaining([expect.stringMatching(/database connection\(s\) not closed cleanly/)]),
      );
      expect(server.lines().map((l) => l.msg)).toContain(
        'embedded PostgreSQL did not stop in time; left running (the next start on this DATA_DIR stops it)',
      );
    } finally {
      for (const pid of frozen) if (isAlive(pid)) process.kill(pid, 'SIGCONT');
    }
    // Thawed, it receives the stop signals it was sent and ends.
    const deadline = Date.now() + 15_000;
    while (isAlive(pm.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pm.pid)).toBe(false);
  }, 120_000);

  (hasRedis ? it : it.skip)('stops within the grace time when Redis is gone, naming what it abandoned', async () => {
    const redisPort = await freePort();
    const redis: ChildProcess = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    try {
      const port = await freePort();
      const server = spawnCli(['start'], {
        PORT: String(port),
        DATABASE_URL: await freshDatabaseUrl(),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
      });
      procs.push(server);
      await waitReady(server, port);
      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      const started = Date.now();
      process.kill(server.pid, 'SIGTERM');
      const exit = await exitWithin(server, GRACE_SECONDS * 1000 + SLACK_MS);
      expect(exit).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(GRACE_SECONDS * 1000 + SLACK_MS);
      // BullMQ's workers may wait for Redis to close them (whether they do depends on when the client noticed
      // the loss): then they are abandoned, said to be, and the exit code is 1; otherwise the stop is clean.
      const abandoned = server
        .lines()
        .find((l) => /^stop unfinished after \d+ s \(SHUTDOWN_GRACE_SECONDS\)/.test(l.msg));
      if (exit!.code === 1) {
        expect(abandoned?.abandoned).toEqual(
          expect.arrayContaining([expect.stringMatching(/^queue workers not closed cleanly/)]),
        );
      } else {
        expect(exit!.code).toBe(0);
        expect(abandoned).toBeUndefined();
      }
      expect(server.lines().map((l) => l.msg)).toContain('stopped');
    } finally {
      if (redis.exitCode === null && redis.signalCode === null) redis.kill('SIGKILL');
    }
  }, 120_000);
});
