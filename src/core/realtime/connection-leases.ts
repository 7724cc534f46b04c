import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { describeError } from 'src/core/errors/start-error';

/**
 * The places of one principal's subscription sockets over every API process (SUBSCRIPTIONS_MAX_CONNECTIONS_PER_
 * PRINCIPAL): each open socket holds a lease, taken at connection_init and given back when it closes. A process
 * renews all of its leases with one heartbeat every third of the lease time; a process that dies without giving
 * its leases back stops renewing them, and they stop counting once expired (SUBSCRIPTIONS_LEASE_SECONDS).
 *
 * Redis (REDIS_URL set): one sorted set per principal (socket id -> expiry in Redis's clock), taken by a Lua
 * script that drops expired members, counts, and adds in one step. PostgreSQL otherwise: table
 * `subscription_leases`, taken in a transaction that serializes one principal's takers on an advisory lock.
 *
 * A socket's close reaches its process, and its lease the store, a little after the client has moved on: a
 * reloaded page's new socket can ask for a place before the old one's is given back (on another process, or
 * before this one has seen the old socket close). So a taker that finds every place held waits a short grace
 * (SUBSCRIPTIONS_LIMIT_GRACE_SECONDS, subscription-server.ts) for one to free before it is refused.
 */
export abstract class ConnectionLeases {
  protected readonly logger = new Logger('SubscriptionLeases');
  /** This process's leases (socket id -> principal), renewed by the heartbeat. */
  protected readonly held = new Map<string, string>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** One heartbeat at a time (a slow store must not pile them up). */
  private beating = false;
  /** Releases under way per principal, which that principal's next take and a stop wait for. */
  private readonly giving = new Map<string, Set<Promise<void>>>();
  /** Takers of a principal waiting for one of its places (`released`), woken when this process frees one. */
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(protected readonly leaseMs: number) {}

  /**
   * Takes one of `max` places of `subject` for socket `id`: false when live sockets hold all of them. A place
   * this process is still giving back (its socket closed, the store not yet told) is given back first, so a
   * socket that closes here never counts against the next one of its principal.
   */
  async acquire(subject: string, id: string, max: number): Promise<boolean> {
    this.start();
    const pending = this.giving.get(subject);
    if (pending) await Promise.all(pending);
    const taken = await this.take(subject, id, max);
    if (taken) this.held.set(id, subject);
    return taken;
  }

  /** Gives the place back (the socket closed). A failure is logged: the lease then expires on its own. */
  async release(id: string): Promise<void> {
    const subject = this.held.get(id);
    if (subject === undefined) return;
    this.held.delete(id);
    const pending = this.giving.get(subject) ?? new Set<Promise<void>>();
    this.giving.set(subject, pending);
    const giving: Promise<void> = this.give(subject, id)
      .catch((e: unknown) =>
        this.logger.warn({ msg: 'could not release a socket lease; it expires by itself', error: describeError(e) }),
      )
      .finally(() => {
        pending.delete(giving);
        if (!pending.size && this.giving.get(subject) === pending) this.giving.delete(subject);
        this.wake(subject);
      });
    pending.add(giving);
    await giving;
  }

