import { Injectable, Logger } from '@nestjs/common';
import { DefaultJobOptions, JobsOptions } from 'bullmq';
import { AppConfig } from 'src/core/config/app-config';
import { UnavailableLog } from 'src/core/errors/service-unavailable';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';
import { JobHandlerMetadata, JobPayload } from './job-handler.decorator';
import { bullJobId, parseJobName } from './job-names';
import { JobRegistry } from './job-registry';
import { AnyQueue, createQueueConnection, QueueBackendKind, QueueConnection } from './queue-connection';

export interface EnqueueOptions {
  /**
   * Deterministic id (e.g. `moment:42:3`) that makes enqueueing idempotent: while
   * a job with this id (for this job name) is waiting, delayed or running,
   * enqueueing it again is a no-op. Any non-empty string; it is scoped by job
   * name and encoded for BullMQ (see bullJobId). Without it, every call adds a job.
   */
  jobId?: string;
  /** Run no earlier than this many ms from now. Exclusive with runAt. */
  delayMs?: number;
  /** Run no earlier than this time (a past time runs at once). Exclusive with delayMs. */
  runAt?: Date;
  /**
   * 1 to 2 097 151, lower runs first. Jobs without a priority run before all
   * prioritized ones, so use it to push bulk work back (e.g. 100), not forward.
   */
  priority?: number;
}

export interface EnqueuedJob {
  /** The stored BullMQ id (= JobContext.jobId in the handler; removeJob takes the caller's jobId). */
  id: string;
  name: string;
  queue: string;
  /**
   * True when a job with this id already existed, so nothing was added. Best
   * effort under concurrent enqueues of one id (both may report false), but
   * even then BullMQ stores and runs only one job.
   */
  existing: boolean;
}

/**
 * Finished jobs, on both backends:
 * - completed jobs are deleted at once (`removeOnComplete: true`), so a
 *   deterministic id can be enqueued again after its job completed; that runs
 *   the handler again, which is harmless because handlers are idempotent;
 * - failed jobs (attempts exhausted) are kept 7 days / at most 1000 per queue for
 *   inspection; enqueueing the id of a failed job replaces it (see enqueue).
 */
export const FINISHED_JOB_RETENTION: Pick<DefaultJobOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

/**
 * Adds and removes jobs. Usable in the API and the worker process; it opens
 * its connections on first use (a process that never enqueues opens none).
 */
@Injectable()
export class QueueService {
  /** Which datastore carries the jobs: Redis when REDIS_URL is set, else PostgreSQL. */
  readonly backend: QueueBackendKind;
  /** @internal shared with QueueWorkerService */
  readonly connection: QueueConnection;
  private readonly logger = new Logger('QueueService');
  private readonly unavailable = new UnavailableLog(this.logger);
  private readonly queues = new Map<string, AnyQueue>();
  private closed = false;
  private closing = false;

  constructor(
    private readonly config: AppConfig,
    db: DatabaseConnectionInfo,
    private readonly registry: JobRegistry,
  ) {
    this.connection = createQueueConnection(config.redisUrl, db.url);
    this.backend = this.connection.kind;
  }

