import { Readable } from 'node:stream';
import { addCustomer } from './helpers/customers';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';

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
