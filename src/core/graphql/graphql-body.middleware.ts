import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestGone } from 'src/core/http/request-deadlines';

const logger = new Logger('GraphQL');

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/**
 * The HTTP body of POST /graphql: JSON only, at most `maxBytes`. What the body
 * parser refuses (too large, not JSON, an unsupported charset) is answered like
 * any GraphQL error, `{"errors":[{"message","extensions":{"code"}}]}` with the
 * status of the GraphQL-over-HTTP spec, instead of the framework's own body.
 * Call before `app.init()`, on an application created with `bodyParser: false`.
 */
export function installGraphqlBody(app: NestExpressApplication, path: string, maxBytes: number): void {
  app.use(path, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || isJson(req.headers['content-type'])) return next();
    // Also turns away the "simple" content types a cross-site form can send (Apollo's CSRF check would too).
    refuse(req, res, 415, `POST requests must have Content-Type: ${JSON_TYPE}`, 'content-type');
  });
  app.useBodyParser('json', { limit: maxBytes });
  app.use(path, (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = err as { status?: number; type?: string } | undefined;
    // A body cut at its time limit (answered 408) or dropped by its client: there is nobody to answer, and nothing
    // went wrong here (Nest's ExceptionsHandler logged raw-body's "request aborted" at error, with its stack).
    const gone = requestGone(req);
    if (gone) {
      logger.debug({ msg: 'GraphQL request body not received', reason: gone });
      if (!res.headersSent) res.destroy();
      return;
    }
    const status = e?.status;
    if (!status || status < 400 || status >= 500 || res.headersSent) return next(err);
    refuse(req, res, status, messageFor(e.type, maxBytes), e.type ?? 'body');
  });
}

function isJson(contentType: string | undefined): boolean {
  return !!contentType && /^application\/json\s*(;|$)/i.test(contentType);
}

function messageFor(type: string | undefined, maxBytes: number): string {
  switch (type) {
    case 'entity.too.large':
      return `Request body is larger than the limit of ${maxBytes} bytes`;
    case 'entity.parse.failed':
      return 'Request body is not valid JSON';
    case 'charset.unsupported':
      return 'Request body must be encoded in UTF-8';
    case 'encoding.unsupported':
      return 'Request body has an unsupported Content-Encoding';
    default:
      return 'Request body could not be read';
  }
}

/** A GraphQL-shaped refusal, in the media type the client accepts; logged once, without the body. */
function refuse(req: Request, res: Response, status: number, message: string, reason: string): void {
  logger.log({ msg: 'GraphQL request refused', status, reason, errors: 1, codes: { BAD_USER_INPUT: 1 } });
  const type = req.accepts([JSON_TYPE, GRAPHQL_RESPONSE_TYPE]) || JSON_TYPE;
  res
    .status(status)
    .type(`${type}; charset=utf-8`)
    .send(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }));
}
