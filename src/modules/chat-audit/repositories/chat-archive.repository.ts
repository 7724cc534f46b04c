import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { Tx, UnitOfWork } from 'src/core/database/unit-of-work';
import { SqlReader } from 'src/core/database/sql-reader';
import type { ScopeEmployees } from 'src/modules/org/org.fragments';
import { scopePredicate } from 'src/modules/org/scope-sql';
import { ConsentStatusValue } from 'src/modules/chat-audit/entities/chat-consent.entity';
import { copyField } from 'src/modules/chat-audit/services/ndjson-lines';
import { searchGramsLiteral } from 'src/modules/chat-audit/services/search-grams';

/** What runs the write path's statements: a TypeORM transaction, or the bulk import's own connection. */
export interface SqlRunner {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/**
 * The advisory lock (class, then the organization's hash) that orders consent refusals against ingests in flight.
 * An ingest takes it shared from its consent re-check to its commit; recordConsent, once its refusal is committed,
 * takes it exclusively for an instant, so it waits for every ingest then between re-check and commit (their
 * messages are committed after that) and every later re-check sees the refusal (see mergeStage and
 * awaitIngestsInCommit).
 */
const CONSENT_LOCK = `hashtext('chat-consent'), hashtext($1::text)`;

/** Per write transaction (its handle): the customers it stored messages for, each with its earliest message time. */
const storedSince = new WeakMap<object, Map<string, Date>>();

/** What a refusal of consent erased: how many messages lost their content, and the alerts deleted with it. */
export interface Erased {
  messages: number;
  alertIds: string[];
}

/**
 * Told, inside the erasing transaction, of the alerts deleted with their messages' content (their notices go too:
 * the service withdraws them through the notifications module).
 */
export type AlertsErased = (db: SqlRunner, alertIds: string[]) => Promise<void>;

/**
 * The tail of an erasing statement whose `erased` CTE returns the erased messages' ids: deletes the alerts raised
 * on them (an alert names what its message matched: derived from content that may not be kept) and yields
 * `n` (messages erased) and `alert_ids`. A message erased later thus ends as if its refusal had come first (a
 * withheld message is never matched).
 */
const ALERTS_OF_ERASED = `dropped AS (DELETE FROM chat_audit_alerts a USING erased e
                    WHERE a.org_id = $1 AND a.message_id = e.id RETURNING a.id)
       SELECT (SELECT count(*)::int FROM erased) AS n, ARRAY(SELECT id FROM dropped) AS alert_ids`;

/** The staging tables of one transaction (temporary, dropped at commit). */
export const STAGE = 'chat_ingest_stage';
/** (line, message_id) of the staged messages this transaction claimed (new external ids). */
export const CLAIMED = 'chat_ingest_claimed';

/** A message ready to be written: both sides resolved to ids. */
export interface MessageToStore {
  externalId: string;
  employeeId: string;
  customerId: string;
  senderType: string;
  type: string;
  text: string | null;
  payload: unknown;
  sentAt: Date;
}

export interface ConsentChange {
  customerId: string;
  employeeId: string | null;
  status: ConsentStatusValue;
  changedAt: Date;
}

export interface MessageRow {
  id: string;
  orgId: string;
  conversationId: string;
  externalId: string;
  senderType: string;
  type: string;
  text: string | null;
  contentWithheld: boolean;
  sentAt: Date;
}

export interface ConversationRow {
  id: string;
  orgId: string;
  employeeId: string;
  customerId: string;
  messageCount: number;
  lastMessageAt: Date | null;
}

export interface SearchQuery {
  query: string;
  employeeIds?: string[];
  customerId?: string;
  senderType?: string;
  from?: Date;
  to?: Date;
  /** Keyset: (sentAt, id) of the last row of the previous page, newest first. */
  before?: [string, string] | null;
  limit: number;
  /** The reader's chat:read scope (null or omitted: the whole organization; the read service always gives it). */
  scope?: ScopeEmployees | null;
}

export interface ConversationQuery {
  employeeId?: string;
  customerId?: string;
  departmentId?: string;
  from?: Date;
  to?: Date;
  after?: [string, string] | null;
  limit: number;
  /** The reader's chat:read scope (null: the whole organization). */
  scope: ScopeEmployees | null;
}

const MESSAGE_COLUMNS = `m.id, m.org_id AS "orgId", m.conversation_id AS "conversationId", m.external_id AS "externalId",
  m.sender_type AS "senderType", m.type, m.text, m.content_withheld AS "contentWithheld", m.sent_at AS "sentAt"`;
const CONVERSATION_COLUMNS = `c.id, c.org_id AS "orgId", c.employee_id AS "employeeId", c.customer_id AS "customerId",
  c.message_count AS "messageCount", c.last_message_at AS "lastMessageAt"`;

/**
 * The effective consent of message `m` (columns customer_id, employee_id,
 * sent_at, or the aliases given): the latest change at or before the message
 * among the customer's organization-wide changes and those for its employee.
 * One formula for ingest, for withholding afterwards and for reads.
 */
const consentAt = (org: string, customer: string, employee: string, at: string) =>
  `(SELECT cs.status FROM chat_consents cs
     WHERE cs.org_id = ${org} AND cs.customer_id = ${customer} AND (cs.employee_id IS NULL OR cs.employee_id = ${employee})
       AND cs.changed_at <= ${at}
     ORDER BY cs.changed_at DESC, cs.id DESC LIMIT 1)`;

/**
 * One message as a row of stageCopySql's COPY (text format, newline-terminated), with its grams literal or null.
 * The grams literal (searchGramsLiteral: digits, commas, braces) is never escaped: scanning its ~290 characters
 * per message for delimiters was most of building the rows (200,000 bench messages: 1.0-1.5 s of the API's
 * CPU, 0.5-0.7 s without; /tmp script over the bench's text mix).
 */
export function stageCopyRow(r: MessageToStore & { line: number }, grams: string | null): string {
  const payload = r.payload === null || r.payload === undefined ? null : JSON.stringify(r.payload);
  return (
    `${r.line}\t${copyField(r.externalId)}\t${r.employeeId}\t${r.customerId}\t${copyField(r.senderType)}\t` +
    `${copyField(r.type)}\t${copyField(r.text)}\t${copyField(payload)}\t${r.sentAt.toISOString()}\t${grams ?? '\\N'}\n`
  );
}

/** `chat_messages_p202601` for `2026-01-01`. */
export const partitionName = (month: string) => `chat_messages_p${month.slice(0, 4)}${month.slice(5, 7)}`;

/** The first day of the month after `month` (`YYYY-MM-01`). */
export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The search statement (exported so a test can EXPLAIN exactly what runs).
 * Candidates come from the GIN index on search_grams (every bigram of the
 * query, or its one character, must be among the message's grams); the
 * substring test then removes the rest. Both sides lower-case with
 * PostgreSQL's lower(), so the grams and the test agree.
 */
export function searchSql(orgId: string, q: SearchQuery): { text: string; params: unknown[] } {
  const { where, params, p } = searchFilters(orgId, q);
  where.splice(1, 0, 'm.search_grams @> chat_query_grams($2::text)', 'strpos(lower(m.text), lower($2::text)) > 0');
  const text = `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m WHERE ${where.join(' AND ')}
    ORDER BY m.sent_at DESC, m.id DESC LIMIT ${p(q.limit)}`;
  return { text, params };
}

/** A search's filters other than the query (the query is $2). */
function searchFilters(orgId: string, q: SearchQuery) {
  const params: unknown[] = [orgId, q.query];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['m.org_id = $1'];
  // One employee (the usual filter) as an equality: the (org_id, employee_id, sent_at, id) index then hands over
  // the employee's messages newest first. `= ANY(array)`, even of one id, cannot give that order, so PostgreSQL
  // walked the organization's time index filtering on the employee (at 10M: 400,000 rows read for a page).
  if (q.employeeIds?.length === 1) where.push(`m.employee_id = ${p(q.employeeIds[0])}::uuid`);
  else if (q.employeeIds?.length) where.push(`m.employee_id = ANY(${p(q.employeeIds)}::uuid[])`);
  if (q.customerId) where.push(`m.customer_id = ${p(q.customerId)}::uuid`);
  if (q.senderType) where.push(`m.sender_type = ${p(q.senderType)}`);
  if (q.from) where.push(`m.sent_at >= ${p(q.from)}::timestamptz`);
  if (q.to) where.push(`m.sent_at < ${p(q.to)}::timestamptz`);
  if (q.before) where.push(`(m.sent_at, m.id) < (${p(q.before[0])}::timestamptz, ${p(q.before[1])}::uuid)`);
  if (q.scope) where.push(`m.employee_id IN (${q.scope.bind(params)})`);
  return { where, params, p };
}

const RECENT_COLUMNS = `m.id, m."orgId", m."conversationId", m."externalId", m."senderType", m.type, m.text,
  m."contentWithheld", m."sentAt"`;

/** How many of the newest messages of the filtered range recentSearchSql reads at most. */
export const RECENT_SEARCH_ROWS = 5000;

/**
 * The first try of a search (exported for the bench and tests): the newest
 * RECENT_SEARCH_ROWS messages of the filtered range (by the time-ordered
 * indexes, newest first) under the substring test alone. When they hold a
 * full page, it is the answer: the newest matches of the range, in order. A
 * common word is found this way in a few hundred rows, where the grams index
 * would hand over every message holding its grams (millions for "refund" at
 * 10M: PostgreSQL estimates a query's bigrams as independent, so it takes the
 * index and sorts them all). When the page is not full the word is rare
 * there, and searchSql's index scan is the quick one.
 */
export function recentSearchSql(orgId: string, q: SearchQuery): { text: string; params: unknown[] } {
  const { where, params, p } = searchFilters(orgId, q);
  const text = `SELECT ${RECENT_COLUMNS} FROM (SELECT ${MESSAGE_COLUMNS}, m.sent_at FROM chat_messages m WHERE ${where.join(' AND ')}
                    ORDER BY m.sent_at DESC, m.id DESC LIMIT ${p(RECENT_SEARCH_ROWS)}) m
    WHERE strpos(lower(m.text), lower($2::text)) > 0 ORDER BY m.sent_at DESC, m.id DESC LIMIT ${p(q.limit)}`;
  return { text, params };
}

/** The chat archive's tables: messages (partitioned by month), their keys, conversations and consent history. */
/** A size setting such as `256MB`, checked before it is written into a SET (which takes no parameters). */
function megabytes(size: string): string {
  if (!/^\d+MB$/.test(size)) throw new Error(`not a size: ${size}`);
  return size;
}

@Injectable()
export class ChatArchiveRepository {
  private asciiLowerAgrees?: Promise<boolean>;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly reads: SqlReader,
  ) {}

  /** The months of `months` (`YYYY-MM-01`) that have no partition yet. */
  async missingPartitions(months: readonly string[]): Promise<string[]> {
    if (!months.length) return [];
    const rows: Array<{ month: string; present: boolean }> = await this.reads.query(
      `SELECT m AS month, to_regclass(n) IS NOT NULL AS present FROM unnest($1::text[], $2::text[]) AS x(m, n)`,
      [months, months.map(partitionName)],
    );
    return rows.filter((r) => !r.present).map((r) => r.month);
  }

  /**
   * Creates the month partitions (UTC months) that do not exist, in a short
   * transaction of its own. Created alone and then attached: ATTACH PARTITION
   * takes a SHARE UPDATE EXCLUSIVE lock on chat_messages, which writers' ROW
   * EXCLUSIVE locks do not block (CREATE TABLE ... PARTITION OF takes ACCESS
   * EXCLUSIVE). A bulk import that has written a slice holds its lock until it
   * commits and may need a new month for its next slice: it must not wait for
   * itself.
   *
   * Creators are serialized across processes by taking that same lock first,
   * not an advisory lock: acquiring a table lock makes the backend read the
   * catalog changes committed meanwhile, an advisory lock does not. With one,
   * a pooled connection whose `missingPartitions` had just found the month
   * missing kept that answer cached after waiting for a concurrent creator,
   * and CREATE TABLE failed with "already exists" (two batches of a new month
   * at once; test/chat-partitions.e2e-spec.ts).
   */
  async createPartitions(months: readonly string[]): Promise<void> {
    if (!months.length) return;
    await this.db.transaction(async (tx) => {
      await tx.query(`LOCK TABLE chat_messages IN SHARE UPDATE EXCLUSIVE MODE`);
      for (const month of months) {
        if (!/^\d{4}-\d{2}-01$/.test(month)) throw new Error(`not a month: ${month}`);
        const t = partitionName(month);
        const [{ present }] = await tx.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [t]);
        if (present) continue;
        await tx.query(`CREATE TABLE ${t} (LIKE chat_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        await tx.query(
          `ALTER TABLE chat_messages ATTACH PARTITION ${t}
             FOR VALUES FROM ('${month} 00:00:00+00') TO ('${nextMonth(month)} 00:00:00+00')`,
        );
      }
    });
  }

  /**
   * ANALYZE of a month's partition (`YYYY-MM-01`) that was never analyzed nor vacuumed (`reltuples` -1, as
   * created), outside any transaction; whether it ran (see PartitionAnalyzer).
   */
  async analyzeIfNeverAnalyzed(month: string): Promise<boolean> {
    if (!/^\d{4}-\d{2}-01$/.test(month)) throw new Error(`not a month: ${month}`);
    const t = partitionName(month);
    const rows: Array<{ fresh: boolean }> = await this.db.query(
      `SELECT c.reltuples < 0 AS fresh FROM pg_class c WHERE c.oid = to_regclass($1)`,
      [t],
    );
    if (!rows[0]?.fresh) return false;
    await this.db.query(`ANALYZE ${t}`);
    return true;
  }

  /** The month partitions there are, oldest first, as `YYYY-MM-01`. */
  async partitions(): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.reads.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'chat_messages'::regclass ORDER BY 1`,
    );
    return rows
      .map((r) => /^chat_messages_p(\d{4})(\d{2})$/.exec(r.name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]}-${m[2]}-01`);
  }

  /**
   * The staging table every write goes through (GraphQL batches are inserted
   * into it, bulk imports are COPYed into it), dropped at commit. `line` is
   * the message's position in its call or file: the first of repeated
   * external ids wins. `grams` are the text's search grams when the
   * application computed them (gramsOf), else null (chat_search_grams then).
   * With it, the table of the lines mergeStage claims.
   */
  async createStage(db: SqlRunner): Promise<void> {
    await db.query(
      `CREATE TEMP TABLE ${STAGE} (line integer NOT NULL, external_id varchar(128) NOT NULL, employee_id uuid NOT NULL,
         customer_id uuid NOT NULL, sender_type varchar(16) NOT NULL, type varchar(16) NOT NULL, text text, payload jsonb,
         sent_at timestamptz(3) NOT NULL, grams int8[]) ON COMMIT DROP`,
    );
    await db.query(`CREATE TEMP TABLE ${CLAIMED} (line integer NOT NULL, message_id uuid NOT NULL) ON COMMIT DROP`);
  }

  /** Empties the staging tables for the transaction's next slice (a bulk import merges slice by slice). */
  async clearStage(db: SqlRunner): Promise<void> {
    await db.query(`TRUNCATE ${STAGE}, ${CLAIMED}`);
  }

  /**
   * Moves the GIN pending lists of the months' partitions (`YYYY-MM-01`) into their search_grams indexes, in
   * bulk (gin_clean_pending_list): after a bulk import that let them grow, so that searches through the index
   * do not read the whole list until autovacuum cleans it.
   */
  async cleanSearchIndexes(db: SqlRunner, months: readonly string[]): Promise<void> {
    if (!months.length) return;
    await db.query(
      `SELECT gin_clean_pending_list(i.indexrelid::regclass)
         FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam
        WHERE a.amname = 'gin' AND i.indrelid IN (SELECT to_regclass(n) FROM unnest($1::text[]) AS n)`,
      [months.map(partitionName)],
    );
  }

  /**
   * How large the search index's GIN pending list may grow in this transaction (`gin_pending_list_limit`, e.g.
   * `32MB`) before the transaction merges it into the index itself: writers raise it to append only and merge later.
   */
  async setPendingSearchGramsLimit(db: SqlRunner, size: string): Promise<void> {
    await db.query(`SET LOCAL gin_pending_list_limit = '${megabytes(size)}'`);
  }

  /**
   * cleanSearchIndexes on a connection of the pool's, in a transaction of its own whose maintenance_work_mem
   * (what gin_clean_pending_list gathers a list in before writing it to the index) is `memory` (see
   * SearchIndexCleaner): a bulk import leaves lists of hundreds of megabytes, merged in one pass with that much.
   */
  async cleanSearchIndexesNow(months: readonly string[], memory: string): Promise<void> {
    const size = megabytes(memory);
    if (!months.length) return;
    await this.db.transaction(async (m) => {
      await m.query(`SET LOCAL maintenance_work_mem = '${size}'`);
      await this.cleanSearchIndexes(m, months);
    });
  }

  /**
   * Stages a GraphQL batch with one COPY on the transaction's connection: one text stream the driver sends as it
   * is. The former INSERT ... FROM unnest of ten array parameters had node-postgres quote and escape every element
   * again (the grams literals twice over: an array literal inside an array literal): 364 ms of the API's CPU
   * profile over 43 batches, 13 ms with COPY (bench/RESULTS.md, session 14).
   */
  async stageRows(tx: Tx, rows: ReadonlyArray<MessageToStore & { line: number }>): Promise<void> {
    if (!rows.length) return;
    const grams = await this.gramsOf();
    const client = (await tx.queryRunner!.connect()) as PoolClient;
    const lines: string[] = [];
    for (const r of rows) lines.push(stageCopyRow(r, grams(r.text)));
    await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(this.stageCopySql())));
  }

  /**
   * What fills the staging table's `grams`: a message's search grams as an
   * array literal, computed by the application (searchGramsLiteral) when PostgreSQL's
   * lower() maps A-Z to a-z as the application's does (checked once), else
   * null, and null for the texts searchGrams leaves to chat_search_grams.
   */
  async gramsOf(): Promise<(text: string | null) => string | null> {
    return (await this.appComputesGrams())
      ? (text) => (text === null ? null : searchGramsLiteral(text))
      : () => null;
  }

  /** Whether the application may compute search grams (gramsOf): PostgreSQL's lower() maps A-Z as its own does. */
  appComputesGrams(): Promise<boolean> {
    this.asciiLowerAgrees ??= this.reads
      .query<{ ok: boolean }>(`SELECT lower('ABCDEFGHIJKLMNOPQRSTUVWXYZ') = 'abcdefghijklmnopqrstuvwxyz' AS ok`)
      .then((r) => r[0].ok);
    return this.asciiLowerAgrees;
  }

  /**
   * The COPY statement that streams rows into the staging table (text format, columns as `stageCopyRow` writes
   * them; `binary`: PostgreSQL's binary format, as StageBinaryRows writes them).
   */
  stageCopySql(binary = false): string {
    return `COPY ${STAGE} (line, external_id, employee_id, customer_id, sender_type, type, text, payload, sent_at, grams)
              FROM STDIN${binary ? ' (FORMAT binary)' : ''}`;
  }

  /**
   * Writes the staged messages, set-based, in the caller's transaction:
   * 1. claims the external ids not seen before (chat_message_keys; a repeat,
   *    earlier or by a concurrent call, is not claimed, whatever month it falls in),
   *    in external-id order so that two batches sharing ids wait for each other instead of deadlocking;
   * 2. adds the claimed messages to their conversations (created on first
   *    message), pairs in a fixed order so concurrent writers lock them alike.
   *    First, on purpose: the conversation rows' locks serialize two batches of
   *    the same conversations before either erases content (step 5); with the
   *    counts last, two such batches' erasures deadlocked (found by the
   *    randomized test in test/kpi-rebuild.e2e-spec.ts);
   * 3. records the consent changes of AGREE/DISAGREE messages;
   * 4. inserts the messages: text, payload and search grams only when the
   *    customer's effective consent at the message's time is not DISAGREED;
   * 5. erases the content of messages already stored that a refusal in this
   *    batch now covers (a DISAGREE arriving after the messages that follow it).
   * Partitions for the staged months must exist (createPartitions).
   */
  async mergeStage(db: SqlRunner, orgId: string, alertsErased?: AlertsErased): Promise<{ accepted: number }> {
    // The count comes with the claim: counting the staging tables again read both whole (a bulk slice: 50,000 rows).
    const [{ accepted }] = await db.query<Array<{ accepted: number }>>(
      `WITH firsts AS (SELECT DISTINCT ON (external_id) line, external_id, sent_at FROM ${STAGE} ORDER BY external_id, line),
            claimed AS (INSERT INTO chat_message_keys (org_id, external_id, message_id, sent_at)
                        SELECT $1, f.external_id, uuidv7(), f.sent_at FROM firsts f ORDER BY f.external_id
                        ON CONFLICT (org_id, external_id) DO NOTHING
                        RETURNING external_id, message_id),
            kept AS (INSERT INTO ${CLAIMED} (line, message_id)
                     SELECT f.line, c.message_id FROM claimed c JOIN firsts f USING (external_id) RETURNING 1)
       SELECT count(*)::int AS accepted FROM kept`,
      [orgId],
    );
    if (!accepted) return { accepted };
    await db.query(
      `INSERT INTO chat_conversations (org_id, employee_id, customer_id, message_count, last_message_at)
       SELECT $1, s.employee_id, s.customer_id, count(*), max(s.sent_at)
         FROM ${STAGE} s JOIN ${CLAIMED} k USING (line)
        GROUP BY s.employee_id, s.customer_id ORDER BY s.employee_id, s.customer_id
       ON CONFLICT (org_id, employee_id, customer_id) DO UPDATE
         SET message_count = chat_conversations.message_count + EXCLUDED.message_count,
             last_message_at = GREATEST(chat_conversations.last_message_at, EXCLUDED.last_message_at)`,
      [orgId],
    );
    const changes = await db.query<ConsentChange[]>(
      `INSERT INTO chat_consents (org_id, customer_id, employee_id, status, source, changed_at)
       SELECT $1, s.customer_id, s.employee_id, CASE s.type WHEN 'AGREE' THEN 'AGREED' ELSE 'DISAGREED' END, 'MESSAGE', s.sent_at
         FROM ${STAGE} s JOIN ${CLAIMED} k USING (line) WHERE s.type IN ('AGREE', 'DISAGREE')
       RETURNING customer_id AS "customerId", employee_id AS "employeeId", status, changed_at AS "changedAt"`,
      [orgId],
    );
    // The consent look-up runs only for the messages of customers with a refusal on record (this batch's DISAGREE
    // messages included: recorded just above): without one the effective consent cannot be DISAGREED. They are
    // found once per statement: the stage's customers as one array (an InitPlan), probed in one scan of the
    // consents' (org_id, customer_id, changed_at) index. Probing every message's customer cost 70 ms per 50,000
    // messages of the bench, where 5 % of the customers ever refused. (A join of the stage, a temporary table
    // without statistics, made the planner filter every consent against every staged customer: 92 ms.)
    await db.query(
      `WITH refusing AS MATERIALIZED (
         SELECT DISTINCT cs.customer_id FROM chat_consents cs
          WHERE cs.org_id = $1 AND cs.status = 'DISAGREED'
            AND cs.customer_id = ANY ((SELECT array_agg(DISTINCT x.customer_id) FROM ${STAGE} x)::uuid[]))
       INSERT INTO chat_messages (id, org_id, conversation_id, employee_id, customer_id, external_id, sender_type, type,
                                  text, payload, content_withheld, search_grams, sent_at)
       SELECT k.message_id, $1, c.id, s.employee_id, s.customer_id, s.external_id, s.sender_type, s.type,
              CASE WHEN w.withheld THEN NULL ELSE s.text END,
              CASE WHEN w.withheld THEN NULL ELSE s.payload END,
              w.withheld,
              CASE WHEN w.withheld OR s.text IS NULL THEN '{}' ELSE coalesce(s.grams, chat_search_grams(s.text)) END,
              s.sent_at
         FROM ${STAGE} s
         JOIN ${CLAIMED} k USING (line)
         JOIN chat_conversations c ON c.org_id = $1 AND c.employee_id = s.employee_id AND c.customer_id = s.customer_id
         LEFT JOIN refusing r ON r.customer_id = s.customer_id
        -- OFFSET 0 keeps the consent look-up one subquery per message: pulled up, it would run once per CASE below.
        CROSS JOIN LATERAL (SELECT CASE WHEN r.customer_id IS NULL THEN false
                                        ELSE coalesce(${consentAt('$1', 's.customer_id', 's.employee_id', 's.sent_at')},
                                                      'UNKNOWN') = 'DISAGREED'
                                    END AS withheld
                             OFFSET 0) w`,
      [orgId],
    );
    for (const c of changes.filter((x) => x.status === 'DISAGREED')) {
      const { alertIds } = await this.withholdSince(db, orgId, c.customerId, c.employeeId, c.changedAt);
      if (alertIds.length) await alertsErased?.(db, alertIds);
    }
    await this.recheckConsentBeforeCommit(db, orgId, alertsErased);
    return { accepted };
  }

  /**
   * A refusal recorded by recordConsent while this transaction runs is invisible to its INSERT (not yet committed
   * then), and this transaction's messages are invisible to the refusal's erasure (not yet committed either): the
   * content would stay. So, just before the commit, under the shared CONSENT_LOCK held until the commit, the
   * messages this transaction stored are erased where a refusal now covers them (a statement of its own sees the
   * refusals committed so far); a refusal committed after that waits for the commit (awaitIngestsInCommit) and
   * erases them itself. Only customers with a refusal on record are looked at.
   */
  private async recheckConsentBeforeCommit(db: SqlRunner, orgId: string, alertsErased?: AlertsErased): Promise<void> {
    const slice = await db.query<Array<{ customer_id: string; since: Date }>>(
      `SELECT s.customer_id, min(s.sent_at) AS since FROM ${STAGE} s JOIN ${CLAIMED} k USING (line) GROUP BY 1`,
    );
    let since = storedSince.get(db);
    const first = !since;
    if (!since) storedSince.set(db, (since = new Map()));
    for (const r of slice) {
      const known = since.get(r.customer_id);
      if (!known || r.since < known) since.set(r.customer_id, r.since);
    }
    if (!first) return;
    const recheck = async () => {
      const customers = storedSince.get(db)!;
      storedSince.delete(db);
      await db.query(`SELECT pg_advisory_xact_lock_shared(${CONSENT_LOCK})`, [orgId]);
      const [{ alert_ids: alertIds }] = await db.query<Array<{ n: number; alert_ids: string[] }>>(
        `WITH erased AS (
           UPDATE chat_messages m SET text = NULL, payload = NULL, search_grams = '{}', content_withheld = true
             FROM unnest($2::uuid[], $3::timestamptz[]) AS x(customer_id, since)
             JOIN chat_conversations c ON c.org_id = $1 AND c.customer_id = x.customer_id
            WHERE EXISTS (SELECT 1 FROM chat_consents cs
                           WHERE cs.org_id = $1 AND cs.customer_id = x.customer_id AND cs.status = 'DISAGREED')
              AND m.org_id = $1 AND m.conversation_id = c.id AND m.sent_at >= x.since AND NOT m.content_withheld
              AND ${consentAt('$1', 'm.customer_id', 'm.employee_id', 'm.sent_at')} = 'DISAGREED'
            RETURNING m.id),
         ${ALERTS_OF_ERASED}`,
        [orgId, [...customers.keys()], [...customers.values()]],
      );
      if (alertIds.length) await alertsErased?.(db, alertIds);
    };
    if (!UnitOfWork.beforeCommit(db, recheck)) await recheck();
  }

  /**
   * Waits until every ingest of the organization that is between its consent re-check and its commit has
   * committed (the exclusive CONSENT_LOCK, taken and released at once): called by recordConsent after its
   * refusal has committed, before erasing again, so no message stored meanwhile keeps its content.
   */
  async awaitIngestsInCommit(orgId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(${CONSENT_LOCK})`, [orgId]);
  }

  async insertConsents(
    tx: Tx,
    orgId: string,
    changes: readonly ConsentChange[],
    source: 'API' | 'MESSAGE',
    recordedById: string | null,
  ) {
    if (!changes.length) return;
    await tx.query(
      `INSERT INTO chat_consents (org_id, customer_id, employee_id, status, source, changed_at, recorded_by_id)
       SELECT $1, x.c, x.e, x.s, $6, x.t, $7 FROM unnest($2::uuid[], $3::uuid[], $4::varchar[], $5::timestamptz[]) AS x(c, e, s, t)`,
      [
        orgId,
        changes.map((c) => c.customerId),
        changes.map((c) => c.employeeId),
        changes.map((c) => c.status),
        changes.map((c) => c.changedAt),
        source,
        recordedById,
      ],
    );
  }

  /**
   * After a consent change at `since`: erases the content of the customer's
   * stored messages (with `employeeId` only, when given) sent since then whose
   * effective consent is now DISAGREED, e.g. a refusal recorded late or a
   * DISAGREE message ingested after the messages that follow it. The alerts
   * raised on those messages are deleted with their content (ALERTS_OF_ERASED);
   * the caller withdraws their notices (NotificationsService.withdrawAuditAlerts).
   */
  async withholdSince(
    tx: SqlRunner,
    orgId: string,
    customerId: string,
    employeeId: string | null,
    since: Date,
  ): Promise<Erased> {
    const rows = await tx.query<Array<{ n: number; alert_ids: string[] }>>(
      `WITH erased AS (
         UPDATE chat_messages m SET text = NULL, payload = NULL, search_grams = '{}', content_withheld = true
          WHERE m.org_id = $1 AND m.conversation_id IN (SELECT c.id FROM chat_conversations c
                                                          WHERE c.org_id = $1 AND c.customer_id = $2 AND ($3::uuid IS NULL OR c.employee_id = $3))
            AND m.sent_at >= $4 AND NOT m.content_withheld
            AND ${consentAt('$1', 'm.customer_id', 'm.employee_id', 'm.sent_at')} = 'DISAGREED'
          RETURNING m.id),
       ${ALERTS_OF_ERASED}`,
      [orgId, customerId, employeeId, since],
    );
    return { messages: rows[0].n, alertIds: rows[0].alert_ids };
  }

  /** Each conversation's effective consent now. */
  async consentNow(
    orgId: string,
    conversations: ReadonlyArray<{ id: string; employeeId: string; customerId: string }>,
  ): Promise<Map<string, string>> {
    if (!conversations.length) return new Map();
    const rows: Array<{ id: string; status: string | null }> = await this.reads.query(
      `SELECT x.id, ${consentAt('$1', 'x.c', 'x.e', 'now()')} AS status
         FROM unnest($2::uuid[], $3::uuid[], $4::uuid[]) AS x(id, e, c)`,
      [
        orgId,
        conversations.map((c) => c.id),
        conversations.map((c) => c.employeeId),
        conversations.map((c) => c.customerId),
      ],
    );
    return new Map(rows.map((r) => [r.id, r.status ?? 'UNKNOWN']));
  }

  /**
   * Substring search, newest first: the newest messages of the filtered range
   * first (recentSearchSql), and when they do not fill the page, the
   * grams index (searchSql).
   */
  async search(orgId: string, q: SearchQuery): Promise<MessageRow[]> {
    const recent = recentSearchSql(orgId, q);
    const rows = await this.reads.query<MessageRow>(recent.text, recent.params);
    if (rows.length >= q.limit) return rows;
    const { text, params } = searchSql(orgId, q);
    return this.reads.query<MessageRow>(text, params);
  }

  /**
   * Messages by (id, sentAt) (the time finds the partition), in no particular order, each with whether
   * `scope` (null: the whole organization) reaches its employee.
   */
  messagesByKeys(
    orgId: string,
    keys: ReadonlyArray<{ id: string; sentAt: Date }>,
    scope: ScopeEmployees | null,
  ): Promise<Array<MessageRow & { inScope: boolean }>> {
    if (!keys.length) return Promise.resolve([]);
    const params: unknown[] = [orgId, keys.map((k) => k.id), keys.map((k) => k.sentAt)];
    const inScope = scope ? `m.employee_id IN (${scope.bind(params)})` : 'TRUE';
    return this.reads.query<MessageRow & { inScope: boolean }>(
      `SELECT ${MESSAGE_COLUMNS}, ${inScope} AS "inScope" FROM unnest($2::uuid[], $3::timestamptz[]) AS x(id, sent_at)
         JOIN chat_messages m ON m.org_id = $1 AND m.id = x.id AND m.sent_at = x.sent_at`,
      params,
    );
  }

  /** A conversation's messages in the order they were sent. */
  messagesOf(
    orgId: string,
    conversationId: string,
    after: [string, string] | null,
    limit: number,
    scope: ScopeEmployees | null,
  ): Promise<MessageRow[]> {
    const params: unknown[] = [orgId, conversationId, after?.[0] ?? null, after?.[1] ?? null, limit];
    const inScope = scope ? `m.employee_id IN (${scope.bind(params)})` : 'TRUE';
    return this.reads.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m
        WHERE m.org_id = $1 AND m.conversation_id = $2
          AND ($3::timestamptz IS NULL OR (m.sent_at, m.id) > ($3::timestamptz, $4::uuid)) AND ${inScope}
        ORDER BY m.sent_at, m.id LIMIT $5`,
      params,
    );
  }

  /** One conversation, and whether `scope` (null: the whole organization) reaches its employee. */
  async conversation(
    orgId: string,
    id: string,
    scope: ScopeEmployees | null,
  ): Promise<(ConversationRow & { inScope: boolean }) | null> {
    const params: unknown[] = [orgId, id];
    const inScope = scope ? `c.employee_id IN (${scope.bind(params)})` : 'TRUE';
    const rows = await this.reads.query<ConversationRow & { inScope: boolean }>(
      `SELECT ${CONVERSATION_COLUMNS}, ${inScope} AS "inScope" FROM chat_conversations c WHERE c.org_id = $1 AND c.id = $2`,
      params,
    );
    return rows[0] ?? null;
  }

  conversationsByIds(orgId: string, ids: readonly string[]): Promise<ConversationRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.reads.prepared<ConversationRow>(
      `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations c WHERE c.org_id = $1 AND c.id = ANY($2::uuid[])`,
      [orgId, ids],
    );
  }

  /** Conversations, latest message first (a conversation with a new message moves up). */
  conversations(orgId: string, q: ConversationQuery): Promise<ConversationRow[]> {
    const params: unknown[] = [orgId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['c.org_id = $1', 'c.last_message_at IS NOT NULL'];
    if (q.employeeId) where.push(`c.employee_id = ${p(q.employeeId)}::uuid`);
    if (q.customerId) where.push(`c.customer_id = ${p(q.customerId)}::uuid`);
    if (q.departmentId)
      where.push(
        scopePredicate({ organization: false, departmentIds: [q.departmentId] }, orgId, 'c.employee_id', params),
      );
    if (q.from || q.to) {
      const range = [
        q.from ? `m.sent_at >= ${p(q.from)}::timestamptz` : 'TRUE',
        q.to ? `m.sent_at < ${p(q.to)}::timestamptz` : 'TRUE',
      ];
      where.push(
        `EXISTS (SELECT 1 FROM chat_messages m WHERE m.org_id = $1 AND m.conversation_id = c.id AND ${range.join(' AND ')})`,
      );
    }
    if (q.after) where.push(`(c.last_message_at, c.id) < (${p(q.after[0])}::timestamptz, ${p(q.after[1])}::uuid)`);
    if (q.scope) where.push(`c.employee_id IN (${q.scope.bind(params)})`);
    return this.reads.query<ConversationRow>(
      `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations c WHERE ${where.join(' AND ')}
        ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${p(q.limit)}`,
      params,
    );
  }

  /** The organizations with messages in a month partition (a loose index scan: one probe per organization). */
  async orgsIn(month: string): Promise<string[]> {
    const t = partitionName(month);
    const rows: Array<{ id: string }> = await this.reads.query(
      `WITH RECURSIVE o AS (
         SELECT (SELECT org_id FROM ${t} ORDER BY org_id LIMIT 1) AS id
         UNION ALL
         SELECT (SELECT org_id FROM ${t} WHERE org_id > o.id ORDER BY org_id LIMIT 1) FROM o WHERE o.id IS NOT NULL)
       SELECT id FROM o WHERE id IS NOT NULL`,
    );
    return rows.map((r) => r.id);
  }

  /** Drops a whole month: every organization in it has passed its retention. */
  async dropPartition(month: string): Promise<void> {
    await this.db.query(`DROP TABLE IF EXISTS ${partitionName(month)}`);
  }

  /** Deletes one organization's messages sent before `cutoff` within one month partition (the boundary month). */
  async deleteBefore(orgId: string, month: string, cutoff: Date): Promise<number> {
    const rows: Array<{ n: number }> = await this.db.query(
      `WITH gone AS (DELETE FROM ${partitionName(month)} WHERE org_id = $1 AND sent_at < $2 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [orgId, cutoff],
    );
    return rows[0].n;
  }

  /**
   * After a purge: forgets the organization's keys of purged messages (read through the keys' primary key, by
   * organization: once a day, so the claims of every ingest do not maintain an index on sent_at for it) and
   * recounts its conversations from the messages left (lastMessageAt stays:
   * it is when the conversation was last active).
   */
  async afterPurge(orgId: string, cutoff: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM chat_message_keys WHERE org_id = $1 AND sent_at < $2`, [orgId, cutoff]);
      await tx.query(
        `UPDATE chat_conversations c SET message_count = coalesce(n.count, 0)
           FROM chat_conversations c2
           LEFT JOIN (SELECT m.conversation_id, count(*)::int AS count FROM chat_messages m WHERE m.org_id = $1 GROUP BY 1) n
             ON n.conversation_id = c2.id
          WHERE c.id = c2.id AND c.org_id = $1 AND c.message_count IS DISTINCT FROM coalesce(n.count, 0)`,
        [orgId],
      );
    });
  }
}
