import { JobHandler, JobProcessor } from '../../../core/queue';
import { ChatRetentionService, PurgeResult } from '../services/chat-retention.service';
import { PURGE_CHAT_MESSAGES } from './job-names';

/**
 * Daily (and when a worker starts): prepares the coming months' partitions and
 * purges messages older than each organization's chatRetentionDays, dropping
 * whole month partitions where it can. Idempotent: a second run finds nothing.
 */
@JobHandler(PURGE_CHAT_MESSAGES, { schedule: { pattern: '0 20 3 * * *' }, runOnStart: true, concurrency: 1 })
export class PurgeChatMessagesJob implements JobProcessor {
  constructor(private readonly retention: ChatRetentionService) {}

  async handle(): Promise<PurgeResult> {
    await this.retention.prepareMonths();
    return this.retention.purge();
  }
}
