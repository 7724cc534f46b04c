import { partitionName } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { PartitionAnalyzer } from 'src/modules/chat-audit/services/partition-analyzer';
import { OrgFixture, signUpOrg, uniq } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted } }`;
/** A month no other test writes: its partition is created by this file's first ingest. */
const DAY = '2019-07-15';
const PARTITION = partitionName('2019-07-01');
/** Customers, each in one conversation with the admin; a batch of 1000 messages, one per customer. */
const CUSTOMERS = 1000;
/** Messages added per conversation after the first ingest (the partition grows past what its statistics saw). */
const MORE_PER_CONVERSATION = 20;
/** The keys of the statement: a batch's conversation-days. */
const KEYS = 500;

/**
 * The messages of some conversation-days (employee, customer, day of a time zone): how KPI's stored-messages hook
 * read them until it took a batch's messages as a delta, and the shape of every read of a conversation's messages
 * over a time range (a batch's worth of keys at once here).
 */
const CONVERSATION_DAYS = `SELECT m.id
   FROM unnest($2::uuid[], $3::uuid[], $4::date[]) k(employee_id, customer_id, day)
   JOIN chat_conversations c ON c.org_id = $1 AND c.employee_id = k.employee_id AND c.customer_id = k.customer_id
   JOIN chat_messages m ON m.org_id = $1 AND m.conversation_id = c.id
                       AND m.sent_at >= (k.day::timestamp AT TIME ZONE $5)
                       AND m.sent_at < ((k.day + 1)::timestamp AT TIME ZONE $5)`;

interface PlanNode {
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows of the month's partition a plan's scans read (returned or filtered out) over all loops, and the indexes. */
function partitionReads(node: PlanNode, into = { rows: 0, indexes: new Set<string>() }) {
  if (node['Relation Name'] === PARTITION) {
    const read =
      (node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0);
    into.rows += read * (node['Actual Loops'] ?? 1);
    if (node['Index Name']) into.indexes.add(node['Index Name']);
  }
  for (const p of node.Plans ?? []) partitionReads(p, into);
  return into;
}

/**
 * A month's partition is created empty by the first ingest that needs it, and has no statistics until an ANALYZE:
 * autovacuum's comes a minute or more later, and meanwhile the planner guessed. KPI's conversation-days statement
 * then read each (conversation, day) key's messages through the partition's primary key (org_id, sent_at, id), the
 * whole day's messages of the organization per key, filtering the conversation out of them (issue 19: 450 ms a
 * batch at a spread of 20 employees x 1,000 customers). The partition is now analyzed once it first holds rows,
 * after the ingest's commit.
 */
describe('chat archive: a new month partition gets statistics after its first ingest', () => {
  let t: TestApp;
  let org: OrgFixture;
  const customers: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    // Written straight: a thousand customers through the API would take most of the test's time.
    const rows = await t.db.query<{ id: string }>(
      `INSERT INTO customers (org_id, name)
       SELECT $1, 'Customer ' || g FROM generate_series(1, $2::int) g RETURNING id`,
      [org.orgId, CUSTOMERS],
    );
    customers.push(...rows.rows.map((r) => r.id));
  });
  afterAll(() => t.close());

  const ingestOnePerCustomer = async (hour: number) => {
    const messages = customers.map((customerId, i) => ({
      externalId: uniq('m'),
      employeeId: org.adminId,
      customerId,
      senderType: i % 2 ? 'EMPLOYEE' : 'CUSTOMER',
      type: 'TEXT',
      text: 'hello',
      sentAt: new Date(Date.parse(`${DAY}T${String(hour).padStart(2, '0')}:00:00Z`) + i * 10).toISOString(),
    }));
    const r = ok(await t.gql(INGEST, { input: { messages } }, org.adminToken));
    expect(r.ingestChatMessages.accepted).toBe(CUSTOMERS);
    await t.app.get(PartitionAnalyzer).idle();
  };
  const stats = async () =>
    (
      await t.db.query<{ reltuples: number; analyzed: number }>(
        `SELECT c.reltuples::int AS reltuples,
                (pg_stat_get_analyze_count(c.oid) + pg_stat_get_autoanalyze_count(c.oid))::int AS analyzed
           FROM pg_class c WHERE c.oid = to_regclass($1)`,
        [PARTITION],
      )
    ).rows[0];

  it('analyzes the partition once, after the ingest that first stored rows in it', async () => {
    expect((await t.db.query(`SELECT to_regclass($1) AS t`, [PARTITION])).rows[0].t).toBeNull();
    await ingestOnePerCustomer(1);
    // reltuples is -1 until a table is first analyzed (or vacuumed).
    expect(await stats()).toEqual({ reltuples: CUSTOMERS, analyzed: 1 });
    await ingestOnePerCustomer(2);
    expect((await stats()).analyzed).toBe(1);
  });

  it("then reads a batch's conversation-days through the conversation index, not the primary key", async () => {
    // The month grows well past what the statistics saw (rows written straight, as many batches would).
    await t.db.query(
      `INSERT INTO chat_messages (org_id, conversation_id, employee_id, customer_id, external_id, sender_type, type,
                                  text, sent_at)
       SELECT c.org_id, c.id, c.employee_id, c.customer_id, 'more-' || c.id || '-' || g, 'CUSTOMER', 'TEXT', 'hi',
              $2::timestamptz + make_interval(secs => g * 1000 + c.n)
         FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM chat_conversations WHERE org_id = $1) c,
              generate_series(1, $3::int) g`,
      [org.orgId, `${DAY}T03:00:00Z`, MORE_PER_CONVERSATION],
    );
    const keys = customers.slice(0, KEYS);
    const sql = CONVERSATION_DAYS;
    const params = [org.orgId, keys.map(() => org.adminId), keys, keys.map(() => DAY), 'UTC'];
    const plan = await t.db.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*)::int AS n FROM (${sql}) x`, params);
    const reads = partitionReads((plan.rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>)[0].Plan);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
    const own = rows[0].n as number;
    // Each key's messages: those ingested above (one or two per conversation, as the first test ran) and those added.
    expect(own).toBeGreaterThanOrEqual(KEYS * (1 + MORE_PER_CONVERSATION));
    expect(own).toBeLessThanOrEqual(KEYS * (2 + MORE_PER_CONVERSATION));
    // The keys' own messages, not the day's 21,000 or more read again per key.
    expect({ rows: reads.rows, indexes: [...reads.indexes] }).toEqual({
      rows: own,
      indexes: [`${PARTITION}_org_id_conversation_id_sent_at_id_idx`],
    });
  });

  it('analyzes a month the bulk import was the first to fill, after its commit', async () => {
    const month = partitionName('2019-09-01');
    const key = ok(
      await t.gql(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
        { input: { name: uniq('importer'), roles: ['admin'] } },
        org.adminToken,
      ),
    ).createApiKey.secret as string;
    const lines = customers.slice(0, 200).map((customerId, i) => ({
      externalId: uniq('b'),
      employeeId: org.adminId,
      customerId,
      senderType: 'CUSTOMER',
      type: 'TEXT',
      text: 'from the history',
      sentAt: new Date(Date.parse('2019-09-03T08:00:00Z') + i * 1000).toISOString(),
    }));
    const res = await fetch(`${t.url}/chat/messages/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
      body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 200, rejected: 0 });
    await t.app.get(PartitionAnalyzer).idle();
    const { rows } = await t.db.query<{ reltuples: number }>(
      `SELECT reltuples::int AS reltuples FROM pg_class WHERE oid = to_regclass($1)`,
      [month],
    );
    expect(rows).toEqual([{ reltuples: 200 }]);
  });
});
