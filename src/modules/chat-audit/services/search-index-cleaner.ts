import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { requestContext } from 'src/core/context/request-context';
import { ChatArchiveRepository } from 'src/modules/chat-audit/repositories/chat-archive.repository';

/**
 * Moves the search grams that ingest transactions appended to the GIN pending lists into the indexes
 * (gin_clean_pending_list), after those transactions commit and off their requests. A GraphQL ingest only appends
 * (its transaction raises the pending list's limit, INGEST_GIN_PENDING_LIST): merging a batch's grams into the
 * index was most of its INSERT, and with the default 4 MB list every second batch paid for merging the last two.
 * One cleaning runs at a time per process; months asked for meanwhile are cleaned together by the next, so under
 * load each cleaning merges more batches at once (a gram's postings are updated once per cleaning, not per batch).
 * Searches read a pending list whole, so it is kept short rather than left to autovacuum.
 */
@Injectable()
export class SearchIndexCleaner implements OnModuleDestroy {
  private readonly logger = new Logger('ChatSearchIndex');
  private readonly wanted = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(private readonly archive: ChatArchiveRepository) {}

  /** Asks for the month partitions' (`YYYY-MM-01`) search indexes to be cleaned soon; returns at once. */
  request(months: readonly string[]): void {
    for (const m of months) this.wanted.add(m);
    if (!this.running && this.wanted.size) this.running = this.drain();
  }

  /** The cleaning under way, if any (tests and shutdown wait for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async onModuleDestroy(): Promise<void> {
    this.wanted.clear();
    await this.idle();
  }

  private async drain(): Promise<void> {
    // Its own context: the statements are not the request's that asked (nor counted in its x-sql-statements).
    await requestContext.run({ requestId: 'chat-search-index-cleaner' }, async () => {
      while (this.wanted.size) {
        const months = [...this.wanted].sort();
        this.wanted.clear();
        try {
          await this.archive.cleanSearchIndexesNow(months);
        } catch (e) {
          // The rows are stored; what stays pending is cleaned by the next cleaning, a larger list, or autovacuum.
          this.logger.warn({ msg: 'could not clean the chat search index', months, error: (e as Error).message });
        }
      }
    });
    this.running = null;
    // Asked for between the loop's last look and now.
    if (this.wanted.size) this.running = this.drain();
  }
}
