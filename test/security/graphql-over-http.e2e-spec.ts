import { serverAudits } from 'graphql-http';
import { startTestApp, TestApp } from 'test/helpers/test-app';

/**
 * GraphQL over HTTP (https://graphql.github.io/graphql-over-http/): the spec's
 * own audit suite must pass every MUST and SHOULD, and every malformed request a
 * client can send is answered with the spec's status and a GraphQL-shaped body
 * ({"errors":[{"message","extensions":{"code"}}]}), never an internal error.
 */
describe('security: GraphQL over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('graphql-http serverAudits', () => {
    // The list is fixed (it does not depend on the server); the URL is read when each audit runs.
    const audits = serverAudits({ url: () => `${t.url}/graphql` }).filter((a) => !a.name.startsWith('MAY'));
    it.each(audits.map((a) => [a.name, a] as const))('%s', async (_name, audit) => {
      const result = await audit.fn();
      expect({ status: result.status, reason: 'reason' in result ? result.reason : undefined }).toEqual({
        status: 'ok',
        reason: undefined,
      });
    });
  });

  const JSON_TYPE = 'application/json';
  const GRAPHQL_RESPONSE = 'application/graphql-response+json';
  const post = (body: unknown, accept = JSON_TYPE) => ({
    method: 'POST',
    headers: { 'content-type': JSON_TYPE, accept },
    body: JSON.stringify(body),
  });

  /** Sends a raw request; the answer must be GraphQL-shaped JSON whatever went wrong. */
  async function send(init: RequestInit, query = ''): Promise<{ status: number; type: string | null; body: unknown }> {
    const res = await fetch(`${t.url}/graphql${query}`, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Left as text: the assertion below shows it.
    }
    return { status: res.status, type: res.headers.get('content-type'), body };
  }

  const CLIENT_ERROR = { code: 'BAD_USER_INPUT' };
  const refusal = (status: number, message: RegExp, type = JSON_TYPE) => ({
    status,
    type: `${type}; charset=utf-8`,
    body: { errors: [expect.objectContaining({ message: expect.stringMatching(message), extensions: CLIENT_ERROR })] },
  });

  const COERCION = { query: 'query($n: Int!) { employees(first: $n) { edges { cursor } } }', variables: { n: 'ten' } };
  const TYPENAME = '{"query":"{ __typename }"}';
  const GET_MUTATION = `?query=${encodeURIComponent('mutation { __typename }')}`;
  const cases: Array<[string, () => Promise<unknown>, ReturnType<typeof refusal>]> = [
    [
      'several operations and no operationName (application/json: 200)',
      () => send(post({ query: 'query A { __typename } query B { __typename }' })),
      refusal(200, /Must provide operation name/),
    ],
    [
      'several operations and no operationName (graphql-response+json: 400)',
      () => send(post({ query: 'query A { __typename } query B { __typename }' }, GRAPHQL_RESPONSE)),
      refusal(400, /Must provide operation name/, GRAPHQL_RESPONSE),
    ],
    [
      'an operationName the document does not define',
      () => send(post({ query: 'query A { __typename }', operationName: 'B' }, GRAPHQL_RESPONSE)),
      refusal(400, /Unknown operation named "B"/, GRAPHQL_RESPONSE),
    ],
    [
      'a variable that fails coercion (application/json: 200)',
      () => send(post(COERCION)),
      refusal(200, /Variable "\$n" got invalid value/),
    ],
    [
      'a variable that fails coercion (graphql-response+json: 400)',
      () => send(post(COERCION, GRAPHQL_RESPONSE)),
      refusal(400, /Variable "\$n" got invalid value/, GRAPHQL_RESPONSE),
    ],
    [
      'a body over GRAPHQL_MAX_BODY_BYTES (1 MiB)',
      () => send(post({ query: '{ __typename }', variables: { x: 'a'.repeat(1024 * 1024) } })),
      refusal(413, /^Request body is larger than the limit of 1048576 bytes$/),
    ],
    [
      'a body that is not JSON',
      () => send({ method: 'POST', headers: { 'content-type': JSON_TYPE }, body: '{"query": ' }),
      refusal(400, /^Request body is not valid JSON$/),
    ],
    [
      'a body in a charset other than UTF-8',
      () => send({ method: 'POST', headers: { 'content-type': `${JSON_TYPE}; charset=latin1` }, body: TYPENAME }),
      refusal(415, /UTF-8/),
    ],
    [
      'a form post (text/plain, what a cross-site form sends)',
      () => send({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: TYPENAME }),
      refusal(415, /Content-Type: application\/json/),
    ],
    [
      'a POST without a content type',
      () => send({ method: 'POST', body: TYPENAME }),
      refusal(415, /Content-Type: application\/json/),
    ],
    [
      'a PUT',
      () => send({ method: 'PUT', headers: { 'content-type': JSON_TYPE }, body: TYPENAME }),
      refusal(405, /only GET\/POST/),
    ],
    [
      'a mutation over GET',
      () => send({ headers: { 'apollo-require-preflight': 'true' } }, GET_MUTATION),
      refusal(405, /GET requests only support query operations/),
    ],
    [
      'a GET without a CSRF-preflight header (csrfPrevention stays on)',
      () => send({}, `?query=${encodeURIComponent('{ __typename }')}`),
      refusal(400, /Cross-Site Request Forgery/),
    ],
    [
      'an Accept header with no JSON type',
      () => send(post({ query: '{ __typename }' }, 'application/xml')),
      refusal(406, /accept/),
    ],
    ['a batch (an array body)', () => send(post([{ query: '{ __typename }' }])), refusal(400, /batching/i)],
    ['a query that is not a string', () => send(post({ query: { kind: 'Document' } })), refusal(400, /strings/)],
    ['no query at all', () => send(post({ variables: {} })), refusal(400, /non-empty `query`/)],
    ['variables that are not a map', () => send(post({ query: '{ a }', variables: [1] })), refusal(400, /variables/)],
  ];

  it.each(cases)('answers %s with its status and a GraphQL error', async (_name, request, expected) => {
    expect(await request()).toEqual(expected);
  });
});
