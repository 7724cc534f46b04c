import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { POOL_DEFAULTS } from 'src/core/database/pool-defaults';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The whole configuration of the product, read once at boot. Nothing else in the
 * code reads `process.env`: modules inject this class. Every field has a default
 * so that `npm start` works with no configuration at all.
 */
/** GraphQL requests executing at once on one machine by default, over all its API processes. */
const MACHINE_MAX_IN_FLIGHT = 16;

export class AppConfig {
  /** HTTP port of the API process. */
  readonly port: number;
  /** External PostgreSQL; when absent an embedded PostgreSQL runs in DATA_DIR. */
  readonly databaseUrl?: string;
  /** Redis for BullMQ; when absent BullMQ runs on the PostgreSQL backend. */
  readonly redisUrl?: string;
  /** Where embedded PostgreSQL and the generated JWT secret live. */
  readonly dataDir: string;
  /** Secret that signs session tokens (at least 32 characters). */
  readonly jwtSecret: string;
  readonly logLevel: LogLevel;
  /** Seed the demo organization on the first start. */
  readonly seedDemo: boolean;
  /** The built web console served at `/` (admin-ui/dist, built by `npm start`); absent: `/` says how to build it. */
  readonly consoleDir: string;
  /** Session token lifetime. */
  readonly sessionTtlSeconds: number;
  /** Prefix for queue names (lets several deployments share one Redis). */
  readonly queuePrefix: string;
  /**
   * Limits on one GraphQL document, checked before anything runs (core/graphql/query-limits.plugin.ts):
   * selection depth, estimated cost (every field counts; a list counts its `first` times its
   * children), aliases, directives, lexical tokens, and the size of the HTTP request body.
   */
  readonly graphqlMaxDepth: number;
  readonly graphqlMaxComplexity: number;
  readonly graphqlMaxAliases: number;
  readonly graphqlMaxDirectives: number;
  readonly graphqlMaxTokens: number;
  readonly graphqlMaxBodyBytes: number;
  /**
   * Longest text (in characters) any GraphQL argument or input field may carry;
   * fields such as names have tighter limits of their own.
   */
  readonly graphqlMaxStringLength: number;
  /** Serve the GraphQL landing page / introspection. */
  readonly graphqlIntrospection: boolean;
  /**
   * Failed logins allowed within the window per (organization, e-mail, client
   * IP) and per client IP across accounts (see LoginLimiter, docs/rules.md).
   */
  readonly loginMaxFailuresPerAccount: number;
  readonly loginMaxFailuresPerIp: number;
  readonly loginFailureWindowSeconds: number;
  /**
   * Failed logins per account from all clients within the window before each
   * further attempt waits a delay that doubles up to loginAccountMaxDelaySeconds
   * (a distributed attack slows down; the account is never locked for long).
   */
  readonly loginAccountFailuresBeforeDelay: number;
  readonly loginAccountMaxDelaySeconds: number;
  /** Public sign-up (`signUp`) open; false answers FORBIDDEN. */
  readonly signupEnabled: boolean;
  /**
   * Which proxies in front of the API are trusted to name the client
   * (X-Forwarded-For): `false` (none, the default: the socket's address is the
   * client), a hop count, or addresses/subnets/`loopback`/`uniquelocal`
   * (Express's "trust proxy"). Rate limits key on the client this yields.
   */
  readonly trustProxy: boolean | number | string[];
  /** Sign-ups allowed per client IP within the window. */
  readonly signupMaxPerIp: number;
  readonly signupWindowSeconds: number;
  /** Lowest zxcvbn score (0-4) a new password must reach. */
  readonly passwordMinScore: number;
  /** Organizations whose authorization enforcer stays cached (about 9 KB each). */
  readonly authzCacheOrganizations: number;
  /** Send `x-sql-statements` (statements run for the request) on GraphQL responses: for tests and benchmarks. */
  readonly exposeSqlCount: boolean;
  /**
   * GraphQL requests one API process works on at once (started less than
   * `graphqlActiveMs` ago); more wait in line (see core/graphql/admission.ts).
   * Default 2: one runs JavaScript while the other waits for PostgreSQL.
   */
  readonly graphqlMaxActive: number;
  /** Milliseconds after which an unfinished request is taken to be waiting and stops holding an active place. */
  readonly graphqlActiveMs: number;
  /**
   * GraphQL requests one API process executes at once, active or waiting: a
   * bound on memory. Default: 16 divided among API_PROCESSES.
   */
  readonly graphqlMaxInFlight: number;
  /** GraphQL requests allowed to wait; more are answered 503 with Retry-After. */
  readonly graphqlMaxQueued: number;
  /** API processes `node dist/src/main.js` (or `cli.js api`) runs on one port (node:cluster); 1 = no cluster. */
  readonly apiProcesses: number;
  /**
   * Run the hot fixed-shape reads as named prepared statements (see
   * core/database/sql-reader.ts); off behind a transaction-mode pooler.
   */
  readonly databasePreparedStatements: boolean;
  /** Connections of each process's PostgreSQL pool. */
  readonly databasePoolSize: number;
  /**
   * Seconds an unused pooled connection stays open; 0 keeps it. Short times
   * close connections between bursts, and the next burst pays for new ones
   * (connecting, then each session's first plans) exactly when it is busiest.
   */
  readonly databasePoolIdleSeconds: number;
  /**
   * Seconds to open a PostgreSQL connection or wait for a pooled
   * one before the request fails (fast while the database is down).
   */
  readonly databaseConnectTimeoutSeconds: number;
  /** Seconds a stop (SIGTERM, SIGINT) may take; what is unfinished then is abandoned, named in the log. */
  readonly shutdownGraceSeconds: number;
  /**
   * GraphQL subscriptions (graphql-ws at /graphql, core/realtime/subscription-server.ts): open sockets one API
   * process accepts, and sockets one employee or API key may hold over all API processes (leases in Redis or
   * PostgreSQL); more are closed at once (close codes 4103 and 4102).
   */
  readonly subscriptionsMaxConnections: number;
  readonly subscriptionsMaxConnectionsPerPrincipal: number;
  /** Subscriptions one socket may run at once; more are refused with BAD_USER_INPUT. */
  readonly subscriptionsMaxPerConnection: number;
  /** Seconds between WebSocket pings; a socket that does not answer one within as long is terminated. */
  readonly subscriptionsKeepAliveSeconds: number;
  /** Seconds a new socket has to send connection_init (close code 4408 after). */
  readonly subscriptionsInitTimeoutSeconds: number;
  /**
   * A slow consumer: once this many bytes wait in a socket's send buffer, or this many events wait to be
   * resolved for one subscription, further events are dropped and the socket is closed (4104). Memory per
   * socket stays bounded however slow the client.
   */
  readonly subscriptionsMaxBufferedBytes: number;
  readonly subscriptionsMaxQueuedEvents: number;
  /**
   * Lines of an NDJSON chat import (POST /chat/messages/import) staged and merged together while the next are
   * read: larger slices merge fewer times, each slice is held in memory (twice at most) while it waits.
   */
  readonly chatImportSliceLines: number;
  /**
   * Seconds an HTTP request may take to arrive whole (headers and body), per route: a history import's body
   * (POST /chat/messages/import) is read only as fast as it is stored, so it has its own, longer limit; every
   * other request has httpRequestTimeoutSeconds (Node's default, 300). 0: no limit.
   */
  readonly chatImportTimeoutSeconds: number;
  readonly httpRequestTimeoutSeconds: number;
  /** Seconds between re-checks of each socket's session or API key (besides the immediate one on revocation). */
  readonly subscriptionsRecheckSeconds: number;
  /**
   * Seconds a socket's lease (its place in SUBSCRIPTIONS_MAX_CONNECTIONS_PER_PRINCIPAL across processes) lives
   * without its process's heartbeat (every third of it): a crashed API process's sockets free their places
   * within this long.
   */
  readonly subscriptionsLeaseSeconds: number;
  /**
   * Seconds a new socket whose employee or API key already holds all its places waits for one of them to close
   * before it is refused (4102): a reloaded page's new socket often arrives before the server has seen its old
   * one close. 0 refuses at once.
   */
  readonly subscriptionsLimitGraceSeconds: number;

