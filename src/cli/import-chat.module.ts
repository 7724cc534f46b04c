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
import { EventBus } from 'src/core/realtime/event-bus';
import { EVENT_BUS_PROVIDER } from 'src/core/realtime/event-bus.provider';
import { SecurityModule } from 'src/core/security/security.module';
import { ChatArchiveImportModule } from 'src/modules/chat-audit/chat-archive-import.module';
import { ChatIngestService } from 'src/modules/chat-audit/services/chat-ingest.service';
import { KpiRollupsModule } from 'src/modules/kpi/kpi-rollups.module';
import { KpiRollupsService } from 'src/modules/kpi/services/kpi-rollups.service';
import { BUILTIN_ROLE_DEFINITIONS } from 'src/modules/org/builtin-roles';
import { OrgPolicyModule } from 'src/modules/org/org.module';

/**
 * The import's alerts are announced live like the API's (auditAlertRaised, the notify lists' notificationAdded):
 * the command publishes on the server's bus (the same database's NOTIFY channel, or Redis with REDIS_URL), so
 * an auditor watching the alerts inbox sees an archive's hits arrive while it imports.
 */
@Global()
@Module({ providers: [EVENT_BUS_PROVIDER], exports: [EventBus] })
class ImportChatEventsModule {}

/**
 * The module graph of `cli.js import-chat`: no HTTP, GraphQL server, worker,
 * auth or moments (AppModule's), only the chat archive's write path and the
 * Org and Customers modules it resolves parties through (their resolvers are
 * plain providers here, with the registries they register with). The queue is
 * only declared: the import enqueues nothing, so no queue connection opens.
 */
/** Imported messages count in KPI in each batch's transaction, as on the API (KpiModule's hook). */
@Module({ imports: [ChatArchiveImportModule, KpiRollupsModule] })
class ImportChatKpiModule implements OnModuleInit {
  constructor(
    private readonly chat: ChatIngestService,
    private readonly rollups: KpiRollupsService,
  ) {}

  onModuleInit(): void {
    this.chat.onMessagesStored((db, orgId, stored) => this.rollups.messagesStored(db, orgId, stored));
  }
}

@Module({})
export class ImportChatModule {
  static forRoot(config: AppConfig, db: DatabaseConnectionInfo): DynamicModule {
    return {
      module: ImportChatModule,
      imports: [
        CoreConfigModule.forRoot(config, db),
        DatabaseModule.forRoot({ entities: APP_ENTITIES, migrations: MIGRATIONS }),
        QueueModule.forRoot(),
        ImportChatEventsModule,
        SecurityModule,
        AuthzModule.forRoot(BUILTIN_ROLE_DEFINITIONS, [OrgPolicyModule]),
        DirectFieldsModule,
        ScopedTypesModule,
        ChatArchiveImportModule,
        ImportChatKpiModule,
      ],
    };
  }
}
