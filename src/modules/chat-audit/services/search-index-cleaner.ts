import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ChatArchiveRepository } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { MonthsInBackground } from './months-in-background';

/**
 * What one cleaning gathers the pending lists in (maintenance_work_mem) before writing them to the index: a bulk
 * import's lists (up to its GIN pending list, 256 MB) are merged in one pass rather than in 64 MB rounds, each
 * over the index's whole key range. One cleaning runs at a time per process, so this bounds its memory too.
 */
const CLEANING_MEMORY = '256MB';

/**
 * Moves the search grams that ingest transactions appended to the GIN pending lists into the indexes
 * (gin_clean_pending_list), after those transactions commit and off their requests. A GraphQL ingest only appends
 * (its transaction raises the pending list's limit, INGEST_GIN_PENDING_LIST): merging a batch's grams into the
 * index was most of its INSERT, and with the default 4 MB list every second batch paid for merging the last two.
 * A bulk import does the same with a larger list, and answers before its grams are merged.
 * One cleaning runs at a time per process; months asked for meanwhile are cleaned together by the next, so under
 * load each cleaning merges more batches at once (a gram's postings are updated once per cleaning, not per batch).
 * Searches read a pending list whole, so it is kept short rather than left to autovacuum. A failed cleaning is
 * logged: the rows are stored, and what stays pending is cleaned by the next cleaning, a larger list, or autovacuum.
 */
@Injectable()
export class SearchIndexCleaner implements OnModuleDestroy {
  private readonly months: MonthsInBackground;

  constructor(archive: ChatArchiveRepository) {
    this.months = new MonthsInBackground(
      'chat-search-index-cleaner',
      new Logger('ChatSearchIndex'),
      (months) => archive.cleanSearchIndexesNow(months, CLEANING_MEMORY),
      'could not clean the chat search index',
    );
  }

  /** Asks for the month partitions' (`YYYY-MM-01`) search indexes to be cleaned soon; returns at once. */
  request(months: readonly string[]): void {
    this.months.request(months);
  }

  /** The cleaning under way, if any (tests and shutdown wait for it). */
  idle(): Promise<void> {
    return this.months.idle();
  }

  onModuleDestroy(): Promise<void> {
    return this.months.stop();
  }
}
