/**
 * Chat archive benchmark (issue 19): ingest through the bulk NDJSON HTTP path
 * and searchChatMessages over the archive, each against its baseline in the
 * same run.
 *
 * Data: BENCH_CHAT_MESSAGES messages (default 200,000; 10,000,000 for the
 * full run) over 180 days across the bench organization's conversations (its
 * ACTIVE relations, at most BENCH_CHAT_CONVERSATIONS), written set-based in
 * PostgreSQL (INSERT ... SELECT over generate_series into standalone month
 * tables, indexed and then attached as partitions, the way the generator
 * loads its bulk tables): text drawn from Chinese and English word lists
 * (60 % Chinese, 25 % English, 15 % mixed; words skewed so common ones are
 * common), 5 % of customers DISAGREED at some point (their later messages
 * stored withheld, as ingest would) and a fifth of those AGREED again later.
 * Kept between runs: regenerated when the count differs (or --regenerate).
 *
 * 1. Search: the server's own statement (searchSql of the chat archive
 *    repository, first page of 20) for a 2-character Chinese word and an
 *    English word, filtered to one employee (varied) and to one month
 *    (varied); baseline: the same query as pg_trgm answers it (ILIKE with a
 *    gin_trgm_ops index on the text: no grams). p50/p95 and EXPLAIN
 *    (ANALYZE, BUFFERS) of each in bench/results/chat-archive-<time>-plans.txt.
 * 2. Ingest: BENCH_CHAT_INGEST new messages (default 50,000; 500,000 full)
 *    POSTed as one NDJSON body to /chat/messages/import of the built server
 *    (node dist/src/cli.js api, a session token of an admin); floor: the
 *    same rows COPYed into an unindexed table over one connection.
 *
 *   npm run build && npm run build:bench
 *   BENCH_CHAT_MESSAGES=10000000 node dist/bench/bench/chat-archive.bench.js [--data bench/data/pg-0_1]
 *       [--database wecrm_bench_0_1] [--searches 40] [--regenerate] [--generate-only] [--only search|ingest]
 *       [--pg-stats]
 *
 * `--pg-stats` prints PostgreSQL's busiest statements of the ingest (pg_stat_statements), the profile of the bulk
 * path; `BENCH_API_CPU_PROF=<dir>` has the API process write a V8 CPU profile there when it stops.
 *
 * Without BENCH_DB_URL it starts the bench PostgreSQL of --data (bulk-load
 * settings while generating, durable settings to measure); bench/run.ts passes
 * its own database. Writes bench/results/chat-archive-<time>.json and prints a table.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { freePort } from 'src/core/dev-services/embedded-postgres';
import { runMigrations } from 'src/core/database/migrate';
import { MIGRATIONS } from 'migrations';
import {
  nextMonth,
  partitionName,
  recentSearchSql,
  SearchQuery,
  searchSql,
} from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { log as benchLog, parseArgs, repoRoot, sleep } from './lib/common';
import { startBenchPostgres } from './lib/postgres';
import { spawnChild, stopAll, waitForHttp } from './lib/processes';
import { mintToken } from './lib/tokens';
import { fmt, quantile } from './support/stats';

const args = parseArgs(process.argv.slice(2));
const num = (env: string, dflt: number) => Number(process.env[env] ?? dflt);
const MESSAGES = num('BENCH_CHAT_MESSAGES', 200_000);
const FULL = MESSAGES >= 10_000_000;
const INGEST = num('BENCH_CHAT_INGEST', FULL ? 500_000 : 50_000);
const CONVERSATIONS = num('BENCH_CHAT_CONVERSATIONS', 20_000);
const SEARCHES = Number(args.get('searches') ?? 40);
const DATA = String(args.get('data') ?? join(repoRoot(), 'bench', 'data', 'pg-0_01'));
const DATABASE = String(args.get('database') ?? 'wecrm_bench_0_01');
const SEED = 19;
const PG_STATS = args.has('pg-stats');
/** History ends where the bench generator anchors its data; 180 days before it. */
const END = Date.parse('2026-11-01T00:00:00Z');
const DAYS = 180;
const START = END - DAYS * 86_400_000;

const log = (m: string) => benchLog(`[chat] ${m}`);

