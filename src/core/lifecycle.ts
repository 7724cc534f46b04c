/**
 * Process-wide shutdown state. Once a stop signal has begun the shutdown, the
 * database closing its sessions is expected: errors it causes on pooled or
 * queue connections are logged at debug, not as failures (an embedded
 * PostgreSQL in the terminal's process group gets Ctrl-C too and ends its
 * sessions at once).
 */
let stopping = false;

export const lifecycle = {
  beginStop(): void {
    stopping = true;
  },
  get stopping(): boolean {
    return stopping;
  },
};

const CLOSED = /terminating connection due to administrator command|Connection terminated|ECONNREFUSED|ECONNRESET|the database system is shutting down|Client has encountered a connection error and is not queryable/i;

/** Whether the error is a connection closing under a shutdown that has begun. */
export function closedByShutdown(err: unknown): boolean {
  if (!stopping) return false;
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '57P01' || e?.code === '57P03' || CLOSED.test(String(e?.message ?? err));
}
