import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Logger, Module, ModuleMetadata } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { AppConfig } from 'src/core/config/app-config';
import { requestContext } from 'src/core/context/request-context';
import { AppError } from 'src/core/errors/app-error';
import { PRINCIPAL_RESOLVER, PrincipalResolver } from 'src/core/authz/principal-resolver';
import { AuthzService } from 'src/core/authz/authz.service';
import { Actor } from 'src/core/authz/actor';
import { DirectFieldResolvers } from './direct-fields';
import { errorLogPlugin } from './error-log.plugin';
import { formatError } from './format-error';
import { GqlContext } from './gql-context';
import { GraphqlExceptionFilter } from './graphql-exception.filter';
import { queryLimitPlugins, queryLimitRules, sqlCountPlugin } from './query-limits.plugin';
import { responseStatusPlugin } from './response-status.plugin';
import { ScopedTypes } from './scoped-types';
import { inputTextPlugin } from './input-text.plugin';
import { landingPagePlugin } from './landing-page.plugin';
import { DateTimeScalar } from './scalars';
import { unavailableError, unavailablePlugin } from './unavailable.plugin';
import { unavailableService } from 'src/core/errors/service-unavailable';

let schemaHost: GraphQLSchemaHost | undefined;
export function setSchemaHost(host: GraphQLSchemaHost): void {
  schemaHost = host;
}

/** Client address: the socket's, or the first X-Forwarded-For hop when the proxy is trusted by express. */
export function clientIp(req: Request | undefined): string {
  return (req?.ip ?? req?.socket?.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/**
 * A GraphQL context for one operation (an HTTP request, or one event of a subscription: each gets its own,
 * so loaders and permission answers never outlive it). `can` asks each permission once per context.
 */
export function newGqlContext(
  authz: AuthzService,
  base: { req?: Request; requestId: string; ip: string },
  actor: Actor | null,
): GqlContext {
  // One entry per permission asked: the pending answer, and its value once it has arrived.
  const asked = new Map<string, { answer: Promise<boolean>; value?: boolean }>();
  const ctx: GqlContext = {
    ...base,
    actor,
    loaders: new Map(),
    can(resource: string, action: string) {
      const key = `${resource}:${action}`;
      const earlier = asked.get(key);
      if (earlier) return earlier.answer;
      const entry: { answer: Promise<boolean>; value?: boolean } = {
        answer: ctx.actor ? authz.can(ctx.actor, resource, action) : Promise.resolve(false),
      };
      asked.set(key, entry);
      // Before any caller's await resumes (callbacks run in the order attached).
      entry.answer.then((v) => (entry.value = v)).catch(() => undefined);
      return entry.answer;
    },
    known: (resource: string, action: string) => asked.get(`${resource}:${action}`)?.value,
  };
  return ctx;
}

/** Apollo's own messages (a plugin that failed, a server that did not start) go to the JSON log too. */
const apolloLog = new Logger('Apollo');
const apolloLogger: ApolloDriverConfig['logger'] = {
  debug: (m: unknown) => apolloLog.debug(String(m)),
  info: (m: unknown) => apolloLog.log(String(m)),
  warn: (m: unknown) => apolloLog.warn(String(m)),
  error: (m: unknown) => apolloLog.error(String(m)),
};

@Module({ providers: [{ provide: APP_FILTER, useClass: GraphqlExceptionFilter }] })
class GraphqlErrorsModule {}

/**
 * The GraphQL server: code-first schema, Apollo Server 5 on express, contract
 * error codes, query limits, GraphQL-over-HTTP status codes, one log line per
 * request's errors, and a context that carries the caller.
 */
export function graphqlModule(imports: ModuleMetadata['imports']): DynamicModule {
  return { module: GraphqlErrorsModule, imports: [apolloModule(imports)] };
}

function apolloModule(imports: ModuleMetadata['imports']): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    imports,
    inject: [AppConfig, PRINCIPAL_RESOLVER, AuthzService, DirectFieldResolvers, ScopedTypes],
    useFactory: (
      config: AppConfig,
      principals: PrincipalResolver,
      authz: AuthzService,
      direct: DirectFieldResolvers,
      scoped: ScopedTypes,
    ): ApolloDriverConfig => ({
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      playground: false,
      introspection: config.graphqlIntrospection,
      buildSchemaOptions: { dateScalarMode: 'isoDate', scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
      // Scope checks wrap the direct resolvers too (docs/rules.md, "What a colleague outside your scope sees").
      transformSchema: (schema) => scoped.install(direct.install(schema)),
      includeStacktraceInErrorResponses: false,
      // Without introspection, "Did you mean …?" in validation errors would spell the schema out.
      hideSchemaDetailsFromClientErrors: !config.graphqlIntrospection,
      formatError,
      logger: apolloLogger,
      // Stays on: a POST needs a non-simple content type or a preflight header: no cross-site form runs an operation.
      csrfPrevention: true,
      ...queryLimitRules(config),
      plugins: [
        // No HTTP caching of GraphQL responses here; disabling it also spares every field a resolver wrapper.
        ApolloServerPluginCacheControlDisabled(),
        // A browser at /graphql is pointed to the console's explorer;
        // with introspection off (production) no page at all.
        config.graphqlIntrospection ? landingPagePlugin() : ApolloServerPluginLandingPageDisabled(),
        ...queryLimitPlugins(config, () => schemaHost!.schema),
        responseStatusPlugin(),
        errorLogPlugin(),
        inputTextPlugin(() => schemaHost!.schema, config.graphqlMaxStringLength),
        ...(config.exposeSqlCount ? [sqlCountPlugin()] : []),
        unavailablePlugin(),
      ],
      context: async ({ req }: { req: Request }): Promise<GqlContext> => {
        const ctx = newGqlContext(
          authz,
          { req, requestId: requestContext.get()?.requestId ?? randomUUID(), ip: clientIp(req) },
          null,
        );
        try {
          ctx.actor = await principals.resolve(req.headers.authorization);
          if (ctx.actor) requestContext.assign({ orgId: ctx.actor.orgId, actorId: ctx.actor.subject });
        } catch (e) {
          if (e instanceof AppError) ctx.authError = e;
          else if (unavailableService(e)) throw unavailableError(e);
          else throw e;
        }
        return ctx;
      },
    }),
  });
}