/** Words of sales chats, most common first (the generator skews towards the start of each list). */
const ZH = (
  '您好 谢谢 价格 优惠 客户 产品 发货 订单 微信 合同 付款 退款 活动 好的 可以 明天 今天 门店 预约 到店 ' +
  '折扣 会员 积分 快递 地址 电话 联系 老师 项目 方案 报价 发票 质量 售后 安装 维修 体验 试用 推荐 新品 ' +
  '库存 现货 尺寸 颜色 型号 包邮 红包 转账 收到 确认 麻烦 方便 时间 周末 上午 下午 晚上 稍等 马上 问题 ' +
  '没问题 放心 满意 评价 分享 朋友 介绍 套餐 续费 升级 定金 尾款 分期 保修 退货 换货 物流 签收 团购 秒杀'
).split(' ');
const EN = (
  'hello thanks price discount order delivery refund contract payment invoice meeting tomorrow today store ' +
  'booking member points address phone contact project proposal quote quality service install repair trial ' +
  'recommend stock size color model shipping confirm sorry please weekend morning afternoon evening wait ' +
  'question sure happy review share friend package renew upgrade deposit balance warranty return exchange ' +
  'tracking signed group deal coupon voucher catalog sample brochure schedule call'
).split(' ');
/** The searched words: a 2-character Chinese word and an English word, both common in sales chats. */
const ZH_QUERY = '优惠';
const EN_QUERY = 'refund';

interface Org {
  id: string;
  admin: string;
  employees: string[];
}

async function benchOrg(pool: Pool): Promise<Org> {
  const org = (
    await pool.query(
      `SELECT o.id FROM organizations o ORDER BY (SELECT count(*) FROM employees e WHERE e.org_id = o.id) DESC, o.id LIMIT 1`,
    )
  ).rows[0].id as string;
  const admin = (
    await pool.query(
      `SELECT e.id FROM employees e JOIN casbin_rules r ON r.ptype = 'g' AND r.v0 = 'emp:' || e.id AND r.v1 = 'admin' AND r.v2 = $2
        WHERE e.org_id = $1 AND e.status = 'ACTIVE' ORDER BY e.id LIMIT 1`,
      [org, org],
    )
  ).rows[0]?.id as string | undefined;
  if (!admin) throw new Error(`no ACTIVE admin in the bench organization ${org}`);
  return { id: org, admin, employees: [] };
}

/** Months (YYYY-MM-01) the history covers. */
function months(): string[] {
  const out: string[] = [];
  const d = new Date(START);
  let m = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
  while (Date.parse(`${m}T00:00:00Z`) < END) {
    out.push(m);
    m = nextMonth(m);
  }
  return out;
}

