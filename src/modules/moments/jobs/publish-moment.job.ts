import { JobContext, JobHandler, JobProcessor } from 'src/core/queue';
import { MomentsService } from 'src/modules/moments/services/moments.service';
import { PUBLISH_MOMENT, PublishMomentPayload } from './job-names';

/**
 * Fires a scheduled moment (delayed job, id `moment:<id>:<version>`): creates
 * its tasks once and marks it PUBLISHED. A job whose version no longer
 * matches (rescheduled, cancelled, already published) does nothing. When the
 * last attempt fails, the moment becomes FAILED.
 *
 * Moments due together fire side by side: one firing is mostly waiting on PostgreSQL (statements, commits), and
 * 100 due in the same second queued behind 4 took 1.7 s for the last (bench/RESULTS.md, burst). 12 leaves room
 * for the worker's other queues within its DATABASE_POOL_SIZE (20).
 */
@JobHandler(PUBLISH_MOMENT, { attempts: 5, backoffMs: 1000, concurrency: 12 })
export class PublishMomentJob implements JobProcessor<PublishMomentPayload> {
  constructor(private readonly moments: MomentsService) {}

  async handle(p: PublishMomentPayload, ctx: JobContext): Promise<boolean> {
    try {
      return await this.moments.fire(p.orgId, p.momentId, p.version);
    } catch (e) {
      if (ctx.attempt >= ctx.maxAttempts) await this.moments.markFailed(p.orgId, p.momentId, p.version, e as Error);
      throw e;
    }
  }
}
