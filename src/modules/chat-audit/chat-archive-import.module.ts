import { Module } from '@nestjs/common';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { OrgModule } from 'src/modules/org/org.module';
import { WecomArchiveImportService } from './import/wecom-archive-import.service';
import { ChatArchiveRepository } from './repositories/chat-archive.repository';
import { ImportPositionRepository } from './repositories/import-position.repository';
import { KeywordRulesRepository } from './repositories/keyword-rules.repository';
import { AuditAlertsService } from './services/audit-alerts.service';
import { ChatIngestService } from './services/chat-ingest.service';
import { ChatRulesCache } from './services/chat-rules-cache';
import { PartitionAnalyzer } from './services/partition-analyzer';
import { SearchIndexCleaner } from './services/search-index-cleaner';

/**
 * The WeCom archive importer (`cli.js import-chat`) with the ingest write
 * path it goes through (keyword rules matched and alerts written to the
 * notify lists' inboxes, as on every ingest), without the rest of
 * ChatAuditModule (the HTTP import controller, resolvers, retention job and
 * auth they need).
 */
@Module({
  imports: [OrgModule, CustomersModule, NotificationsModule],
  providers: [
    ChatArchiveRepository,
    ChatIngestService,
    ImportPositionRepository,
    WecomArchiveImportService,
    KeywordRulesRepository,
    ChatRulesCache,
    SearchIndexCleaner,
    PartitionAnalyzer,
    AuditAlertsService,
  ],
  exports: [WecomArchiveImportService, ChatIngestService],
})
export class ChatArchiveImportModule {}
