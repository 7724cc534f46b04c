/**
 * Pure helpers for job names, queue names and job ids. No Nest, no BullMQ:
 * unit-tested in job-names.spec.ts.
 */

/** `feature.verb-noun`: two lower-case kebab segments joined by a dot. */
const SEGMENT = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
export const JOB_NAME_PATTERN = new RegExp(`^(${SEGMENT})\\.(${SEGMENT})$`);

export interface ParsedJobName {
  /** The feature (first segment); selects the BullMQ queue. */
  feature: string;
  /** The `verb-noun` part. */
  action: string;
}

export class InvalidJobNameError extends Error {
  constructor(readonly jobName: string) {
    super(
      `Invalid job name ${JSON.stringify(jobName)}: expected "<feature>.<verb-noun>" ` +
        '(lower-case kebab segments, e.g. "moments.publish" or "contacts.merge-duplicates")',
    );
    this.name = 'InvalidJobNameError';
  }
}

/** Splits a job name into feature and action; throws InvalidJobNameError. */
export function parseJobName(name: string): ParsedJobName {
  const m = typeof name === 'string' ? JOB_NAME_PATTERN.exec(name) : null;
  if (!m) throw new InvalidJobNameError(String(name));
  return { feature: m[1], action: m[2] };
}

export function isValidJobName(name: string): boolean {
  return typeof name === 'string' && JOB_NAME_PATTERN.test(name);
}

/**
 * The BullMQ queue that carries every job of one feature: `<prefix>-<feature>`.
 * BullMQ forbids ':' in queue names, hence '-'.
 */
export function queueNameFor(prefix: string, jobName: string): string {
  return `${prefix}-${parseJobName(jobName).feature}`;
}

/**
 * Maps a caller's deterministic id (e.g. `moment:42:3`) to the id stored in
 * BullMQ: `<job name>@<encodeURIComponent(id)>`, e.g.
 * `moments.publish@moment%3A42%3A3`.
 *
 * - Scoping by job name: two job names of the same feature share one queue, so
 *   the same caller id for `moments.publish` and `moments.notify` must not
 *   collide.
 * - Encoding: BullMQ rejects custom ids that are integers or that contain ':'
 *   (unless they happen to have exactly three ':'-separated parts). The
 *   encoded form never contains ':' and is never an integer, and the mapping
 *   is one-to-one, so any non-empty string is a valid caller id.
 */
export function bullJobId(jobName: string, callerId: string): string {
  if (typeof callerId !== 'string' || callerId.length === 0) {
    throw new Error(`Job id for ${jobName} must be a non-empty string`);
  }
  if (callerId.length > 400) throw new Error(`Job id for ${jobName} is longer than 400 characters`);
  return `${jobName}@${encodeURIComponent(callerId)}`;
}

/** Inverse of bullJobId; undefined for ids BullMQ generated (counters, scheduler ids). */
export function callerJobId(jobName: string, storedId: string | undefined): string | undefined {
  const prefix = `${jobName}@`;
  if (!storedId || !storedId.startsWith(prefix)) return undefined;
  try {
    return decodeURIComponent(storedId.slice(prefix.length));
  } catch {
    return undefined;
  }
}
