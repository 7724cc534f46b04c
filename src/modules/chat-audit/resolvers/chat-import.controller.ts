import { finished, PassThrough, Readable } from 'node:stream';
import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthzService } from 'src/core/authz/authz.service';
import { PRINCIPAL_RESOLVER, PrincipalResolver } from 'src/core/authz/principal-resolver';
import { AppError } from 'src/core/errors/app-error';
import { requestGone } from 'src/core/http/request-deadlines';
import { ChatBulkImportService } from 'src/modules/chat-audit/services/chat-bulk-import.service';
import { LineTooLongError } from 'src/modules/chat-audit/services/ndjson-lines';

/** The route (its request has a time limit of its own: chatImportTimeoutSeconds). */
export const CHAT_IMPORT_PATH = '/chat/messages/import';
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/jsonl', 'application/ndjson']);

/**
 * POST /chat/messages/import: a history import as NDJSON (one ChatMessageInput
 * per line, sentAt as ISO-8601), for connectors with an API key (or a session)
 * holding chat:ingest. Answers a summary once the whole body is stored; errors
 * are shaped like GraphQL's, with the contract's codes.
 */
@Controller('chat')
export class ChatImportController {
  private readonly logger = new Logger('ChatImport');

  constructor(
    @Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver,
    private readonly authz: AuthzService,
    private readonly bulk: ChatBulkImportService,
  ) {}

  @Post('messages/import')
  @HttpCode(200)
  async import(@Req() req: Request, @Res() res: Response): Promise<void> {
    const refuse = (status: number, code: string, message: string) => {
      // The body is not read: close the connection rather than drain a large upload.
      res.setHeader('connection', 'close');
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    };
    let actor;
    try {
      actor = await this.principals.resolve(req.headers.authorization);
    } catch (e) {
      if (e instanceof AppError) return refuse(401, e.code, e.message);
      throw e;
    }
    if (!actor) return refuse(401, 'UNAUTHENTICATED', 'Authentication required');
    if (!(await this.authz.can(actor, 'chat', 'ingest'))) return refuse(403, 'FORBIDDEN', 'chat:ingest is required');
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!NDJSON_TYPES.has(type)) return refuse(415, 'BAD_USER_INPUT', 'Content-Type must be application/x-ndjson');
    try {
      res.status(200).json(await this.bulk.import(actor, bodyOf(req)));
    } catch (e) {
      if (e instanceof LineTooLongError) return refuse(400, 'BAD_USER_INPUT', `${e.message}; nothing was stored`);
      // Cut at its time limit (answered 408) or dropped by its client: rolled back, nothing for anyone to fix.
      const gone = requestGone(req);
      if (gone) return this.logger.log({ msg: 'chat import not received whole', orgId: actor.orgId, reason: gone });
      const correlationId = String(req.headers['x-request-id'] ?? '') || `import-${Date.now()}`;
      this.logger.error({ msg: 'chat import failed', orgId: actor.orgId, correlationId, error: (e as Error).message });
      if (!res.headersSent)
        refuse(
          500,
          'INTERNAL_SERVER_ERROR',
          `Internal server error (correlation id ${correlationId}); nothing was stored`,
        );
    }
  }
}

/**
 * The request's body as a stream of its own. The import's pipeline destroys its source when the import fails inside
 * (a statement failed): were that the request, its socket would go with it, the client would get a reset instead of
 * the 500 below, and the failure would look like a client gone (`requestGone`) and be logged as one. The request's
 * own end still ends the import: a client gone or a request cut at its time limit destroys this stream with the
 * request's error.
 */
function bodyOf(req: Request): Readable {
  const body = new PassThrough();
  req.pipe(body);
  finished(req, (e) => {
    if (e) body.destroy(e);
  });
  return body;
}
