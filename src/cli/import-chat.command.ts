import { INestApplicationContext } from '@nestjs/common';
import { Presets, SingleBar } from 'cli-progress';
import { requestContext } from 'src/core/context/request-context';
import {
  ChatImportProgress,
  ChatImportSummary,
  DEFAULT_CHAT_IMPORT_BATCH,
  MAX_CHAT_IMPORT_BATCH,
  WecomArchiveImportService,
} from 'src/modules/chat-audit/import/wecom-archive-import.service';
import { runCommand } from './command-context';
import {
  CommandUsageError,
  integerOption,
  isReadableFile,
  organizationOf,
  parseCommandLine,
  runCommandLine,
  stopOnCtrlC,
} from './command-line';
import { ImportChatModule } from './import-chat.module';

export const IMPORT_CHAT_USAGE = `usage: node dist/src/cli.js import-chat --org <slug> --file <archive.jsonl> [--source <name>] [--batch-size <n>]

Imports WeCom's decrypted chat archive: one JSON record per line as the
archive SDK gives it (msgid, action, from, tolist, roomid, msgtime, msgtype,
text.content, agree/disagree, seq), through the same rules as
ingestChatMessages. The sender (from) and the one recipient (tolist) are
matched to employees (WeCom userid = employee externalId) and customers
(external_userid = customer externalId).

Skipped and counted: group chats (roomid), switch records, records whose seq
is at or before the source's stored position. Rejected and counted by reason:
unknown employee or customer, a TEXT without content, a time more than five
minutes ahead, a malformed record. Messages of customers who disagreed are
stored without content.

The position (highest seq, line and byte offset of the file) is stored per
source after every batch, in the batch's transaction: after a crash or Ctrl-C,
run the same command again and it resumes after the last stored batch. Records
are deduplicated by msgid, so nothing is lost or stored twice.

Options:
  --org <slug>          the organization
  --file <path>         the archive file (UTF-8 JSON lines)
  --source <name>       the archive the file comes from (default "wecom"); positions are per source
  --batch-size <n>      records per transaction (default ${DEFAULT_CHAT_IMPORT_BATCH}, at most ${MAX_CHAT_IMPORT_BATCH})

Database: DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (as npm start): the running
server's when npm start runs on the same DATA_DIR, else one started for the import.
Exit codes: 0 done (even with rejected records), 1 fatal error, 2 usage error, 130 stopped by Ctrl-C.
`;

export interface ImportChatArgs {
  org: string;
  file: string;
  source: string;
  batchSize: number;
}

/** Parses the command line; CommandUsageError on anything wrong or missing, null for --help. */
export function parseImportChatArgs(argv: string[]): ImportChatArgs | null {
  const values = parseCommandLine(
    argv,
    { org: { type: 'string' }, file: { type: 'string' }, source: { type: 'string' }, 'batch-size': { type: 'string' } },
    ['org', 'file'],
  );
  if (!values) return null;
  const batchSize = integerOption(values, 'batch-size', DEFAULT_CHAT_IMPORT_BATCH, 1, MAX_CHAT_IMPORT_BATCH);
  const source = values.source === undefined ? 'wecom' : (values.source as string).trim();
  if (!source || source.length > 200) throw new CommandUsageError('--source must be 1 to 200 characters');
  return { org: (values.org as string).trim(), file: values.file as string, source, batchSize };
}

/** `node dist/src/cli.js import-chat ...`: boots the import's own module graph, imports, prints the summary, exits. */
export async function importChatCommand(argv: string[]): Promise<never> {
  process.exit(await runImportChat(argv));
}

/** The command without the final exit; resolves to the exit code. */
export function runImportChat(argv: string[]): Promise<number> {
  return runCommandLine('import-chat', IMPORT_CHAT_USAGE, argv, parseImportChatArgs, async (args) => {
    if (!(await isReadableFile(args.file))) return 1;
    // Its own small module graph (ImportChatModule), not the server's: no HTTP, GraphQL or worker.
    return runCommand(
      'import-chat',
      (config, db) => ImportChatModule.forRoot(config, db),
      (app) => runImport(app, args),
    );
  });
}

