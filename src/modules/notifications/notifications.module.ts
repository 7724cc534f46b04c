import { Module } from '@nestjs/common';
import { NotificationsRepository } from './repositories/notifications.repository';
import { NotificationsResolver } from './resolvers/notifications.resolver';
import { NotificationsService } from './services/notifications.service';

/** Each employee's in-app inbox, written by other modules in their transactions and announced on the EventBus. */
@Module({
  providers: [NotificationsRepository, NotificationsService, NotificationsResolver],
  exports: [NotificationsService],
})
export class NotificationsModule {}
