import { DynamicModule, Global, Module, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRegistry, queueFeatureModule } from './job-registry';
import { QueueWorkerService } from './queue-worker.service';
import { QueueService } from './queue.service';

/**
 * The job-queue platform (BullMQ on Redis when REDIS_URL is set, otherwise on
 * the application's PostgreSQL, schema `bullmq`). Import `QueueModule.forRoot()`
 * once in the root module, after the database module; feature modules import
 * `QueueModule.forFeature([...job names])`. See README.md in this folder.
 */
@Global()
@Module({})
export class QueueModule implements OnModuleDestroy, OnApplicationShutdown {
  constructor(
    private readonly worker: QueueWorkerService,
    private readonly queues: QueueService,
  ) {}

  /** QueueService, QueueWorkerService and JobRegistry for the whole application. */
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [DiscoveryModule],
      providers: [JobRegistry, QueueService, QueueWorkerService],
      exports: [JobRegistry, QueueService, QueueWorkerService],
    };
  }

  /**
   * Declares the job names a feature module handles. Boot fails when a declared
   * name has no @JobHandler provider (or when any name has two).
   */
  static forFeature(jobNames: readonly string[]): DynamicModule {
    return queueFeatureModule(jobNames);
  }

  /**
   * Stop the workers first (onModuleDestroy is the first shutdown hook), so
   * active jobs finish while the rest of the application, e.g. its database
   * connection, is still up.
   */
  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
  }

  /** Then close the queues: requests still being served could enqueue until now. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.queues.close();
  }
}
