import { Injectable } from '@nestjs/common';
import { SqlReader } from 'src/core/database/sql-reader';
import { SqlRunner } from 'src/modules/chat-audit/repositories/chat-archive.repository';

/** Where an archive import of one source stands (see ChatImportPositionEntity). */
export interface ImportPosition {
  lastSeq: number | null;
  file: string;
  fileOffset: number;
  lines: number;
}

/** `chat_import_positions`: the archive importer's position per (organization, source). */
@Injectable()
export class ImportPositionRepository {
  constructor(private readonly reads: SqlReader) {}

  async get(orgId: string, source: string): Promise<ImportPosition | null> {
    const rows = await this.reads.query<{ lastSeq: string | null; file: string; fileOffset: string; lines: string }>(
      `SELECT last_seq AS "lastSeq", file, file_offset AS "fileOffset", lines
         FROM chat_import_positions WHERE org_id = $1 AND source = $2`,
      [orgId, source],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      lastSeq: r.lastSeq === null ? null : Number(r.lastSeq),
      file: r.file,
      fileOffset: Number(r.fileOffset),
      lines: Number(r.lines),
    };
  }

  /**
   * Records the position reached, in the batch's transaction. It only moves
   * forward: the seq is the highest ever stored (a batch without seqs, or an
   * empty one, keeps it), and within the same file so are the offset and line.
   */
  async advance(tx: SqlRunner, orgId: string, source: string, p: ImportPosition): Promise<void> {
    await tx.query(
      `INSERT INTO chat_import_positions (org_id, source, last_seq, file, file_offset, lines, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (org_id, source) DO UPDATE SET
         last_seq = GREATEST(chat_import_positions.last_seq, EXCLUDED.last_seq),
         file = EXCLUDED.file,
         file_offset = CASE WHEN chat_import_positions.file = EXCLUDED.file
                            THEN GREATEST(chat_import_positions.file_offset, EXCLUDED.file_offset)
                            ELSE EXCLUDED.file_offset END,
         lines = CASE WHEN chat_import_positions.file = EXCLUDED.file
                      THEN GREATEST(chat_import_positions.lines, EXCLUDED.lines) ELSE EXCLUDED.lines END,
         updated_at = now()`,
      [orgId, source, p.lastSeq, p.file, p.fileOffset, p.lines],
    );
  }
}
