import { DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { AuthzModule } from './core/authz/authz.module';
import { AppConfig } from './core/config/app-config';
import { CoreConfigModule } from './core/config/config.module';
import { DatabaseConnectionInfo } from './core/database/database-connection';
import { DatabaseModule } from './core/database/database.module';
import { DirectFieldsModule } from './core/graphql/direct-fields';
import { graphqlModule } from './core/graphql/graphql.factory';
import { ScopedTypesModule } from './core/graphql/scoped-types';
import { InputValidationPipe } from './core/graphql/input-validation.pipe';
import { HealthController, READINESS_CHECKS, ReadinessCheck } from './core/health/health.controller';
import { QueueModule, QueueService } from './core/queue';
import { RealtimeModule } from './core/realtime/realtime.module';
import { SecurityModule } from './core/security/security.module';
import { APP_ENTITIES } from './app.entities';
import { MIGRATIONS } from 'migrations';
import { AuthModule } from './modules/auth/auth.module';
import { ChannelsModule } from './modules/channels/channels.module';
import { ChatAuditModule } from './modules/chat-audit/chat-audit.module';
import { CustomersModule } from './modules/customers/customers.module';
import { KpiModule } from './modules/kpi/kpi.module';
import { MomentsModule } from './modules/moments/moments.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { ReassignmentModule } from './modules/reassignment/reassignment.module';
import { BUILTIN_ROLE_DEFINITIONS } from './modules/org/builtin-roles';
import { OrgModule, OrgPolicyModule } from './modules/org/org.module';

/** The composition root: platform modules, then feature modules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, db: DatabaseConnectionInfo): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreConfigModule.forRoot(config, db),
        DatabaseModule.forRoot({ entities: APP_ENTITIES, migrations: MIGRATIONS }),
        QueueModule.forRoot(),
        RealtimeModule,
        SecurityModule,
        AuthzModule.forRoot(BUILTIN_ROLE_DEFINITIONS, [OrgPolicyModule]),
        DirectFieldsModule,
        ScopedTypesModule,
        graphqlModule([AuthModule]),
        OrgModule,
        AuthModule,
        CustomersModule,
        ReassignmentModule,
        ChannelsModule,
        MomentsModule,
        NotificationsModule,
        ChatAuditModule,
        KpiModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useClass: InputValidationPipe },
        {
          provide: READINESS_CHECKS,
          inject: [QueueService],
          useFactory: (queue: QueueService): ReadinessCheck[] => [
            { name: 'queue', check: async () => ({ ok: await queue.ping(), backend: queue.backend }) },
          ],
        },
      ],
    };
  }
}
