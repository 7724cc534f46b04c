import { Logger } from '@nestjs/common';
import { AppConfig } from '../../../core/config/app-config';
import { JobHandler, JobProcessor } from '../../../core/queue';
import { LoginFailuresRepository } from '../login-failures.repository';

export const PURGE_LOGIN_FAILURES = 'auth.purge-login-failures';

/** Deletes failed-login rows older than the rate-limit window (hourly). */
@JobHandler(PURGE_LOGIN_FAILURES, { schedule: { everyMs: 3600_000 }, concurrency: 1 })
export class PurgeLoginFailuresJob implements JobProcessor {
  private readonly logger = new Logger('PurgeLoginFailures');
  constructor(
    private readonly failures: LoginFailuresRepository,
    private readonly config: AppConfig,
  ) {}

  async handle(): Promise<number> {
    const n = await this.failures.purgeOlderThan(this.config.loginFailureWindowSeconds);
    if (n) this.logger.log({ msg: 'purged failed logins', count: n });
    return n;
  }
}
