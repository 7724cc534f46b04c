import { ApolloServerPlugin } from '@apollo/server';
import { GqlContext } from './gql-context';

/**
 * Apollo's codes for a document that does not parse, does not validate, names
 * no runnable operation, or whose variables do not coerce; BAD_USER_INPUT is
 * also the code of the query limits' refusals.
 */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_USER_INPUT',
]);

/**
 * GraphQL over HTTP, for a well-formed request whose document does not parse,
 * does not validate (including the query limits), names no runnable operation
 * or has variables that do not coerce. Apollo answers 400 whatever the client
 * accepts; the spec asks for 400 with application/graphql-response+json but
 * 200 with application/json, the media type of clients older than the spec,
 * which cannot tell a 4xx from a proxy's error page. The body is the same.
 */
export function responseStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, errors }) {
          const body = response.body;
          if (body.kind !== 'single' || 'data' in body.singleResult || response.http.status !== 400) return;
          // Not a GraphQL request error but a malformed HTTP request (no query, a wrong parameter): 400 stays.
          if (!errors?.length || !errors.every((e) => REQUEST_ERROR_CODES.has(e.extensions?.code as string))) return;
          // Apollo negotiates alike (application/json first on a tie) after this hook: set the type so both agree.
          const req = (contextValue as Partial<GqlContext>).req;
          if (req?.accepts(['application/json', 'application/graphql-response+json']) !== 'application/json') return;
          response.http.status = 200;
          response.http.headers.set('content-type', 'application/json; charset=utf-8');
        },
      };
    },
  };
}
