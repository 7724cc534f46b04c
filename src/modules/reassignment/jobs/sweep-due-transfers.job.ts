import { Logger } from '@nestjs/common';
import { JobHandler, JobProcessor } from 'src/core/queue';
import { ReassignmentService } from 'src/modules/reassignment/services/reassignment.service';
import { SWEEP_DUE_TRANSFERS } from './job-names';

/**
 * Reconcile sweep: completes every overdue WAITING transfer, whatever happened
 * to its delayed job (lost, or the worker was down at takeoverAt). Runs when a
 * worker starts and every 30 seconds.
 */
@JobHandler(SWEEP_DUE_TRANSFERS, { schedule: { everyMs: 30_000 }, runOnStart: true, concurrency: 1 })
export class SweepDueTransfersJob implements JobProcessor {
  private readonly logger = new Logger('SweepDueTransfers');
  constructor(private readonly reassignment: ReassignmentService) {}

  async handle(): Promise<number> {
    const n = await this.reassignment.completeDue();
    if (n) this.logger.log({ msg: 'completed overdue transfers', count: n });
    return n;
  }
}
