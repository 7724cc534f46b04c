import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { parseJobName } from './job-names';

/**
 * What every job payload may carry. Payloads are JSON (ids and small scalars,
 * never secrets, tokens or message text) and always carry `orgId`, except the
 * `{}` payload of a periodic sweep.
 */
export interface JobPayload {
  orgId?: string;
}

/** Passed to JobProcessor.handle next to the payload. */
export interface JobContext {
  /** The BullMQ job id (`<job name>@<encoded caller id>` for deterministic ids). */
  readonly jobId: string;
  /** The job name, e.g. `moments.publish`. */
  readonly name: string;
  /** 1 for the first try, 2 for the first retry, ... */
  readonly attempt: number;
  /** Total attempts allowed for this job (handler option `attempts`). */
  readonly maxAttempts: number;
  /** Reports progress (a number, e.g. a percentage) to BullMQ. */
  progress(value: number): Promise<void>;
}

/** Implemented by every provider decorated with @JobHandler. */
export interface JobProcessor<P extends JobPayload = JobPayload> {
  /**
   * Does the work. Must be idempotent: delivery is at least once (a crashed or
   * stalled worker's job runs again). Throwing retries the job with exponential
   * backoff until `attempts` is exhausted; throw `UnrecoverableError` (from
   * 'bullmq', re-exported by this module) to fail at once.
   */
  handle(payload: P, ctx: JobContext): Promise<unknown>;
}

/** A periodic job: a BullMQ job scheduler upserted when the worker starts. */
export type JobSchedule = { everyMs: number } | { pattern: string; tz?: string };

export interface JobHandlerOptions {
  /** Attempts before the job is failed for good. Default 5. */
  attempts?: number;
  /** Base of the exponential backoff between attempts (ms). Default 1000. */
  backoffMs?: number;
  /**
   * Jobs of this name run at most this many at once per worker process.
   * BullMQ runs one worker per feature queue, whose concurrency is the largest
   * value among that feature's handlers. Default 4.
   */
  concurrency?: number;
  /** Makes this a periodic job (payload `{}`), e.g. a reconcile sweep. */
  schedule?: JobSchedule;
  /**
   * Periodic jobs only: also run once as soon as a worker starts, so a sweep
   * catches up at once after downtime instead of at its next scheduled time.
   */
  runOnStart?: boolean;
}

/** Handler options with defaults applied; stored as class metadata. */
export interface JobHandlerMetadata {
  name: string;
  feature: string;
  attempts: number;
  backoffMs: number;
  concurrency: number;
  schedule?: JobSchedule;
  runOnStart?: boolean;
}

export const JOB_HANDLER_METADATA = Symbol.for('wecrm.queue.job-handler');

export const JOB_HANDLER_DEFAULTS = { attempts: 5, backoffMs: 1000, concurrency: 4 } as const;

/** Validates options and applies defaults. Exported for tests. */
export function resolveJobHandlerOptions(name: string, options: JobHandlerOptions = {}): JobHandlerMetadata {
  const { feature } = parseJobName(name);
  const int = (key: keyof JobHandlerOptions, value: number, min: number, max: number): number => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`@JobHandler('${name}'): ${key} must be an integer from ${min} to ${max} (got ${value})`);
    }
    return value;
  };
  const meta: JobHandlerMetadata = {
    name,
    feature,
    attempts: int('attempts', options.attempts ?? JOB_HANDLER_DEFAULTS.attempts, 1, 100),
    backoffMs: int('backoffMs', options.backoffMs ?? JOB_HANDLER_DEFAULTS.backoffMs, 0, 24 * 3600 * 1000),
    concurrency: int('concurrency', options.concurrency ?? JOB_HANDLER_DEFAULTS.concurrency, 1, 100),
  };
  const schedule = options.schedule;
  if (schedule !== undefined) {
    if ('everyMs' in schedule) {
      meta.schedule = { everyMs: int('schedule', schedule.everyMs, 100, 31 * 24 * 3600 * 1000) };
    } else if ('pattern' in schedule && typeof schedule.pattern === 'string' && schedule.pattern.trim()) {
      meta.schedule = schedule.tz ? { pattern: schedule.pattern, tz: schedule.tz } : { pattern: schedule.pattern };
    } else {
      throw new Error(`@JobHandler('${name}'): schedule must be { everyMs } or { pattern }`);
    }
  }
  if (options.runOnStart) {
    if (!meta.schedule) throw new Error(`@JobHandler('${name}'): runOnStart needs a schedule`);
    meta.runOnStart = true;
  }
  return meta;
}

/**
 * Marks a provider as the handler of one job name (`<feature>.<verb-noun>`).
 * Also makes the class @Injectable(); list it in its feature module's providers.
 *
 * ```ts
 * @JobHandler('moments.publish', { attempts: 8 })
 * export class PublishMomentJob implements JobProcessor<PublishMomentPayload> { ... }
 * ```
 */
export function JobHandler(name: string, options?: JobHandlerOptions) {
  const meta = resolveJobHandlerOptions(name, options);
  return <T extends abstract new (...args: never[]) => JobProcessor<never>>(target: T): void => {
    Injectable()(target as unknown as new (...args: unknown[]) => unknown);
    Reflect.defineMetadata(JOB_HANDLER_METADATA, meta, target);
  };
}

export function getJobHandlerMetadata(target: unknown): JobHandlerMetadata | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getOwnMetadata(JOB_HANDLER_METADATA, target) as JobHandlerMetadata | undefined;
}
