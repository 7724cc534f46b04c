import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
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
import { ChannelsModule } from 'src/modules/channels/channels.module';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { KpiRollupsModule } from 'src/modules/kpi/kpi-rollups.module';
import { KpiRollupsService } from 'src/modules/kpi/services/kpi-rollups.service';
import { BUILTIN_ROLE_DEFINITIONS } from 'src/modules/org/builtin-roles';
import { OrgModule, OrgPolicyModule } from 'src/modules/org/org.module';
import { ReassignmentModule } from 'src/modules/reassignment/reassignment.module';

/**
 * The module graph of `cli.js import-customers`: no HTTP, GraphQL server,
 * worker, auth or moments (AppModule's), only what the import's rules need.
 * Customers and Org hold them; Channels and Reassignment are here for the two
 * they register with CustomersService at start: channel attribution of new
 * relations (tags by state) and the capacity that WAITING transfers reserve.
 * The queue is only declared (Reassignment enqueues through it; the import
 * does not, so no queue connection opens). Feature modules' resolvers are
 * plain providers without the GraphQL server, with the registries they
 * register with (DirectFields, ScopedTypes).
 */
/**
 * The import raises no live event (it writes customers and relations, which
 * nobody subscribes to), so its services get the in-process bus: no LISTEN
 * connection or Redis client for a command that only writes rows.
 */
@Global()
@Module({ providers: [{ provide: EventBus, useClass: InProcessEventBus }], exports: [EventBus] })
class ImportEventsModule {}

/** Relations the import opens count in KPI in their own transactions, as on the API (KpiModule's hook). */
@Module({ imports: [CustomersModule, KpiRollupsModule] })
class ImportKpiModule implements OnModuleInit {
  constructor(
    private readonly customers: CustomersService,
    private readonly rollups: KpiRollupsService,
  ) {}

  onModuleInit(): void {
    this.customers.onRelationsChanged((tx, orgId, changes) => this.rollups.relationsChanged(tx, orgId, changes));
  }
}

@Module({})
export class ImportCustomersModule {
  static forRoot(config: AppConfig, db: DatabaseConnectionInfo): DynamicModule {
    return {
      module: ImportCustomersModule,
      imports: [
        CoreConfigModule.forRoot(config, db),
        DatabaseModule.forRoot({ entities: APP_ENTITIES, migrations: MIGRATIONS }),
        QueueModule.forRoot(),
        ImportEventsModule,
        SecurityModule,
        AuthzModule.forRoot(BUILTIN_ROLE_DEFINITIONS, [OrgPolicyModule]),
        DirectFieldsModule,
        ScopedTypesModule,
        OrgModule,
        CustomersModule,
        ChannelsModule,
        ReassignmentModule,
        ImportKpiModule,
      ],
    };
  }
}
