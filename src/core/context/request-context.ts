import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Per-request (or per-job) context for logging and correlation only. It is never
 * used to filter data: services take the organization id as an explicit argument.
 */
export interface RequestContext {
  requestId: string;
  orgId?: string;
  actorId?: string;
  jobId?: string;
  /** SQL statements run so far for this request (see QueryCounterLogger). */
  sqlStatements?: number;
  /**
   * Set for a GraphQL request: its failed statements wait here instead of being
   * logged at once, and the request's outcome decides (errorLogPlugin): a fault's
   * line carries them, a client error (a unique violation answered CONFLICT) does not.
   */
  failedStatements?: Array<{ error: string; query: string }>;
  /**
   * Set by formatError, the one place that tells an outage from a fault: a backing service this GraphQL request
   * needed was down. errorLogPlugin logs it as one warning instead of a server fault.
   */
  unavailable?: { service: 'database' | 'queue'; error: string };
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(ctx: RequestContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Adds fields to the current context (e.g. the org once the caller is known). */
  assign(fields: Partial<RequestContext>): void {
    const store = storage.getStore();
    if (store) Object.assign(store, fields);
  },
};
