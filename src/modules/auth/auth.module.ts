import { Module } from '@nestjs/common';
import { PRINCIPAL_RESOLVER } from 'src/core/authz/principal-resolver';
import { QueueModule } from 'src/core/queue';
import { OrgModule } from 'src/modules/org/org.module';
import { PURGE_RATE_LIMITS, PurgeRateLimitsJob } from './jobs/purge-rate-limits.job';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysResolver } from './api-keys.resolver';
import { ApiKeysService } from './api-keys.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { AuthLimitsService } from './auth-limits.service';
import { PrincipalService } from './principal.service';
import { TokenService } from './token.service';

/** Sign-up, login, session tokens, API keys; resolves the caller of every request. */
@Module({
  imports: [OrgModule, QueueModule.forFeature([PURGE_RATE_LIMITS])],
  providers: [
    TokenService,
    AuthLimitsService,
    ApiKeysRepository,
    AuthService,
    ApiKeysService,
    PrincipalService,
    { provide: PRINCIPAL_RESOLVER, useExisting: PrincipalService },
    AuthResolver,
    PurgeRateLimitsJob,
    ApiKeysResolver,
  ],
  exports: [PRINCIPAL_RESOLVER, TokenService, ApiKeysService],
})
export class AuthModule {}
