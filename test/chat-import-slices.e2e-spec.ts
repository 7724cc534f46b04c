import { PassThrough, Readable } from 'node:stream';
import { addCustomer } from './helpers/customers';
import { createEmployee, OrgFixture, signUpOrg } from './helpers/fixtures';
import { sleep } from './helpers/subscriptions';
import { ok, startTestApp, TestApp } from './helpers/test-app';
import { ChatIngestService } from 'src/modules/chat-audit/services/chat-ingest.service';
import { SearchIndexCleaner } from 'src/modules/chat-audit/services/search-index-cleaner';

interface Summary {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

const SLICE = 1000;
const HOUR = 3_600_000;
const START = Date.parse('2025-09-01T00:00:00Z');
const at = (hours: number) => new Date(START + hours * HOUR).toISOString();

/** POST /chat/messages/import merging slice by slice (CHAT_IMPORT_SLICE_LINES) while the body streams. */
describe('chat bulk import in slices', () => {
  let t: TestApp;
  let org: OrgFixture;
  let a: string;
  let b: string;
  /** Each run of the stored-messages hooks (KPI's): how many stored messages it was given. */
  const hookRuns: number[] = [];

  const line = (externalId: string, hours: number, over: Record<string, unknown> = {}) =>
    JSON.stringify({
      externalId,
      employeeExternalId: 'li',
      customerId: a,
      senderType: 'EMPLOYEE',
      type: 'TEXT',
      text: `历史 ${externalId}`,
      sentAt: at(hours),
      ...over,
    }) + '\n';
  const rows = async <T>(sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows as T[];

  beforeAll(async () => {
    t = await startTestApp({ CHAT_IMPORT_SLICE_LINES: String(SLICE) });
    t.app.get(ChatIngestService).onMessagesStored(async (db, _orgId, stored) => {
      const params: unknown[] = [];
      const [{ n }] = await db.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM (${stored.bind(params)}) x`, params);
      hookRuns.push(n);
    });
    org = await signUpOrg(t);
    const sales = await createEmployee(t, org, { externalId: 'li' });
    a = (await addCustomer(t, org.adminToken, sales.id, { externalId: 'wmSliceA' })).customerId;
    b = (await addCustomer(t, org.adminToken, sales.id, { externalId: 'wmSliceB' })).customerId;
    ok(
      await t.gql(
        `mutation($input: KeywordRuleInput!) { createKeywordRule(input: $input) { id } }`,
        { input: { name: 'kickbacks', keywords: ['kickback'] } },
        org.adminToken,
      ),
    );
  });
  afterAll(() => t.close());
  beforeEach(() => (hookRuns.length = 0));

  it('merges each slice while the body still streams; duplicates, consent and alerts hold across slices', async () => {
    const body = new PassThrough();
    const res = fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${org.adminToken}` },
      body: Readable.toWeb(body) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    // Slice 1: h-0 .. h-999 (h-3 raises an alert; b-1 is customer B's), then 200 more lines that stay unmerged.
    for (let i = 0; i < 1200; i++) {
      if (i === 3) body.write(line('h-3', i, { text: 'a kickback offer' }));
      else if (i === 7) body.write(line('b-1', i, { customerId: b }));
      else body.write(line(`h-${i}`, i));
    }
    // The first slice is merged while the rest of the body has not been sent: this transaction already holds its
    // row lock on the message keys' table (the old path only COPYed into its temporary stage until the body ended).
    const merging = async () =>
      (
        await rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l
            WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.relation = 'chat_message_keys'::regclass AND l.mode = 'RowExclusiveLock' AND l.granted
              AND l.pid <> pg_backend_pid()`,
        )
      )[0].n;
    const end = Date.now() + 15_000;
    while (!(await merging()) && Date.now() < end) await sleep(50);
    expect(await merging()).toBe(1);
    // Slice 2 and the end: a repeat of a slice-1 id (the first line wins), an alert, and customer B's refusal
    // dated before b-1, which was stored by slice 1.
    for (let i = 1200; i < 2100; i++) {
      if (i === 1500) body.write(line('h-1500', i, { text: 'another kickback' }));
      else body.write(line(`h-${i}`, i));
    }
    body.write(line('h-5', 5, { text: 'a later copy' }));
    body.write(line('b-refuse', 2.5, { customerId: b, type: 'DISAGREE', text: null, senderType: 'CUSTOMER' }));
    body.end();
    const answer = await res;
    expect(answer.status).toBe(200);
    expect((await answer.json()) as Summary).toEqual({
      lines: 2102,
      accepted: 2101,
      duplicates: 1,
      rejected: 0,
      rejections: [],
    });
    const stored = await rows<{ external_id: string; text: string | null; content_withheld: boolean }>(
      `SELECT external_id, text, content_withheld FROM chat_messages
        WHERE org_id = $1 AND external_id IN ('h-5', 'b-1', 'b-refuse') ORDER BY external_id`,
      [org.orgId],
    );
    expect(stored).toEqual([
      { external_id: 'b-1', text: null, content_withheld: true },
      { external_id: 'b-refuse', text: null, content_withheld: true },
      { external_id: 'h-5', text: '历史 h-5', content_withheld: false },
    ]);
    const alerts = await rows<{ external_id: string }>(
      `SELECT k.external_id FROM chat_audit_alerts x
         JOIN chat_message_keys k ON k.org_id = x.org_id AND k.message_id = x.message_id
        WHERE x.org_id = $1 ORDER BY 1`,
      [org.orgId],
    );
    expect(alerts.map((x) => x.external_id)).toEqual(['h-1500', 'h-3']);
    // KPI's hook ran in each slice over that slice's stored messages: every message once.
    expect(hookRuns).toEqual([1000, 1000, 101]);
    const conversations = await rows<{ customer_id: string; message_count: number }>(
      `SELECT customer_id, message_count FROM chat_conversations WHERE org_id = $1 ORDER BY message_count`,
      [org.orgId],
    );
    expect(conversations).toEqual([
      { customer_id: b, message_count: 2 },
      { customer_id: a, message_count: 2099 },
    ]);
  });

  it('rolls back everything when the body breaks off after a slice was merged, and the next import works', async () => {
    const body = new PassThrough();
    const abort = new AbortController();
    const res = fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${org.adminToken}` },
      body: Readable.toWeb(body) as ReadableStream,
      duplex: 'half',
      signal: abort.signal,
    } as RequestInit);
    for (let i = 0; i < 1200; i++) body.write(line(`x-${i}`, 3000 + i));
    const end = Date.now() + 15_000;
    const keys = async () =>
      (
        await rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l
            WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.relation = 'chat_message_keys'::regclass AND l.granted AND l.pid <> pg_backend_pid()`,
        )
      )[0].n;
    while (!(await keys()) && Date.now() < end) await sleep(50);
    abort.abort();
    await res.catch(() => undefined);
    const stored = async () =>
      (
        await rows<{ n: number }>(`SELECT count(*)::int AS n FROM chat_message_keys WHERE org_id = $1 AND external_id LIKE 'x-%'`, [
          org.orgId,
        ])
      )[0].n;
    // The transaction ends (rolled back) once the merge in flight has finished: nothing of it stays.
    while ((await keys()) && Date.now() < end + 15_000) await sleep(50);
    expect(await stored()).toBe(0);
    const again = await fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${org.adminToken}` },
      body: Array.from({ length: 10 }, (_, i) => line(`x-${i}`, 3000 + i)).join(''),
    });
    expect(((await again.json()) as Summary).accepted).toBe(10);
    expect(await stored()).toBe(10);
  });

  it('leaves no GIN pending list behind in the partitions it wrote, cleaned after its answer (searches need not read one)', async () => {
    await t.db.query(`CREATE EXTENSION IF NOT EXISTS pgstattuple`);
    const lines = Array.from({ length: 1500 }, (_, i) => line(`g-${i}`, 2200 + i, { text: `退款 refund ${i}` }));
    const res = await fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${org.adminToken}` },
      body: lines.join(''),
    });
    expect(((await res.json()) as Summary).accepted).toBe(1500);
    // The import asked SearchIndexCleaner for its months before answering; the cleaning runs off the request.
    await t.app.get(SearchIndexCleaner).idle();
    const pending = await rows<{ index: string; pending_tuples: string }>(
      `SELECT x.relname AS index, (pgstatginindex(i.indexrelid)).pending_tuples
         FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am m ON m.oid = x.relam
        WHERE m.amname = 'gin'
          AND i.indrelid IN (SELECT DISTINCT tableoid FROM chat_messages WHERE org_id = $1 AND external_id LIKE 'g-%')`,
      [org.orgId],
    );
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.filter((p) => Number(p.pending_tuples) > 0)).toEqual([]);
  });
});
