import { Injectable, Logger } from '@nestjs/common';
import { Job, RepeatOptions, UnrecoverableError } from 'bullmq';
import { requestContext } from 'src/core/context/request-context';
import { UnavailableLog } from 'src/core/errors/service-unavailable';
import { JobContext, JobPayload, JobSchedule } from './job-handler.decorator';
import { JobRegistry, RegisteredJob } from './job-registry';
import { AnyWorker, WorkerConnection } from './queue-connection';
import { FINISHED_JOB_RETENTION, QueueService } from './queue.service';

function repeatOptionsOf(schedule: JobSchedule): Omit<RepeatOptions, 'key'> {
  return 'everyMs' in schedule
    ? { every: schedule.everyMs }
    : { pattern: schedule.pattern, ...(schedule.tz ? { tz: schedule.tz } : {}) };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs the @JobHandler providers: one BullMQ Worker per feature queue that has
 * handlers. Only the worker process calls start(); the API process never does.
 */
@Injectable()
export class QueueWorkerService {
  private readonly logger = new Logger('QueueWorker');
  private workers: AnyWorker[] = [];
  private workerConnection?: WorkerConnection;
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  private stopped = false;
  private readonly unavailable = new UnavailableLog(this.logger);
  /** Jobs being handled now (name and id), for a stop that runs out of time. */
  private readonly active = new Map<string, string>();

  constructor(
    private readonly queues: QueueService,
    private readonly registry: JobRegistry,
  ) {}

  /** True between a successful start() and stop(). */
  get running(): boolean {
    return this.workers.length > 0 && !this.stopping;
  }

  /**
   * Starts the workers and upserts the job schedulers of periodic handlers
   * (removing schedulers whose handler is no longer periodic). Idempotent.
   * Resolves once every worker is connected.
   */
  start(): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('QueueWorkerService was stopped; it cannot start again'));
    this.starting ??= this.doStart().catch(async (err: unknown) => {
      // Leave nothing half-open; a failed start is final (the process should exit).
      await this.closeWorkers().catch(() => undefined);
      throw err;
    });
    return this.starting;
  }

  /**
   * Graceful stop: workers take no new jobs, active jobs run to completion, then
   * the worker connections close. Queues (QueueService) stay open. Idempotent.
   * A job that never ends blocks stop(); the process manager's kill then leaves
   * it to be retried by another worker once its lock expires (30 s).
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.starting?.catch(() => undefined);
      await this.closeWorkers();
      this.stopped = true;
    })();
    return this.stopping;
  }

  /** For a stop that ran out of time: the jobs left running and the workers not closed. */
  unfinished(): string[] {
    if (!this.stopping || this.stopped) return [];
    const jobs = [...this.active.values()];
    return [
      jobs.length
        ? `${jobs.length} running job(s) left to the next worker, which runs them again once their lock expires: ${jobs.join(', ')}`
        : 'queue workers not closed cleanly (no job was running): their datastore did not answer',
    ];
  }

  private async closeWorkers(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    if (workers.length) this.logger.log({ msg: 'stopping queue workers', queues: workers.map((w) => w.name) });
    await Promise.all(workers.map((w) => w.close()));
    await this.workerConnection?.close();
    this.workerConnection = undefined;
    if (workers.length) this.logger.log('queue workers stopped');
  }

  private async doStart(): Promise<void> {
    const features = this.registry.byFeature();
    if (features.size === 0) {
      this.logger.warn('no @JobHandler providers: no queue worker started');
      return;
    }
    await this.queues.connection.ready();
    this.workerConnection = this.queues.connection.openWorkers(features.size);
    for (const jobs of features.values()) {
      const queue = await this.queues.queueFor(jobs[0].name);
      const handlers = new Map(jobs.map((j) => [j.name, j]));
      const concurrency = Math.max(...jobs.map((j) => j.meta.concurrency));
      const worker = this.workerConnection.createWorker(
        queue.name,
        (job) => this.process(queue.name, handlers, job),
        concurrency,
      );
      worker.on('error', (err: Error) => this.reportError(queue.name, err));
      worker.on('stalled', (jobId: string) =>
        this.logger.warn({ msg: 'job stalled; it will run again', queue: queue.name, jobId }),
      );
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    for (const jobs of features.values()) await this.syncSchedulers(jobs);
    this.logger.log({
      msg: 'queue workers started',
      backend: this.queues.backend,
      queues: this.workers.map((w) => `${w.name} (${w.opts.concurrency})`),
    });
  }

  /** A worker's error: a datastore that is down (BullMQ reconnects by itself) is said at warn, now and then. */
  private reportError(queue: string, err: Error): void {
    if (!this.unavailable.report(queue, err, 'queue worker cannot reach its datastore; retrying')) {
      this.logger.error({ msg: 'queue worker error', queue, error: err.message });
    }
  }

  /** Upserts one job scheduler per periodic handler of a feature; removes stale ones. */
  private async syncSchedulers(jobs: RegisteredJob[]): Promise<void> {
    const queue = await this.queues.queueFor(jobs[0].name);
    const periodic = jobs.filter((j) => j.meta.schedule);
    for (const job of periodic) {
      const { name, attempts, backoffMs, schedule } = job.meta;
      await queue.upsertJobScheduler(name, repeatOptionsOf(schedule!), {
        name,
        data: {},
        opts: { attempts, backoff: { type: 'exponential', delay: backoffMs }, ...FINISHED_JOB_RETENTION },
      });
      if (job.meta.runOnStart) {
        // One catch-up run now; a fixed id keeps several workers starting together to one run.
        await queue.add(
          name,
          {},
          {
            jobId: `${name}@start`,
            attempts,
            backoff: { type: 'exponential', delay: backoffMs },
            ...FINISHED_JOB_RETENTION,
          },
        );
      }
    }
    const wanted = new Set(periodic.map((j) => j.name));
    for (const scheduler of await queue.getJobSchedulers(0, -1)) {
      if (!wanted.has(scheduler.key)) {
        await queue.removeJobScheduler(scheduler.key);
        this.logger.log({ msg: 'removed stale job scheduler', queue: queue.name, scheduler: scheduler.key });
      }
    }
    if (periodic.length) {
      this.logger.log({ msg: 'job schedulers upserted', queue: queue.name, jobs: periodic.map((j) => j.name) });
    }
  }

  /** Runs one job: dispatch by name, inside a request context, logging start/end (never the payload). */
  private process(queueName: string, handlers: Map<string, RegisteredJob>, job: Job): Promise<undefined> {
    const jobId = String(job.id);
    const payload: JobPayload = job.data && typeof job.data === 'object' ? (job.data as JobPayload) : {};
    const orgId = typeof payload.orgId === 'string' ? payload.orgId : undefined;
    return requestContext.run({ requestId: `job:${jobId}`, jobId, orgId }, async () => {
      const attempt = job.attemptsMade + 1;
      const maxAttempts = job.opts.attempts ?? 1;
      const entry = handlers.get(job.name);
      if (!entry) {
        const message = `No @JobHandler for job "${job.name}" in queue ${queueName} (handled here: ${[...handlers.keys()].join(', ')})`;
        this.logger.error({ msg: 'job failed', job: job.name, error: message });
        throw new UnrecoverableError(message);
      }
      const ctx: JobContext = {
        jobId,
        name: job.name,
        attempt,
        maxAttempts,
        progress: (value: number) => job.updateProgress(value),
      };
      const started = Date.now();
      // A delayed job's lateness: from its due time to now (pickup and the worker's own backlog).
      const delay = job.opts.delay ?? job.delay;
      const dueAt = delay ? job.timestamp + delay : undefined;
      this.logger.log({
        msg: 'job started',
        job: job.name,
        attempt,
        maxAttempts,
        ...(dueAt !== undefined && attempt === 1 ? { lateMs: started - dueAt } : {}),
      });
      this.active.set(jobId, `${job.name} (${jobId})`);
      try {
        await entry.instance.handle(payload, ctx);
      } catch (err) {
        const final = err instanceof UnrecoverableError || attempt >= maxAttempts;
        const line = {
          msg: final ? 'job failed' : 'job failed; will retry',
          job: job.name,
          attempt,
          maxAttempts,
          durationMs: Date.now() - started,
          error: errorMessage(err),
        };
        if (!final) this.logger.warn(line);
        else if (err instanceof Error && err.stack) this.logger.error(line, err.stack);
        else this.logger.error(line);
        throw err;
      } finally {
        this.active.delete(jobId);
      }
      this.logger.log({ msg: 'job completed', job: job.name, attempt, durationMs: Date.now() - started });
      // The handler's result is not stored: job results are not an API here.
      return undefined;
    });
  }
}
