import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Actor } from 'src/core/authz/actor';
import { ChatMessageInput } from 'src/modules/chat-audit/dto/chat.inputs';
import { ChatArchiveRepository, SqlRunner } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { MessageType, SenderType } from 'src/modules/chat-audit/types/chat.types';
import { StagedHit } from 'src/modules/chat-audit/repositories/keyword-rules.repository';
import { AuditAlertsService, WrittenAlerts } from './audit-alerts.service';
import { ChatIngestService } from './chat-ingest.service';
import { ChatRulesCache, CompiledRules } from './chat-rules-cache';
import { copyField, NdjsonLine, NdjsonLines } from './ndjson-lines';

/** Lines checked and resolved together (two lookups per side per batch). */
const BATCH = 1000;
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
 * COPYed into the write path's staging table; then merged by the same
 * statements, in one transaction (all or nothing). Backpressure: the request
 * is read only as fast as COPY takes rows.
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
  ) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  async import(actor: Actor, body: Readable): Promise<BulkImportSummary> {
    const summary: BulkImportSummary = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, rejections: [] };
    // Keyword rules are matched batch by batch (the rules version checked before each), alerts written at the end.
    const matching: { hits: StagedHit[]; compiled: CompiledRules | null } = { hits: [], compiled: null };
    let written: WrittenAlerts | null = null;
    const client = await this.pool.connect();
    const db: SqlRunner = {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T,
    };
    try {
      await client.query('BEGIN');
      // The whole body is merged by a few statements at the end: for a history file of hundreds of thousands of
      // messages they run longer than the pool's 60 s guard against runaway queries (the request's size bounds them).
      await client.query('SET LOCAL statement_timeout = 0');
      await this.archive.createStage(db);
      const grams = await this.archive.gramsOf();
      await pipeline(
        body,
        new NdjsonLines(MAX_LINE_BYTES),
        this.checker(actor.orgId, summary, grams, matching),
        client.query(copyFrom(this.archive.stageCopySql())),
      );
      await this.archive.createPartitions(await this.archive.missingPartitions(await this.archive.stagedMonths(db)));
      const { staged, accepted } = await this.archive.mergeStage(db, actor.orgId);
      await this.ingest.messagesStored(db, actor.orgId, accepted);
      if (matching.compiled) written = await this.alerts.write(db, actor.orgId, matching.hits, matching.compiled);
      await client.query('COMMIT');
      summary.accepted = accepted;
      summary.duplicates = staged - accepted;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    if (written) await this.alerts.announce(written);
    this.logger.log({ msg: 'chat messages imported', orgId: actor.orgId, ...summary, rejections: undefined });
    return summary;
  }

  /** Lines in, COPY rows out, a batch at a time: the callback waits for the batch, so reading waits too. */
  private checker(
    orgId: string,
    summary: BulkImportSummary,
    grams: (text: string | null) => string | null,
    matching: { hits: StagedHit[]; compiled: CompiledRules | null },
  ): Transform {
    let batch: NdjsonLine[] = [];
    const flush = async (t: Transform) => {
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
        matching.compiled = await this.rulesCache.forOrg(orgId);
        for (const h of this.alerts.hitsOf(matching.compiled, ready)) matching.hits.push(h);
      }
      const rows = ready.map((m) =>
        [
          m.line,
          m.externalId,
          m.employeeId,
          m.customerId,
          m.senderType,
          m.type,
          m.text,
          m.payload === null || m.payload === undefined ? null : JSON.stringify(m.payload),
          m.sentAt.toISOString(),
          grams(m.text),
        ]
          .map(copyField)
          .join('\t'),
      );
      if (rows.length) t.push(rows.join('\n') + '\n');
    };
    return new Transform({
      writableObjectMode: true,
      transform(line: NdjsonLine, _enc, done: TransformCallback) {
        summary.lines = line.line;
        batch.push(line);
        if (batch.length < BATCH) return done();
        flush(this).then(() => done(), done);
      },
      flush(done: TransformCallback) {
        flush(this).then(() => done(), done);
      },
    });
  }
}
