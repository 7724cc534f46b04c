import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Actor } from 'src/core/authz/actor';
import { AppConfig } from 'src/core/config/app-config';
import { UnitOfWork } from 'src/core/database/unit-of-work';
import { ChatMessageInput } from 'src/modules/chat-audit/dto/chat.inputs';
import { ChatArchiveRepository, SqlRunner } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { MessageType, SenderType } from 'src/modules/chat-audit/types/chat.types';
import { StagedHit } from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { NotificationBatch } from 'src/modules/notifications/services/notifications.service';
import { AuditAlertsService, WrittenAlerts } from './audit-alerts.service';
import { PartitionAnalyzer } from './partition-analyzer';
import { SearchIndexCleaner } from './search-index-cleaner';
import { ChatIngestService } from './chat-ingest.service';
import { ChatRulesCache, CompiledRules } from './chat-rules-cache';
import { monthsOf } from './ingest-rules';
import { NdjsonLine, NdjsonLines } from './ndjson-lines';
import { StageBinaryRows } from './stage-binary-rows';

/** Lines checked and resolved together (two lookups per side per batch). */
const BATCH = 1000;
/**
 * The GIN pending list of the bulk transaction (`gin_pending_list_limit`) and the memory that flushes it when
 * full (work_mem; SearchIndexCleaner cleans it after the commit with as much). With the default 4 MB list every
 * few thousand messages flush it into the search_grams index, each time over the index's whole key range;
 * flushing large lists merges each gram's new postings at once: 50,000 messages into a month of the 10M
 * archive inserted in 4.1-4.5 s by default, in 1.0 s + 0.9 s to clean the list with 256 MB (bench/RESULTS.md).
 */
const GIN_PENDING_LIST = '256MB';
/** A line (one message as JSON) may not exceed this; the text alone is at most 10,000 characters. */
export const MAX_LINE_BYTES = 256 * 1024;
/** The summary lists the first rejections; `rejected` counts them all. */
const MAX_LISTED_REJECTIONS = 100;

export interface BulkImportSummary {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejections: Array<{ line: number; externalId: string | null; reason: string }>;
}

const SENDERS = new Set<string>(Object.values(SenderType));
const TYPES = new Set<string>(Object.values(MessageType));
const optString = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : undefined);

/** A parsed line as a ChatMessageInput, or why it cannot be one (what GraphQL's types check for the mutation). */
export function lineToInput(text: string): ChatMessageInput | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not a JSON object';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (typeof o.externalId !== 'string') return 'externalId: must be a string';
  for (const k of ['employeeId', 'employeeExternalId', 'customerId', 'customerExternalId', 'text'] as const) {
    if (optString(o[k]) === undefined) return `${k}: must be a string`;
  }
  if (typeof o.senderType !== 'string' || !SENDERS.has(o.senderType)) return 'senderType: must be EMPLOYEE or CUSTOMER';
  if (typeof o.type !== 'string' || !TYPES.has(o.type)) return 'type: not a message type';
  const sentAt = typeof o.sentAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(o.sentAt) ? new Date(o.sentAt) : null;
  if (!sentAt || Number.isNaN(sentAt.getTime())) return 'sentAt: must be an ISO-8601 date-time';
  return {
    externalId: o.externalId,
    employeeId: optString(o.employeeId),
    employeeExternalId: optString(o.employeeExternalId),
    customerId: optString(o.customerId),
    customerExternalId: optString(o.customerExternalId),
    senderType: o.senderType as SenderType,
    type: o.type as MessageType,
    text: optString(o.text),
    payload: o.payload ?? null,
    sentAt,
  };
}

/**
 * History imports over HTTP: an NDJSON body (one ChatMessageInput per line)
 * streamed, batch by batch, through the same checks as ingestChatMessages and
 * COPYed into the write path's staging table slice by slice
 * (chatImportSliceLines), each slice merged by the same statements while the next is read,
 * all in one transaction (all or nothing). Backpressure: the request is read
 * only as fast as the slices are merged.
 */
@Injectable()
export class ChatBulkImportService {
  private readonly logger = new Logger('ChatBulkImport');
  private readonly pool: Pool;

