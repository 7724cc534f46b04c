import type { IncomingMessage, Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('RequestDeadlines');

/** The requests cut at their deadline (answered 408, then destroyed). */
const cutRequests = new WeakSet<IncomingMessage>();

/**
 * Why a request's body stopped arriving when that is no fault of the server nor of the body itself: `deadline`, cut
 * at its time limit (already answered 408 and logged here), or `client`, the client went away (aborted it, closed
 * the connection). Undefined otherwise: a body error of any other kind is the reader's to report. A reader whose
 * body read fails asks this before logging an error that nobody needs to act on.
 */
export function requestGone(req: IncomingMessage): 'deadline' | 'client' | undefined {
  if (cutRequests.has(req)) return 'deadline';
  return req.destroyed && !req.complete ? 'client' : undefined;
}

export interface RequestDeadlines {
  /** Milliseconds for any request (0: none). */
  defaultMs: number;
  /** Paths (exact, as Express's `req.path`) with a limit of their own (0: none). */
  routes: Readonly<Record<string, number>>;
}

/**
 * Node's `requestTimeout` (300 s by default) is one limit for every request of a server: a request whose body has
 * not all arrived by then is answered 408 and its socket destroyed. A streamed upload read only as fast as it is
 * stored (a chat history import) can need far longer than any other request should, so the server's limit is turned
 * off and each request gets its route's own: the same check (the whole request received in time, or 408 and the
 * connection closed), started when its headers arrive (headersTimeout still bounds those).
 */
export function requestDeadlines(server: Server, limits: RequestDeadlines) {
  server.requestTimeout = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    const ms = limits.routes[req.path] ?? limits.defaultMs;
    if (!ms || req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete) return;
      // As Node does on its own timeout: the client may still be sending, so the connection goes with the request,
      // once the answer is written (at once, a corked answer would be lost). The request is destroyed itself: once
      // answered, Node no longer aborts it when its socket closes, and a handler reading it would wait for ever.
      const cut = () => req.destroy(new Error(`request not received within ${ms / 1000} s`));
      cutRequests.add(req);
      // Once, here: the readers of the body (the GraphQL body parser, the chat import) see it fail and stay quiet.
      logger.log({ msg: 'request cut at its time limit', path: req.path, seconds: ms / 1000 });
      if (res.headersSent) return cut();
      res.once('finish', cut);
      res.setHeader('connection', 'close');
      res.status(408).json({
        errors: [
          {
            message: `The request did not arrive whole within ${ms / 1000} s; nothing of it was stored`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    }, ms);
    timer.unref();
    const stop = () => clearTimeout(timer);
    res.once('finish', stop);
    res.once('close', stop);
    next();
  };
}
