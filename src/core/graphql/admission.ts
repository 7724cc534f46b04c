import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

export interface AdmissionOptions {
  /**
   * Requests that may be working at once: started less than `activeMs` ago.
   * Later ones wait their turn (FIFO).
   */
  maxActive: number;
  /**
   * After this long a request that has not finished stops counting as active
   * (it is waiting: on a lock, a long statement, a big transaction) and lets
   * the next one start; it still counts toward `maxInFlight`.
   */
  activeMs: number;
  /** GraphQL requests executing at once, active or waiting: a bound on memory. */
  maxInFlight: number;
  /** Requests allowed to wait; beyond that the request is answered 503 at once. */
  maxQueued: number;
}

/**
 * Admission control for POST /graphql.
 *
 * A Node process that starts every request it receives shares its one thread
 * among all of them: each finishes only when all have had their turn, every
 * half-built result stays alive at once, and under overload the young
 * generation overflows and garbage collection takes over (measured in
 * bench/RESULTS.md). Two requests at a time keep the thread busy while one
 * waits for PostgreSQL; more only interleave. So at most `maxActive` requests
 * work at once and the rest wait in line, costing only their socket. A request
 * still unfinished after `activeMs` is presumed to be waiting rather than
 * working and stops holding an active place, so a slow mutation never stalls
 * the process; `maxInFlight` bounds how many run in all. Past `maxQueued`
 * waiting requests the server sheds load with 503 and Retry-After instead of
 * growing without bound. A waiting request whose client went away is dropped
 * from the queue.
 */
export function graphqlAdmission(opts: AdmissionOptions) {
  let active = 0;
  let inFlight = 0;
  const queue: Array<{ req: Request; next: NextFunction }> = [];
  const pump = () => {
    while (queue.length && active < opts.maxActive && inFlight < opts.maxInFlight) {
      const w = queue.shift()!;
      if (w.req.destroyed) continue;
      start(w.req, w.next);
    }
  };
  const start = (req: Request, next: NextFunction) => {
    active++;
    inFlight++;
    let working = true;
    let done = false;
    const idle = () => {
      if (!working) return;
      working = false;
      active--;
    };
    const timer = setTimeout(() => {
      idle();
      pump();
    }, opts.activeMs);
    timer.unref();
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      idle();
      inFlight--;
      pump();
    };
    req.res!.once('finish', finish);
    req.res!.once('close', finish);
    next();
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    if (!queue.length && active < opts.maxActive && inFlight < opts.maxInFlight) return start(req, next);
    if (queue.length >= opts.maxQueued) {
      res.setHeader('retry-after', '1');
      res
        .status(503)
        .json({
          errors: [
            {
              message: 'The server is busy; retry shortly.',
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 },
            },
          ],
        });
      return;
    }
    // Started later from another request's 'finish': keep this request's async context (request id, SQL count).
    queue.push({ req, next: AsyncResource.bind(next) });
  };
}
