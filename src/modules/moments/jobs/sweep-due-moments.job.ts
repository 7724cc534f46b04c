import { JobHandler, JobProcessor } from 'src/core/queue';
import { MomentsService } from 'src/modules/moments/services/moments.service';
import { SWEEP_DUE_MOMENTS } from './job-names';

/**
 * Reconcile sweep: re-enqueues the publish job of every moment that is due but
 * has not fired, whatever happened to its job (lost between the write and the
 * enqueue). The job id is deterministic, so a job that still exists is left
 * alone. Runs when a worker starts and every 30 seconds.
 */
@JobHandler(SWEEP_DUE_MOMENTS, { schedule: { everyMs: 30_000 }, runOnStart: true, concurrency: 1 })
export class SweepDueMomentsJob implements JobProcessor {
  constructor(private readonly moments: MomentsService) {}

  handle(): Promise<number> {
    return this.moments.enqueueDue();
  }
}
