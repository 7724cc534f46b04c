import { DynamicModule, Global, Module, ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthzGuard } from './authz.guard';
import { AppConfig } from 'src/core/config/app-config';
import { AUTHZ_CACHE_SIZE, BUILTIN_ROLES, BuiltinRole } from './authz.model';
import { AuthzService } from './authz.service';
import { PolicyRepository } from './policy.repository';

@Global()
@Module({})
export class AuthzModule {
  /**
   * `policySource`: the module that provides POLICY_SOURCE (organizations and
   * roles are a feature module's, which Core does not import).
   */
  static forRoot(builtinRoles: BuiltinRole[], policySource: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return {
      module: AuthzModule,
      imports: policySource,
      providers: [
        { provide: BUILTIN_ROLES, useValue: builtinRoles },
        { provide: AUTHZ_CACHE_SIZE, inject: [AppConfig], useFactory: (c: AppConfig) => c.authzCacheOrganizations },
        PolicyRepository,
        AuthzService,
        { provide: APP_GUARD, useClass: AuthzGuard },
      ],
      exports: [AuthzService, PolicyRepository, BUILTIN_ROLES],
    };
  }
}
