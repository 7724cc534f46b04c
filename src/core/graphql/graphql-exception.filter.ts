import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlContextType } from '@nestjs/graphql';

/**
 * Hands errors thrown by resolvers, guards and pipes back to GraphQL as they
 * are. Without a filter Nest logs every one at error with its stack before
 * GraphQL sees it: one unauthenticated request with 1,000 aliases wrote 1,000
 * stack traces. errorLogPlugin logs them instead, once per request, and only
 * faults with a stack. Other contexts (the health controller) keep Nest's
 * default handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() !== 'graphql') return super.catch(exception, host);
    // graphql-js raises an Error a resolver returns; anything else thrown is wrapped so it still fails the field.
    return exception instanceof Error ? exception : new Error(String(exception));
  }
}
