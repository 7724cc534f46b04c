import { searchGrams } from 'src/modules/chat-audit/services/search-grams';
import { addCustomer } from './helpers/customers';
import { createEmployee, OrgFixture, signUpOrg } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted } }`;
const SEARCH = `query($q: String!) { searchChatMessages(query: $q, first: 50) { edges { node { externalId } } } }`;

/** Texts the application computes grams for (ASCII, CJK, kana, Hangul, fullwidth punctuation, emoji, controls). */
const CASELESS = [
  '您好，退款 Refund 请求 ORDER-42',
  'Hello WORLD\tTab\nnew line "quoted" back\\slash {braces} a,b',
  'カタカナ ひらがな 한국어 ０１２！？',
  '🧧红包🎉 emoji 😀😀',
  'x',
  'AA aa Aa',
];
/** Texts with letters that have case outside ASCII: PostgreSQL computes their grams. */
const CASED = ['École ÉLÈVE', 'ΣΟΦΙΑ σοφία', 'ＡＢＣ fullwidth', 'Straße STRASSE', 'İstanbul'];

/** Search grams computed by the application must be the ones chat_search_grams computes (DOMAIN.md "Chat audit"). */
describe('chat search grams', () => {
  let t: TestApp;
  let org: OrgFixture;
  let employeeId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    employeeId = (await createEmployee(t, org)).id;
    customerId = (await addCustomer(t, org.adminToken, employeeId)).customerId;
  });
  afterAll(() => t.close());

  it('computes the same grams as chat_search_grams for caseless texts and leaves cased ones to PostgreSQL', async () => {
    for (const text of CASELESS) {
      const mine = searchGrams(text);
      const theirs = (await t.db.query(`SELECT chat_search_grams($1) AS g`, [text])).rows[0].g as string[];
      expect([text, [...mine!].sort()]).toEqual([text, [...theirs].sort()]);
    }
    expect(CASED.map((text) => [text, searchGrams(text)])).toEqual(CASED.map((text) => [text, null]));
  });

  it('stores the grams chat_search_grams gives, through the mutation and the bulk import, and finds by them', async () => {
    const all = [...CASELESS, ...CASED];
    const message = (prefix: string, text: string, i: number) => ({
      externalId: `${prefix}-${i}`,
      employeeId,
      customerId,
      senderType: 'EMPLOYEE',
      type: 'TEXT',
      text,
      sentAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
    });
    ok(await t.gql(INGEST, { input: { messages: all.map((x, i) => message('gql', x, i)) } }, org.adminToken));
    const res = await fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${org.adminToken}` },
      body: all.map((x, i) => JSON.stringify(message('bulk', x, i))).join('\n'),
    });
    expect(res.status).toBe(200);
    const rows = (
      await t.db.query(
        `SELECT external_id AS id, search_grams @> chat_search_grams(text) AND chat_search_grams(text) @> search_grams AS same
           FROM chat_messages WHERE org_id = $1 ORDER BY external_id`,
        [org.orgId],
      )
    ).rows;
    expect(rows).toHaveLength(2 * all.length);
    expect(rows.filter((r) => !r.same).map((r) => r.id)).toEqual([]);
    const found = async (q: string) =>
      (
        ok(await t.gql(SEARCH, { q }, org.adminToken)).searchChatMessages.edges as Array<{
          node: { externalId: string };
        }>
      )
        .map((e) => e.node.externalId)
        .sort();
    expect(await found('refund')).toEqual(['bulk-0', 'gql-0']);
    expect(await found('退款')).toEqual(['bulk-0', 'gql-0']);
    expect(await found('🧧红')).toEqual(['bulk-3', 'gql-3']);
    expect(await found('"quoted"')).toEqual(['bulk-1', 'gql-1']);
    expect(await found('élève')).toEqual(['bulk-6', 'gql-6']);
  });
});