  /**
   * Adds a job for the handler of `name`. Throws for an unknown job name, a
   * payload without `orgId` (except periodic jobs) or invalid options.
   *
   * With `jobId`: when a job with that id exists and is waiting, delayed or
   * active, nothing is added and `existing` is true (the existing job keeps its
   * payload and timing: to change them, removeJob then enqueue, or use a new id
   * such as one carrying a version). When it exists and has failed, it is
   * removed and added again (a fresh set of attempts).
   */
  async enqueue<P extends JobPayload>(name: string, payload: P, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    const meta = this.handlerOf(name);
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new Error(`Payload of ${name} must be an object`);
    }
    if (!meta.schedule && (typeof payload.orgId !== 'string' || payload.orgId === '')) {
      throw new Error(`Payload of ${name} must carry orgId (only periodic jobs may omit it)`);
    }
    const opts: JobsOptions = {
      attempts: meta.attempts,
      backoff: { type: 'exponential', delay: meta.backoffMs },
      delay: this.delayOf(name, options),
    };
    if (options.priority !== undefined) {
      if (!Number.isInteger(options.priority) || options.priority < 1 || options.priority > 2_097_151) {
        throw new Error(`priority of ${name} must be an integer from 1 to 2097151`);
      }
      opts.priority = options.priority;
    }
    const queue = await this.queueFor(name);
    if (options.jobId !== undefined) {
      opts.jobId = bullJobId(name, options.jobId);
      const existing = await queue.getJob(opts.jobId);
      if (existing) {
        const state = await existing.getState();
        if (state !== 'failed' && state !== 'unknown') {
          return { id: opts.jobId, name, queue: queue.name, existing: true };
        }
        if (state === 'failed') await queue.remove(opts.jobId);
      }
    }
    // Concurrent adds of the same id are still safe: BullMQ itself never stores
    // two jobs with one id (Redis: script check; PostgreSQL: ON CONFLICT DO NOTHING).
    const job = await queue.add(name, payload, opts);
    return { id: String(job.id), name, queue: queue.name, existing: false };
  }

  /**
   * Removes a waiting or delayed job (cancel, or the first half of a
   * reschedule). Returns false when there is no such job or it is running
   * (a running job cannot be removed; its handler must notice by itself that
   * the work is no longer wanted).
   */
  async removeJob(name: string, jobId: string): Promise<boolean> {
    this.handlerOf(name);
    const queue = await this.queueFor(name);
    const id = bullJobId(name, jobId);
    // Redis's remove() answers 1 for a missing job, PostgreSQL's 0: look first.
    if (!(await queue.getJob(id))) return false;
    return (await queue.remove(id)) === 1;
  }

  /** For /ready: true when the queue datastore answers within timeoutMs. */
  ping(timeoutMs = 2000): Promise<boolean> {
    return this.connection.ping(timeoutMs);
  }

  /**
   * At start: Redis answers (a StartError naming REDIS_URL otherwise). The
   * PostgreSQL backend needs nothing more than the database, checked already.
   */
  async checkConnection(): Promise<void> {
    if (this.backend === 'redis') await this.connection.ready();
  }

  /** Closes every queue and connection (after QueueWorkerService.stop()). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(
      queues.map((q) => q.close().catch((err: unknown) => this.logger.warn(`closing ${q.name}: ${String(err)}`))),
    );
    await this.connection.close();
    this.closing = false;
  }

  /** For a stop that ran out of time: what close() has not finished. */
  unfinished(): string[] {
    return this.closing
      ? [`queue connections (${this.backend}) not closed cleanly: their datastore did not answer`]
      : [];
  }

  /** @internal The BullMQ queue of a job name's feature (created on first use). */
  async queueFor(name: string): Promise<AnyQueue> {
    if (this.closed) throw new Error('QueueService is closed');
    const queueName = `${this.config.queuePrefix}-${parseJobName(name).feature}`;
    let queue = this.queues.get(queueName);
    if (!queue) {
      await this.connection.ready();
      queue = this.queues.get(queueName);
      if (!queue) {
        queue = this.connection.createQueue(queueName, FINISHED_JOB_RETENTION);
        queue.on('error', (err: Error) => {
          if (!this.unavailable.report(queueName, err, 'queue cannot reach its datastore; retrying')) {
            this.logger.error(`queue ${queueName}: ${err.message}`);
          }
        });
        this.queues.set(queueName, queue);
      }
    }
    return queue;
  }

  private handlerOf(name: string): JobHandlerMetadata {
    parseJobName(name);
    const job = this.registry.get(name);
    if (!job) throw new Error(`Unknown job "${name}": no provider is decorated with @JobHandler('${name}')`);
    return job.meta;
  }

  private delayOf(name: string, { delayMs, runAt }: EnqueueOptions): number {
    if (delayMs !== undefined && runAt !== undefined) throw new Error(`${name}: pass delayMs or runAt, not both`);
    if (delayMs !== undefined) {
      if (!Number.isFinite(delayMs) || delayMs < 0) throw new Error(`${name}: delayMs must be a number >= 0`);
      return Math.round(delayMs);
    }
    if (runAt !== undefined) {
      const at = runAt instanceof Date ? runAt.getTime() : NaN;
      if (!Number.isFinite(at)) throw new Error(`${name}: runAt must be a valid Date`);
      return Math.max(0, at - Date.now());
    }
    return 0;
  }
}
