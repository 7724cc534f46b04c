import { Module } from '@nestjs/common';
import { QueueModule } from 'src/core/queue';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { NotificationsModule } from 'src/modules/notifications/notifications.module';
import { OrgModule } from 'src/modules/org/org.module';
import { CompleteHandoverJob } from './jobs/complete-handover.job';
import { REASSIGNMENT_JOBS } from './jobs/job-names';
import { SweepDueTransfersJob } from './jobs/sweep-due-transfers.job';
import { TransfersRepository } from './repositories/transfers.repository';
import { HandoverPreviewResolver, HandoversResolver, TransfersResolver } from './resolvers/reassignment.resolver';
import { ReassignmentService } from './services/reassignment.service';

/** Departures and on-the-job transfers that never lose a customer. */
@Module({
  imports: [OrgModule, CustomersModule, NotificationsModule, QueueModule.forFeature(REASSIGNMENT_JOBS)],
  providers: [
    TransfersRepository,
    ReassignmentService,
    HandoversResolver,
    TransfersResolver,
    HandoverPreviewResolver,
    CompleteHandoverJob,
    SweepDueTransfersJob,
  ],
  exports: [ReassignmentService],
})
export class ReassignmentModule {}
