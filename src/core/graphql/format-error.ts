import { HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, ERROR_CODES, ErrorCode } from '../errors/app-error';
import { requestContext } from '../context/request-context';
import { unavailableService, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../errors/service-unavailable';

const logger = new Logger('GraphQL');

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
};

/** Apollo's own codes for malformed requests, mapped onto the contract's codes. */
const APOLLO_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
};

/**
 * Maps every error to one of the contract's codes. Known errors keep their
 * message; anything else becomes INTERNAL_SERVER_ERROR with a correlation id
 * that is logged with the stack, and no internals reach the client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    const { code, ...rest } = original.extensions as { code: ErrorCode };
    delete (rest as Record<string, unknown>).stacktrace;
    return { ...base, message: original.message, extensions: { code, ...rest } };
  }
  if (original instanceof HttpException) {
    const code = HTTP_CODES[original.getStatus()];
    if (code) return { ...base, message: original.message, extensions: { code } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && APOLLO_CODES[code]) return { ...base, extensions: { code: APOLLO_CODES[code] } };
  if (code && (ERROR_CODES as readonly string[]).includes(code) && code !== 'INTERNAL_SERVER_ERROR') {
    return { ...base, extensions: { code } };
  }
  // Errors before execution (parse, validation, variable coercion) carry no path: the request was malformed.
  if (original instanceof GraphQLError && !formatted.path && !(original.originalError && !(original.originalError instanceof GraphQLError))) {
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  const correlationId = requestContext.get()?.requestId ?? randomUUID();
  const err = original instanceof Error ? original : new Error(String(original));
  // The database or Redis is down: not a bug, and the client should retry (HTTP 503, see unavailable.plugin.ts).
  const service = unavailableService(original);
  if (service) {
    logger.warn({ msg: `${service} unavailable`, correlationId, error: err.message, path: formatted.path });
    return {
      message: `${UNAVAILABLE_MESSAGE} (correlation id ${correlationId})`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    };
  }
  logger.error({ msg: 'unhandled error', correlationId, error: err.message, path: formatted.path }, err.stack);
  return {
    message: `Internal server error (correlation id ${correlationId})`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
  };
}
