import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';

const log = new Logger('Database');

/** The connections of each tracked pool that have not closed yet. */
const open = new WeakMap<Pool, Set<PoolClient>>();

/**
 * Tracks the pool's connections until their sockets close. pg's `Pool.end()`
 * resolves once the pool has let go of its clients, which may still be
 * closing; stopping an embedded PostgreSQL right then would end those sessions
 * under them (errors logged by whoever held them). `endAndWait` waits for them.
 */
export function trackPoolClients(pool: Pool): void {
  if (open.has(pool)) return;
  const clients = new Set<PoolClient>();
  // Connections opened before tracking began (pg-pool keeps them in _clients).
  for (const c of (pool as unknown as { _clients?: PoolClient[] })._clients ?? []) clients.add(c);
  pool.on('connect', (client) => clients.add(client));
  // The pool's own event, once a client's end() has completed (a listener on the
  // client would not do: BullMQ removes every listener of its LISTEN client before
  // destroying it).
  pool.on('remove', (client) => clients.delete(client));
  open.set(pool, clients);
}

/**
 * Ends the pool (unless it is ending already) and waits until its tracked connections have closed, at most `timeoutMs`.
 */
export async function endAndWait(pool: Pool, timeoutMs = 5_000): Promise<void> {
  if (!(pool as Pool & { ending?: boolean }).ending) await pool.end();
  await closed(pool, timeoutMs);
}

/** Waits until the pool's tracked connections have closed, at most `timeoutMs` (then says how many are left). */
export async function closed(pool: Pool, timeoutMs = 5_000): Promise<void> {
  const clients = open.get(pool);
  const deadline = Date.now() + timeoutMs;
  while (clients?.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (clients?.size)
    log.warn(`${clients.size} pooled connection(s) still open ${timeoutMs} ms after the pool ended; going on`);
}
