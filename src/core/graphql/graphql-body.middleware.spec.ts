import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { installGraphqlBody } from './graphql-body.middleware';

type ErrorHandler = (err: unknown, req: Request, res: Response, next: NextFunction) => void;

/** The error handler installGraphqlBody puts after the body parser. */
function bodyErrorHandler(): ErrorHandler {
  const handlers: unknown[] = [];
  const app = { use: (_path: string, fn: unknown) => handlers.push(fn), useBodyParser: () => undefined };
  installGraphqlBody(app as unknown as NestExpressApplication, '/graphql', 1024);
  return handlers.find((h) => (h as ErrorHandler).length === 4) as ErrorHandler;
}

/** A body error once the answer has gone out (raw-body's, when the body stops arriving). */
const aborted = Object.assign(new Error('request aborted'), { status: 400, type: 'request.aborted' });

describe('GraphQL body errors after the answer', () => {
  const handle = bodyErrorHandler();
  const answered = { headersSent: true, destroy: jest.fn() } as unknown as Response;
  const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  afterAll(() => debug.mockRestore());

  it('passes a body error of a request still there on, to be logged as the error it is', () => {
    const req = new IncomingMessage(new Socket()) as Request;
    const next = jest.fn();
    handle(aborted, req, answered, next);
    expect(next).toHaveBeenCalledWith(aborted);
  });

  it('keeps quiet about the body of a request its client dropped', () => {
    const req = new IncomingMessage(new Socket()) as Request;
    req.destroy();
    const next = jest.fn();
    handle(aborted, req, answered, next);
    expect(next).not.toHaveBeenCalled();
    expect(debug).toHaveBeenCalledWith({ msg: 'GraphQL request body not received', reason: 'client' });
  });
});
