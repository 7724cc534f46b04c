import { Readable } from 'node:stream';
import { addCustomer } from './helpers/customers';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';
import { ChatIngestService } from 'src/modules/chat-audit/services/chat-ingest.service';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted duplicates } }`;

interface Summary {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejections: Array<{ line: number; externalId: string | null; reason: string }>;
}

/** POST /chat/messages/import: NDJSON history imports, streamed through COPY. */
describe('chat bulk import (NDJSON over HTTP)', () => {
  let t: TestApp;
  let org: OrgFixture;
  let sales: EmployeeFixture;
  let key: string;
  let customer: string;

  const post = (body: string | Readable, token?: string, type = 'application/x-ndjson') =>
    fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : (Readable.toWeb(body) as ReadableStream),
      duplex: 'half',
    } as RequestInit);
  const codeOfResponse = async (res: Response) =>
    ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code;
  const count = async () =>
    (await t.db.query(`SELECT count(*)::int AS n FROM chat_messages WHERE org_id = $1`, [org.orgId])).rows[0].n;
  const line = (externalId: string, sentAt: string, over: Record<string, unknown> = {}) =>
    JSON.stringify({
      externalId,
      employeeExternalId: 'wang',
      customerId: customer,
      senderType: 'EMPLOYEE',
      type: 'TEXT',
      text: `历史 ${externalId}`,
      sentAt,
      ...over,
    });

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    sales = await createEmployee(t, org, { externalId: 'wang' });
    customer = (await addCustomer(t, org.adminToken, sales.id, { externalId: 'wmHist' })).customerId;
    key = ok(
      await t.gql(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
        { input: { name: 'importer', roles: ['admin'] } },
        org.adminToken,
      ),
    ).createApiKey.secret;
  });
  afterAll(() => t.close());

  it('refuses without a token (401), without chat:ingest (403) and a body that is not NDJSON (415), storing nothing', async () => {
    const body = line('x1', '2026-01-01T00:00:00Z') + '\n';
    const none = await post(body);
    expect([none.status, await codeOfResponse(none)]).toEqual([401, 'UNAUTHENTICATED']);
    const sales403 = await post(body, sales.token);
    expect([sales403.status, await codeOfResponse(sales403)]).toEqual([403, 'FORBIDDEN']);
    const wrongType = await post(body, key, 'application/json');
    expect(wrongType.status).toBe(415);
    expect(await count()).toBe(0);
  });

  it('streams a large file through the same rules as the mutation and answers a summary at the end', async () => {
    ok(await t.gql(INGEST, { input: { messages: [JSON.parse(line('h-0', '2026-02-01T00:00:00Z'))] } }, org.adminToken));
    const N = 6000;
    const start = Date.parse('2025-09-01T00:00:00Z');
    function* lines(): Generator<string> {
      for (let i = 0; i < N; i++) yield line(`h-${i}`, new Date(start + i * 3_600_000).toISOString()) + '\n';
      yield 'not json\n';
      yield line('h-bad-emp', '2026-01-01T00:00:00Z', { employeeExternalId: 'nobody' }) + '\n';
      yield line('h-5', '2026-01-01T00:00:00Z') + '\n';
      // A refusal: the customer's later messages in the file keep no content.
      yield (
        line('h-refuse', new Date(start + (N - 10.5) * 3_600_000).toISOString(), {
          type: 'DISAGREE',
          text: null,
          senderType: 'CUSTOMER',
        }) + '\n'
      );
      yield '\n';
    }
    const res = await post(Readable.from(lines()), key);
    const summary = (await res.json()) as Summary;
    expect(res.status).toBe(200);
    expect(summary).toEqual({
      lines: N + 4,
      // h-0 came earlier through the mutation; h-5 repeats in the file; h-refuse is new.
      accepted: N,
      duplicates: 2,
      rejected: 2,
      rejections: [
        { line: N + 1, externalId: null, reason: 'not a JSON object' },
        { line: N + 2, externalId: 'h-bad-emp', reason: 'employee: unknown employee' },
      ],
    });
    expect(await count()).toBe(N + 1);
    const parts = (
      await t.db.query(`SELECT count(DISTINCT tableoid)::int AS n FROM chat_messages WHERE org_id = $1`, [org.orgId])
    ).rows[0].n;
    expect(parts).toBeGreaterThanOrEqual(9);
    const withheld = (
      await t.db.query(
        `SELECT external_id FROM chat_messages WHERE org_id = $1 AND content_withheld ORDER BY sent_at`,
        [org.orgId],
      )
    ).rows;
    // The DISAGREE itself (no content) and the ten messages after it.
    expect(withheld.map((r) => r.external_id)).toEqual([
      'h-refuse',
      ...Array.from({ length: 10 }, (_, i) => `h-${N - 10 + i}`),
    ]);
    expect(
      (await t.db.query(`SELECT message_count FROM chat_conversations WHERE org_id = $1`, [org.orgId])).rows,
    ).toEqual([{ message_count: N + 1 }]);
    // Importing the same file again stores nothing new.
    const again = (await (await post(Readable.from(lines()), key)).json()) as Summary;
    expect([again.accepted, again.duplicates]).toEqual([0, N + 2]);
    expect(await count()).toBe(N + 1);
  });

  it('withholds by the consent in force at each message: per employee, agreed again, refused in the file', async () => {
    // The messages INSERT looks consent up only for customers with a refusal on record: every kind of refusal
    // (recorded before, for one employee only, revoked by a later agreement, or a DISAGREE line of this very file)
    // must still reach it, and a customer with none keeps every text.
    const CONSENT = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) }`;
    const zhao = await createEmployee(t, org, { externalId: 'zhao' });
    const [perEmployee, againAgreed, inFile, never] = await Promise.all(
      ['wmC1', 'wmC2', 'wmC3', 'wmC4'].map(
        async (externalId) => (await addCustomer(t, org.adminToken, sales.id, { externalId })).customerId,
      ),
    );
    const day = (d: number, h = 0) => new Date(Date.UTC(2025, 11, d, h)).toISOString();
    const consent = (customerId: string, status: string, changedAt: string, employeeId?: string) =>
      t.gql(CONSENT, { input: { customerId, status, changedAt, employeeId } }, org.adminToken).then(ok);
    await consent(perEmployee, 'DISAGREED', day(2), zhao.id);
    await consent(againAgreed, 'DISAGREED', day(2));
    await consent(againAgreed, 'AGREED', day(4));
    const msg = (id: string, customerId: string, sentAt: string, over: Record<string, unknown> = {}) =>
      line(id, sentAt, { customerId, ...over }) + '\n';
    const body = [
      msg('c1-wang', perEmployee, day(3)),
      msg('c1-zhao-before', perEmployee, day(1), { employeeExternalId: 'zhao' }),
      msg('c1-zhao', perEmployee, day(3), { employeeExternalId: 'zhao' }),
      msg('c2-refused', againAgreed, day(3)),
      msg('c2-agreed', againAgreed, day(5)),
      msg('c3-before', inFile, day(1)),
      msg('c3-after', inFile, day(3, 1)),
      msg('c3-refuse', inFile, day(3), { type: 'DISAGREE', text: null, senderType: 'CUSTOMER' }),
      msg('c4', never, day(3)),
    ].join('');
    // What the import's own transaction holds once a slice is merged (before the re-check just ahead of the commit,
    // which would erase again what the INSERT let through): the INSERT itself must withhold.
    const seen: Array<{ external_id: string; withheld: boolean }> = [];
    t.app.get(ChatIngestService).onMessagesStored(async (db, orgId) => {
      const r = await db.query<typeof seen>(
        `SELECT external_id, content_withheld AS withheld FROM chat_messages
          WHERE org_id = $1 AND (external_id LIKE 'c_-%' OR external_id = 'c4') ORDER BY external_id`,
        [orgId],
      );
      seen.push(...r);
    });
    const res = await post(body, key);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Summary).accepted).toBe(9);
    expect(seen.filter((r) => r.withheld).map((r) => r.external_id)).toEqual([
      'c1-zhao',
      'c2-refused',
      'c3-after',
      'c3-refuse',
    ]);
    const stored = await t.db.query(
      `SELECT external_id, text IS NOT NULL AS "hasText", content_withheld AS withheld,
              cardinality(search_grams) > 0 AS "hasGrams"
         FROM chat_messages WHERE org_id = $1 AND (external_id LIKE 'c_-%' OR external_id = 'c4') ORDER BY external_id`,
      [org.orgId],
    );
    const kept = { hasText: true, withheld: false, hasGrams: true };
    const gone = { hasText: false, withheld: true, hasGrams: false };
    expect(stored.rows).toEqual([
      { external_id: 'c1-wang', ...kept },
      { external_id: 'c1-zhao', ...gone },
      { external_id: 'c1-zhao-before', ...kept },
      { external_id: 'c2-agreed', ...kept },
      { external_id: 'c2-refused', ...gone },
      { external_id: 'c3-after', ...gone },
      { external_id: 'c3-before', ...kept },
      { external_id: 'c3-refuse', ...gone },
      { external_id: 'c4', ...kept },
    ]);
  });

  it('stores every value exactly as sent, with the search grams PostgreSQL itself computes for the text', async () => {
    // The stage is COPYed in binary: texts, payloads, times and grams must come out as the text format gave them.
    const texts = [
      'Refund 退款 please',
      'tab\there, new\nline, back\\slash, carriage\rreturn',
      '红包🧧 emoji and 𠀀 beyond the BMP',
      'Ünïcödé with accents (PostgreSQL computes these grams)',
      '全角ＡＢＣ１２３',
      'x',
    ];
    const sentAt = ['1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00.001Z', '2025-06-15T12:34:56.789Z'];
    const body = texts
      .map((text, i) =>
        line(`exact-${i}`, sentAt[i % sentAt.length], {
          text,
          payload: i % 2 ? { url: 'https://x.example/?a=1\tb', n: i, nested: [null, true, '微信'] } : null,
        }),
      )
      .join('\n');
    const res = await post(body, key);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Summary).accepted).toBe(texts.length);
    const stored = await t.db.query(
      `SELECT external_id, text, payload, to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
              (search_grams @> chat_search_grams(text) AND search_grams <@ chat_search_grams(text)) AS "gramsAgree", cardinality(search_grams) AS grams
         FROM chat_messages WHERE org_id = $1 AND external_id LIKE 'exact-%' ORDER BY external_id`,
      [org.orgId],
    );
    expect(stored.rows).toEqual(
      texts.map((text, i) => ({
        external_id: `exact-${i}`,
        text,
        payload: i % 2 ? { url: 'https://x.example/?a=1\tb', n: i, nested: [null, true, '微信'] } : null,
        at: sentAt[i % sentAt.length],
        gramsAgree: true,
        grams: expect.any(Number),
      })),
    );
    expect(stored.rows.every((r: { grams: number }) => r.grams > 0)).toBe(true);
  });

  it('stores nothing when a line is too long (the body is refused as a whole)', async () => {
    const before = await count();
    const res = await post(
      line('long-1', '2026-03-01T00:00:00Z') +
        '\n' +
        line('long-2', '2026-03-01T00:00:00Z', { text: 'x'.repeat(300_000) }) +
        '\n',
      key,
    );
    expect([res.status, await codeOfResponse(res)]).toEqual([400, 'BAD_USER_INPUT']);
    expect(await count()).toBe(before);
  });
});
