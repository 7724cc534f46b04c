/**
 * A failure at start whose message names the cause and the setting to change
 * (REDIS_URL, DATABASE_URL, DATA_DIR, PORT). The process prints it and exits
 * non-zero.
 */
export class StartError extends Error {
  constructor(
    message: string,
    /** The setting the operator should look at. */
    readonly setting: string,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

/**
 * Readable text for anything thrown: never `undefined` or empty (libraries
 * reject with nothing, and Node's AggregateError of a refused `localhost`
 * connection has an empty message).
 */
export function describeError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return [...new Set(e.errors.map(describeError))].join('; ');
  if (e instanceof Error) return e.message || (e as NodeJS.ErrnoException).code || e.name;
  if (e === undefined || e === null || e === '') return 'an unknown error (nothing was said about it)';
  return String(e);
}

/** A connection URL without its password (and query), safe for logs. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(not a valid URL)';
  }
}
