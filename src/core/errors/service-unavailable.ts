/** Seconds a client is asked to wait (Retry-After) while a backing service is down. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** What a client is told while the database (or the queue's Redis) cannot be reached: no internals. */
export const UNAVAILABLE_MESSAGE =
  'Service temporarily unavailable: a backing service cannot be reached; retry in a few seconds';

/** Socket errors of a server that is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * PostgreSQL's SQLSTATEs for "not now": class 08 (connection exception), 57P01-57P03
 * (shut down by an administrator or a crash, starting up or in recovery), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;

/** node-postgres and ioredis messages for a connection lost or never made (they carry no code). */
const CONNECTION_MESSAGES = [
  /^Connection terminated/i, // pg: the server went away (and "... due to connection timeout")
  /^timeout exceeded when trying to connect/i, // pg-pool: no connection within connectionTimeoutMillis
  /not queryable/i, // pg: a client whose connection failed
  /^Connection is closed\.?$/i, // ioredis
  /^Reached the max retries per request limit/i, // ioredis: Redis down for several retries
];

/**
 * Which backing service an error says is unreachable, or undefined for any
 * other error. Looks through the wrappers (TypeORM's driverError, `cause`,
 * GraphQL's originalError, AggregateError).
 */
export function unavailableService(error: unknown, depth = 0): 'database' | 'queue' | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (UNAVAILABLE_SQLSTATE.test(code)) return 'database';
  if (NETWORK_CODES.has(code) || CONNECTION_MESSAGES.some((m) => m.test(message))) {
    return /redis|max retries per request|^Connection is closed/i.test(`${message} ${(error as Error).stack ?? ''}`)
      ? 'queue'
      : 'database';
  }
  for (const inner of [e.driverError, e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = unavailableService(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Says "cannot reach" once per key every `everyMs`, at warn: while a datastore
 * is down, BullMQ retries every 100 ms or so and each retry is an error event.
 */
export class UnavailableLog {
  private readonly said = new Map<string, number>();

  constructor(
    private readonly logger: { warn(message: unknown): void },
    private readonly everyMs = 10_000,
  ) {}

  /** True when `err` is a datastore being unreachable (said, or kept quiet this time); false for any other error. */
  report(key: string, err: Error, msg: string): boolean {
    if (!unavailableService(err)) return false;
    const now = Date.now();
    if (now - (this.said.get(key) ?? 0) >= this.everyMs) {
      this.said.set(key, now);
      this.logger.warn({ msg, queue: key, error: err.message });
    }
    return true;
  }
}
