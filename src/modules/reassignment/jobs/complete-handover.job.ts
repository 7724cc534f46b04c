import { JobHandler, JobProcessor } from 'src/core/queue';
import { ReassignmentService } from 'src/modules/reassignment/services/reassignment.service';
import { COMPLETE_HANDOVER } from './job-names';

/** Completes a hand-over's WAITING transfers at takeoverAt (delayed job, id `handover:<id>`). */
@JobHandler(COMPLETE_HANDOVER, { attempts: 10, backoffMs: 2000 })
export class CompleteHandoverJob implements JobProcessor<{ orgId: string; handoverId: string }> {
  constructor(private readonly reassignment: ReassignmentService) {}

  handle(payload: { orgId: string; handoverId: string }): Promise<number> {
    return this.reassignment.completeDue({ orgId: payload.orgId, handoverId: payload.handoverId });
  }
}
