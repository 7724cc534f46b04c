import { JobHandler, JobProcessor } from 'src/core/queue';
import { MomentsService } from 'src/modules/moments/services/moments.service';
import { EXPIRE_MOMENT_TASKS } from './job-names';

/**
 * Tasks left PENDING for their organization's `momentTaskExpiryHours` (72 by
 * default) become EXPIRED. Runs when a worker starts and every minute; each
 * run expires everything due, in batches.
 */
@JobHandler(EXPIRE_MOMENT_TASKS, { schedule: { everyMs: 60_000 }, runOnStart: true, concurrency: 1 })
export class ExpireMomentTasksJob implements JobProcessor {
  constructor(private readonly moments: MomentsService) {}

  handle(): Promise<number> {
    return this.moments.expireTasks();
  }
}
