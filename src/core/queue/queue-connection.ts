import {
  createPostgresBackend,
  createRedisBackend,
  DefaultJobOptions,
  Processor,
  Queue,
  runMigrations,
  Worker,
} from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { endAndWait, trackPoolClients } from 'src/core/database/pool-clients';
import { POOL_DEFAULTS } from 'src/core/database/pool-defaults';
import { describeError, describeUrl, StartError } from 'src/core/errors/start-error';

/**
 * Internal: owns the connections to the queue datastore and builds BullMQ
 * Queue/Worker instances on them. Not exported from the module's index.
 *
 * Both backends are passed to BullMQ per instance (its `backendFactory`
 * constructor argument) rather than with `setDefaultBackendFactory`, which is
 * process-wide and would make two apps in one process (tests) interfere.
 */

export type QueueBackendKind = 'redis' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyQueue = Queue<any, any, string, any, any, string, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWorker = Worker<any, any, string, any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcessor = Processor<any, any, string>;

/** PostgreSQL schema that holds BullMQ's tables (created on first use). */
export const POSTGRES_QUEUE_SCHEMA = 'bullmq';

/** Connections of the producer side (QueueService: enqueue, remove, schedulers, ping). */
const PRODUCER_POOL_MAX = 3;
/** Query connections a worker process shares on top of one LISTEN connection per worker. */
const WORKER_POOL_EXTRA = 4;

export interface WorkerConnection {
  createWorker(queueName: string, processor: AnyProcessor, concurrency: number): AnyWorker;
  close(): Promise<void>;
}

export interface QueueConnection {
  readonly kind: QueueBackendKind;
  /** Resolves once the datastore is usable (PostgreSQL: schema migrated). Memoized. */
  ready(): Promise<void>;
  createQueue(queueName: string, defaultJobOptions: DefaultJobOptions): AnyQueue;
  /** A connection set for `workerCount` workers (the worker process only). */
  openWorkers(workerCount: number): WorkerConnection;
  /** True when the datastore answers within timeoutMs. */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Redis: one shared client for every Queue of the process (commands fail after
 * a few retries, so an API call cannot hang forever on a dead Redis), one shared
 * client for the workers' regular commands, and one blocking connection per
 * Worker (BullMQ duplicates it). Total: 2 + number of workers.
 */
export class RedisQueueConnection implements QueueConnection {
  readonly kind = 'redis' as const;
  private readonly producer: Redis;
  private readonly workerClients: Redis[] = [];

  /** The producer's last connection error (ioredis rejects connect() with only "Connection is closed"). */
  private lastError?: Error;

  constructor(private readonly url: string) {
    this.producer = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: 'queue-producer' });
    this.producer.on('error', (e: Error) => (this.lastError = e)); // surfaced by the commands that fail (and ping)
  }

  /**
   * Connects the producer; a StartError naming REDIS_URL when Redis does not answer (ioredis keeps retrying behind).
   */
  async ready(): Promise<void> {
    if (this.producer.status !== 'wait') return;
    try {
      await this.producer.connect();
    } catch (e) {
      throw new StartError(
        `cannot connect to Redis at REDIS_URL (${describeUrl(this.url)}): ${describeError(this.lastError ?? e)}. ` +
          'Start Redis or fix REDIS_URL, or unset it to keep the jobs in PostgreSQL',
        'REDIS_URL',
      );
    }
  }

  createQueue(queueName: string, defaultJobOptions: DefaultJobOptions): AnyQueue {
    return new Queue(queueName, { connection: this.producer, defaultJobOptions }, createRedisBackend);
  }

  openWorkers(): WorkerConnection {
    // Blocking connections must retry forever (BullMQ requires maxRetriesPerRequest: null).
    const shared = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      connectionName: 'queue-worker',
    });
    shared.on('error', () => undefined); // workers emit their own 'error' events
    this.workerClients.push(shared);
    return {
      createWorker: (queueName, processor, concurrency) =>
        new Worker(queueName, processor, { connection: shared, concurrency, autorun: true }, createRedisBackend),
      close: async () => {
        await quit(shared);
        this.workerClients.splice(this.workerClients.indexOf(shared), 1);
      },
    };
  }

  async ping(timeoutMs: number): Promise<boolean> {
    try {
      return (await withTimeout(this.producer.ping(), timeoutMs)) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.workerClients, this.producer].map(quit));
    this.workerClients.length = 0;
  }
}

