import { recentSearchSql, searchSql } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { addCustomer } from './helpers/customers';
import { createEmployee, EmployeeFixture, OrgFixture, signUpOrg } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted rejected { index reason } } }`;
const SEARCH = `query($q: String!, $first: Int, $after: String) { searchChatMessages(query: $q, first: $first, after: $after) {
  edges { node { externalId } } pageInfo { hasNextPage endCursor } } }`;

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HANZI = [...'微信红包转账客户银行卡手机号码价格优惠活动产品质量售后服务发货退款请加我好的谢谢您'];
const WORDS = [
  'WeChat',
  'price',
  'refund',
  'Order',
  'bank',
  'card',
  'thanks',
  'hello',
  'delivery',
  'PHONE',
  'discount',
  'ok',
];

/**
 * searchChatMessages against the plain scan it replaces: on a randomized
 * archive, every query (one and two Chinese characters, longer Chinese,
 * English words in any case, mixed) finds exactly what `text ILIKE '%q%'`
 * finds, in the same order; and the statement uses the bigram index.
 */
describe('chat search', () => {
  let t: TestApp;
  let org: OrgFixture;
  let auditor: EmployeeFixture;
  let reps: EmployeeFixture[];
  const rand = prng(19);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const texts: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    auditor = await createEmployee(t, org, { roles: ['auditor'] });
    reps = await Promise.all([0, 1].map(() => createEmployee(t, org)));
    const customers = await Promise.all(reps.map((r) => addCustomer(t, org.adminToken, r.id)));
    const start = Date.now() - 100 * 24 * 3_600_000;
    for (let batch = 0; batch < 2; batch++) {
      const messages = Array.from({ length: 1000 }, (_, i) => {
        const parts = Array.from({ length: 1 + Math.floor(rand() * 6) }, () =>
          rand() < 0.6 ? Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(HANZI)).join('') : pick(WORDS),
        );
        const text = parts.join(rand() < 0.5 ? ' ' : '');
        texts.push(text);
        const k = Math.floor(rand() * 2);
        return {
          externalId: `r-${batch}-${i}`,
          employeeId: reps[k].id,
          customerId: customers[k].customerId,
          senderType: rand() < 0.5 ? 'EMPLOYEE' : 'CUSTOMER',
          type: 'TEXT',
          text,
          // Spread over 100 days (four months' partitions); some share a millisecond, so the id breaks ties.
          sentAt: new Date(start + Math.floor(rand() * 100 * 24 * 3_600) * 1000).toISOString(),
        };
      });
      const r = ok(await t.gql(INGEST, { input: { messages } }, org.adminToken)).ingestChatMessages;
      expect(r).toEqual({ accepted: 1000, rejected: [] });
    }
  });
  afterAll(() => t.close());

  async function searchAll(q: string): Promise<string[]> {
    const out: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        edges: Array<{ node: { externalId: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      } = ok(await t.gql(SEARCH, { q, first: 200, after }, auditor.token)).searchChatMessages;
      out.push(...page.edges.map((e) => e.node.externalId));
      if (!page.pageInfo.hasNextPage) return out;
      after = page.pageInfo.endCursor;
    }
  }

  const scan = async (q: string): Promise<string[]> =>
    (
      await t.db.query(
        `SELECT external_id FROM chat_messages WHERE org_id = $1 AND text ILIKE '%' || replace(replace(replace($2, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
          ORDER BY sent_at DESC, id DESC`,
        [org.orgId, q],
      )
    ).rows.map((r) => r.external_id);

  it('finds exactly what a plain ILIKE scan finds, newest first, for random 1- and 2-character Chinese, words and mixed queries', async () => {
    const queries = new Set<string>();
    for (let i = 0; i < 8; i++) queries.add(pick(HANZI));
    for (let i = 0; i < 8; i++) queries.add(pick(HANZI) + pick(HANZI));
    for (let i = 0; i < 6; i++) {
      const s = pick(texts);
      const from = Math.floor(rand() * s.length);
      queries.add(s.slice(from, from + 2 + Math.floor(rand() * 4)));
    }
    for (const w of WORDS.slice(0, 6)) queries.add(rand() < 0.5 ? w.toUpperCase() : w.toLowerCase());
    queries.add('k 微');
    queries.add('不存在');
    let nonEmpty = 0;
    for (const q of queries) {
      if (!q.length) continue;
      const expected = await scan(q);
      if (expected.length) nonEmpty++;
      expect({ q, found: await searchAll(q) }).toEqual({ q, found: expected });
    }
    // The comparison means something: most queries do find messages.
    expect(nonEmpty).toBeGreaterThan(queries.size / 2);
  });

  it('reads one employee’s newest messages by its own index (employee, time), not the time index filtered', async () => {
    // Two busy employees over the same weeks: one with ten times the messages of the other.
    for (const [employee, n] of [
      [reps[0].id, 60000],
      [reps[1].id, 6000],
    ] as const) {
      await t.db.query(
        `INSERT INTO chat_messages (org_id, conversation_id, employee_id, customer_id, external_id, sender_type, type, text,
                                    search_grams, sent_at)
         SELECT c.org_id, c.id, c.employee_id, c.customer_id, 'emp-' || $3::int || '-' || g, 'EMPLOYEE', 'TEXT', x.text,
                chat_search_grams(x.text), now() - make_interval(secs => g * (600000 / $3::int))
           FROM (SELECT * FROM chat_conversations WHERE org_id = $1 AND employee_id = $2 LIMIT 1) c,
                generate_series(1, $3::int) g,
                LATERAL (SELECT CASE WHEN g % 7 = 0 THEN 'a refund please' ELSE 'order ' || (g % 50) END AS text) x`,
        [org.orgId, employee, n],
      );
    }
    await t.db.query(`VACUUM ANALYZE chat_messages`);
    const newest: string = (
      await t.db.query(`SELECT tableoid::regclass::text AS part FROM chat_messages WHERE org_id = $1 ORDER BY sent_at DESC LIMIT 1`, [
        org.orgId,
      ])
    ).rows[0].part;
    // The quieter one: a tenth of the other's messages, so walking the time index would mostly skip the other's.
    const { text, params } = recentSearchSql(org.orgId, { query: 'refund', limit: 21, employeeIds: [reps[1].id] });
    const plan = (await t.db.query(`EXPLAIN ${text}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain(`Index Scan Backward using ${newest}_org_id_employee_id_sent_at_id_idx`);
    expect(plan).not.toContain(`Index Scan Backward using ${newest}_org_id_sent_at_id_idx`);
  });

  it('answers 1- and 2-character Chinese and English queries from the bigram GIN index, not a scan', async () => {
    // A larger, analyzed archive so that the planner chooses as it would in production.
    await t.db.query(
      `INSERT INTO chat_messages (org_id, conversation_id, employee_id, customer_id, external_id, sender_type, type, text, search_grams, sent_at)
       SELECT c.org_id, c.id, c.employee_id, c.customer_id, 'bulk-' || g, 'EMPLOYEE', 'TEXT', x.text, chat_search_grams(x.text),
              now() - make_interval(secs => g * 97)
         FROM (SELECT * FROM chat_conversations WHERE org_id = $1 LIMIT 1) c,
              generate_series(1, 30000) g,
              LATERAL (SELECT CASE WHEN g % 1000 = 0 THEN '稀有词汇 zebra' ELSE 'order ' || (g % 50) || ' 价格优惠' END AS text) x`,
      [org.orgId],
    );
    // As autovacuum leaves it: the GIN pending list (fastupdate) merged into the index, statistics fresh.
    await t.db.query(`VACUUM ANALYZE chat_messages`);
    // The partitions that hold most of the archive; tiny ones (a few hundred rows, or the empty months ahead)
    // are cheaper to scan than to probe, and the planner rightly scans them.
    const big: string[] = (
      await t.db.query(
        `SELECT tableoid::regclass::text AS part FROM chat_messages WHERE org_id = $1 GROUP BY 1 HAVING count(*) > 5000`,
        [org.orgId],
      )
    ).rows.map((r) => r.part);
    expect(big.length).toBeGreaterThan(0);
    for (const query of ['稀', '稀有', 'zebra']) {
      const { text, params } = searchSql(org.orgId, { query, limit: 21 });
      const plan = (await t.db.query(`EXPLAIN ${text}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      for (const part of big) {
        expect({
          query,
          part,
          gramIndex: plan.includes(`Bitmap Index Scan on ${part}_search_grams_idx`),
          seqScan: plan.includes(`Seq Scan on ${part} `),
        }).toEqual({
          query,
          part,
          gramIndex: true,
          seqScan: false,
        });
      }
      expect(await searchAll(query)).toEqual(await scan(query));
    }
  });
});
