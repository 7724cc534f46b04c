import { DynamicModule, Global, Module } from '@nestjs/common';
import { MIGRATIONS } from 'migrations';
import { APP_ENTITIES } from 'src/app.entities';
import { AuthzModule } from 'src/core/authz/authz.module';
import { AppConfig } from 'src/core/config/app-config';
import { CoreConfigModule } from 'src/core/config/config.module';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { DatabaseModule } from 'src/core/database/database.module';
import { DirectFieldsModule } from 'src/core/graphql/direct-fields';
import { ScopedTypesModule } from 'src/core/graphql/scoped-types';
import { QueueModule } from 'src/core/queue';
import { EventBus, InProcessEventBus } from 'src/core/realtime/event-bus';
import { SecurityModule } from 'src/core/security/security.module';
import { KpiRollupsRepository } from 'src/modules/kpi/repositories/kpi-rollups.repository';
import { KpiRollupsService } from 'src/modules/kpi/services/kpi-rollups.service';
import { BUILTIN_ROLE_DEFINITIONS } from 'src/modules/org/builtin-roles';
import { OrgModule, OrgPolicyModule } from 'src/modules/org/org.module';

/** The rebuild raises no live event itself; dashboards read the rebuilt rows on their next query. */
@Global()
@Module({ providers: [{ provide: EventBus, useClass: InProcessEventBus }], exports: [EventBus] })
class RebuildEventsModule {}

/**
 * The module graph of `cli.js kpi-rebuild`: the organization lookup (Org) and the rollups' rebuild, which
 * reads the owners' rows through their fragments only (no feature service is needed, so none is booted).
 */
@Module({})
export class KpiRebuildModule {
  static forRoot(config: AppConfig, db: DatabaseConnectionInfo): DynamicModule {
    return {
      module: KpiRebuildModule,
      imports: [
        CoreConfigModule.forRoot(config, db),
        DatabaseModule.forRoot({ entities: APP_ENTITIES, migrations: MIGRATIONS }),
        QueueModule.forRoot(),
        RebuildEventsModule,
        SecurityModule,
        AuthzModule.forRoot(BUILTIN_ROLE_DEFINITIONS, [OrgPolicyModule]),
        DirectFieldsModule,
        ScopedTypesModule,
        OrgModule,
      ],
      providers: [KpiRollupsRepository, KpiRollupsService],
    };
  }
}