async function quit(client: Redis): Promise<void> {
  // Not connected (Redis down): QUIT would wait in the offline queue for a reconnection that may never come.
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

/**
 * PostgreSQL: BullMQ's tables live in schema `bullmq` of the application's
 * database. We build the pg pools ourselves and hand them to BullMQ (a pool
 * passed in is used as-is and never closed by BullMQ; BullMQ then uses its
 * default schema, `bullmq`, and relies on our `search_path`). This bounds the
 * connections of a process instead of letting every Queue and Worker open a pool
 * of 10 plus a dedicated LISTEN connection:
 *
 * - producer pool (every Queue of the process): at most 3 connections, opened
 *   on demand and closed after 10 s idle;
 * - worker pool (worker process only): one long-lived LISTEN connection per
 *   Worker (checked out of the pool) plus 4 shared query connections.
 *
 * The schema is created/migrated once per process with BullMQ's own migrator,
 * serialized across processes by an advisory lock.
 */
export class PostgresQueueConnection implements QueueConnection {
  readonly kind = 'postgres' as const;
  private readonly producer: Pool;
  private readonly workerPools: Pool[] = [];
  private readyPromise?: Promise<void>;

  constructor(private readonly url: string) {
    this.producer = this.newPool(PRODUCER_POOL_MAX, 'wecrm-queue');
  }

  private newPool(max: number, applicationName: string): Pool {
    const { connectionString, options } = splitOptions(this.url);
    const pool = new Pool({
      connectionString,
      max,
      idleTimeoutMillis: 10_000,
      // Unqualified names in BullMQ's SQL resolve into the schema.
      options: `${options ? `${options} ` : ''}-c search_path="${POSTGRES_QUEUE_SCHEMA}"`,
      application_name: applicationName,
      // Lets BullMQ detect a dropped LISTEN connection, so a worker may block
      // on LISTEN for long periods instead of re-polling every 10 s.
      keepAlive: true,
      // Fail fast while PostgreSQL is down: BullMQ retries on its own.
      connectionTimeoutMillis: POOL_DEFAULTS.connectTimeoutSeconds * 1000,
    });
    pool.on('error', () => undefined); // idle-client errors; BullMQ forwards them as 'error' events too
    pool.setMaxListeners(0); // every Queue/Worker built on the pool adds an 'error' listener
    trackPoolClients(pool); // so that endAndWait waits for BullMQ's destroyed LISTEN clients to close
    return pool;
  }

  ready(): Promise<void> {
    this.readyPromise ??= (async () => {
      const client = await this.producer.connect();
      try {
        await runMigrations(client, POSTGRES_QUEUE_SCHEMA);
      } finally {
        client.release();
      }
    })();
    this.readyPromise.catch(() => (this.readyPromise = undefined)); // retry on the next call
    return this.readyPromise;
  }

  createQueue(queueName: string, defaultJobOptions: DefaultJobOptions): AnyQueue {
    return new Queue(queueName, { connection: this.producer, defaultJobOptions }, createPostgresBackend);
  }

  openWorkers(workerCount: number): WorkerConnection {
    const pool = this.newPool(workerCount + WORKER_POOL_EXTRA, 'wecrm-queue-worker');
    this.workerPools.push(pool);
    return {
      createWorker: (queueName, processor, concurrency) =>
        new Worker(queueName, processor, { connection: pool, concurrency, autorun: true }, createPostgresBackend),
      close: async () => {
        this.workerPools.splice(this.workerPools.indexOf(pool), 1);
        await endAndWait(pool);
      },
    };
  }

  async ping(timeoutMs: number): Promise<boolean> {
    try {
      await withTimeout(this.producer.query('SELECT 1'), timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.workerPools, this.producer].map((p) => endAndWait(p)));
    this.workerPools.length = 0;
  }
}

/**
 * pg lets an `options` parameter of the URL override the config's, which would
 * drop our search_path: take it out of the URL and merge it instead.
 */
function splitOptions(url: string): { connectionString: string; options?: string } {
  try {
    const u = new URL(url);
    const options = u.searchParams.get('options');
    if (options === null) return { connectionString: url };
    u.searchParams.delete('options');
    return { connectionString: u.toString(), options };
  } catch {
    return { connectionString: url };
  }
}

export function createQueueConnection(redisUrl: string | undefined, databaseUrl: string): QueueConnection {
  return redisUrl ? new RedisQueueConnection(redisUrl) : new PostgresQueueConnection(databaseUrl);
}
