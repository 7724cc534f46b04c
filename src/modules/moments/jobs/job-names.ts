export const PUBLISH_MOMENT = 'moments.publish';
export const SWEEP_DUE_MOMENTS = 'moments.sweep-due';
export const EXPIRE_MOMENT_TASKS = 'moments.expire-tasks';
export const MOMENTS_JOBS = [PUBLISH_MOMENT, SWEEP_DUE_MOMENTS, EXPIRE_MOMENT_TASKS];

export interface PublishMomentPayload {
  orgId: string;
  momentId: string;
  version: number;
}

/** Deterministic: one job per (moment, version); enqueueing it twice stores one job. */
export const publishJobId = (momentId: string, version: number) => `moment:${momentId}:${version}`;

/** Tenths of a second per step of publishPriority, and the steps of its cycle (BullMQ's priorities). */
const PRIORITY_STEP_MS = 100;
const PRIORITY_STEPS = 2_097_151;

/**
 * The BullMQ priority of the publish job of a moment due at `at`: its due time in tenths of a second, on a cycle
 * of BullMQ's 2,097,151 priorities (58 hours). Both queue backends claim the waiting jobs of a queue by priority,
 * then in the order they were added; without a priority, moments due together fired in the order they had been
 * scheduled, not the order they were due: in a burst of 100 due within one second a job due first could wait for
 * every job added before it (1 s late, issue 18). Jobs due on both sides of the cycle's end (once in 58 hours)
 * are the only ones claimed out of order (the later first), within one backlog.
 */
export function publishPriority(at: Date): number {
  const step = Math.floor(at.getTime() / PRIORITY_STEP_MS);
  return 1 + (((step % PRIORITY_STEPS) + PRIORITY_STEPS) % PRIORITY_STEPS);
}
