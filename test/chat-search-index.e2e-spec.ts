import { addCustomer } from './helpers/customers';
import { createEmployee, OrgFixture, signUpOrg } from './helpers/fixtures';
import { sleep } from './helpers/subscriptions';
import { ok, startTestApp, TestApp } from './helpers/test-app';
import { SearchIndexCleaner } from 'src/modules/chat-audit/services/search-index-cleaner';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted } }`;
const SEARCH = `query($q: String!) { searchChatMessages(query: $q, first: 5) { edges { node { externalId } } } }`;

/**
 * ingestChatMessages appends its messages' search grams to the GIN pending list and SearchIndexCleaner merges them
 * into the index after commit: searches read a pending list whole, so none is left behind.
 */
describe('chat search index after GraphQL ingest', () => {
  let t: TestApp;
  let org: OrgFixture;
  let employeeId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.db.query(`CREATE EXTENSION IF NOT EXISTS pgstattuple`);
    org = await signUpOrg(t);
    employeeId = (await createEmployee(t, org)).id;
    customerId = (await addCustomer(t, org.adminToken, employeeId)).customerId;
  });
  afterAll(() => t.close());

  /** Pending tuples of the GIN indexes of the partitions holding the organization's messages. */
  const pending = async () =>
    (
      await t.db.query<{ n: string }>(
        `SELECT coalesce(sum((pgstatginindex(i.indexrelid)).pending_tuples), 0) AS n
           FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am m ON m.oid = x.relam
          WHERE m.amname = 'gin' AND i.indrelid IN (SELECT DISTINCT tableoid FROM chat_messages WHERE org_id = $1)`,
        [org.orgId],
      )
    ).rows[0].n;

  it('leaves no pending list behind once the batch has committed, and the messages are found', async () => {
    // 1,000 messages: about 2 MB of grams, under PostgreSQL's default 4 MB list (which nothing would have merged).
    const messages = Array.from({ length: 1000 }, (_, i) => ({
      externalId: `idx-${i}`,
      employeeId,
      customerId,
      senderType: 'EMPLOYEE',
      type: 'TEXT',
      text: `第${i}号订单 优惠券 coupon number ${i} for the spring sale, 退款 refund policy explained`,
      sentAt: new Date(Date.now() - (i + 1) * 1000).toISOString(),
    }));
    expect(ok(await t.gql(INGEST, { input: { messages } }, org.adminToken)).ingestChatMessages.accepted).toBe(1000);
    await t.app.get(SearchIndexCleaner).idle();
    const end = Date.now() + 15_000;
    while ((await pending()) !== '0' && Date.now() < end) await sleep(100);
    expect(await pending()).toBe('0');
    const found = ok(await t.gql(SEARCH, { q: '第999号' }, org.adminToken)).searchChatMessages.edges;
    expect(found).toEqual([{ node: { externalId: 'idx-999' } }]);
  });
});
