import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthzGuard } from './authz.guard';
import { BUILTIN_ROLES, BuiltinRole } from './authz.model';
import { AuthzService } from './authz.service';
import { PolicyRepository } from './policy.repository';

@Global()
@Module({})
export class AuthzModule {
  static forRoot(builtinRoles: BuiltinRole[]): DynamicModule {
    return {
      module: AuthzModule,
      providers: [
        { provide: BUILTIN_ROLES, useValue: builtinRoles },
        PolicyRepository,
        AuthzService,
        { provide: APP_GUARD, useClass: AuthzGuard },
      ],
      exports: [AuthzService, PolicyRepository, BUILTIN_ROLES],
    };
  }
}
