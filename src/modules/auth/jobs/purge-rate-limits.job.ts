import { Logger } from '@nestjs/common';
import { JobHandler, JobProcessor } from 'src/core/queue';
import { RateLimitsService } from 'src/core/security/rate-limits.service';

export const PURGE_RATE_LIMITS = 'auth.purge-rate-limits';

/** Deletes expired login and sign-up counters (hourly; an expired counter is ignored until then). */
@JobHandler(PURGE_RATE_LIMITS, { schedule: { everyMs: 3600_000 }, concurrency: 1 })
export class PurgeRateLimitsJob implements JobProcessor {
  private readonly logger = new Logger('PurgeRateLimits');
  constructor(private readonly limits: RateLimitsService) {}

  async handle(): Promise<number> {
    const n = await this.limits.purgeExpired();
    if (n) this.logger.log({ msg: 'purged expired rate-limit counters', count: n });
    return n;
  }
}
