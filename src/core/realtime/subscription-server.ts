import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  createSourceEventStream,
  execute,
  ExecutionArgs,
  ExecutionResult,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { CloseCode, handleProtocols, makeServer, ServerOptions } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import { Actor } from 'src/core/authz/actor';
import { AuthzService } from 'src/core/authz/authz.service';
import { PRINCIPAL_RESOLVER, PrincipalResolver } from 'src/core/authz/principal-resolver';
import { AppConfig } from 'src/core/config/app-config';
import { requestContext } from 'src/core/context/request-context';
import { AppError } from 'src/core/errors/app-error';
import { describeError } from 'src/core/errors/start-error';
import { formatError } from 'src/core/graphql/format-error';
import { GqlContext } from 'src/core/graphql/gql-context';
import { clientIp, newGqlContext } from 'src/core/graphql/graphql.factory';
import { findTextProblems } from 'src/core/graphql/input-text.plugin';
import { costLimitError, queryLimitRules } from 'src/core/graphql/query-limits.plugin';
import { ConnectionLeases } from './connection-leases';
import { BusEvent, EventBus, SlowConsumerError } from './event-bus';
import { eventScope, mapEvents } from './event-stream';
import { PRINCIPAL_CHANGED, PrincipalChangedPayload } from './principal-events';

/**
 * The close codes of the subscription socket, besides graphql-ws's own (4400 bad message, 4401
 * unauthorized at connection_init, 4406 subprotocol, 4408 no connection_init in time, 4409 duplicate
 * subscription id, 4429 second connection_init, 4500 server error) and 1001 (the server stops).
 */
export const SubscriptionCloseCode = {
  /** The session or API key stopped being valid while open (revoked, expired, employee suspended or departed). */
  SessionEnded: 4101,
  /**
   * The employee or API key holds SUBSCRIPTIONS_MAX_CONNECTIONS_PER_PRINCIPAL sockets over all API processes, and
   * none of them closed within SUBSCRIPTIONS_LIMIT_GRACE_SECONDS.
   */
  TooManyConnections: 4102,
  /** This API process already holds SUBSCRIPTIONS_MAX_CONNECTIONS sockets; retry later (another may have room). */
  ServerFull: 4103,
  /** The client read too slowly: events were dropped (SUBSCRIPTIONS_MAX_BUFFERED_BYTES / _MAX_QUEUED_EVENTS). */
  SlowConsumer: 4104,
} as const;

/** A socket that was asked to close and has not within this long is cut. */
const CLOSE_GRACE_MS = 5_000;
/**
 * While a new socket waits for a place of its principal (SUBSCRIPTIONS_LIMIT_GRACE_SECONDS), it asks the lease
 * store again this often: a place freed on another process is not announced here.
 */
const LIMIT_RETRY_MS = 200;
/** Re-checks of principals running at once after an organization-wide change. */
const RECHECK_CONCURRENCY = 8;

interface Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly ip: string;
  alive: boolean;
  token?: string;
  /** Updated in place by re-checks, so running subscriptions see new roles and scopes. */
  actor?: Actor;
  subscriptions: number;
  recheckTimer?: NodeJS.Timeout;
  checking?: Promise<void>;
  closing: boolean;
}

interface Extra {
  conn: Connection;
}

/** A graphql-ws error for one operation, with a contract code. */
const refusal = (message: string, code = 'BAD_USER_INPUT') => new GraphQLError(message, { extensions: { code } });

/**
 * GraphQL subscriptions over graphql-ws on the API's port at /graphql (README "Subscriptions").
 *
 * - connection_init carries `{ "authorization": "Bearer <session token or API key>" }`, checked like an
 *   HTTP request's header; the socket is then re-checked on every principalChanged event of its
 *   organization and every SUBSCRIPTIONS_RECHECK_SECONDS, and closed with 4101 once it no longer holds.
 * - Only subscription operations run here (queries and mutations go over HTTP, with its admission
 *   control); each is held to the HTTP limits: tokens, depth, aliases, directives, cost, text length.
 * - Every event is executed with a fresh context (loaders and permission answers of that event only)
 *   and the socket's current caller, so an event shows exactly what a query would. What does not depend on
 *   the caller (rows by id: `sharedLoader`) is loaded once per event for all its subscribers on this process.
 * - Limits: sockets per process, sockets per principal over every process (leases: connection-leases.ts; a
 *   new socket finding them all held waits a short grace for one to close), subscriptions per socket, ping/pong,
 *   and a bound on what waits for a slow reader (events dropped, socket closed with 4104).
 */
