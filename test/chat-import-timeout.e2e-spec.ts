import { request } from 'node:http';
import { JsonLogger } from 'src/core/logging/json-logger';
import { addCustomer } from './helpers/customers';
import { createEmployee, OrgFixture, signUpOrg } from './helpers/fixtures';
import { sleep } from './helpers/subscriptions';
import { startTestApp, TestApp } from './helpers/test-app';

/** How a request sent slowly ended: the server's answer, the connection cut, or still open when the client gave up. */
type Outcome = { status: number; body: string } | { cut: string } | { open: true };
type LogLine = { level: string; context?: string; msg?: string; reason?: string; path?: string };

/** Every request's limit (Node's requestTimeout is 300 s; short here so that a test can outlive it). */
const GENERAL_SECONDS = 1;
/** The import route's own limit. */
const IMPORT_SECONDS = 6;
/** Lines per slice of an import. */
const SLICE_LINES = 4;

/**
 * Request time limits per route (CHAT_IMPORT_TIMEOUT_SECONDS, HTTP_REQUEST_TIMEOUT_SECONDS): a history import's body
 * streams for as long as storing it takes and must not be cut off at every request's limit (Node's 300 s
 * `requestTimeout` reset a 500,000-message import mid-body: nothing stored), yet it has a limit of its own, and
 * every other request keeps the general one.
 */
