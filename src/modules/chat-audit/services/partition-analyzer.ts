import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ChatArchiveRepository } from 'src/modules/chat-audit/repositories/chat-archive.repository';
import { MonthsInBackground } from './months-in-background';

/**
 * Gives a month partition its first statistics (ANALYZE) once an ingest has committed rows into it, after that
 * commit and off its request. A partition is created empty when a month is first needed; until it is analyzed the
 * planner guesses, and autovacuum's ANALYZE comes a minute or more after the month fills (its naptime). Meanwhile
 * KPI's conversation-days statement read each conversation-day's messages through the partition's primary key, the
 * whole day of the organization per key (issue 19; test/chat-partition-statistics.e2e-spec.ts). Statistics taken
 * from the first rows stay good as the month grows: PostgreSQL scales the row count by the table's current size,
 * and the distinct counts it stores for ids grow with it; autovacuum refreshes them from then on. At most once per
 * month per process, and only a partition never analyzed (`reltuples` -1): cheap, as it holds about a batch. A
 * failure is logged: autovacuum analyzes it later, and the plans guess until then.
 */
@Injectable()
export class PartitionAnalyzer implements OnModuleDestroy {
  private readonly logger = new Logger('ChatPartitions');
  private readonly asked = new Set<string>();
  private readonly months: MonthsInBackground;

  constructor(archive: ChatArchiveRepository) {
    this.months = new MonthsInBackground(
      'chat-partition-analyzer',
      this.logger,
      async (months) => {
        // Month by month: one that fails does not keep the others from their statistics.
        for (const month of months) {
          try {
            if (await archive.analyzeIfNeverAnalyzed(month)) this.logger.log({ msg: 'chat partition analyzed', month });
          } catch (e) {
            this.logger.warn({ msg: 'could not analyze a chat partition', month, error: (e as Error).message });
          }
        }
      },
      'could not analyze a chat partition',
    );
  }

  /** After a commit that stored messages in the months (`YYYY-MM-01`): analyzes those never analyzed; returns now. */
  request(months: readonly string[]): void {
    const fresh = months.filter((m) => !this.asked.has(m));
    for (const m of fresh) this.asked.add(m);
    if (fresh.length) this.months.request(fresh);
  }

  /** The analysis under way, if any (tests and shutdown wait for it). */
  idle(): Promise<void> {
    return this.months.idle();
  }

  onModuleDestroy(): Promise<void> {
    return this.months.stop();
  }
}
