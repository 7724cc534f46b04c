import { FormattedExecutionResult } from 'graphql';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

/** A graphql-ws client of the real server, that never retries: each test sees the close it caused. */
export interface WsConn {
  client: Client;
  /** Resolves on connection_ack. */
  acked: Promise<void>;
  /** Resolves when the socket closes, with its code and reason. */
  closed: Promise<Closed>;
  dispose(): Promise<void>;
}

/** `ws://…/graphql` of a server's `http://…` base URL. */
export const wsUrl = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}/graphql`;

/**
 * Opens a graphql-ws connection (eagerly: connection_init is sent at once) with these connection_init
 * params. `autoPong: false` makes a peer that never answers the server's pings (a vanished client).
 */
export function wsConnect(
  httpUrl: string,
  params: Record<string, unknown> | undefined,
  opts: { autoPong?: boolean } = {},
): WsConn {
  let ack!: () => void;
  let closedWith!: (c: Closed) => void;
  const acked = new Promise<void>((r) => (ack = r));
  const closed = new Promise<Closed>((r) => (closedWith = r));
  const autoPong = opts.autoPong ?? true;
  class Ws extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { autoPong });
    }
  }
  const client = createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: Ws,
    connectionParams: params,
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    onNonLazyError: () => undefined,
    on: {
      connected: () => ack(),
      closed: (e) => {
        const ev = e as { code: number; reason: string };
        closedWith({ code: ev.code, reason: String(ev.reason) });
      },
    },
  });
  return { client, acked, closed, dispose: () => client.dispose() as Promise<void> };
}

/** What one subscription received: results (data or errors), a terminal error, completion. */
export class Received<T = Record<string, unknown>> {
  readonly results: Array<FormattedExecutionResult<T, unknown>> = [];
  error: unknown;
  completed = false;
  private wake: Array<() => void> = [];
  readonly unsubscribe: () => void;

  constructor(conn: WsConn, query: string, variables?: Record<string, unknown>) {
    this.unsubscribe = conn.client.subscribe<T>(
      { query, variables },
      {
        next: (r) => this.push(() => this.results.push(r)),
        error: (e) => this.push(() => (this.error = e)),
        complete: () => this.push(() => (this.completed = true)),
      },
    );
  }

  /** The data received so far. */
  get data(): T[] {
    return this.results.filter((r) => r.data).map((r) => r.data as T);
  }

  /** Waits until `done` holds (or fails after `ms`, saying what was received). */
  async until(done: (r: this) => boolean, what: string, ms = 20_000): Promise<this> {
    const end = Date.now() + ms;
    while (!done(this)) {
      const left = end - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; received ` +
            JSON.stringify({ results: this.results, error: this.error, completed: this.completed }),
        );
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.min(left, 200));
        this.wake.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
    return this;
  }

  private push(f: () => void): void {
    f();
    const w = this.wake;
    this.wake = [];
    for (const x of w) x();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
