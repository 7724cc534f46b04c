import { JobHandler, JobProcessor } from 'src/core/queue';
import { ChatRetentionService, PurgeResult } from 'src/modules/chat-audit/services/chat-retention.service';
import { PURGE_CHAT_MESSAGES } from './job-names';

/**
 * Daily (and when a worker starts): prepares the coming months' partitions and
 * purges messages older than each organization's chatRetentionDays, dropping
 * whole month partitions where it can. Idempotent: a second run finds nothing.
 */
// Every 24 hours, as the other periodic jobs (everyMs): with a cron pattern, BullMQ once refused the scheduler's
// first iteration ("job ID already exists") when two workers started together (reassignment's two-worker test).
@JobHandler(PURGE_CHAT_MESSAGES, { schedule: { everyMs: 24 * 3_600_000 }, runOnStart: true, concurrency: 1 })
export class PurgeChatMessagesJob implements JobProcessor {
  constructor(private readonly retention: ChatRetentionService) {}

  async handle(): Promise<PurgeResult> {
    await this.retention.prepareMonths();
    return this.retention.purge();
  }
}
