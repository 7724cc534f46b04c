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
