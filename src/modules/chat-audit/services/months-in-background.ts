import { Logger } from '@nestjs/common';
import { requestContext } from 'src/core/context/request-context';

/**
 * Work on month partitions (`YYYY-MM-01`) asked for after a commit and done off the request: one run at a time per
 * process; months asked for meanwhile are done together by the next run. A failure is logged as a warning (the
 * work is an optimisation: the rows are stored). Shared by SearchIndexCleaner and PartitionAnalyzer.
 */
export class MonthsInBackground {
  private readonly wanted = new Set<string>();
  private running: Promise<void> | null = null;

  /**
   * @param name the request id its statements run under (not the asking request's, nor counted in its
   *   x-sql-statements)
   * @param work what to do with the months asked for (sorted), and the warning to log when it fails
   */
  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly work: (months: string[]) => Promise<void>,
    private readonly failed: string,
  ) {}

  /** Asks for the months; returns at once. */
  request(months: Iterable<string>): void {
    for (const m of months) this.wanted.add(m);
    if (!this.running && this.wanted.size) this.running = this.drain();
  }

  /** The run under way, if any (tests and shutdown wait for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops what is not started and waits for the run under way (module shutdown). */
  async stop(): Promise<void> {
    this.wanted.clear();
    await this.idle();
  }

  private async drain(): Promise<void> {
    await requestContext.run({ requestId: this.name }, async () => {
      while (this.wanted.size) {
        const months = [...this.wanted].sort();
        this.wanted.clear();
        try {
          await this.work(months);
        } catch (e) {
          this.logger.warn({ msg: this.failed, months, error: (e as Error).message });
        }
      }
    });
    this.running = null;
    // Asked for between the loop's last look and now.
    if (this.wanted.size) this.running = this.drain();
  }
}
