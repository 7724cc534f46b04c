import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError } from './app-config';

describe('AppConfig', () => {
  it('has defaults that need no configuration, and keeps a generated secret in DATA_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const c = AppConfig.fromEnv({ DATA_DIR: dir });
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      redisUrl: undefined,
      logLevel: 'info',
      seedDemo: true,
      databasePoolSize: 20,
      databasePoolIdleSeconds: 600,
    });
    expect(c.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(c.jwtSecret);
    expect(AppConfig.fromEnv({ DATA_DIR: dir }).jwtSecret).toBe(c.jwtSecret);
  });

  it('shares the default GraphQL in-flight limit among the API processes; an explicit limit is per process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(AppConfig.fromEnv({ DATA_DIR: dir }).graphqlMaxInFlight).toBe(16);
    expect(AppConfig.fromEnv({ DATA_DIR: dir, API_PROCESSES: '2' }).graphqlMaxInFlight).toBe(8);
    expect(AppConfig.fromEnv({ DATA_DIR: dir, API_PROCESSES: '3' }).graphqlMaxInFlight).toBe(6);
    expect(AppConfig.fromEnv({ DATA_DIR: dir, API_PROCESSES: '32' }).graphqlMaxInFlight).toBe(1);
    expect(
      AppConfig.fromEnv({ DATA_DIR: dir, API_PROCESSES: '2', GRAPHQL_MAX_IN_FLIGHT: '12' }).graphqlMaxInFlight,
    ).toBe(12);
  });

  it('lets each API process work on two GraphQL requests at once, each for 50 ms before it counts as waiting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(AppConfig.fromEnv({ DATA_DIR: dir })).toMatchObject({ graphqlMaxActive: 2, graphqlActiveMs: 50 });
    expect(AppConfig.fromEnv({ DATA_DIR: dir, API_PROCESSES: '2' })).toMatchObject({
      graphqlMaxActive: 2,
      graphqlActiveMs: 50,
    });
    expect(AppConfig.fromEnv({ DATA_DIR: dir, GRAPHQL_MAX_ACTIVE: '4', GRAPHQL_ACTIVE_MS: '200' })).toMatchObject({
      graphqlMaxActive: 4,
      graphqlActiveMs: 200,
    });
    expect(() => AppConfig.fromEnv({ DATA_DIR: dir, GRAPHQL_MAX_ACTIVE: '0' })).toThrow(
      'GRAPHQL_MAX_ACTIVE must be an integer from 1 to 10000 (got "0")',
    );
  });

  it('lists every problem of an invalid configuration', () => {
    let err: ConfigError | undefined;
    try {
      AppConfig.fromEnv({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: '::',
        LOG_LEVEL: 'loud',
        JWT_SECRET: 'short',
        SEED_DEMO: 'maybe',
        DATABASE_POOL_SIZE: '0',
        DATABASE_POOL_IDLE_SECONDS: '-1',
      });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual([
      'PORT must be an integer from 0 to 65535 (got "eighty")',
      'DATABASE_URL must use postgres: or postgresql: (got mysql:)',
      'REDIS_URL is not a valid URL',
      'LOG_LEVEL must be one of debug, info, warn, error, silent (got "loud")',
      'JWT_SECRET must be at least 32 characters',
      'SEED_DEMO must be true or false (got "maybe")',
      'DATABASE_POOL_SIZE must be an integer from 1 to 1000 (got "0")',
      'DATABASE_POOL_IDLE_SECONDS must be an integer from 0 to 86400 (got "-1")',
    ]);
  });

  it('reads TRUST_PROXY as Express does, and refuses trusting every proxy', () => {
    expect(AppConfig.fromEnv({}).trustProxy).toBe(false);
    expect(AppConfig.fromEnv({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(AppConfig.fromEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    for (const raw of ['true', 'everyone', '10.0.0.0/8; rm']) {
      expect(() => AppConfig.fromEnv({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY must be false, a hop count/);
    }
  });
});
