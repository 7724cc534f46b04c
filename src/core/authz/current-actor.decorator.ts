import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from 'src/core/errors/app-error';
import { GqlContext } from 'src/core/graphql/gql-context';
import { Actor } from './actor';

/** The authenticated caller of a GraphQL operation (the guard has already checked it). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const ctx = GqlExecutionContext.create(context).getContext<GqlContext>();
  if (!ctx.actor) throw ctx.authError ?? AppError.unauthenticated();
  return ctx.actor;
});

/** The GraphQL context, for resolvers that need request-scoped loaders. */
export const Ctx = createParamDecorator(
  (_: unknown, context: ExecutionContext): GqlContext => GqlExecutionContext.create(context).getContext<GqlContext>(),
);
