import { randomBytes } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from 'migrations';
import { ChatSearchGramCodes1765260000001 } from 'migrations/1765260000001-chat-search-gram-codes';
import { APP_ENTITIES } from 'src/app.entities';
import { buildDataSource } from 'src/core/database/data-source';
import { gramCode } from 'src/modules/chat-audit/services/search-grams';
import { addCustomer } from './helpers/customers';
import { createEmployee, OrgFixture, signUpOrg } from './helpers/fixtures';
import { ok, startTestApp, TestApp } from './helpers/test-app';
import {
  partitionName,
  recentSearchSql,
  searchSql,
} from 'src/modules/chat-audit/repositories/chat-archive.repository';

const INGEST = `mutation($input: IngestChatMessagesInput!) { ingestChatMessages(input: $input) { accepted } }`;

/**
 * The archive's storage keeps one B-tree per look-up and no more (every index is one more write per ingested
 * message): chat_messages has its primary key (org_id, sent_at, id), the conversation and employee indexes and
 * the search grams; chat_message_keys its primary key only. Each look-up the application makes of those tables
 * is EXPLAINed with sequential scans disabled: an index must be able to answer it (on these small tables the
 * planner would rightly scan otherwise, so "can an index answer it" is the question asked).
 */
describe('chat archive indexes', () => {
  let t: TestApp;
  let org: OrgFixture;
  let employeeId: string;
  let customerId: string;
  let conversationId: string;
  let message: { id: string; sent_at: Date };
  let c: PoolClient;

  beforeAll(async () => {
    t = await startTestApp();
    org = await signUpOrg(t);
    employeeId = (await createEmployee(t, org)).id;
    customerId = (await addCustomer(t, org.adminToken, employeeId)).customerId;
    // Two months of messages (two partitions).
    const messages = Array.from({ length: 200 }, (_, i) => ({
      externalId: `ix-${i}`,
      employeeId,
      customerId,
      senderType: i % 2 ? 'EMPLOYEE' : 'CUSTOMER',
      type: 'TEXT',
      text: `订单 ${i} order number ${i}`,
      sentAt: new Date(Date.now() - (i + 1) * 4 * 3600_000).toISOString(),
    }));
    expect(ok(await t.gql(INGEST, { input: { messages } }, org.adminToken)).ingestChatMessages.accepted).toBe(200);
    const row = await t.db.query<{ id: string; sent_at: Date; conversation_id: string }>(
      `SELECT id, sent_at, conversation_id FROM chat_messages WHERE org_id = $1 ORDER BY sent_at LIMIT 1`,
      [org.orgId],
    );
    message = row.rows[0];
    conversationId = row.rows[0].conversation_id;
    await t.db.query(`ANALYZE chat_messages`);
    await t.db.query(`ANALYZE chat_message_keys`);
    c = await t.db.connect();
    await c.query(`SET enable_seqscan = off`);
  });
  afterAll(async () => {
    c?.release();
    await t.close();
  });

  /** The indexes of a table as `name: definition` (the partitioned parent's, for chat_messages). */
  const indexes = async (table: string) =>
    (
      await t.db.query<{ def: string }>(
        `SELECT regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE ', '') AS def
           FROM pg_index i WHERE i.indrelid = $1::regclass ORDER BY 1`,
        [table],
      )
    ).rows.map((r) => r.def);

  /** The plan of a statement, as text (EXPLAIN without running it). */
  const plan = async (sql: string, params: unknown[]) =>
    (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');

  it('keep one primary key and three indexes on chat_messages, the primary key alone on chat_message_keys', async () => {
    expect(await indexes('chat_messages')).toEqual([
      'INDEX idx_chat_messages_org_id_conversation_id_sent_at_id ON ONLY public.chat_messages USING btree (org_id, conversation_id, sent_at, id)',
      'INDEX idx_chat_messages_org_id_employee_id_sent_at_id ON ONLY public.chat_messages USING btree (org_id, employee_id, sent_at, id)',
      'INDEX idx_chat_messages_search_grams ON ONLY public.chat_messages USING gin (search_grams)',
      'UNIQUE INDEX pk_chat_messages ON ONLY public.chat_messages USING btree (org_id, sent_at, id)',
    ]);
    expect(await indexes('chat_message_keys')).toEqual([
      'UNIQUE INDEX pk_chat_message_keys ON public.chat_message_keys USING btree (org_id, external_id)',
    ]);
    // Partitions created by the application carry the same four, no more.
    const month = `${message.sent_at.toISOString().slice(0, 7)}-01`;
    const onPartition = await indexes(partitionName(month));
    expect(onPartition).toHaveLength(4);
    expect(onPartition.filter((d) => d.startsWith('UNIQUE INDEX'))).toEqual([
      expect.stringMatching(/USING btree \(org_id, sent_at, id\)$/),
    ]);
  });

  it('claim keys without a per-row trigger: chat_message_keys has no foreign key', async () => {
    // A foreign key is checked by a trigger per inserted row (a quarter of the bulk import's claims).
    const triggers = await c.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'chat_message_keys'::regclass`,
    );
    expect(triggers.rows).toEqual([]);
    const foreign = await c.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'chat_message_keys'::regclass AND contype = 'f'`,
    );
    expect(foreign.rows).toEqual([]);
  });

  it('answer a message by (organization, id, time) from the primary key: messagesByKeys, the alerts', async () => {
    const p = await plan(
      `SELECT m.conversation_id FROM unnest($2::uuid[], $3::timestamptz[]) AS x(id, sent_at)
         JOIN chat_messages m ON m.org_id = $1 AND m.id = x.id AND m.sent_at = x.sent_at`,
      [org.orgId, [message.id], [message.sent_at]],
    );
    expect(p).toMatch(/Index Scan using chat_messages_p\d{6}_pkey/);
    expect(p).not.toMatch(/Seq Scan on chat_messages/);
  });

  it('walk an organization newest first (search, its first try) and find its organizations per month from indexes', async () => {
    const q = { query: '订单', limit: 20 };
    for (const s of [recentSearchSql(org.orgId, q), searchSql(org.orgId, q)])
      expect(await plan(s.text, s.params)).not.toMatch(/Seq Scan on chat_messages/);
    const month = `${message.sent_at.toISOString().slice(0, 7)}-01`;
    const loose = await plan(`SELECT org_id FROM ${partitionName(month)} ORDER BY org_id LIMIT 1`, []);
    expect(loose).toMatch(/Index Only Scan/);
    const boundary = await plan(`DELETE FROM ${partitionName(month)} WHERE org_id = $1 AND sent_at < $2`, [
      org.orgId,
      new Date(),
    ]);
    expect(boundary).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
    const thread = await plan(
      `SELECT m.id FROM chat_messages m WHERE m.org_id = $1 AND m.conversation_id = $2 ORDER BY m.sent_at, m.id LIMIT 50`,
      [org.orgId, conversationId],
    );
    expect(thread).toMatch(/Index Scan/);
    expect(thread).not.toMatch(/Seq Scan on chat_messages/);
  });

  it("forget a purged organization's keys through the keys' primary key", async () => {
    const p = await plan(`DELETE FROM chat_message_keys WHERE org_id = $1 AND sent_at < $2`, [org.orgId, new Date()]);
    expect(p).toMatch(/(Index Scan|Bitmap Index Scan) (using|on) pk_chat_message_keys/);
    const claim = await plan(`SELECT 1 FROM chat_message_keys WHERE org_id = $1 AND external_id = $2`, [org.orgId, 'ix-1']);
    expect(claim).toMatch(/pk_chat_message_keys/);
  });
});