@Injectable()
export class SubscriptionServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Subscriptions');
  private readonly connections = new Set<Connection>();
  private readonly perPrincipal = new Map<string, number>();
  /** One principalChanged stream per organization with sockets here, and how many sockets hold it. */
  private readonly orgWatches = new Map<string, { sockets: Set<Connection>; stream: AsyncIterator<BusEvent> }>();
  /** The socket of each subscription's starting context. */
  private readonly contextSockets = new WeakMap<GqlContext, Connection>();
  private wss: WebSocketServer | undefined;
  private httpServer: Server | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head);
  private principals!: PrincipalResolver;
  private authz!: AuthzService;
  private schema!: GraphQLSchema;

  constructor(
    private readonly config: AppConfig,
    private readonly bus: EventBus,
    private readonly moduleRef: ModuleRef,
    private readonly leases: ConnectionLeases,
  ) {}

  /** Serves subscriptions on the API's HTTP server (after the application has initialised). */
  attach(httpServer: Server): void {
    this.principals = this.moduleRef.get<PrincipalResolver>(PRINCIPAL_RESOLVER, { strict: false });
    this.authz = this.moduleRef.get(AuthzService, { strict: false });
    this.schema = this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    this.wss = new WebSocketServer({
      noServer: true,
      // The HTTP body limit holds for a message as well (ws closes with 1009 beyond it).
      maxPayload: this.config.graphqlMaxBodyBytes,
      handleProtocols,
      perMessageDeflate: false,
    });
    const server = makeServer<Record<string, unknown>, Extra>(this.options());
    this.wss.on('connection', (socket: WebSocket, req: IncomingMessage) => this.opened(server, socket, req));
    this.httpServer = httpServer;
    httpServer.on('upgrade', this.onUpgrade);
    const keepAliveMs = this.config.subscriptionsKeepAliveSeconds * 1000;
    this.keepAliveTimer = setInterval(() => this.keepAlive(), keepAliveMs);
    this.keepAliveTimer.unref();
  }

  /** Open sockets (tests, the log). */
  connectionCount(): number {
    return this.connections.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.wss) return;
    this.httpServer?.off('upgrade', this.onUpgrade);
    clearInterval(this.keepAliveTimer);
    const open = [...this.connections];
    for (const c of open) this.close(c, 1001, 'The server is shutting down');
    const deadline = Date.now() + 2_000;
    while (this.connections.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of this.connections) c.socket.terminate();
    for (const w of this.orgWatches.values()) void w.stream.return?.();
    this.orgWatches.clear();
    await this.leases.stop();
    await new Promise<void>((resolve) => this.wss!.close(() => resolve()));
    this.wss = undefined;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/graphql' || !this.wss) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss?.emit('connection', ws, req));
  }

  private opened(
    server: ReturnType<typeof makeServer<Record<string, unknown>, Extra>>,
    socket: WebSocket,
    req: IncomingMessage,
  ): void {
    const conn: Connection = {
      id: randomUUID(),
      socket,
      ip: clientIp(req as never),
      alive: true,
      subscriptions: 0,
      closing: false,
    };
    if (this.connections.size >= this.config.subscriptionsMaxConnections) {
      this.logger.warn({
        msg: 'subscription socket refused: the process is full',
        max: this.config.subscriptionsMaxConnections,
      });
      socket.close(
        SubscriptionCloseCode.ServerFull,
        `Server full: at most ${this.config.subscriptionsMaxConnections} sockets per API process`,
      );
      return;
    }
    this.connections.add(conn);
    socket.on('pong', () => (conn.alive = true));
    socket.on('error', (e) => this.logger.debug({ msg: 'subscription socket error', error: describeError(e) }));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => this.send(conn, data),
        close: (code, reason) => this.close(conn, code ?? 1000, reason ?? ''),
        onMessage: (cb) =>
          socket.on('message', (data) => {
            cb(String(data)).catch((e: unknown) => {
              this.logger.error({ msg: 'subscription message failed', error: describeError(e) });
              this.close(conn, CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { conn },
    );
    socket.once('close', (code, reason) => {
      this.forget(conn);
      closed(code, String(reason)).catch(() => undefined);
    });
  }

  private options(): ServerOptions<Record<string, unknown>, Extra> {
    const limits = queryLimitRules(this.config);
    const rules = [...specifiedRules, ...limits.validationRules];
    return {
      connectionInitWaitTimeout: this.config.subscriptionsInitTimeoutSeconds * 1000,
      onConnect: async (ctx) => this.authenticate(ctx.extra.conn, ctx.connectionParams),
      onSubscribe: async (ctx, _id, payload) => {
        const conn = ctx.extra.conn;
        if (conn.subscriptions >= this.config.subscriptionsMaxPerConnection) {
          return [refusal(`At most ${this.config.subscriptionsMaxPerConnection} subscriptions per socket`)];
        }
        let document;
        try {
          document = parse(payload.query, limits.parseOptions);
        } catch (e) {
          const tooLong = e instanceof GraphQLError && /tokens/.test(e.message);
          return [
            refusal(
              tooLong ? `Query has more than ${this.config.graphqlMaxTokens} tokens, the limit` : (e as Error).message,
            ),
          ];
        }
        const errors = validate(this.schema, document, rules);
        if (errors.length) return errors.map((e) => refusal(e.message));
        const operationName = payload.operationName ?? undefined;
        const operation = getOperationAST(document, operationName);
        if (!operation) return [refusal('Unable to identify the operation (name it with operationName)')];
        if (operation.operation !== 'subscription') {
          return [
            refusal('Only subscriptions run over the WebSocket: send queries and mutations with HTTP POST /graphql'),
          ];
        }
        const variables = payload.variables ?? {};
        const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], variables);
        if (coerced.errors) return coerced.errors.map((e) => refusal(e.message));
        const cost = costLimitError(this.schema, document, operationName, variables, this.config.graphqlMaxComplexity);
        if (cost) return [refusal(cost.message)];
        const problems = findTextProblems(
          this.schema,
          document,
          operation,
          variables,
          this.config.graphqlMaxStringLength,
        );
        if (problems.length) return [AppError.invalid(problems)];
        const args: ExecutionArgs = {
          schema: this.schema,
          document,
          operationName,
          variableValues: variables,
          contextValue: this.contextFor(conn),
        };
        return args;
      },
      subscribe: (args) => this.subscribe(args),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => this.format(e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => this.format(e)),
    };
  }

  /** connection_init: the caller, or the socket closed with 4401 (and why), 4102, or 4500. */
  private async authenticate(
    conn: Connection,
    params: Readonly<Record<string, unknown>> | undefined,
  ): Promise<boolean> {
    const token = tokenOf(params);
    if (!token) {
      this.close(conn, CloseCode.Unauthorized, 'connection_init must carry {"authorization": "Bearer <token>"}');
      return false;
    }
    let actor: Actor | null;
    try {
      actor = await this.principals.resolve(`Bearer ${token}`);
    } catch (e) {
      if (e instanceof AppError) this.close(conn, CloseCode.Unauthorized, `Unauthorized: ${e.message}`);
      else {
        this.logger.warn({ msg: 'could not check a subscription token', error: describeError(e) });
        this.close(conn, CloseCode.InternalServerError, 'The token could not be checked now; retry');
      }
      return false;
    }
    if (!actor) return false;
    if (!this.stillOpen(conn)) return false;
    const max = this.config.subscriptionsMaxConnectionsPerPrincipal;
    // Every place held: a reloaded page's new socket may be here before its old one's close (on this process
    // or another), so wait a short grace for a place to free before refusing (connection-leases.ts).
    const deadline = Date.now() + this.config.subscriptionsLimitGraceSeconds * 1000;
    for (;;) {
      // This process alone already holds them all: no need to ask the lease store.
      if ((this.perPrincipal.get(actor.subject) ?? 0) < max) {
        let leased: boolean;
        try {
          // The limit over every API process: a lease per socket, in Redis or PostgreSQL.
          leased = await this.leases.acquire(actor.subject, conn.id, max);
        } catch (e) {
          this.logger.warn({ msg: 'could not take a subscription socket lease', error: describeError(e) });
          this.close(conn, CloseCode.InternalServerError, 'The socket limit could not be checked now; retry');
          return false;
        }
        if (leased) break;
      }
      if (!this.stillOpen(conn)) return false;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.close(conn, SubscriptionCloseCode.TooManyConnections, this.tooMany(actor, max));
        return false;
      }
      await this.leases.released(actor.subject, Math.min(left, LIMIT_RETRY_MS));
    }
    if (!this.stillOpen(conn)) {
      await this.leases.release(conn.id);
      return false;
    }
    this.perPrincipal.set(actor.subject, (this.perPrincipal.get(actor.subject) ?? 0) + 1);
    conn.token = token;
    conn.actor = actor;
    this.watch(conn);
    this.scheduleRecheck(conn);
    return true;
  }

  /** Still open and not yet forgotten (a socket can close while its connection_init is being checked). */
  private stillOpen(conn: Connection): boolean {
    return conn.socket.readyState === WebSocket.OPEN && this.connections.has(conn);
  }

  private tooMany(actor: Actor, max: number): string {
    return `Too many sockets: at most ${max} per ${actor.kind === 'apiKey' ? 'API key' : 'employee'}`;
  }

  /** The context a subscription starts with (its resolver's guard and scope checks read it). */
  private contextFor(conn: Connection): GqlContext {
    const ctx = newGqlContext(this.authz, { requestId: randomUUID(), ip: conn.ip }, conn.actor ?? null);
    this.contextSockets.set(ctx, conn);
    return ctx;
  }

  /**
   * graphql-js's subscribe, except that each event runs with a context of its own: a subscription lives
   * for hours, and loaders or permission answers kept for its life would serve stale rows and grow.
   */
  private async subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const conn = this.connectionOf(args.contextValue as GqlContext);
    const source = await requestContext.run(this.logContext(conn), () => createSourceEventStream(args));
    if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
    conn.subscriptions++;
    let counted = true;
    const uncount = () => {
      if (counted) conn.subscriptions--;
      counted = false;
    };
    const events = mapEvents(source as unknown as AsyncIterator<unknown>, async (event) => {
      if (conn.closing || !conn.actor) return undefined;
      const contextValue = this.contextFor(conn);
      // The rows every subscriber of this event on this process reads the same (sharedLoader): loaded once.
      contextValue.shared = typeof event === 'object' && event !== null ? eventScope(event) : undefined;
      return requestContext.run(
        this.logContext(conn, contextValue.requestId),
        () => execute({ ...args, rootValue: event, contextValue }) as Promise<ExecutionResult>,
      );
    });
    // A slow reader's queue overflowed: it is told by the close code, not by an error it would read late.
    const it = {
      next: async (): Promise<IteratorResult<ExecutionResult, undefined>> => {
        try {
          const r = await events.next();
          if (r.done) uncount();
          return r;
        } catch (e) {
          uncount();
          if (!(e instanceof SlowConsumerError)) throw e;
          this.slowConsumer(conn, e.message);
          return { value: undefined, done: true };
        }
      },
      return: async (): Promise<IteratorResult<ExecutionResult, undefined>> => {
        uncount();
        return events.return(undefined);
      },
      throw: async (e: unknown): Promise<IteratorResult<ExecutionResult, undefined>> => {
        uncount();
        await events.return(undefined);
        throw e;
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it as unknown as AsyncGenerator<ExecutionResult>;
  }

  private connectionOf(ctx: GqlContext): Connection {
    const conn = this.contextSockets.get(ctx);
    if (!conn) throw new Error('subscription context without its socket');
    return conn;
  }

  private logContext(conn: Connection, requestId: string = randomUUID()) {
    return { requestId, orgId: conn.actor?.orgId, actorId: conn.actor?.subject };
  }

  private format(e: GraphQLError): GraphQLFormattedError {
    const formatted = formatError(e.toJSON(), e);
    if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
      this.logger.error({
        msg: 'subscription event failed',
        correlationId: formatted.extensions.correlationId,
        error: describeError(e.originalError ?? e),
      });
    }
    return formatted;
  }

  /** Sends unless the reader is too slow: then drops, says so with the close code, and lets go of the socket. */
  private async send(conn: Connection, data: string): Promise<void> {
    const s = conn.socket;
    if (s.readyState !== WebSocket.OPEN || conn.closing) return;
    if (s.bufferedAmount + Buffer.byteLength(data) > this.config.subscriptionsMaxBufferedBytes) {
      this.slowConsumer(conn, `${s.bufferedAmount} bytes were still unsent`);
      return;
    }
    s.send(data);
  }

  private slowConsumer(conn: Connection, why: string): void {
    this.logger.warn({
      msg: 'slow subscription reader: events dropped, socket closed',
      orgId: conn.actor?.orgId,
      actorId: conn.actor?.subject,
      why,
    });
    this.close(conn, SubscriptionCloseCode.SlowConsumer, 'Slow consumer: events were dropped; reconnect and re-read');
  }

  private close(conn: Connection, code: number, reason: string): void {
    if (conn.closing) return;
    conn.closing = true;
    // The reason of a close frame is at most 123 bytes.
    let r = reason;
    while (Buffer.byteLength(r) > 123) r = r.slice(0, -2);
    try {
      conn.socket.close(code, r);
    } catch {
      conn.socket.terminate();
    }
    setTimeout(() => conn.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private forget(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    conn.closing = true;
    clearTimeout(conn.recheckTimer);
    const actor = conn.actor;
    if (!actor) return;
    void this.leases.release(conn.id);
    const n = (this.perPrincipal.get(actor.subject) ?? 1) - 1;
    if (n > 0) this.perPrincipal.set(actor.subject, n);
    else this.perPrincipal.delete(actor.subject);
    const w = this.orgWatches.get(actor.orgId);
    if (w) {
      w.sockets.delete(conn);
      if (!w.sockets.size) {
        this.orgWatches.delete(actor.orgId);
        void w.stream.return?.();
      }
    }
  }

  /** Pings every socket; one that did not answer the previous ping is cut (its peer is gone). */
  private keepAlive(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      if (c.socket.readyState === WebSocket.OPEN) c.socket.ping();
    }
  }

  /** Follows principalChanged in the socket's organization (one stream per organization with sockets here). */
  private watch(conn: Connection): void {
    const orgId = conn.actor!.orgId;
    const existing = this.orgWatches.get(orgId);
    if (existing) {
      existing.sockets.add(conn);
      return;
    }
    const watch = { sockets: new Set([conn]), stream: this.bus.subscribe(PRINCIPAL_CHANGED, orgId) };
    this.orgWatches.set(orgId, watch);
    void this.follow(orgId, watch);
  }

  private async follow(
    orgId: string,
    watch: { sockets: Set<Connection>; stream: AsyncIterator<BusEvent> },
  ): Promise<void> {
    for (;;) {
      let r: IteratorResult<BusEvent>;
      try {
        r = await watch.stream.next();
      } catch (e) {
        if (this.orgWatches.get(orgId) !== watch) return;
        // Changes came faster than re-checks: start over and re-check everyone of the organization.
        this.logger.warn({
          msg: 'principalChanged stream overflowed; re-checking the organization',
          orgId,
          error: describeError(e),
        });
        watch.stream = this.bus.subscribe(PRINCIPAL_CHANGED, orgId);
        await this.recheckAll([...watch.sockets]);
        continue;
      }
      if (r.done) return;
      const event = r.value;
      const employees = event.employeeIds?.length ? new Set(event.employeeIds) : null;
      const keys = (event.payload as PrincipalChangedPayload).apiKeyIds;
      const apiKeys = keys?.length ? new Set(keys) : null;
      const everyone = !employees && !apiKeys;
      const concerned = [...watch.sockets].filter((c) => {
        const a = c.actor;
        if (!a) return false;
        return everyone || (a.employeeId && employees?.has(a.employeeId)) || (a.apiKeyId && apiKeys?.has(a.apiKeyId));
      });
      await this.recheckAll(concerned);
    }
  }

  private async recheckAll(conns: Connection[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < conns.length) await this.recheck(conns[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, conns.length) }, worker));
  }

  private scheduleRecheck(conn: Connection): void {
    const base = this.config.subscriptionsRecheckSeconds * 1000;
    // Spread over ±20%, so that sockets opened together are not re-checked together.
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    conn.recheckTimer = setTimeout(() => {
      void this.recheck(conn).finally(() => {
        if (!conn.closing) this.scheduleRecheck(conn);
      });
    }, delay);
    conn.recheckTimer.unref();
  }

  /**
   * Resolves the socket's token again, as a new HTTP request would: still valid, the caller is updated in
   * place (roles, department); no longer valid, the socket closes with 4101 and the reason. A database
   * that does not answer keeps the socket (the next re-check decides).
   */
  private recheck(conn: Connection): Promise<void> {
    if (conn.closing || !conn.token || !conn.actor) return Promise.resolve();
    conn.checking ??= (async () => {
      try {
        const actor = await this.principals.resolve(`Bearer ${conn.token}`);
        if (actor && conn.actor && actor.subject === conn.actor.subject) Object.assign(conn.actor, actor);
        else this.close(conn, SubscriptionCloseCode.SessionEnded, 'Session ended');
      } catch (e) {
        if (e instanceof AppError) {
          this.logger.log({
            msg: 'subscription socket closed: session ended',
            orgId: conn.actor?.orgId,
            actorId: conn.actor?.subject,
          });
          this.close(conn, SubscriptionCloseCode.SessionEnded, `Session ended: ${e.message}`);
        } else
          this.logger.warn({ msg: 'could not re-check a subscription socket; keeping it', error: describeError(e) });
      } finally {
        conn.checking = undefined;
      }
    })();
    return conn.checking;
  }
}

/** The token of connection_init: `authorization: "Bearer <token>"` (as the HTTP header), or `token`. */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const auth = params?.authorization ?? params?.Authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m?.[1];
  }
  return typeof params?.token === 'string' && params.token ? params.token : undefined;
}
