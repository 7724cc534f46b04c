import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import {
  unavailableService,
  UNAVAILABLE_MESSAGE,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from 'src/core/errors/service-unavailable';

/**
 * While the database (or Redis) is down, a response with no data is HTTP 503
 * with Retry-After rather than 200 or 500: load balancers and clients then
 * know to retry. The errors keep the contract's shape (formatError gives them
 * code INTERNAL_SERVER_ERROR and a message that says to retry). A response
 * with data stays 200, as GraphQL over HTTP asks.
 */
export function unavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let unavailable = false;
      return {
        async didEncounterErrors({ errors }) {
          unavailable ||= errors.some((e) => unavailableService(e) !== undefined);
        },
        async willSendResponse({ response }) {
          if (!unavailable || response.body.kind !== 'single' || response.body.singleResult.data) return;
          // After @nestjs/apollo's own willSendResponse, which sets 200 on every response with a `data` key
          // (preserveHttpStatusForExecutionErrors); Apollo awaits all of them together.
          await Promise.resolve();
          response.http.status = 503;
          response.http.headers.set('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

/**
 * For a failure before execution (building the request's context, where the
 * caller's session is read): the same 503, carried by the error itself.
 */
export function unavailableError(cause: unknown): GraphQLError {
  return new GraphQLError(UNAVAILABLE_MESSAGE, {
    originalError: cause instanceof Error ? cause : undefined,
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      http: { status: 503, headers: new HeaderMap([['retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS)]]) },
    },
  });
}
