import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DispatchingEventBus, EventBus } from 'src/core/realtime/event-bus';
import { addCustomer } from './helpers/customers';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { Received, sleep, wsConnect } from './helpers/subscriptions';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');
const T0 = Date.parse('2026-03-02T08:00:00Z');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A WeCom archive record as the decrypting SDK gives it. */
function record(seq: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    seq,
    msgid: `m-${seq}`,
    action: 'send',
    from: 'zhangsan',
    tolist: ['wmAlice'],
    roomid: '',
    msgtime: T0 + seq * 60_000,
    msgtype: 'text',
    text: { content: `您好，第 ${seq} 条 hello` },
    ...over,
  };
}
const jsonl = (records: Array<Record<string, unknown> | string>) =>
  records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

/** `node dist/src/cli.js import-chat`: the real process against the test database. */
describe('import-chat CLI (WeCom chat archive)', () => {
  let t: TestApp;
  let tmp: string;
  let org: OrgFixture;
  let emp: EmployeeFixture;

  const spawnCli = (args: string[]): ChildProcess =>
    spawn(process.execPath, [CLI, 'import-chat', '--org', org.slug, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: t.databaseUrl,
        LOG_LEVEL: 'error',
        SEED_DEMO: 'false',
        JWT_SECRET: 'cli-test-secret-that-is-long-enough-0123456789',
        DATA_DIR: tmp,
        // The server's bus: the same NOTIFY channel (or Redis keys with REDIS_URL) as the test app's.
        QUEUE_PREFIX: t.config.queuePrefix,
      },
    });
  const finish = async (child: ChildProcess): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    return { code, signal, stdout, stderr };
  };
  const run = (args: string[]) => finish(spawnCli(args));
  const position = async (source: string) =>
    (
      await t.db.query(
        `SELECT last_seq::int AS "lastSeq", file, file_offset::int AS "fileOffset", lines::int AS lines
           FROM chat_import_positions WHERE org_id = $1 AND source = $2`,
        [org.orgId, source],
      )
    ).rows[0] ?? null;
  const messages = async (prefix: string) =>
    (
      await t.db.query(
        `SELECT m.external_id AS "externalId", m.sender_type AS "senderType", m.type, m.text,
                m.content_withheld AS withheld, m.sent_at AS "sentAt", e.external_id AS employee, c.external_id AS customer
           FROM chat_messages m JOIN employees e ON e.id = m.employee_id JOIN customers c ON c.id = m.customer_id
          WHERE m.org_id = $1 AND m.external_id LIKE $2 ORDER BY m.sent_at, m.external_id`,
        [org.orgId, `${prefix}%`],
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestApp();
    tmp = mkdtempSync(join(tmpdir(), 'wecrm-import-chat-'));
    org = await signUpOrg(t);
    emp = await createEmployee(t, org, { name: '张三', externalId: 'zhangsan' });
    await addCustomer(t, org.adminToken, emp.id, { externalId: 'wmAlice', name: 'Alice' });
    await addCustomer(t, org.adminToken, emp.id, { externalId: 'wmBob', name: '鲍勃' });
  });
  afterAll(() => t.close());

  it('maps a WeCom archive: sides, consent, recalls; skips group chats and switches; rejects with reasons', async () => {
    const file = join(tmp, 'archive.jsonl');
    writeFileSync(
      file,
      jsonl([
        record(1),
        record(2, { from: 'wmAlice', tolist: ['zhangsan'], text: { content: 'Hi, 价格多少?' } }),
        record(3, { roomid: 'wrGroup1', tolist: ['wmAlice', 'wmBob'] }),
        { seq: 4, msgid: 'm-4', action: 'switch', time: T0, user: 'zhangsan' },
        record(5, { tolist: ['wmNobody'] }),
        record(6, { from: 'lisi', tolist: ['wmAlice'] }),
        record(7, { text: { content: '   ' } }),
        record(8, {
          from: 'wmBob',
          tolist: ['zhangsan'],
          msgtype: 'disagree',
          disagree: { userid: 'wmBob', agree_time: T0 + 8 * 60_000 },
        }),
        record(9, { from: 'wmBob', tolist: ['zhangsan'], text: { content: '我的手机号 13800138000' } }),
        record(10, { action: 'recall', msgtype: 'revoke', revoke: { pre_msgid: 'm-1' } }),
        record(11, { msgtype: 'image', image: { md5sum: 'abc', filesize: 1024 } }),
        record(12, { msgid: 'm-1' }),
        'not json',
        record(14, { tolist: ['wmAlice', 'wmBob'] }),
        record(15, { msgtime: Date.now() + 3_600_000 }),
      ]),
    );
    const r = await run(['--file', file, '--source', 'corp-a', '--batch-size', '4']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Imported: ${file} into ${org.slug} (source corp-a)`);
    expect(r.stdout).toMatch(/records\s+15\n/);
    expect(r.stdout).toMatch(/accepted\s+6\n/);
    expect(r.stdout).toMatch(/duplicates\s+1\s+msgid already stored/);
    expect(r.stdout).toMatch(/rejected\s+6\n/);
    expect(r.stdout).toMatch(/skipped\s+2\n/);
    expect(r.stdout).toMatch(/position\s+seq 15, line 15, byte [\d,]+/);
    expect(r.stdout).toContain('line 5 (msgid m-5): customer: unknown customer');
    expect(r.stdout).toContain('line 6 (msgid m-6): employee: unknown employee');
    expect(r.stdout).toContain('line 7 (msgid m-7): text: required for a TEXT message');
    expect(r.stdout).toContain('line 13: not a JSON object');
    expect(r.stdout).toContain(
      'line 14 (msgid m-14): tolist: a message outside a group chat names exactly one recipient',
    );
    expect(r.stdout).toContain('line 15 (msgid m-15): sentAt: more than 5 minutes in the future');
    expect(r.stdout).toMatch(/1\s+group chat \(roomid\)/);
    expect(r.stdout).toMatch(/1\s+switch/);
    // Not a terminal: plain progress lines, ending at 100%.
    expect(r.stderr).toMatch(/100%\s+15 records/);

    const stored = await messages('m-');
    expect(stored.map((m) => [m.externalId, m.employee, m.customer, m.senderType, m.type, m.text, m.withheld])).toEqual(
      [
        ['m-1', 'zhangsan', 'wmAlice', 'EMPLOYEE', 'TEXT', '您好，第 1 条 hello', false],
        ['m-2', 'zhangsan', 'wmAlice', 'CUSTOMER', 'TEXT', 'Hi, 价格多少?', false],
        // The refusal and what follows it are stored, their content never (the ingest's consent rule).
        ['m-8', 'zhangsan', 'wmBob', 'CUSTOMER', 'DISAGREE', null, true],
        ['m-9', 'zhangsan', 'wmBob', 'CUSTOMER', 'TEXT', null, true],
        ['m-10', 'zhangsan', 'wmAlice', 'EMPLOYEE', 'REVOKE', null, false],
        ['m-11', 'zhangsan', 'wmAlice', 'EMPLOYEE', 'IMAGE', null, false],
      ],
    );
    expect(new Date(stored[0].sentAt).getTime()).toBe(T0 + 60_000);
    const consent = await t.db.query(
      `SELECT cs.status, cs.source FROM chat_consents cs JOIN customers c ON c.id = cs.customer_id
        WHERE cs.org_id = $1 AND c.external_id = 'wmBob'`,
      [org.orgId],
    );
    expect(consent.rows).toEqual([{ status: 'DISAGREED', source: 'MESSAGE' }]);
    expect(await position('corp-a')).toEqual({ lastSeq: 15, file, fileOffset: statSync(file).size, lines: 15 });

    // KPI counts the imported messages in the command's own graph, as it does on the API: with Alice the
    // employee wrote first (m-1, m-11; her m-2 between), Bob opened with m-9 (his DISAGREE and the REVOKE do
    // not count) and got no answer. The same in the department's and the organization's rows of the day.
    const kpi = async (table: string, where: string, id: string | null) =>
      (
        await t.db.query(
          `SELECT chats, messages_sent AS sent, messages_received AS received,
                  customer_initiated_chats AS initiated, replied_chats AS replied
             FROM ${table} WHERE org_id = $1 AND day = '2026-03-02' AND ${where}`,
          [org.orgId, ...(id ? [id] : [])],
        )
      ).rows;
    const day = { chats: 1, sent: 2, received: 2, initiated: 1, replied: 0 };
    expect(await kpi('kpi_employee_days', 'employee_id = $2', emp.id)).toEqual([day]);
    expect(await kpi('kpi_department_days', 'department_id = $2', org.rootDepartmentId)).toEqual([day]);
    expect(await kpi('kpi_organization_days', 'TRUE', null)).toEqual([day]);
  });

  // Each test spawns at most two processes (the suite's 30 s per test, on a loaded machine).
  it('resumes the same file at its end: nothing read or written twice', async () => {
    const file = join(tmp, 'archive.jsonl');
    const again = await run(['--file', file, '--source', 'corp-a']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/resumed at\s+line 15, byte [\d,]+/);
    expect(again.stdout).toMatch(/records\s+0\n/);
    expect(await messages('m-')).toHaveLength(6);
    expect(await position('corp-a')).toEqual({ lastSeq: 15, file, fileOffset: statSync(file).size, lines: 15 });
  });

  it('never moves the position back: a batch with nothing new, older seqs or no seq keeps the highest seq', async () => {
    const first = join(tmp, 'pull-1.jsonl');
    writeFileSync(first, jsonl([record(100, { msgid: 'p-100' }), record(101, { msgid: 'p-101' })]));
    expect((await run(['--file', first, '--source', 'corp-b'])).code).toBe(0);
    expect((await position('corp-b')).lastSeq).toBe(101);

    // A later pull that repeats older records and brings only switches and records without seq.
    const second = join(tmp, 'pull-2.jsonl');
    writeFileSync(
      second,
      jsonl([
        record(100, { msgid: 'p-100' }),
        record(101, { msgid: 'p-101' }),
        { seq: 50, msgid: 'sw', action: 'switch', time: T0, user: 'zhangsan' },
        { ...record(0, { msgid: 'p-noseq' }), seq: undefined },
      ]),
    );
    const r = await run(['--file', second, '--source', 'corp-b', '--batch-size', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accepted\s+1\n/);
    expect(r.stdout).toMatch(/3\s+seq at or before the stored position/);
    expect(await position('corp-b')).toEqual({
      lastSeq: 101,
      file: second,
      fileOffset: statSync(second).size,
      lines: 4,
    });
    expect((await messages('p-')).map((m) => m.externalId)).toEqual(['p-noseq', 'p-100', 'p-101']);
  });

  it('keeps the position through an empty pull', async () => {
    expect((await position('corp-b')).lastSeq).toBe(101);
    const empty = join(tmp, 'pull-3.jsonl');
    writeFileSync(empty, '');
    const e = await run(['--file', empty, '--source', 'corp-b']);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/records\s+0\n/);
    expect((await position('corp-b')).lastSeq).toBe(101);
  });

  const N = 3_000;
  const bigFile = () => join(tmp, 'big.jsonl');
  const bigLines: string[] = [];
  let atKillLines = 0;

  it('is SIGKILLed mid-file: the stored position is exactly what the stored messages cover', async () => {
    const file = bigFile();
    const lines = bigLines;
    for (let i = 1; i <= N; i++) {
      const fromCustomer = i % 3 === 0;
      lines.push(
        JSON.stringify(
          record(1000 + i, {
            msgid: `k-${i}`,
            from: fromCustomer ? 'wmAlice' : 'zhangsan',
            tolist: [fromCustomer ? 'zhangsan' : 'wmAlice'],
            msgtime: T0 - 86_400_000 + i * 1000,
            text: { content: `消息 ${i} message` },
          }),
        ),
      );
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const child = spawnCli(['--file', file, '--source', 'corp-k', '--batch-size', '50']);
    const done = finish(child);
    let atKill: { lines: number; lastSeq: number; fileOffset: number } | null = null;
    while (child.exitCode === null) {
      const p = await position('corp-k');
      if (p && p.lines >= 500) {
        child.kill('SIGKILL');
        atKill = p;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    expect(atKill!.lines).toBeLessThan(N);
    // Batches commit with their position: what the table says was read is exactly what is stored.
    const p = await position('corp-k');
    const storedAtKill = await messages('k-');
    expect(p.lines).toBeGreaterThanOrEqual(atKill!.lines);
    expect(p.lines).toBeLessThan(N);
    expect(p.lines % 50).toBe(0);
    expect(storedAtKill).toHaveLength(p.lines);
    expect(p.lastSeq).toBe(1000 + p.lines);
    expect(p.fileOffset).toBe(lines.slice(0, p.lines).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
    atKillLines = p.lines;
  });

  it('resumes after the kill where the stored batches end: nothing lost or doubled', async () => {
    const file = bigFile();
    const p = await position('corp-k');
    expect(p.lines).toBe(atKillLines);
    const resumed = await run(['--file', file, '--source', 'corp-k', '--batch-size', '500']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resumed at     line ${p.lines.toLocaleString('en-US')}`);
    expect(resumed.stdout).toMatch(new RegExp(`accepted\\s+${(N - p.lines).toLocaleString('en-US')}\\n`));
    expect(resumed.stdout).toMatch(/duplicates\s+0\s/);
    const all = await messages('k-');
    expect(all).toHaveLength(N);
    expect(new Set(all.map((m) => m.externalId)).size).toBe(N);
    expect(all.filter((m) => m.senderType === 'CUSTOMER')).toHaveLength(Math.floor(N / 3));
    expect(await position('corp-k')).toEqual({ lastSeq: 1000 + N, file, fileOffset: statSync(file).size, lines: N });
  });

  it('answers usage errors with exit code 2 and an unreadable file with 1', async () => {
    const usage = await run(['--batch-size', '0', '--file', join(tmp, 'archive.jsonl')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('import-chat: --batch-size must be an integer from 1 to 5000');
    expect(usage.stderr).toContain('usage: node dist/src/cli.js import-chat');
    const missing = await run(['--file', join(tmp, 'no-such.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });

  it('answers an unknown organization with exit code 1', async () => {
    const noOrg = await finish(
      spawn(process.execPath, [CLI, 'import-chat', '--org', 'no-such-org', '--file', join(tmp, 'archive.jsonl')], {
        env: { ...process.env, DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'error', DATA_DIR: tmp },
      }),
    );
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('organization "no-such-org" not found');
  });

  it('announces the alerts it raises live on the server\'s bus: auditAlertRaised and the notify list\'s inbox', async () => {
    ok(
      await t.gql(
        `mutation($input: KeywordRuleInput!) { createKeywordRule(input: $input) { id } }`,
        { input: { name: 'kickbacks', keywords: ['回扣'], notifyEmployeeIds: [org.adminId] } },
        org.adminToken,
      ),
    );
    const bus = t.app.get(EventBus) as DispatchingEventBus;
    const conn = wsConnect(t.url, { authorization: `Bearer ${org.adminToken}` });
    try {
      await conn.acked;
      const before = bus.subscriberCount();
      const alerts = new Received<{ auditAlertRaised: { matched: string[]; message: { externalId: string } } }>(
        conn,
        `subscription { auditAlertRaised { matched message { externalId } } }`,
      );
      const notices = new Received<{ notificationAdded: { kind: string } }>(
        conn,
        `subscription { notificationAdded { kind } }`,
      );
      const end = Date.now() + 10_000;
      while (bus.subscriberCount() < before + 2 && Date.now() < end) await sleep(20);
      const file = join(tmp, 'live.jsonl');
      writeFileSync(
        file,
        jsonl([record(1, { msgid: 'live-1', text: { content: '这单给您一点回扣' } }), record(2, { msgid: 'live-2' })]),
      );
      const done = await run(['--file', file, '--source', 'live']);
      expect(done.code).toBe(0);
      await alerts.until((r) => r.data.length > 0, 'the alert of live-1');
      expect(alerts.data).toEqual([{ auditAlertRaised: { matched: ['回扣'], message: { externalId: 'live-1' } } }]);
      await notices.until((r) => r.data.length > 0, 'the inbox notice');
      expect(notices.data).toEqual([{ notificationAdded: { kind: 'AUDIT_ALERT' } }]);
    } finally {
      await conn.dispose();
    }
  });
});