async function runImport(app: INestApplicationContext, args: ImportChatArgs): Promise<number> {
  const org = await organizationOf(app, args.org);
  if (!org) return 1;
  requestContext.assign({ orgId: org.id });
  const progress = new ChatImportProgressOutput(process.stderr);
  const ctrlC = stopOnCtrlC(() => progress.finish());
  try {
    const summary = await app.get(WecomArchiveImportService, { strict: false }).import({
      orgId: org.id,
      source: args.source,
      path: args.file,
      batchSize: args.batchSize,
      onProgress: (p) => progress.update(p),
      signal: ctrlC.signal,
    });
    progress.finish();
    process.stdout.write(formatChatImportSummary(summary, org.slug));
    return summary.stopped ? 130 : 0;
  } finally {
    progress.finish();
    ctrlC.dispose();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Progress on stderr: a cli-progress bar by bytes on a terminal; otherwise
 * (a log file, CI) one plain line per 5% of the file and at the end.
 */
export class ChatImportProgressOutput {
  private bar: SingleBar | null = null;
  private lastStep = -1;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }) {}

  update(p: ChatImportProgress): void {
    const rate = p.elapsedMs > 0 ? (1000 * p.records) / p.elapsedMs : 0;
    const values = {
      records: fmt(p.records),
      rate: fmt(rate),
      accepted: fmt(p.accepted),
      duplicates: fmt(p.duplicates),
      rejected: fmt(p.rejected),
      skipped: fmt(p.skipped),
    };
    if (this.out.isTTY) {
      if (!this.bar) {
        this.bar = new SingleBar(
          {
            stream: this.out,
            format:
              '[{bar}] {percentage}% | {records} records, {rate}/s | accepted {accepted} duplicates {duplicates}' +
              ' rejected {rejected} skipped {skipped}',
            barsize: 30,
            hideCursor: true,
          },
          Presets.legacy,
        );
        this.bar.start(Math.max(1, p.totalBytes), 0, values);
      }
      this.bar.update(p.done ? Math.max(1, p.totalBytes) : p.bytesRead, values);
      return;
    }
    const step = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes / 5) : 0;
    if (!p.done && step <= this.lastStep) return;
    this.lastStep = p.done ? Infinity : step;
    const pct = p.totalBytes ? Math.min(100, (100 * p.bytesRead) / p.totalBytes) : 100;
    this.out.write(
      `${pct.toFixed(0).padStart(3)}%  ${values.records} records  ${values.rate} records/s  ` +
        `accepted ${values.accepted}  duplicates ${values.duplicates}  rejected ${values.rejected}  ` +
        `skipped ${values.skipped}\n`,
    );
  }

  finish(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

export function formatChatImportSummary(s: ChatImportSummary, slug: string): string {
  const n = (v: number) => fmt(v).padStart(9);
  const out: string[] = [];
  out.push(`${s.stopped ? 'Import stopped' : 'Imported'}: ${s.file} into ${slug} (source ${s.source})`);
  if (s.resumedAt) out.push(`  resumed at     line ${fmt(s.resumedAt.line)}, byte ${fmt(s.resumedAt.offset)}`);
  if (s.seqBefore !== null) out.push(`  seq before     ${n(s.seqBefore)}`);
  out.push(`  records        ${n(s.records)}`);
  out.push(`  accepted       ${n(s.accepted)}`);
  out.push(`  duplicates     ${n(s.duplicates)}  msgid already stored`);
  out.push(`  rejected       ${n(s.rejected)}`);
  out.push(`  skipped        ${n(s.skipped)}`);
  const secs = s.elapsedMs / 1000;
  out.push(
    `  elapsed        ${secs.toFixed(1).padStart(9)} s  (${fmt(secs > 0 ? s.records / secs : 0)} records/s)`,
  );
  if (s.position) {
    const seq = s.position.lastSeq === null ? 'none' : fmt(s.position.lastSeq);
    out.push(`  position       seq ${seq}, line ${fmt(s.position.lines)}, byte ${fmt(s.position.fileOffset)}`);
  }
  const byCount = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]);
  if (s.rejected) {
    out.push('rejected by reason:');
    for (const [reason, count] of byCount(s.rejectedByReason)) out.push(`  ${n(count)}  ${reason}`);
    out.push('first rejected records:');
    for (const r of [...s.rejections].sort((a, b) => a.line - b.line))
      out.push(`  line ${r.line}${r.msgid ? ` (msgid ${r.msgid})` : ''}: ${r.reason}`);
  }
  if (s.skipped) {
    out.push('skipped by kind:');
    for (const [kind, count] of byCount(s.skippedByKind)) out.push(`  ${n(count)}  ${kind}`);
  }
  return out.join('\n') + '\n';
}
