import { Module } from '@nestjs/common';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { OrgModule } from 'src/modules/org/org.module';
import { WecomArchiveImportService } from './import/wecom-archive-import.service';
import { ChatArchiveRepository } from './repositories/chat-archive.repository';
import { ImportPositionRepository } from './repositories/import-position.repository';
import { ChatIngestService } from './services/chat-ingest.service';

/**
 * The WeCom archive importer (`cli.js import-chat`) with the ingest write
 * path it goes through, without the rest of ChatAuditModule (the HTTP import
 * controller, resolvers, retention job and auth they need).
 */
@Module({
  imports: [OrgModule, CustomersModule],
  providers: [ChatArchiveRepository, ChatIngestService, ImportPositionRepository, WecomArchiveImportService],
  exports: [WecomArchiveImportService],
})
export class ChatArchiveImportModule {}
