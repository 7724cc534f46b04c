import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

export interface AdmissionOptions {
  /** GraphQL requests executed at once; later ones wait their turn (FIFO). */
  maxInFlight: number;
  /** Requests allowed to wait; beyond that the request is answered 503 at once. */
  maxQueued: number;
}

/**
 * Admission control for POST /graphql. A Node process that starts every
 * request it receives keeps every one's half-built result alive at once: under
 * overload the young generation overflows, garbage collection takes over and
 * throughput falls exactly when it is needed (measured in bench/RESULTS.md).
 * Here at most `maxInFlight` requests execute; the rest wait, costing only
 * their socket, and past `maxQueued` the server sheds load with 503 and
 * Retry-After instead of growing without bound. A waiting request whose
 * client went away is dropped from the queue.
 */
export function graphqlAdmission(opts: AdmissionOptions) {
  let inFlight = 0;
  const queue: Array<{ req: Request; next: NextFunction }> = [];
  const release = () => {
    inFlight--;
    while (queue.length && inFlight < opts.maxInFlight) {
      const w = queue.shift()!;
      if (w.req.destroyed) continue;
      start(w.req, w.next);
    }
  };
  const start = (req: Request, next: NextFunction) => {
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      release();
    };
    req.res!.once('finish', finish);
    req.res!.once('close', finish);
    next();
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    if (inFlight < opts.maxInFlight) return start(req, next);
    if (queue.length >= opts.maxQueued) {
      res.setHeader('retry-after', '1');
      res.status(503).json({ errors: [{ message: 'The server is busy; retry shortly.', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } }] });
      return;
    }
    // Started later from another request's 'finish': keep this request's async context (request id, SQL count).
    queue.push({ req, next: AsyncResource.bind(next) });
  };
}
