import { Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChatMessageInput } from 'src/modules/chat-audit/dto/chat.inputs';
import {
  ImportPosition,
  ImportPositionRepository,
} from 'src/modules/chat-audit/repositories/import-position.repository';
import { ChatIngestService } from 'src/modules/chat-audit/services/chat-ingest.service';
import { SenderType } from 'src/modules/chat-audit/types/chat.types';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { fileLines, FileLine } from './file-lines';
import { parseWecomRecord, SKIP_BEFORE_POSITION, WecomMessage } from './wecom-record';

export const DEFAULT_CHAT_IMPORT_BATCH = 1000;
export const MAX_CHAT_IMPORT_BATCH = 5000;
/** A record (one message as JSON) may not exceed this: the text alone is at most 10,000 characters. */
export const MAX_RECORD_BYTES = 256 * 1024;
/** Rejections listed with their line; all are counted by reason. */
const LISTED_REJECTIONS = 20;

export interface ChatImportProgress {
  /** Bytes of the file read so far this run, of `totalBytes` left to read when it started. */
  bytesRead: number;
  totalBytes: number;
  records: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  elapsedMs: number;
  done: boolean;
}

export interface ChatImportSummary {
  file: string;
  source: string;
  /** Where this run started: the stored position in the same file, else the file's start. */
  resumedAt: { line: number; offset: number } | null;
  /** The highest seq stored before this run (records at or before it are skipped). */
  seqBefore: number | null;
  position: ImportPosition | null;
  records: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  rejections: Array<{ line: number; msgid: string | null; reason: string }>;
  skipped: number;
  skippedByKind: Record<string, number>;
  stopped: boolean;
  elapsedMs: number;
}

export interface ChatImportOptions {
  orgId: string;
  /** The archive the records come from (e.g. one WeCom corp): positions are kept per source. */
  source: string;
  path: string;
  batchSize?: number;
  onProgress?: (p: ChatImportProgress) => void;
  /** Aborting stops after the current batch (its position is stored). */
  signal?: AbortSignal;
}

/**
 * Imports WeCom's decrypted chat archive (one record per line, see
 * parseWecomRecord) into the chat archive through ChatIngestService, so its
 * rules (unknown parties, text on TEXT, times, consent, idempotency on msgid)
 * are the ones every ingest applies. After every batch the source's position
 * (highest seq, file offset and line) is written in the batch's transaction:
 * a run killed at any point resumes after the last committed batch, and what a
 * crash repeats is deduplicated by msgid anyway.
 */
@Injectable()
export class WecomArchiveImportService {
  private readonly logger = new Logger('WecomArchiveImport');

  constructor(
    private readonly ingest: ChatIngestService,
    private readonly positions: ImportPositionRepository,
    private readonly employees: EmployeesService,
  ) {}

  position(orgId: string, source: string): Promise<ImportPosition | null> {
    return this.positions.get(orgId, source);
  }

  async import(o: ChatImportOptions): Promise<ChatImportSummary> {
    const started = Date.now();
    const file = resolve(o.path);
    const size = (await stat(file)).size;
    const before = await this.positions.get(o.orgId, o.source);
    // The same file again: read on from where the last committed batch ended (a file that shrank starts over).
    const resume = before && before.file === file && before.fileOffset <= size ? before : null;
    const startOffset = resume?.fileOffset ?? 0;
    const s: ChatImportSummary = {
      file,
      source: o.source,
      resumedAt: resume ? { line: resume.lines, offset: resume.fileOffset } : null,
      seqBefore: before?.lastSeq ?? null,
      position: before,
      records: 0,
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      rejectedByReason: {},
      rejections: [],
      skipped: 0,
      skippedByKind: {},
      stopped: false,
      elapsedMs: 0,
    };
    const progress = (offset: number, done: boolean) =>
      o.onProgress?.({
        bytesRead: offset - startOffset,
        totalBytes: size - startOffset,
        records: s.records,
        accepted: s.accepted,
        duplicates: s.duplicates,
        rejected: s.rejected,
        skipped: s.skipped,
        elapsedMs: Date.now() - started,
        done,
      });
    const batchSize = o.batchSize ?? DEFAULT_CHAT_IMPORT_BATCH;
    let batch: FileLine[] = [];
    let offset = startOffset;
    progress(offset, false);
    const stream = size > startOffset ? createReadStream(file, { start: startOffset, highWaterMark: 1 << 20 }) : null;
    try {
      if (stream) {
        for await (const l of fileLines(stream, startOffset, resume?.lines ?? 0, MAX_RECORD_BYTES)) {
          batch.push(l);
          if (batch.length < batchSize) continue;
          offset = await this.flush(o, file, batch, s);
          batch = [];
          progress(offset, false);
          if (o.signal?.aborted) {
            s.stopped = true;
            break;
          }
        }
        if (batch.length) offset = await this.flush(o, file, batch, s);
      }
    } finally {
      stream?.destroy();
    }
    s.elapsedMs = Date.now() - started;
    progress(offset, true);
    s.position = await this.positions.get(o.orgId, o.source);
    this.logger.log({
      msg: 'chat archive imported',
      orgId: o.orgId,
      source: o.source,
      records: s.records,
      accepted: s.accepted,
      duplicates: s.duplicates,
      rejected: s.rejected,
      skipped: s.skipped,
    });
    return s;
  }