/** Undoes the last migrations down to and including `migration`. */
async function undoThrough(ds: DataSource, migration: (typeof MIGRATIONS)[number]): Promise<void> {
  for (let i = MIGRATIONS.length - 1; i >= MIGRATIONS.indexOf(migration); i--)
    await ds.undoLastMigration({ transaction: 'each' });
}

/**
 * Migration 1765260000001-chat-search-gram-codes turns stored text grams into their codes, gram by gram: what the
 * new chat_search_grams gives for the text, '{}' kept for withheld content, and the search finds the same messages
 * (1- and 2-character Chinese queries, English words); undone, the text grams come back.
 */
describe('chat search grams as codes (migration)', () => {
  let admin: Pool;
  let ds: DataSource;
  const texts = ['退款政策 Refund policy', '优惠券已发放，请查收', 'Your ORDER ships today 🧧', '退', 'a'];

  beforeAll(async () => {
    admin = new Pool({ connectionString: process.env.WECRM_TEST_ADMIN_URL, max: 1 });
    const name = `t_${process.env.WECRM_TEST_TEMPLATE!.split('_').pop()}_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.WECRM_TEST_TEMPLATE}`);
    const u = new URL(process.env.WECRM_TEST_ADMIN_URL!);
    u.pathname = `/${name}`;
    ds = buildDataSource({ url: u.toString(), entities: APP_ENTITIES, migrations: MIGRATIONS });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await admin.end();
  });

  const grams = async () =>
    (await ds.query(
      `SELECT external_id AS id, search_grams::text[] AS stored, chat_search_grams(coalesce(text, ''))::text[] AS computed,
              content_withheld AS withheld
         FROM chat_messages ORDER BY external_id`,
    )) as Array<{ id: string; stored: string[]; computed: string[]; withheld: boolean }>;
  const sorted = (a: string[]) => [...a].sort();
  const found = async (orgId: string, query: string) => {
    const { text, params } = searchSql(orgId, { query, limit: 20 });
    const rows = (await ds.query(text, params)) as Array<{ externalId: string }>;
    return rows.map((r) => r.externalId).sort();
  };

  it('converts stored text grams into codes, keeps withheld messages without grams, and finds the same messages', async () => {
    await undoThrough(ds, ChatSearchGramCodes1765260000001);
    const [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ('G', 'g-${Date.now()}') RETURNING id`);
    const [{ id: emp }] = await ds.query(
      `INSERT INTO employees (org_id, name, email) VALUES ($1, 'E', 'e@g.test') RETURNING id`,
      [org],
    );
    const [{ id: cust }] = await ds.query(`INSERT INTO customers (org_id, name) VALUES ($1, 'C') RETURNING id`, [org]);
    const [{ id: conv }] = await ds.query(
      `INSERT INTO chat_conversations (org_id, employee_id, customer_id) VALUES ($1, $2, $3) RETURNING id`,
      [org, emp, cust],
    );
    await ds.query(`CREATE TABLE chat_messages_p202611 (LIKE chat_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await ds.query(
      `ALTER TABLE chat_messages ATTACH PARTITION chat_messages_p202611 FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')`,
    );
    const old = await ds.query(
      `INSERT INTO chat_messages (org_id, conversation_id, employee_id, customer_id, external_id, sender_type, type, text,
                                  content_withheld, search_grams, sent_at)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, 'm' || i, 'EMPLOYEE', 'TEXT', t, false, chat_search_grams(t),
              '2026-11-10'::timestamptz + i * interval '1 minute'
         FROM unnest($5::text[]) WITH ORDINALITY AS x(t, i)
       UNION ALL SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, 'withheld', 'CUSTOMER', 'TEXT', NULL, true, '{}', '2026-11-20'
       RETURNING external_id, search_grams`,
      [org, conv, emp, cust, texts],
    );
    // Before: text grams, as the first migration defined them.
    expect(old.find((r: { external_id: string }) => r.external_id === 'm1').search_grams).toEqual(
      expect.arrayContaining(['退款', '退', 're']),
    );
    await ds.runMigrations({ transaction: 'each' });
    const after = await grams();
    expect(after).toHaveLength(texts.length + 1);
    for (const r of after) expect([r.id, sorted(r.stored)]).toEqual([r.id, r.withheld ? [] : sorted(r.computed)]);
    expect(after.find((r) => r.id === 'm1')!.stored).toEqual(
      expect.arrayContaining([gramCode('退款'), gramCode('退'), gramCode('re')]),
    );
    expect(await found(org, '退款')).toEqual(['m1']);
    expect(await found(org, '退')).toEqual(['m1', 'm4']);
    expect(await found(org, 'refund')).toEqual(['m1']);
    expect(await found(org, 'order')).toEqual(['m3']);
    expect(await found(org, '🧧')).toEqual(['m3']);
    expect(await found(org, 'A')).toEqual(['m3', 'm5']);
    expect(await found(org, 'Y')).toEqual(['m1', 'm3']);

    // Undone: the text grams again, the same ones.
    await undoThrough(ds, ChatSearchGramCodes1765260000001);
    const back = await grams();
    for (const r of back) expect([r.id, sorted(r.stored)]).toEqual([r.id, r.withheld ? [] : sorted(r.computed)]);
    expect(back.find((r) => r.id === 'm1')!.stored).toEqual(expect.arrayContaining(['退款', '退', 're']));
    await ds.runMigrations({ transaction: 'each' });
  });
});
