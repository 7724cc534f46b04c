import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './helpers/net';

const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `npm start` on the embedded defaults, stopped as a terminal's Ctrl-C stops it:
 * SIGINT to the whole process group. The embedded PostgreSQL runs in a group
 * of its own, so the application closes its workers and pools first and then
 * stops the database: no error is logged, the exit code is 0, and no server
 * is left running.
 */
describe('shutdown of npm start (embedded PostgreSQL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wecrm-shutdown-'));
  chmodSync(dataDir, 0o755); // as root the server runs as user postgres, which must reach it
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops cleanly on Ctrl-C to the process group: app first, then the database', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        REDIS_URL: '',
        PORT: String(port),
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        LOG_LEVEL: 'debug',
      },
      detached: true, // its own process group, as a shell gives a foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
        if (ready) break;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`not ready:\n${out}`);
        await new Promise((r) => setTimeout(r, 300));
      }
      const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
      const postgresPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      expect(alive(postgresPid)).toBe(true);

      process.kill(-child.pid!, 'SIGINT'); // the whole group, like Ctrl-C
      expect(await exited).toBe(0);

      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string; error?: string });
      const all = lines.slice(lines.findIndex((m) => m.msg === 'SIGINT received, shutting down'));
      expect(all.filter((m) => m.level === 'error' || m.level === 'warn')).toEqual([]);
      // Not even at debug: no session of the application was ended under it by the database shutting down first.
      expect(
        all.filter((m) =>
          /terminating connection|closed by the shutdown|shutting down\)|Connection terminated/.test(
            `${m.msg} ${m.error ?? ''}`,
          ),
        ),
      ).toEqual([]);
      // In this order (a job already running may still finish and say so in between).
      const milestones = [
        'SIGINT received, shutting down',
        'stopping queue workers',
        'queue workers stopped',
        'database pool closed',
        'stopped',
      ];
      const said = all.filter((m) => m.level === 'info').map((m) => m.msg);
      expect(said.filter((m) => milestones.includes(m))).toEqual(milestones);
      expect(said.filter((m) => !milestones.includes(m) && m !== 'job completed' && m !== 'job started')).toEqual([]);
      expect(alive(postgresPid)).toBe(false);
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
