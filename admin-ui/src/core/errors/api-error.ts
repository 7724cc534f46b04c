import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** The contract's error codes plus what the client itself can run into. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK';

export const API_ERROR_CODES: readonly ApiErrorCode[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'NETWORK',
];

export interface FieldProblem {
  /** Dotted path, e.g. `input.email`. */
  field: string;
  message: string;
}

export interface ApiErrorInfo {
  code: ApiErrorCode;
  /** The server's message (English), shown as detail only. */
  message: string;
  retryAfterSeconds?: number;
  fields: FieldProblem[];
}

/** Reads an Apollo error (GraphQL errors, HTTP or network failure) as one contract code. */
export function apiError(error: unknown): ApiErrorInfo {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const ext = (first?.extensions ?? {}) as { code?: string; retryAfterSeconds?: number; fields?: FieldProblem[] };
    const code = (API_ERROR_CODES as readonly string[]).includes(ext.code ?? '')
      ? (ext.code as ApiErrorCode)
      : 'INTERNAL_SERVER_ERROR';
    return {
      code,
      message: first?.message ?? '',
      retryAfterSeconds: typeof ext.retryAfterSeconds === 'number' ? ext.retryAfterSeconds : undefined,
      fields: Array.isArray(ext.fields) ? ext.fields : [],
    };
  }
  if (ServerError.is(error)) {
    const code: ApiErrorCode = error.statusCode >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';
    return { code, message: error.message, fields: [] };
  }
  return { code: 'NETWORK', message: error instanceof Error ? error.message : String(error), fields: [] };
}
