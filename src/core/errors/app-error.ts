import { GraphQLError } from 'graphql';

/** The error codes of the public contract (`extensions.code`). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

export const ERROR_CODES: readonly ErrorCode[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
];

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `input.slug` or `input.customerIds[2]`. */
  field: string;
  message: string;
}

/**
 * The one exception type of the product. Modules throw it (or a helper below)
 * with a contract code; the GraphQL error formatter passes the code through.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'AppError';
  }

  static badInput(field: string, message: string): AppError {
    return AppError.invalid([{ field, message }]);
  }

  static invalid(problems: FieldProblem[]): AppError {
    const text = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    return new AppError('BAD_USER_INPUT', text, { fields: problems });
  }

  static notFound(what: string, id?: string): AppError {
    return new AppError('NOT_FOUND', id ? `${what} ${id} not found` : `${what} not found`);
  }

  /**
   * Ids given in `field` that name nothing of the organization:
   * NOT_FOUND listing them ("input.tagIds: tag(s) not found: …").
   */
  static notFoundIds(field: string, noun: string, ids: string[]): AppError {
    return new AppError('NOT_FOUND', `${field}: ${noun}(s) not found: ${ids.join(', ')}`, { field, ids });
  }

  static forbidden(message = 'You are not allowed to do this'): AppError {
    return new AppError('FORBIDDEN', message);
  }

  static unauthenticated(message = 'Authentication required'): AppError {
    return new AppError('UNAUTHENTICATED', message);
  }

  static conflict(message: string, extra: Record<string, unknown> = {}): AppError {
    return new AppError('CONFLICT', message, extra);
  }

  static rateLimited(message: string, retryAfterSeconds?: number): AppError {
    return new AppError('RATE_LIMITED', message, retryAfterSeconds ? { retryAfterSeconds } : {});
  }
}

/** Collects field problems while validating and throws them together. */
export class ProblemList {
  private readonly items: FieldProblem[] = [];
  add(field: string, message: string): this {
    this.items.push({ field, message });
    return this;
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(): void {
    if (this.items.length) throw AppError.invalid(this.items);
  }
}
