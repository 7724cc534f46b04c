import { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { getOperationAST, GraphQLError, GraphQLFormattedError } from 'graphql';
import { requestContext } from 'src/core/context/request-context';
import { correlationIdOf } from './format-error';
import { queryLimitOf } from './query-limits.plugin';

const logger = new Logger('GraphQL');

/** Client errors worth a warning: someone reached for what they may not have, too often, or too much. */
const WARN_CODES = new Set(['FORBIDDEN', 'RATE_LIMITED']);

/** Operation names come from the client: logged, but never at any length. */
const MAX_NAME = 100;

/**
 * Logs each GraphQL request's errors once, after they are formatted:
 * - client errors (bad input, unauthenticated, forbidden, not found, conflict,
 *   rate limited, refused by a query limit) as ONE line per request at info
 *   (warn for forbidden, rate limited and query limits) naming the operation,
 *   the codes and how many, never a stack, a message or a variable (they can
 *   hold what the client typed);
 * - server faults at error with the stack and the correlation id the client
 *   was given, once per distinct fault: a broken field in a list of 200 rows
 *   is one line that says it hit 200 fields. The request's failed SQL
 *   statements (without parameters) ride on that line; with no fault they
 *   were expected (a unique violation answered CONFLICT) and are not logged.
 * Resolver errors reach Apollo unlogged (see GraphqlExceptionFilter).
 */
export function errorLogPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      requestContext.assign({ failedStatements: [] });
      return {
        async willSendResponse(rc) {
          logRequestErrors(rc);
        },
      };
    },
    // The paths where Apollo answers without running the request pipeline:
    async invalidRequestWasReceived() {
      logger.log({ msg: 'GraphQL request refused', errors: 1, codes: { BAD_USER_INPUT: 1 } });
    },
    async contextCreationDidFail({ error }) {
      logFault(error, { correlationId: correlationIdOf(), fields: 1 });
    },
    async unexpectedErrorProcessingRequest({ requestContext: rc, error }) {
      const operation = operationOf(rc.request.operationName);
      logFault(error, { correlationId: correlationIdOf(), operation, fields: 1 });
    },
  };
}

function logRequestErrors(rc: GraphQLRequestContextWillSendResponse<object>): void {
  const body = rc.response.body;
  const formatted: readonly GraphQLFormattedError[] | undefined =
    body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  if (!formatted?.length) return;
  // Apollo formats rc.errors one for one, in order; the originals carry the stacks and the limit that refused.
  const originals = rc.errors?.length === formatted.length ? rc.errors : [];
  // Refused while validating, the operation is not chosen yet: the document's only one names it.
  const operation = operationOf(
    rc.operationName ?? rc.request.operationName ?? (rc.document && getOperationAST(rc.document)?.name?.value),
  );
  const codes: Record<string, number> = {};
  const limits = new Set<string>();
  const faults = new Map<string, Fault>();
  let clientErrors = 0;
  let outageCorrelationId: string | undefined;
  let outage = false;
  formatted.forEach((f, i) => {
    const code = typeof f.extensions?.code === 'string' ? f.extensions.code : 'INTERNAL_SERVER_ERROR';
    const original: GraphQLError | undefined = originals[i];
    if (code !== 'INTERNAL_SERVER_ERROR') {
      clientErrors++;
      codes[code] = (codes[code] ?? 0) + 1;
      const limit = original && queryLimitOf(original);
      if (limit) limits.add(limit);
      return;
    }
    // An outage, not a bug (formatError told them apart and asked the client to retry): one warn line per request
    // below; the health check and the supervisor tell the rest.
    if (f.extensions?.retryAfterSeconds !== undefined) {
      outage = true;
      outageCorrelationId ??= correlationOf(f);
      return;
    }
    const cause = original ? unwrapResolverError(original) : undefined;
    const error = cause instanceof Error ? cause : new Error(f.message);
    const key = error.stack ?? error.message;
    const seen = faults.get(key);
    if (seen) seen.fields++;
    else faults.set(key, { error, fields: 1, path: f.path, correlationId: correlationOf(f) });
  });
  for (const fault of faults.values()) logFault(fault.error, { ...fault, operation });
  if (outage) {
    const unavailable = requestContext.get()?.unavailable;
    logger.warn({
      msg: `GraphQL request failed: ${unavailable?.service ?? 'a backing service'} unavailable`,
      operation,
      ...unavailable,
      correlationId: outageCorrelationId,
    });
  }
  if (!clientErrors) return;
  const line = {
    msg: limits.size ? 'GraphQL request refused by query limits' : 'GraphQL request answered with client errors',
    operation,
    errors: clientErrors,
    codes,
    ...(limits.size ? { limits: [...limits] } : {}),
  };
  if (limits.size || Object.keys(codes).some((c) => WARN_CODES.has(c))) logger.warn(line);
  else logger.log(line);
}

interface Fault {
  error: Error;
  fields: number;
  path?: readonly (string | number)[];
  correlationId?: string;
}

function correlationOf(f: GraphQLFormattedError): string | undefined {
  return typeof f.extensions?.correlationId === 'string' ? f.extensions.correlationId : undefined;
}

function logFault(
  error: Error,
  at: { correlationId?: string; operation?: string | null; path?: readonly (string | number)[]; fields: number },
): void {
  const failedStatements = requestContext.get()?.failedStatements;
  logger.error(
    {
      msg: 'GraphQL server fault',
      correlationId: at.correlationId,
      operation: at.operation,
      path: at.path,
      fields: at.fields,
      error: error.message,
      ...(failedStatements?.length ? { failedStatements } : {}),
    },
    error.stack,
  );
}

function operationOf(name: string | null | undefined): string | null {
  return name ? name.slice(0, MAX_NAME) : null;
}