/** Generates the archive in PostgreSQL; returns the seconds each phase took. */
async function generate(pool: Pool, org: Org): Promise<Record<string, number>> {
  const c = await pool.connect();
  const took: Record<string, number> = {};
  const phase = async (name: string, fn: () => Promise<unknown>) => {
    const t = Date.now();
    await fn();
    took[name] = (Date.now() - t) / 1000;
    log(`  ${name}: ${took[name].toFixed(1)} s`);
  };
  try {
    log(`generating ${MESSAGES.toLocaleString('en-US')} messages over ${DAYS} days`);
    await phase('clear', async () => {
      const parts = (
        await c.query(
          `SELECT relname FROM pg_class WHERE relkind = 'r' AND relname ~ '^chat_messages_p[0-9]{6}$'`,
        )
      ).rows.map((r) => r.relname as string);
      for (const p of parts) await c.query(`DROP TABLE ${p}`);
      await c.query(`TRUNCATE chat_message_keys, chat_consents, chat_conversations, chat_import_positions`);
      await c.query(`DROP TABLE IF EXISTS bench_chat_generation`);
    });
    await phase('conversations', async () => {
      await c.query(
        `INSERT INTO chat_conversations (org_id, employee_id, customer_id)
         SELECT $1, r.employee_id, r.customer_id FROM customer_relations r
          WHERE r.org_id = $1 AND r.status = 'ACTIVE'
          ORDER BY hashint8extended(abs(hashtext(r.customer_id::text || r.employee_id::text)), $3) LIMIT $2`,
        [org.id, CONVERSATIONS, SEED],
      );
      await c.query(`DROP TABLE IF EXISTS bench_chat_conv`);
      await c.query(
        `CREATE UNLOGGED TABLE bench_chat_conv AS
         SELECT (row_number() OVER (ORDER BY id))::int - 1 AS n, id, employee_id, customer_id FROM chat_conversations WHERE org_id = $1`,
        [org.id],
      );
      await c.query(`CREATE UNIQUE INDEX ON bench_chat_conv (n)`);
    });
    // 5 % of the customers refuse at some time in the history; a fifth of them agree again later.
    await phase('consents', async () => {
      await c.query(`DROP TABLE IF EXISTS bench_chat_refusal`);
      await c.query(
        `CREATE UNLOGGED TABLE bench_chat_refusal AS
         SELECT customer_id,
                to_timestamp($1::float8 / 1000.0 + (abs(hashint8extended(n, 7)) % ($2::bigint * 86400)))::timestamptz(3) AS refused_at,
                CASE WHEN abs(hashint8extended(n, 8)) % 5 = 0
                     THEN to_timestamp($1::float8 / 1000.0 + ($2::bigint * 86400) * 0.8 + (abs(hashint8extended(n, 9)) % ($2::bigint * 86400 / 5)))::timestamptz(3)
                     END AS agreed_at
           FROM (SELECT DISTINCT ON (customer_id) customer_id, n FROM bench_chat_conv ORDER BY customer_id, n) x
          WHERE abs(hashint8extended(n, 6)) % 100 < 5`,
        [START, DAYS],
      );
      await c.query(
        `INSERT INTO chat_consents (org_id, customer_id, status, source, changed_at)
         SELECT $1::uuid, customer_id, 'DISAGREED', 'API', refused_at FROM bench_chat_refusal
         UNION ALL SELECT $1::uuid, customer_id, 'AGREED', 'API', agreed_at FROM bench_chat_refusal WHERE agreed_at > refused_at`,
        [org.id],
      );
    });
    const conversations = Number((await c.query(`SELECT count(*) AS n FROM bench_chat_conv`)).rows[0].n);
    // Each conversation carries its customer's refusal window, so withholding is two comparisons per message.
    await c.query(`ALTER TABLE bench_chat_conv ADD COLUMN refused_at timestamptz, ADD COLUMN agreed_at timestamptz`);
    await c.query(
      `UPDATE bench_chat_conv v SET refused_at = f.refused_at, agreed_at = f.agreed_at
         FROM bench_chat_refusal f WHERE f.customer_id = v.customer_id`,
    );
    // A pool of distinct texts with their grams (chat_search_grams costs far more than writing a row); each message
    // draws one, so a word is in the same share of messages as if every text were drawn anew.
    const pool = Math.min(MESSAGES, Math.max(10_000, Math.round(MESSAGES / 20)), 500_000);
    await phase(`texts (${pool.toLocaleString('en-US')} distinct, with their grams)`, async () => {
      await c.query(`DROP TABLE IF EXISTS bench_chat_text`);
      // Words skewed towards the start of each list; Chinese run together with the odd comma, English with spaces,
      // mixed texts alternate.
      await c.query(
        `CREATE UNLOGGED TABLE bench_chat_text AS
         WITH w AS (SELECT $2::text[] AS zh, $3::text[] AS en),
              b AS (
                SELECT n, array_to_string(ARRAY(
                         SELECT CASE WHEN x.lang < 60 OR (x.lang >= 85 AND j % 2 = 0)
                                     THEN w.zh[1 + floor(array_length(w.zh, 1) * power((abs(hashint8extended(n * 32 + j, 14)) % 10000) / 10000.0, 2))::int]
                                          || CASE WHEN abs(hashint8extended(n * 32 + j, 15)) % 7 = 0 THEN '，' ELSE '' END
                                     ELSE w.en[1 + floor(array_length(w.en, 1) * power((abs(hashint8extended(n * 32 + j, 14)) % 10000) / 10000.0, 2))::int] END
                           FROM w, generate_series(1, 3 + (abs(hashint8extended(n, 16)) % 12)::int) j),
                         CASE WHEN x.lang < 60 THEN '' ELSE ' ' END) AS body
                  FROM generate_series(0, $1::int - 1) AS n
                  CROSS JOIN LATERAL (SELECT abs(hashint8extended(n, 13)) % 100 AS lang) x)
         SELECT n, body, chat_search_grams(body) AS grams FROM b`,
        [pool, ZH, EN],
      );
      await c.query(`CREATE UNIQUE INDEX ON bench_chat_text (n)`);
    });
    const step = (DAYS * 86_400_000) / MESSAGES;
    for (const month of months()) {
      const lo = Math.max(0, Math.ceil((Date.parse(`${month}T00:00:00Z`) - START) / step));
      const hi = Math.min(MESSAGES, Math.ceil((Date.parse(`${nextMonth(month)}T00:00:00Z`) - START) / step));
      if (hi <= lo) continue;
      const t = partitionName(month);
      await phase(`${t} (${(hi - lo).toLocaleString('en-US')} rows)`, async () => {
        await c.query(`CREATE TABLE ${t} (LIKE chat_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        // Message i: a conversation (skewed: a few are busy), a time (in order; floored, so it stays in its month),
        // the sender, a type (8 % images and files, without text) and a text of the pool.
        await c.query(
          `WITH m AS (
                  SELECT i, cv.id AS conversation_id, cv.employee_id, cv.customer_id,
                         to_timestamp(floor($3::float8 + i * $4::float8) / 1000.0)::timestamptz(3) AS sent_at,
                         abs(hashint8extended(i, 12)) % 100 AS kind, cv.refused_at, cv.agreed_at,
                         abs(hashint8extended(i, 14)) % $5::int AS text_n
                    FROM generate_series($1::bigint, $2::bigint - 1) AS i
                    JOIN bench_chat_conv cv ON cv.n = floor($6::float8 * power((abs(hashint8extended(i, 10)) % 1000000) / 1000000.0, 2))::int),
                r AS (
                  SELECT m.*, coalesce(m.sent_at >= m.refused_at AND (m.agreed_at IS NULL OR m.sent_at < m.agreed_at), false) AS withheld,
                         CASE WHEN m.kind < 92 THEN x.body END AS body, x.grams
                    FROM m JOIN bench_chat_text x ON x.n = m.text_n)
           INSERT INTO ${t} (id, org_id, conversation_id, employee_id, customer_id, external_id, sender_type, type, text,
                             payload, content_withheld, search_grams, sent_at)
           SELECT uuidv7(r.sent_at - now()), $7::uuid, r.conversation_id, r.employee_id, r.customer_id, 'bench-' || r.i,
                  CASE WHEN abs(hashint8extended(r.i, 17)) % 100 < 55 THEN 'EMPLOYEE' ELSE 'CUSTOMER' END,
                  CASE WHEN r.kind < 92 THEN 'TEXT' WHEN r.kind < 97 THEN 'IMAGE' ELSE 'FILE' END,
                  CASE WHEN r.withheld THEN NULL ELSE r.body END,
                  CASE WHEN r.withheld OR r.kind < 92 THEN NULL ELSE jsonb_build_object('size', r.i % 100000) END,
                  r.withheld,
                  CASE WHEN r.withheld OR r.body IS NULL THEN '{}' ELSE r.grams END,
                  r.sent_at
             FROM r`,
          [lo, hi, START, step, pool, conversations, org.id],
        );
        await c.query(
          `INSERT INTO chat_message_keys (org_id, external_id, message_id, sent_at) SELECT org_id, external_id, id, sent_at FROM ${t}`,
        );
        await c.query(
          `ALTER TABLE chat_messages ATTACH PARTITION ${t} FOR VALUES FROM ('${month} 00:00:00+00') TO ('${nextMonth(month)} 00:00:00+00')`,
        );
      });
    }
    await phase('conversation counts', () =>
      c.query(
        `UPDATE chat_conversations c SET message_count = x.n, last_message_at = x.last
           FROM (SELECT conversation_id, count(*)::int AS n, max(sent_at) AS last FROM chat_messages WHERE org_id = $1 GROUP BY 1) x
          WHERE c.id = x.conversation_id`,
        [org.id],
      ),
    );
    await phase('vacuum analyze', () =>
      c.query(`VACUUM (ANALYZE) chat_messages, chat_message_keys, chat_conversations`),
    );
    await c.query(
      `CREATE TABLE bench_chat_generation (messages bigint, seed int, took jsonb, at timestamptz DEFAULT now())`,
    );
    await c.query(`INSERT INTO bench_chat_generation (messages, seed, took) VALUES ($1, $2, $3)`, [
      MESSAGES,
      SEED,
      JSON.stringify(took),
    ]);
  } finally {
    c.release();
  }
  return took;
}

interface SearchCase {
  label: string;
  query: string;
  filter: 'employee' | 'month';
}

/** The pg_trgm baseline: the same filters and order, the substring found by ILIKE (indexable by gin_trgm_ops). */
function trgmSql(sql: { text: string; params: unknown[] }): { text: string; params: unknown[] } {
  return {
    text: sql.text
      .replace('m.search_grams @> chat_query_grams($2::text)', 'TRUE')
      .replace('strpos(lower(m.text), lower($2::text)) > 0', `m.text ILIKE '%' || $2::text || '%'`),
    params: sql.params,
  };
}

async function timed(c: PoolClient, q: { text: string; params: unknown[] }): Promise<{ ms: number; rows: number }> {
  const t0 = process.hrtime.bigint();
  const r = await c.query(q.text, q.params);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, rows: r.rowCount ?? 0 };
}

/** The pg_trgm baseline's index on the text; it exists only while search is measured (ingest would maintain it). */
async function trgmIndex(pool: Pool): Promise<number | null> {
  const exists = (await pool.query(`SELECT to_regclass('bench_chat_messages_text_trgm') IS NOT NULL AS e`)).rows[0].e;
  if (exists) return null;
  const t = Date.now();
  await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  await pool.query(`SET maintenance_work_mem = '1GB'`);
  await pool.query(`CREATE INDEX bench_chat_messages_text_trgm ON chat_messages USING gin (text gin_trgm_ops)`);
  await pool.query(`ANALYZE chat_messages`);
  log(`pg_trgm baseline index built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return (Date.now() - t) / 1000;
}

/** Ours, as ChatArchiveRepository.search runs it: the newest rows of the range first, the grams index when needed. */
async function ours(c: PoolClient, orgId: string, q: SearchQuery) {
  const t0 = process.hrtime.bigint();
  const recent = recentSearchSql(orgId, q);
  let rows = (await c.query(recent.text, recent.params)).rowCount ?? 0;
  const fellBack = rows < q.limit;
  if (fellBack) {
    const grams = searchSql(orgId, q);
    rows = (await c.query(grams.text, grams.params)).rowCount ?? 0;
  }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, rows, fellBack };
}

async function searchBench(pool: Pool, org: Org, plans: string[]) {
  const c = await pool.connect();
  try {
    const employees = (
      await c.query(
        `SELECT employee_id AS id FROM chat_conversations WHERE org_id = $1 GROUP BY 1 ORDER BY sum(message_count) DESC`,
        [org.id],
      )
    ).rows.map((r) => r.id as string);
    const ms = months();
    const cases: SearchCase[] = [
      { label: `"${ZH_QUERY}" (2 Chinese characters), one employee`, query: ZH_QUERY, filter: 'employee' },
      { label: `"${ZH_QUERY}" (2 Chinese characters), one month`, query: ZH_QUERY, filter: 'month' },
      { label: `"${EN_QUERY}" (English word), one employee`, query: EN_QUERY, filter: 'employee' },
      { label: `"${EN_QUERY}" (English word), one month`, query: EN_QUERY, filter: 'month' },
    ];
    const rows = [];
    for (const sc of cases) {
      const query = (k: number): SearchQuery => {
        const month = ms[k % ms.length];
        return {
          query: sc.query,
          limit: 21,
          ...(sc.filter === 'employee'
            ? { employeeIds: [employees[k % Math.min(employees.length, 50)]] }
            : { from: new Date(`${month}T00:00:00Z`), to: new Date(`${nextMonth(month)}T00:00:00Z`) }),
        };
      };
      const statement = (k: number) => searchSql(org.id, query(k));
      // One uncounted run of each warms the plan cache and the buffers.
      await ours(c, org.id, query(0));
      await timed(c, trgmSql(statement(0)));
      const mine: number[] = [];
      const base: number[] = [];
      let found = 0;
      let fellBack = 0;
      for (let k = 0; k < SEARCHES; k++) {
        const a = await ours(c, org.id, query(k));
        const b = await timed(c, trgmSql(statement(k)));
        if (a.rows !== b.rows)
          throw new Error(`${sc.label}: ours found ${a.rows} rows, the pg_trgm baseline ${b.rows}`);
        found += a.rows;
        if (a.fellBack) fellBack++;
        mine.push(a.ms);
        base.push(b.ms);
      }
      // The plans of the slowest employee/month of ours, for both: ours is the recent-rows statement, then the grams
      // one (what runs when the recent rows do not fill the page).
      const worst = mine.indexOf(Math.max(...mine));
      for (const [who, q] of [
        ['ours, first the newest rows of the range (recentSearchSql)', recentSearchSql(org.id, query(worst))],
        ['ours, when those do not fill the page: the search_grams GIN (searchSql)', statement(worst)],
        ['baseline (pg_trgm ILIKE)', trgmSql(statement(worst))],
      ] as const) {
        const plan = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.params);
        plans.push(
          `## ${sc.label}: ${who}\n-- params: ${JSON.stringify(q.params)}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`,
        );
      }
      const row = {
        scenario: sc.label,
        searches: SEARCHES,
        avgRows: found / SEARCHES,
        fellBackToGrams: fellBack,
        oursMs: { p50: quantile(mine, 0.5), p95: quantile(mine, 0.95), max: Math.max(...mine) },
        trgmMs: { p50: quantile(base, 0.5), p95: quantile(base, 0.95), max: Math.max(...base) },
      };
      rows.push(row);
      log(
        `search ${sc.label}: ours p50 ${fmt(row.oursMs.p50)} p95 ${fmt(row.oursMs.p95)} ms; pg_trgm p50 ${fmt(row.trgmMs.p50)} p95 ${fmt(row.trgmMs.p95)} ms`,
      );
    }
    return rows;
  } finally {
    c.release();
  }
}

/** The ingest rows: NDJSON lines for the HTTP path and the same rows in COPY text format for the floor. */
function* ingestLines(
  conv: Array<{ employee_id: string; customer_id: string }>,
  run: string,
  format: 'ndjson' | 'copy',
): Generator<string> {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const since = END - 7 * 86_400_000;
  const BATCH = 500;
  let out: string[] = [];
  for (let i = 0; i < INGEST; i++) {
    const cv = conv[Math.floor(rand() * conv.length)];
    const zh = rand() < 0.6;
    const words: string[] = [];
    for (let j = 0, n = 3 + Math.floor(rand() * 12); j < n; j++) {
      const list = zh ? ZH : EN;
      words.push(list[Math.floor(list.length * rand() * rand())]);
    }
    const text = words.join(zh ? '' : ' ');
    const sentAt = new Date(since + Math.floor((i * 7 * 86_400_000) / INGEST)).toISOString();
    const senderType = rand() < 0.55 ? 'EMPLOYEE' : 'CUSTOMER';
    const externalId = `ingest-${run}-${i}`;
    out.push(
      format === 'ndjson'
        ? JSON.stringify({
            externalId,
            employeeId: cv.employee_id,
            customerId: cv.customer_id,
            senderType,
            type: 'TEXT',
            text,
            sentAt,
          })
        : [externalId, cv.employee_id, cv.customer_id, senderType, 'TEXT', text, sentAt].join('\t'),
    );
    if (out.length === BATCH) {
      yield out.join('\n') + '\n';
      out = [];
    }
  }
  if (out.length) yield out.join('\n') + '\n';
}

/** Waits until no GIN index of a chat_messages partition has a pending list; the milliseconds it took. */
async function pendingListsEmpty(pool: Pool): Promise<number> {
  await pool.query(`CREATE EXTENSION IF NOT EXISTS pgstattuple`);
  const t0 = Date.now();
  for (;;) {
    const { n } = (
      await pool.query(
        `SELECT coalesce(sum((pgstatginindex(i.indexrelid)).pending_tuples), 0)::bigint AS n
           FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam
          WHERE a.amname = 'gin' AND i.indrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'chat_messages'::regclass)`,
      )
    ).rows[0] as { n: string };
    if (n === '0') return Date.now() - t0;
    if (Date.now() - t0 > 120_000) throw new Error(`pending lists still hold ${n} tuples 120 s after the answer`);
    await sleep(50);
  }
}

async function ingestBench(pool: Pool, url: string, org: Org) {
  const conv = (
    await pool.query(`SELECT employee_id, customer_id FROM chat_conversations WHERE org_id = $1 ORDER BY id`, [org.id])
  ).rows as Array<{ employee_id: string; customer_id: string }>;
  const run = Date.now().toString(36);
  // The floor: COPY of the same rows into a table without indexes, keys or checks.
  const c = await pool.connect();
  let floorMs: number;
  try {
    await c.query(`DROP TABLE IF EXISTS bench_chat_copy_floor`);
    await c.query(
      `CREATE TABLE bench_chat_copy_floor (external_id varchar(128), employee_id uuid, customer_id uuid,
         sender_type varchar(16), type varchar(16), text text, sent_at timestamptz(3))`,
    );
    const t0 = Date.now();
    await pipeline(
      Readable.from(ingestLines(conv, run, 'copy')),
      c.query(copyFrom(`COPY bench_chat_copy_floor FROM STDIN`)),
    );
    floorMs = Date.now() - t0;
    await c.query(`DROP TABLE bench_chat_copy_floor`);
  } finally {
    c.release();
  }
  log(`ingest floor: COPY of ${INGEST.toLocaleString('en-US')} rows into an unindexed table in ${floorMs} ms`);

  const secret = randomBytes(32).toString('hex');
  const port = await freePort();
  // NODE_OPTIONS refuses --cpu-prof: it is given to the API's node itself.
  const profDir = process.env.BENCH_API_CPU_PROF;
  const cpuProf = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const api = spawnChild(
    'api',
    process.execPath,
    [...cpuProf, '--max-semi-space-size=128', join(repoRoot(), 'dist', 'src', 'cli.js'), 'api'],
    {
      DATABASE_URL: url,
      PORT: String(port),
      JWT_SECRET: secret,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: join(repoRoot(), 'bench', 'data', 'server'),
    },
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/ready`, api);
    await sleep(1000);
    const before = Number(
      (await pool.query(`SELECT count(*) AS n FROM chat_message_keys WHERE org_id = $1`, [org.id])).rows[0].n,
    );
    if (PG_STATS) await pool.query(`SELECT pg_stat_statements_reset()`);
    const t0 = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/chat/messages/import`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-ndjson',
        authorization: `Bearer ${mintToken(secret, org.admin, org.id)}`,
      },
      body: Readable.toWeb(Readable.from(ingestLines(conv, run, 'ndjson'))) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const summary = (await res.json()) as { accepted: number; duplicates: number; rejected: number };
    const ms = Date.now() - t0;
    if (res.status !== 200 || summary.accepted !== INGEST)
      throw new Error(`bulk import answered ${res.status}: ${JSON.stringify(summary).slice(0, 500)}`);
    const after = Number(
      (await pool.query(`SELECT count(*) AS n FROM chat_message_keys WHERE org_id = $1`, [org.id])).rows[0].n,
    );
    if (after - before !== INGEST) throw new Error(`stored ${after - before} keys, expected ${INGEST}`);
    log(`ingest: ${INGEST.toLocaleString('en-US')} messages through POST /chat/messages/import in ${ms} ms`);
    // The API merges the import's search grams into the index after its answer (SearchIndexCleaner): how long after.
    const merged = await pendingListsEmpty(pool);
    log(`ingest: search index's pending lists empty ${merged} ms after the answer`);
    if (PG_STATS) {
      const top = await pool.query(
        `SELECT round(total_exec_time)::bigint AS ms, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) AS q
           FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
      );
      console.log('\nPostgreSQL, busiest statements of the ingest (total ms, calls, rows, statement):');
      for (const x of top.rows) console.log(`${x.ms}\t${x.calls}\t${x.rows}\t${x.q}`);
    }
    return {
      messages: INGEST,
      bulkMs: ms,
      mergedAfterMs: merged,
      bulkPerSecond: (1000 * INGEST) / ms,
      floorMs,
      floorPerSecond: (1000 * INGEST) / floorMs,
    };
  } finally {
    await api.stop();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const load: Record<string, number[]> = { atStart: loadavg() };
  const external = process.env.BENCH_DB_URL;
  let pg = external ? null : await startBenchPostgres(DATA, 'load', log);
  let url = external ?? pg!.urlFor(DATABASE);
  let pool = new Pool({ connectionString: url, max: 3 });
  pool.on('error', () => undefined);
  let took: Record<string, number> | null = null;
  const plans: string[] = [];
  try {
    const applied = await runMigrations(url, MIGRATIONS);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    const org = await benchOrg(pool);
    const have = await pool
      .query(`SELECT messages FROM bench_chat_generation`)
      .then((r) => Number(r.rows[0]?.messages ?? -1))
      .catch(() => -1);
    if (have !== MESSAGES || args.has('regenerate')) took = await generate(pool, org);
    else log(`reusing the ${MESSAGES.toLocaleString('en-US')} generated messages (--regenerate to force)`);
    if (args.has('generate-only')) return;
    if (pg) {
      // Measured with the durable settings (fsync on), as the suite's runs are.
      await pool.end();
      await pg.stop();
      pg = await startBenchPostgres(
        DATA,
        'run',
        log,
        PG_STATS ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {},
      );
      url = pg.urlFor(DATABASE);
      pool = new Pool({ connectionString: url, max: 3 });
      pool.on('error', () => undefined);
    }
    const sizes = (
      await pool.query(
        `SELECT (SELECT count(*) FROM chat_messages WHERE org_id = $1)::bigint AS messages,
                (SELECT count(*) FROM chat_messages WHERE org_id = $1 AND content_withheld)::bigint AS withheld,
                (SELECT count(*) FROM chat_conversations WHERE org_id = $1 AND message_count > 0)::int AS conversations,
                (SELECT count(DISTINCT employee_id) FROM chat_conversations WHERE org_id = $1)::int AS employees,
                (SELECT count(*) FROM chat_consents WHERE org_id = $1)::int AS consents,
                pg_size_pretty(pg_total_relation_size('chat_messages') + coalesce((SELECT sum(pg_total_relation_size(i.inhrelid))
                  FROM pg_inherits i WHERE i.inhparent = 'chat_messages'::regclass), 0)) AS size`,
        [org.id],
      )
    ).rows[0];
    log(`archive: ${JSON.stringify(sizes)}`);
    await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_prewarm`).catch(() => undefined);
    if (PG_STATS) await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    const only = args.get('only');
    const trgmIndexSeconds = only === 'ingest' ? null : await trgmIndex(pool);
    load.beforeSearch = loadavg();
    const search = only === 'ingest' ? [] : await searchBench(pool, org, plans);
    await pool.query(`DROP INDEX IF EXISTS bench_chat_messages_text_trgm`);
    load.beforeIngest = loadavg();
    const ingest = only === 'search' ? null : await ingestBench(pool, url, org);
    load.atEnd = loadavg();

    const stamp = startedAt.toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';
    const dir = join(repoRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const plansFile = join(dir, `chat-archive-${stamp}-plans.txt`);
    writeFileSync(
      plansFile,
      `# EXPLAIN (ANALYZE, BUFFERS), ${MESSAGES.toLocaleString('en-US')} messages\n\n${plans.join('\n')}`,
    );
    const file = join(dir, `chat-archive-${stamp}.json`);
    const out = {
      startedAt: startedAt.toISOString(),
      seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        memGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        loadavg: load,
      },
      messages: MESSAGES,
      archive: sizes,
      generationSeconds: took,
      trgmIndexSeconds,
      search,
      ingest,
      plans: plansFile.replace(`${repoRoot()}/`, ''),
    };
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    const rows = search.map(
      (r) =>
        `| search ${r.scenario} | ${fmt(r.oursMs.p50)} | **${fmt(r.oursMs.p95)}** | ${fmt(r.trgmMs.p50)} | ${fmt(r.trgmMs.p95)} | ${fmt(r.trgmMs.p95 / r.oursMs.p95)}× | ${r.fellBackToGrams} of ${r.searches} |`,
    );
    console.log(
      [
        '',
        `| scenario (${Number(sizes.messages).toLocaleString('en-US')} messages, ${sizes.conversations} conversations, ${sizes.employees} employees) | ours p50 ms | ours p95 ms | pg_trgm p50 ms | pg_trgm p95 ms | pg_trgm / ours (p95) | searches that needed the grams index |`,
        '|---|---:|---:|---:|---:|---:|---:|',
        ...rows,
        '',
        ...(ingest
          ? [
              `| ingest (${INGEST.toLocaleString('en-US')} messages, one body) | messages/s | seconds |`,
              '|---|---:|---:|',
              `| bulk NDJSON over HTTP (POST /chat/messages/import) | **${Math.round(ingest.bulkPerSecond).toLocaleString('en-US')}** | ${fmt(ingest.bulkMs / 1000, 1)} |`,
              `| floor: COPY into an unindexed table | ${Math.round(ingest.floorPerSecond).toLocaleString('en-US')} | ${fmt(ingest.floorMs / 1000, 1)} |`,
              `| search grams merged into the index (after the answer, off the request) | | +${fmt(ingest.mergedAfterMs / 1000, 1)} |`,
              '',
            ]
          : []),
        `load average (1/5/15 min) at start ${load.atStart.map((x) => x.toFixed(2)).join(' ')}, at the end ${load.atEnd.map((x) => x.toFixed(2)).join(' ')}`,
        '',
      ].join('\n'),
    );
    log(`plans: ${plansFile}`);
    log(`results: ${file}`);
  } finally {
    await stopAll();
    await pool.end();
    await pg?.stop();
  }
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
