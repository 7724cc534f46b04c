import { Module } from '@nestjs/common';
import { QueueModule } from 'src/core/queue';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { OrgModule } from 'src/modules/org/org.module';
import { MOMENTS_JOBS } from './jobs/job-names';
import { ExpireMomentTasksJob } from './jobs/expire-moment-tasks.job';
import { PublishMomentJob } from './jobs/publish-moment.job';
import { SweepDueMomentsJob } from './jobs/sweep-due-moments.job';
import { MomentsRepository } from './repositories/moments.repository';
import { MomentAudienceResolver, MomentsResolver, MomentTasksResolver } from './resolvers/moments.resolver';
import { MomentsService } from './services/moments.service';

/** Moments: brand posts that marketers schedule and that fire, once, into one task per audience employee. */
@Module({
  imports: [OrgModule, CustomersModule, NotificationsModule, QueueModule.forFeature(MOMENTS_JOBS)],
  providers: [
    MomentsRepository,
    MomentsService,
    MomentsResolver,
    MomentAudienceResolver,
    MomentTasksResolver,
    PublishMomentJob,
    SweepDueMomentsJob,
    ExpireMomentTasksJob,
  ],
  exports: [MomentsService],
})
export class MomentsModule {}