  /** One batch: parsed, placed, ingested with the position in the same transaction. Returns the offset after it. */
  private async flush(o: ChatImportOptions, file: string, lines: FileLine[], s: ChatImportSummary): Promise<number> {
    const reject = (line: number, msgid: string | null, reason: string) => {
      s.rejected++;
      s.rejectedByReason[reason] = (s.rejectedByReason[reason] ?? 0) + 1;
      if (s.rejections.length < LISTED_REJECTIONS) s.rejections.push({ line, msgid, reason });
    };
    const skip = (reason: string) => {
      s.skipped++;
      s.skippedByKind[reason] = (s.skippedByKind[reason] ?? 0) + 1;
    };
    let maxSeq: number | null = null;
    const messages: Array<{ line: number; m: WecomMessage }> = [];
    for (const l of lines) {
      if (l.text !== null && !l.text.trim()) continue;
      s.records++;
      if (l.text === null) {
        reject(l.line, null, `line: longer than ${MAX_RECORD_BYTES} bytes`);
        continue;
      }
      const r = parseWecomRecord(l.text);
      if (r.seq !== null) maxSeq = maxSeq === null ? r.seq : Math.max(maxSeq, r.seq);
      if (r.seq !== null && s.seqBefore !== null && r.seq <= s.seqBefore) skip(SKIP_BEFORE_POSITION);
      else if (r.kind === 'skip') skip(r.reason);
      else if (r.kind === 'reject') reject(l.line, r.msgid, r.reason);
      else messages.push({ line: l.line, m: r });
    }
    // Which side is the employee: WeCom names the sender in `from` and the other party in `tolist`.
    const froms = [...new Set(messages.map((x) => x.m.from))];
    const staff = new Set((await this.employees.findIdsByExternalIds(o.orgId, froms)).map((e) => e.externalId));
    const inputs = messages.map(({ line, m }) => {
      const byEmployee = staff.has(m.from);
      const message: ChatMessageInput = {
        externalId: m.msgid,
        employeeExternalId: byEmployee ? m.from : m.to,
        customerExternalId: byEmployee ? m.to : m.from,
        senderType: byEmployee ? SenderType.EMPLOYEE : SenderType.CUSTOMER,
        type: m.type,
        text: m.text,
        payload: m.payload,
        sentAt: m.sentAt,
      };
      return { index: line, message };
    });
    const last = lines[lines.length - 1];
    const position: ImportPosition = { lastSeq: maxSeq, file, fileOffset: last.end, lines: last.line };
    const result = await this.ingest.ingestBatch(o.orgId, inputs, (tx) =>
      this.positions.advance(tx, o.orgId, o.source, position),
    );
    const msgids = new Map(inputs.map((x) => [x.index, x.message.externalId]));
    for (const r of result.rejected) reject(r.index, r.externalId ?? msgids.get(r.index) ?? null, r.reason);
    s.accepted += result.accepted;
    s.duplicates += result.duplicates;
    return last.end;
  }
}
