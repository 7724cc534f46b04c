import { Module } from '@nestjs/common';
import { QueueModule } from 'src/core/queue';
import { AuthModule } from 'src/modules/auth/auth.module';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { OrgModule } from 'src/modules/org/org.module';
import { CHAT_AUDIT_JOBS } from './jobs/job-names';
import { PurgeChatMessagesJob } from './jobs/purge-chat-messages.job';
import { AccessLogRepository } from './repositories/access-log.repository';
import { ChatArchiveRepository } from './repositories/chat-archive.repository';
import { KeywordRulesRepository } from './repositories/keyword-rules.repository';
import { ChatImportController } from './resolvers/chat-import.controller';
import { AuditAccessEntriesResolver, ChatAuditResolver, ChatMessagesResolver } from './resolvers/chat-audit.resolver';
import { AuditAlertsResolver, KeywordRulesResolver } from './resolvers/keyword-rules.resolver';
import { AuditAlertsService } from './services/audit-alerts.service';
import { ChatBulkImportService } from './services/chat-bulk-import.service';
import { ChatIngestService } from './services/chat-ingest.service';
import { ChatReadService } from './services/chat-read.service';
import { ChatRetentionService } from './services/chat-retention.service';
import { ChatRulesCache } from './services/chat-rules-cache';
import { KeywordRulesService } from './services/keyword-rules.service';
import { PartitionAnalyzer } from './services/partition-analyzer';
import { SearchIndexCleaner } from './services/search-index-cleaner';

/** Chat audit: the conversation archive (messages partitioned by month), consent, search, the access log, retention. */
@Module({
  imports: [OrgModule, CustomersModule, AuthModule, NotificationsModule, QueueModule.forFeature(CHAT_AUDIT_JOBS)],
  controllers: [ChatImportController],
  providers: [
    ChatArchiveRepository,
    ChatBulkImportService,
    AccessLogRepository,
    ChatIngestService,
    ChatReadService,
    ChatRetentionService,
    ChatAuditResolver,
    ChatMessagesResolver,
    AuditAccessEntriesResolver,
    PurgeChatMessagesJob,
    KeywordRulesRepository,
    KeywordRulesService,
    ChatRulesCache,
    SearchIndexCleaner,
    PartitionAnalyzer,
    AuditAlertsService,
    KeywordRulesResolver,
    AuditAlertsResolver,
  ],
  exports: [ChatIngestService, ChatReadService, ChatRulesCache],
})
export class ChatAuditModule {}
