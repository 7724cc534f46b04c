import { JsonLogger } from 'src/core/logging/json-logger';
import { OrgFixture, PASSWORD, signUpOrg } from 'test/helpers/fixtures';
import { startTestApp, TestApp } from 'test/helpers/test-app';

type LogLine = Record<string, unknown>;

/**
 * Logs under attack (the server's own log, captured in-process): a client's
 * errors are one line per request at info or warn without a stack, whatever
 * the number of field errors; a server fault is one line at error with its
 * stack and the correlation id the client was given; tokens, passwords and
 * variables' values never appear.
 */
describe('security: logs', () => {
  let t: TestApp;
  let org: OrgFixture;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const logger = new JsonLogger('info', (line) => lines.push(JSON.parse(line) as LogLine));
    // Limits raised so that 1,000 aliases reach execution and fail field by field.
    t = await startTestApp({ GRAPHQL_MAX_ALIASES: '1000', GRAPHQL_MAX_TOKENS: '10000' }, { logger });
    org = await signUpOrg(t);
  });
  afterAll(() => t.close());

  /** Sends one request under a known request id; returns its body and the log lines it wrote. */
  async function request(requestId: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: Array<{ extensions: { code: string; correlationId?: string } }> };
    return { body, logged: lines.filter((l) => l.requestId === requestId) };
  }

  it('logs an unauthenticated request with 1,000 aliases once, at info, without a stack', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: organization { id }`).join(' ');
    const { body, logged } = await request('aliases-1000', `query Aliases { ${aliases} }`);
    // Every alias ran and failed; graphql-js reports the first (the root fields are non-null).
    const codes = body.errors?.map((e) => e.extensions.code) ?? [];
    expect(codes.length > 0 && codes.every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    // Before: 1,000 lines at error, each with a stack ("ExceptionsHandler").
    expect(logged).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        context: 'GraphQL',
        requestId: 'aliases-1000',
        msg: 'GraphQL request answered with client errors',
        operation: 'Aliases',
        errors: codes.length,
        codes: { UNAUTHENTICATED: codes.length },
      },
    ]);
  });

  it('logs a request refused by a query limit once, at warn, naming the limit', async () => {
    const deep = 'parent { '.repeat(13) + 'id' + ' }'.repeat(13);
    const { body, logged } = await request('too-deep', `query Deep { departments { ${deep} } }`, {}, org.adminToken);
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'GraphQL request refused by query limits',
        operation: 'Deep',
        errors: 1,
        codes: { BAD_USER_INPUT: 1 },
        limits: ['depth'],
      }),
    ]);
    expect(logged[0]).not.toHaveProperty('stack');
  });

  it('logs a wrong password and a bad variable once each, without the password, the token or the value', async () => {
    const secret = 'S3cret-Value-Nobody-Should-Log';
    const login = await request(
      'wrong-password',
      'mutation Login($input: LoginInput!) { login(input: $input) { token } }',
      { input: { slug: org.slug, email: `admin@${org.slug}.test`, password: secret } },
    );
    const page = 'query Page($n: Int!) { employees(first: $n) { edges { cursor } } }';
    const coercion = await request('bad-variable', page, { n: secret }, org.adminToken);
    expect([login.body.errors?.length, coercion.body.errors?.[0]?.extensions.code]).toEqual([1, 'BAD_USER_INPUT']);
    expect([login.logged.length, coercion.logged.length]).toEqual([1, 1]);
    const everything = JSON.stringify(lines);
    const leaked = [secret, PASSWORD, org.adminToken].filter((s) => everything.includes(s));
    expect(leaked).toEqual([]);
  });

  it('logs a server fault once, at error, with its stack and the correlation id the client was given', async () => {
    // A real fault: the table behind tagGroups is gone (this file's own database; restored below).
    await t.db.query(`ALTER TABLE tag_groups RENAME TO tag_groups_gone`);
    try {
      const { body, logged } = await request('fault-1', 'query Tags { tagGroups { id } }', {}, org.adminToken);
      const given = body.errors?.map((e) => e.extensions);
      expect(given).toEqual([{ code: 'INTERNAL_SERVER_ERROR', correlationId: 'fault-1' }]);
      // Before: two lines with the stack (Nest's "ExceptionsHandler", then the formatter).
      expect(logged).toEqual([
        expect.objectContaining({
          level: 'error',
          msg: 'GraphQL server fault',
          correlationId: 'fault-1',
          operation: 'Tags',
          path: ['tagGroups'],
          fields: 1,
          error: 'relation "tag_groups" does not exist',
          // The statement that failed rides on the fault's line, without its parameters.
          failedStatements: [
            { error: 'relation "tag_groups" does not exist', query: expect.stringMatching(/FROM "tag_groups"/) },
          ],
          stack: expect.stringContaining('\n    at '),
        }),
      ]);
    } finally {
      await t.db.query(`ALTER TABLE tag_groups_gone RENAME TO tag_groups`);
    }
  });
});
