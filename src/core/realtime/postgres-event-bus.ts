import { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { endAndWait, trackPoolClients } from 'src/core/database/pool-clients';
import { POOL_DEFAULTS } from 'src/core/database/pool-defaults';
import { describeError } from 'src/core/errors/start-error';
import { DispatchingEventBus } from './event-bus';

/** Reconnect delays of the listening connection: doubling from the first to the last. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * The bus on PostgreSQL (no REDIS_URL): NOTIFY on one channel per deployment (QUEUE_PREFIX), and one
 * dedicated LISTEN connection per process, reopened with a growing delay when it is lost (events raised
 * meanwhile are lost for this process). NOTIFY goes through a small pool of its own, so publishing works
 * while the listener reconnects. Payloads are ids (at most MAX_EVENT_BYTES), below NOTIFY's 8,000 bytes.
 */
export class PostgresEventBus extends DispatchingEventBus implements OnModuleInit, OnApplicationShutdown {
  private readonly channel: string;
  private readonly pool: Pool;
  private listener: Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_FIRST_MS;
  private stopping = false;
  /** Times the listening connection was (re)opened: tests and the log. */
  connects = 0;

  constructor(
    private readonly url: string,
    prefix: string,
    maxQueued: number,
  ) {
    super(maxQueued);
    this.channel = `${prefix}_events`;
    this.pool = new Pool({
      connectionString: url,
      max: 2,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: POOL_DEFAULTS.connectTimeoutSeconds * 1000,
      application_name: 'wecrm-events',
    });
    this.pool.on('error', () => undefined); // an idle connection lost: the next query opens another
    trackPoolClients(this.pool);
  }

  /** The first LISTEN connects at start: a process that cannot listen fails to start rather than miss events. */
  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
    await endAndWait(this.pool);
  }

  protected async send(message: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, message]);
  }

  /** Kills the listening connection from the server's side (tests of the reconnect). */
  async listenerPid(): Promise<number | undefined> {
    const r = await this.listener?.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return r?.rows[0]?.pid;
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: POOL_DEFAULTS.connectTimeoutSeconds * 1000,
      keepAlive: true,
      keepAliveInitialDelayMillis: POOL_DEFAULTS.keepAliveDelayMs,
      application_name: 'wecrm-events-listen',
    });
    let lost = false;
    const onLost = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.stopping) return;
      this.logger.warn({
        msg: 'event listener connection lost; reconnecting',
        error: e ? describeError(e) : 'ended',
        inMs: this.reconnectDelay,
      });
      this.scheduleReconnect();
    };
    client.on('notification', (n) => {
      if (n.channel === this.channel && n.payload !== undefined) this.receive(n.payload);
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (e) {
      onLost(e as Error);
      if (this.connects === 0) throw e;
      return;
    }
    this.listener = client;
    this.connects++;
    this.reconnectDelay = RECONNECT_FIRST_MS;
    if (this.connects > 1) this.logger.log({ msg: 'event listener reconnected', channel: this.channel });
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopping) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen().catch(() => undefined);
    }, delay);
  }
}