  constructor(
    @Inject(DataSource) ds: DataSource,
    private readonly archive: ChatArchiveRepository,
    private readonly ingest: ChatIngestService,
    private readonly rulesCache: ChatRulesCache,
    private readonly alerts: AuditAlertsService,
    private readonly partitions: PartitionAnalyzer,
    private readonly searchIndex: SearchIndexCleaner,
    private readonly config: AppConfig,
  ) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  async import(actor: Actor, body: Readable): Promise<BulkImportSummary> {
    const summary: BulkImportSummary = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, rejections: [] };
    const orgId = actor.orgId;
    let written: WrittenAlerts = { orgId, alertIds: [], notices: new NotificationBatch() };
    const months = new Set<string>();
    const client = await this.pool.connect();
    const db: SqlRunner = {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T,
    };
    /** One slice: COPYed into the staging tables, merged, its hooks and alerts written, the stage emptied. */
    const merge = async (slice: Slice) => {
      if (slice.rows.length) {
        const chunks = [StageBinaryRows.header(), ...slice.rows, StageBinaryRows.trailer()];
        await pipeline(Readable.from(chunks), client.query(copyFrom(this.archive.stageCopySql(true))));
        const staged = [...slice.months].sort();
        for (const m of staged) months.add(m);
        await this.archive.createPartitions(await this.archive.missingPartitions(staged));
        const { accepted } = await this.archive.mergeStage(db, orgId, this.alerts.erasedIn(orgId));
        // The hooks (KPI's conversation-days) run per slice: their recompute grows faster than the messages given
        // at once (200,000 messages of the 10M bench in one call: 50 s; in 50,000-message slices: 4 × 7 s).
        await this.ingest.messagesStored(db, orgId, accepted);
        if (slice.compiled && slice.hits.length) {
          const w = await this.alerts.write(db, orgId, slice.hits, slice.compiled);
          const alertIds = [...written.alertIds, ...w.alertIds];
          written = { orgId, alertIds, notices: written.notices.concat(w.notices) };
        }
        await this.archive.clearStage(db);
        summary.accepted += accepted;
        summary.duplicates += slice.staged - accepted;
      }
    };
    const inFlight: { merging: Promise<void> } = { merging: Promise.resolve() };
    try {
      await client.query('BEGIN');
      // Work other modules' hooks leave to the end of the transaction (KPI's team rows) runs before the COMMIT.
      UnitOfWork.begin(db);
      // The slices are merged by a few statements each: for a history file of hundreds of thousands of messages
      // the transaction runs longer than the pool's 60 s guard against runaway queries (the request's size bounds it).
      await client.query('SET LOCAL statement_timeout = 0');
      await this.archive.setPendingSearchGramsLimit(db, GIN_PENDING_LIST);
      await client.query(`SET LOCAL work_mem = '${GIN_PENDING_LIST}'`);
      await this.archive.createStage(db);
      const rows = new StageBinaryRows(await this.archive.appComputesGrams());
      await pipeline(body, new NdjsonLines(MAX_LINE_BYTES), this.slicer(orgId, summary, rows, merge, inFlight));
      await UnitOfWork.beforeCommitOf(db);
      await client.query('COMMIT');
    } catch (e) {
      // A slice may still be merging on this connection (the body broke off, or the request timed out): its
      // statements must not run after the ROLLBACK, outside the transaction, nor on a connection back in the pool.
      await inFlight.merging.catch(() => undefined);
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    if (summary.accepted) {
      // What is left in the pending lists is moved into the index in bulk (SearchIndexCleaner), after the commit and
      // off the request, rather than by the next writer or autovacuum: until then every search through the index
      // reads the whole list. Before the commit it was a ninth of a 200,000-message import (bench/RESULTS.md).
      this.searchIndex.request([...months]);
      // A month this import was the first to fill gets its statistics now (PartitionAnalyzer), off the request.
      this.partitions.request([...months]);
    }
    if (written.alertIds.length || written.notices.size) await this.alerts.announce(written);
    this.logger.log({ msg: 'chat messages imported', orgId, ...summary, rejections: undefined });
    return summary;
  }

  /**
   * Lines in, slices merged: lines are checked a batch at a time (the callback waits for the batch, so reading
   * waits too) into COPY rows; a full slice is handed to `merge` without waiting for it, once the previous
   * slice's merge has finished (that wait is the backpressure). The last slice is merged at the end.
   */
  private slicer(
    orgId: string,
    summary: BulkImportSummary,
    stageRows: StageBinaryRows,
    merge: (slice: Slice) => Promise<void>,
    inFlight: { merging: Promise<void> },
  ): Writable {
    let batch: NdjsonLine[] = [];
    const empty = (): Slice => ({ rows: [], lines: 0, staged: 0, months: new Set(), hits: [], compiled: null });
    let slice = empty();
    const handOver = async () => {
      await inFlight.merging;
      const full = slice;
      slice = empty();
      inFlight.merging = merge(full);
      // Awaited at the next hand-over or at the end; until then a failure must not count as unhandled.
      inFlight.merging.catch(() => undefined);
    };
    const check = async () => {
      const lines = batch;
      batch = [];
      const inputs: Array<{ index: number; message: ChatMessageInput }> = [];
      const reject = (line: number, externalId: string | null, reason: string) => {
        summary.rejected++;
        if (summary.rejections.length < MAX_LISTED_REJECTIONS) summary.rejections.push({ line, externalId, reason });
      };
      for (const l of lines) {
        const m = lineToInput(l.text);
        if (typeof m === 'string') reject(l.line, null, m);
        else inputs.push({ index: l.line, message: m });
      }
      const { ready, rejected } = await this.ingest.prepare(orgId, inputs);
      for (const r of rejected) reject(r.index, r.externalId, r.reason);
      if (ready.length) {
        // The rules version is checked before each batch; a slice's alerts are written with its last batch's rules.
        slice.compiled = await this.rulesCache.forOrg(orgId);
        for (const h of this.alerts.hitsOf(slice.compiled, ready)) slice.hits.push(h);
      }
      for (const m of ready) stageRows.add(m);
      if (ready.length) slice.rows.push(stageRows.take());
      slice.staged += ready.length;
      for (const m of monthsOf(ready.map((r) => r.sentAt))) slice.months.add(m);
      slice.lines += lines.length;
      // While PostgreSQL merges one slice the next is read and checked: the application's work overlaps the database's.
      if (slice.lines >= this.config.chatImportSliceLines) await handOver();
    };
    return new Writable({
      objectMode: true,
      write(line: NdjsonLine, _enc, done: (e?: Error | null) => void) {
        summary.lines = line.line;
        batch.push(line);
        if (batch.length < BATCH) return done();
        check().then(() => done(), done);
      },
      final(done: (e?: Error | null) => void) {
        check()
          .then(handOver)
          .then(() => inFlight.merging)
          .then(() => done(), done);
      },
    });
  }
}

/**
 * Checked lines waiting to be merged: binary COPY rows (StageBinaryRows), how many lines they came from and how
 * many rows they hold, the months (`YYYY-MM-01`) of those rows, their rules' hits.
 */
interface Slice {
  rows: Buffer[];
  lines: number;
  staged: number;
  months: Set<string>;
  hits: StagedHit[];
  compiled: CompiledRules | null;
}