describe('request time limits: the chat import route has its own', () => {
  let t: TestApp;
  let org: OrgFixture;
  let customer: string;
  /** The server's log, captured. */
  const logged: LogLine[] = [];

  const line = (externalId: string, i: number) =>
    JSON.stringify({
      externalId,
      employeeExternalId: 'zhao',
      customerId: customer,
      senderType: 'EMPLOYEE',
      type: 'TEXT',
      text: `慢慢导入 ${externalId}`,
      sentAt: new Date(Date.parse('2025-10-01T00:00:00Z') + i * 60_000).toISOString(),
    }) + '\n';
  const stored = async (prefix: string) =>
    (
      await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM chat_messages WHERE org_id = $1 AND external_id LIKE $2`,
        [org.orgId, `${prefix}%`],
      )
    ).rows[0].n;

  /**
   * Sends `path` a chunk every `everyMs` for `chunks` chunks (then ends the body, unless `end` is false) and waits for
   * the outcome, at most `waitMs` after the last chunk.
   */
  const dribble = (
    path: string,
    type: string,
    chunks: string[],
    opts: { everyMs: number; end: boolean; waitMs: number },
  ): Promise<Outcome> =>
    new Promise((resolve) => {
      const url = new URL(t.url);
      let settled = false;
      let giveUp: NodeJS.Timeout | undefined;
      const settle = (o: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(giveUp);
        resolve(o);
      };
      const req = request({
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${org.adminToken}`, 'transfer-encoding': 'chunked' },
        // No keep-alive socket outlives the test.
        agent: false,
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => settle({ status: res.statusCode ?? 0, body }));
        res.on('error', (e) => settle({ cut: e.message }));
      });
      req.on('error', (e) => settle({ cut: (e as NodeJS.ErrnoException).code ?? e.message }));
      void (async () => {
        for (const c of chunks) {
          if (settled || req.destroyed) return;
          req.write(c);
          await sleep(opts.everyMs);
        }
        if (opts.end) req.end();
        // A timer cleared once settled: one left running would keep the test process alive.
        giveUp = setTimeout(() => {
          settle({ open: true });
          req.destroy();
        }, opts.waitMs);
      })();
    });

  beforeAll(async () => {
    const logger = new JsonLogger('debug', (line) => logged.push(JSON.parse(line) as LogLine));
    t = await startTestApp(
      {
        HTTP_REQUEST_TIMEOUT_SECONDS: String(GENERAL_SECONDS),
        CHAT_IMPORT_TIMEOUT_SECONDS: String(IMPORT_SECONDS),
        // Small slices: an import merges (and can fail) while its body still streams.
        CHAT_IMPORT_SLICE_LINES: String(SLICE_LINES),
      },
      { logger },
    );
    org = await signUpOrg(t);
    const sales = await createEmployee(t, org, { externalId: 'zhao' });
    customer = (await addCustomer(t, org.adminToken, sales.id, { externalId: 'wmSlow' })).customerId;
  });
  afterAll(() => t.close());
  beforeEach(() => {
    logged.length = 0;
  });

  /** The log lines so far, once one of them is `last` (the line a request's end writes; at most 10 s). */
  const logUntil = async (last: (l: LogLine) => boolean): Promise<LogLine[]> => {
    const end = Date.now() + 10_000;
    while (!logged.some(last) && Date.now() < end) await sleep(20);
    return logged;
  };
  /** What the request wrote: errors from anywhere, and the lines of the contexts it goes through. */
  const brief = (lines: LogLine[]) =>
    lines
      .filter((l) => l.level === 'error' || ['RequestDeadlines', 'GraphQL', 'ChatImport'].includes(l.context ?? ''))
      .map((l) => `${l.level} ${l.context}: ${l.msg}`);

  it('stores an import whose body streams for longer than the general limit', async () => {
    // 3 s of body: three times the general limit, half the import's own.
    const lines = Array.from({ length: 12 }, (_, i) => line(`slow-${i}`, i));
    const outcome = await dribble('/chat/messages/import', 'application/x-ndjson', lines, {
      everyMs: 250,
      end: true,
      waitMs: 15_000,
    });
    expect(outcome).toEqual({ status: 200, body: expect.stringContaining('"accepted":12') });
    expect(await stored('slow-')).toBe(12);
  });

  it('cuts off an import still streaming at its own limit, storing nothing', async () => {
    // Sent for up to 12 s (twice the import's limit) without ending.
    const lines = Array.from({ length: 48 }, (_, i) => line(`endless-${i}`, 100 + i));
    const outcome = await dribble('/chat/messages/import', 'application/x-ndjson', lines, {
      everyMs: 250,
      end: false,
      waitMs: 5_000,
    });
    // The answer is 408, unless the connection's reset (the client still sending) overtook it.
    if ('status' in outcome) {
      expect(outcome.status).toBe(408);
      expect(JSON.parse(outcome.body)).toEqual({
        errors: [
          {
            message: `The request did not arrive whole within ${IMPORT_SECONDS} s; nothing of it was stored`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    } else expect(outcome).toEqual({ cut: expect.stringMatching(/ECONNRESET|EPIPE|socket hang up/) });
    // The import's transaction rolls back (once the slice in flight, if any, has finished).
    const end = Date.now() + 10_000;
    const open = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`,
        )
      ).rows[0].n;
    while ((await open()) && Date.now() < end) await sleep(50);
    expect(await stored('endless-')).toBe(0);
    // Logged once, as what it is: no error (before: "chat import failed" at error, as if the server had failed).
    const log = await logUntil((l) => l.context === 'ChatImport');
    expect(brief(log)).toEqual([
      'info RequestDeadlines: request cut at its time limit',
      'info ChatImport: chat import not received whole',
    ]);
  });

  it('answers an import that fails inside while its body still streams with a 500, logged as an error', async () => {
    // The first slice's claim of its keys fails, as any statement might (a full disk, a lost connection).
    await t.db.query(`CREATE FUNCTION test_refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN RAISE EXCEPTION 'no key for %', NEW.external_id; END $$`);
    await t.db.query(`CREATE TRIGGER test_refuse_key BEFORE INSERT ON chat_message_keys FOR EACH ROW
                        WHEN (NEW.external_id LIKE 'boom-%') EXECUTE FUNCTION test_refuse_key()`);
    try {
      // Two batches of lines at once (the import checks 1,000 lines at a time and merges a slice per batch here,
      // its failure seen at the next hand-over), then a line every 250 ms for up to 10 s without ending: the
      // failure comes while the client is still sending.
      const all = Array.from({ length: 2_040 }, (_, i) => line(`boom-${i}`, 300 + i));
      const lines = [all.slice(0, 2_001).join(''), ...all.slice(2_001)];
      const outcome = await dribble('/chat/messages/import', 'application/x-ndjson', lines, {
        everyMs: 250,
        end: false,
        waitMs: 5_000,
      });
      // Before: the failed pipeline destroyed the request and its socket: the client saw a reset, no answer.
      expect(outcome).toEqual({ status: 500, body: expect.stringContaining('INTERNAL_SERVER_ERROR') });
      expect(JSON.parse((outcome as { body: string }).body).errors[0].message).toMatch(
        /^Internal server error \(correlation id .+\); nothing was stored$/,
      );
      expect(await stored('boom-')).toBe(0);
      // Logged as the server's failure (before: "not received whole", reason client, at info).
      const log = await logUntil((l) => l.context === 'ChatImport');
      expect(brief(log).filter((l) => l.includes('ChatImport'))).toEqual(['error ChatImport: chat import failed']);
    } finally {
      await t.db.query(`DROP TRIGGER test_refuse_key ON chat_message_keys`);
      await t.db.query(`DROP FUNCTION test_refuse_key()`);
    }
  });

  it('keeps the general limit for every other request (a GraphQL body that stops arriving)', async () => {
    const query = JSON.stringify({ query: '{ me { id } }' });
    // Half the body, then nothing: the server must not wait for the rest longer than the general limit.
    const outcome = await dribble('/graphql', 'application/json', [query.slice(0, 10)], {
      everyMs: 0,
      end: false,
      waitMs: 10_000,
    });
    expect(outcome).toEqual({
      status: 408,
      body: JSON.stringify({
        errors: [
          {
            message: `The request did not arrive whole within ${GENERAL_SECONDS} s; nothing of it was stored`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      }),
    });
    // The body parser sees the cut: no error with a stack (before: raw-body's "request aborted" from Nest's
    // ExceptionsHandler, at error, for a request answered 408 as intended).
    const log = await logUntil((l) => l.level === 'error' || l.msg === 'GraphQL request body not received');
    expect(brief(log)).toEqual([
      'info RequestDeadlines: request cut at its time limit',
      'debug GraphQL: GraphQL request body not received',
    ]);
  });
});
