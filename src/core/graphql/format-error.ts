import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, ERROR_CODES, ErrorCode } from 'src/core/errors/app-error';
import { requestContext } from 'src/core/context/request-context';
import {
  unavailableService,
  UNAVAILABLE_MESSAGE,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from 'src/core/errors/service-unavailable';

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

/** The correlation id of the current request's faults: its request id, shared by the response and the log. */
export function correlationIdOf(): string {
  return requestContext.get()?.requestId ?? randomUUID();
}

/**
 * Maps every error to one of the contract's codes. Known errors keep their
 * message; anything else becomes INTERNAL_SERVER_ERROR with a correlation id
 * (errorLogPlugin logs it with the stack, once per request and fault), and no
 * internals reach the client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    const { code, ...rest } = original.extensions as { code: ErrorCode };
    delete (rest as Record<string, unknown>).stacktrace;
    // Apollo reads `http` (the status of a request refused before execution); it is not for the client.
    delete (rest as Record<string, unknown>).http;
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
  if (
    original instanceof GraphQLError &&
    !formatted.path &&
    !(original.originalError && !(original.originalError instanceof GraphQLError))
  ) {
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  const correlationId = correlationIdOf();
  // The database or Redis is down: not a bug, and the client should retry (HTTP 503, see unavailable.plugin.ts).
  const service = unavailableService(original);
  if (service) {
    const context = requestContext.get();
    if (context && !context.unavailable) {
      context.unavailable = { service, error: original instanceof Error ? original.message : String(original) };
    }
    return {
      message: `${UNAVAILABLE_MESSAGE} (correlation id ${correlationId})`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    };
  }
  return {
    message: `Internal server error (correlation id ${correlationId})`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
  };
}
