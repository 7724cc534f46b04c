import { Global, Module } from '@nestjs/common';
import { PasswordPolicyService } from './password-policy.service';
import { PasswordService } from './password.service';
import { RateLimitsService } from './rate-limits.service';

/** Password hashing and policy, and the atomic rate limits (available everywhere). */
@Global()
@Module({
  providers: [PasswordService, PasswordPolicyService, RateLimitsService],
  exports: [PasswordService, PasswordPolicyService, RateLimitsService],
})
export class SecurityModule {}