  /**
   * Resolves once this process has given back a place of `subject`, or after `ms` (a place freed by another
   * process is only seen by asking the store again).
   */
  released(subject: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const set = this.waiters.get(subject) ?? new Set<() => void>();
      this.waiters.set(subject, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (!set.size && this.waiters.get(subject) === set) this.waiters.delete(subject);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private wake(subject: string): void {
    for (const done of [...(this.waiters.get(subject) ?? [])]) done();
  }

  /** Leases this process holds (tests, the log). */
  heldCount(): number {
    return this.held.size;
  }

  /** Renews every lease of this process now (the heartbeat; tests). */
  async renew(): Promise<void> {
    if (this.beating || !this.held.size) return;
    this.beating = true;
    try {
      await this.extend([...this.held]);
    } catch (e) {
      this.logger.warn({ msg: 'could not renew socket leases; retrying', error: describeError(e) });
    } finally {
      this.beating = false;
    }
  }

  /** Stops the heartbeat and gives every lease back (the process stops). */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    await Promise.all([...this.held.keys()].map((id) => this.release(id)));
    await Promise.all([...this.giving.values()].flatMap((pending) => [...pending]));
  }

  private start(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => void this.renew(), Math.max(1000, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
  }

  protected abstract take(subject: string, id: string, max: number): Promise<boolean>;
  protected abstract give(subject: string, id: string): Promise<void>;
  protected abstract extend(leases: Array<[id: string, subject: string]>): Promise<void>;
}

/** Drops expired members, then adds ARGV[2] if fewer than ARGV[1] remain; expiry in Redis's own clock. */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`;

/** Renews the members ARGV[2..] of the sets KEYS[1..] (pairwise) that are still there (XX: never re-adds). */
const EXTEND = `
local t = redis.call('TIME')
local untilMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', untilMs, ARGV[i + 1])
  redis.call('PEXPIRE', key, tonumber(ARGV[1]))
end
return 1`;

/** Renewals per script call (each names its keys, so a large process renews in a few calls). */
const EXTEND_BATCH = 500;

export class RedisConnectionLeases extends ConnectionLeases implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    leaseMs: number,
  ) {
    super(leaseMs);
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: 'subscription-leases' });
    this.redis.on('error', () => undefined); // the failing commands say why
  }

  private key(subject: string): string {
    return `${this.prefix}:subscription-leases:${subject}`;
  }

  protected async take(subject: string, id: string, max: number): Promise<boolean> {
    return (await this.redis.eval(TAKE, 1, this.key(subject), max, id, this.leaseMs)) === 1;
  }

  protected async give(subject: string, id: string): Promise<void> {
    await this.redis.zrem(this.key(subject), id);
  }

  protected async extend(leases: Array<[string, string]>): Promise<void> {
    for (let i = 0; i < leases.length; i += EXTEND_BATCH) {
      const batch = leases.slice(i, i + EXTEND_BATCH);
      await this.redis.eval(
        EXTEND,
        batch.length,
        ...batch.map(([, subject]) => this.key(subject)),
        this.leaseMs,
        ...batch.map(([id]) => id),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

export class PostgresConnectionLeases extends ConnectionLeases implements OnApplicationShutdown {
  /** This process, in its rows: the heartbeat renews them all with one statement. */
  private readonly processId = randomUUID();

  constructor(
    private readonly db: DataSource,
    leaseMs: number,
  ) {
    super(leaseMs);
  }

  protected take(subject: string, id: string, max: number): Promise<boolean> {
    return this.db.transaction(async (m) => {
      // One principal's takers queue here (every process), so two cannot both take the last place.
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('subscription_leases:' || $1::text, 0))`, [
        subject,
      ]);
      await m.query(`DELETE FROM subscription_leases WHERE subject = $1::varchar AND expires_at <= now()`, [subject]);
      const rows: Array<{ id: string }> = await m.query(
        `INSERT INTO subscription_leases (id, subject, process_id, expires_at)
         SELECT $2::uuid, $1::varchar, $3::uuid, now() + make_interval(secs => $4::float8 / 1000)
          WHERE (SELECT count(*) FROM subscription_leases WHERE subject = $1::varchar) < $5::int
         RETURNING id`,
        [subject, id, this.processId, this.leaseMs, max],
      );
      return rows.length === 1;
    });
  }

  protected async give(_subject: string, id: string): Promise<void> {
    await this.db.query(`DELETE FROM subscription_leases WHERE id = $1`, [id]);
  }

  protected async extend(): Promise<void> {
    await this.db.query(
      `UPDATE subscription_leases SET expires_at = now() + make_interval(secs => $2::float8 / 1000)
        WHERE process_id = $1`,
      [this.processId, this.leaseMs],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}
