export { UnrecoverableError } from 'bullmq';
export {
  JobHandler,
  JobContext,
  JobHandlerOptions,
  JobPayload,
  JobProcessor,
  JobSchedule,
  JOB_HANDLER_DEFAULTS,
} from './job-handler.decorator';
export { JobRegistry, JobRegistryError, RegisteredJob, validateRegistry } from './job-registry';
export { bullJobId, parseJobName, queueNameFor } from './job-names';
export { QueueBackendKind } from './queue-connection';
export { QueueModule } from './queue.module';
export { EnqueuedJob, EnqueueOptions, QueueService } from './queue.service';
export { QueueWorkerService } from './queue-worker.service';