  private constructor(values: Omit<AppConfig, never>) {
    Object.assign(this, values);
  }

  /** Builds and validates the configuration; throws ConfigError listing every problem. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const problems: string[] = [];
    const int = (name: string, fallback: number, min: number, max: number): number => {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
        return fallback;
      }
      return n;
    };
    const bool = (name: string, fallback: boolean): boolean => {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      problems.push(`${name} must be true or false (got "${raw}")`);
      return fallback;
    };
    const url = (name: string, protocols: string[]): string | undefined => {
      const raw = env[name];
      if (raw === undefined || raw === '') return undefined;
      try {
        const u = new URL(raw);
        if (!protocols.includes(u.protocol)) {
          problems.push(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`);
        }
      } catch {
        problems.push(`${name} is not a valid URL`);
      }
      return raw;
    };

    const port = int('PORT', 3000, 0, 65535);
    const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
    const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
    const dataDir = resolve(env.DATA_DIR || './.data');
    const logLevelRaw = (env.LOG_LEVEL || 'info').toLowerCase();
    const logLevel = LOG_LEVELS.includes(logLevelRaw as LogLevel) ? (logLevelRaw as LogLevel) : 'info';
    if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) {
      problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
    }
    let jwtSecret = env.JWT_SECRET ?? '';
    if (jwtSecret && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
    const apiProcesses = int('API_PROCESSES', 1, 1, 64);
    const trustProxy = ((): boolean | number | string[] => {
      const raw = (env.TRUST_PROXY ?? '').trim();
      if (raw === '' || /^(0|false|no|off)$/i.test(raw)) return false;
      if (/^\d+$/.test(raw)) return Number(raw);
      const entries = raw.split(',').map((x) => x.trim()).filter(Boolean);
      const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
      const bad = entries.filter((x) => !named.has(x) && !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x));
      if (/^(1|true|yes|on)$/i.test(raw) || bad.length) {
        problems.push(
          `TRUST_PROXY must be false, a hop count, or addresses/subnets/loopback/uniquelocal (got "${raw}"): ` +
            'trusting every proxy would let any client choose its own address',
        );
        return false;
      }
      return entries;
    })();
    const values = {
      port,
      databaseUrl,
      redisUrl,
      dataDir,
      jwtSecret,
      logLevel,
      seedDemo: bool('SEED_DEMO', true),
      consoleDir: resolve(env.CONSOLE_DIR || './admin-ui/dist'),
      sessionTtlSeconds: int('SESSION_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
      queuePrefix: env.QUEUE_PREFIX || 'wecrm',
      graphqlMaxDepth: int('GRAPHQL_MAX_DEPTH', 12, 3, 100),
      graphqlMaxComplexity: int('GRAPHQL_MAX_COMPLEXITY', 50000, 100, 10_000_000),
      graphqlMaxAliases: int('GRAPHQL_MAX_ALIASES', 30, 1, 10_000),
      graphqlMaxDirectives: int('GRAPHQL_MAX_DIRECTIVES', 25, 1, 10_000),
      // Validation of duplicated fields grows with the square of the document: 1,000 tokens keep it near 10 ms.
      graphqlMaxTokens: int('GRAPHQL_MAX_TOKENS', 1000, 100, 1_000_000),
      graphqlMaxBodyBytes: int('GRAPHQL_MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
      graphqlIntrospection: bool('GRAPHQL_INTROSPECTION', true),
      graphqlMaxStringLength: int('GRAPHQL_MAX_STRING_LENGTH', 10_000, 100, 10_000_000),
      loginMaxFailuresPerAccount: int('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      loginMaxFailuresPerIp: int('LOGIN_MAX_FAILURES_PER_IP', 30, 1, 100000),
      loginFailureWindowSeconds: int('LOGIN_FAILURE_WINDOW_SECONDS', 900, 1, 86400),
      loginAccountFailuresBeforeDelay: int('LOGIN_ACCOUNT_FAILURES_BEFORE_DELAY', 20, 1, 100000),
      loginAccountMaxDelaySeconds: int('LOGIN_ACCOUNT_MAX_DELAY_SECONDS', 60, 1, 3600),
      signupEnabled: bool('SIGNUP_ENABLED', true),
      trustProxy,
      signupMaxPerIp: int('SIGNUP_MAX_PER_IP', 10, 1, 1_000_000),
      signupWindowSeconds: int('SIGNUP_WINDOW_SECONDS', 3600, 1, 7 * 86400),
      passwordMinScore: int('PASSWORD_MIN_SCORE', 3, 0, 4),
      exposeSqlCount: bool('EXPOSE_SQL_COUNT', false),
      apiProcesses,
      // Per process: its one thread works best on two requests at a time (bench/RESULTS.md).
      graphqlMaxActive: int('GRAPHQL_MAX_ACTIVE', 2, 1, 10_000),
      graphqlActiveMs: int('GRAPHQL_ACTIVE_MS', 50, 1, 60_000),
      // The default is for the machine: 16 shared among the API processes (more at once only queue in PostgreSQL).
      graphqlMaxInFlight: int('GRAPHQL_MAX_IN_FLIGHT', Math.ceil(MACHINE_MAX_IN_FLIGHT / apiProcesses), 1, 10_000),
      graphqlMaxQueued: int('GRAPHQL_MAX_QUEUED', 2000, 0, 1_000_000),
      databasePreparedStatements: bool('DATABASE_PREPARED_STATEMENTS', true),
      databasePoolSize: int('DATABASE_POOL_SIZE', POOL_DEFAULTS.size, 1, 1000),
      databasePoolIdleSeconds: int('DATABASE_POOL_IDLE_SECONDS', POOL_DEFAULTS.idleSeconds, 0, 86400),
      databaseConnectTimeoutSeconds: int(
        'DATABASE_CONNECT_TIMEOUT_SECONDS',
        POOL_DEFAULTS.connectTimeoutSeconds,
        1,
        600,
      ),
      shutdownGraceSeconds: int('SHUTDOWN_GRACE_SECONDS', 20, 2, 3600),
      subscriptionsMaxConnections: int('SUBSCRIPTIONS_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
      subscriptionsMaxConnectionsPerPrincipal: int('SUBSCRIPTIONS_MAX_CONNECTIONS_PER_PRINCIPAL', 5, 1, 100_000),
      subscriptionsMaxPerConnection: int('SUBSCRIPTIONS_MAX_PER_CONNECTION', 20, 1, 1000),
      subscriptionsKeepAliveSeconds: int('SUBSCRIPTIONS_KEEPALIVE_SECONDS', 15, 1, 3600),
      subscriptionsInitTimeoutSeconds: int('SUBSCRIPTIONS_INIT_TIMEOUT_SECONDS', 5, 1, 600),
      subscriptionsMaxBufferedBytes: int('SUBSCRIPTIONS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
      subscriptionsMaxQueuedEvents: int('SUBSCRIPTIONS_MAX_QUEUED_EVENTS', 100, 1, 100_000),
      chatImportSliceLines: int('CHAT_IMPORT_SLICE_LINES', 50_000, 1, 1_000_000),
      // An hour: 20 million messages at the bulk path's target of 20,000 a second (and history files are split anyway).
      chatImportTimeoutSeconds: int('CHAT_IMPORT_TIMEOUT_SECONDS', 3600, 0, 7 * 86_400),
      httpRequestTimeoutSeconds: int('HTTP_REQUEST_TIMEOUT_SECONDS', 300, 0, 86_400),
      subscriptionsRecheckSeconds: int('SUBSCRIPTIONS_RECHECK_SECONDS', 60, 1, 86_400),
      subscriptionsLeaseSeconds: int('SUBSCRIPTIONS_LEASE_SECONDS', 30, 3, 3600),
      subscriptionsLimitGraceSeconds: int('SUBSCRIPTIONS_LIMIT_GRACE_SECONDS', 3, 0, 60),
      authzCacheOrganizations: int('AUTHZ_CACHE_ORGANIZATIONS', 10000, 10, 1_000_000),
    };
    if (!/^[a-z0-9_-]{1,32}$/i.test(values.queuePrefix))
      problems.push('QUEUE_PREFIX must be 1-32 letters, digits, - or _');
    if (problems.length) throw new ConfigError(problems);
    if (!jwtSecret) jwtSecret = AppConfig.loadOrCreateSecret(dataDir);
    return new AppConfig({ ...values, jwtSecret });
  }

  /** Keeps a generated signing secret in DATA_DIR so sessions survive restarts. */
  private static loadOrCreateSecret(dataDir: string): string {
    const file = join(dataDir, 'jwt-secret');
    if (existsSync(file)) {
      const secret = readFileSync(file, 'utf8').trim();
      if (secret.length >= 32) return secret;
    }
    const secret = randomBytes(48).toString('base64url');
    try {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, secret + '\n', { mode: 0o600 });
    } catch (e) {
      const user = userInfo().username;
      throw new ConfigError([
        `DATA_DIR (${dataDir}) is not writable by user ${user} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ` +
          'set DATA_DIR to a writable directory (or JWT_SECRET, so that no secret needs to be kept there)',
      ]);
    }
    return secret;
  }

  /** Used by tests and tools to build a configuration from explicit values. */
  static of(overrides: Record<string, string | undefined>): AppConfig {
    return AppConfig.fromEnv({ ...overrides });
  }
}
