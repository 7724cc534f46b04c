import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, ModuleMetadata } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { AppConfig } from '../config/app-config';
import { requestContext } from '../context/request-context';
import { AppError } from '../errors/app-error';
import { PRINCIPAL_RESOLVER, PrincipalResolver } from '../authz/principal-resolver';
import { AuthzService } from '../authz/authz.service';
import { DirectFieldResolvers } from './direct-fields';
import { formatError } from './format-error';
import { GqlContext } from './gql-context';
import { queryLimitsPlugin, sqlCountPlugin } from './query-limits.plugin';
import { unavailableError, unavailablePlugin } from './unavailable.plugin';
import { unavailableService } from '../errors/service-unavailable';

let schemaHost: GraphQLSchemaHost | undefined;
export function setSchemaHost(host: GraphQLSchemaHost): void {
  schemaHost = host;
}

/** Client address: the socket's, or the first X-Forwarded-For hop when the proxy is trusted by express. */
export function clientIp(req: Request | undefined): string {
  return (req?.ip ?? req?.socket?.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/**
 * The GraphQL server: code-first schema, Apollo Server 5 on express, contract
 * error codes, query depth/cost limits, and a context that carries the caller.
 */
export function graphqlModule(imports: ModuleMetadata['imports']): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    imports,
    inject: [AppConfig, PRINCIPAL_RESOLVER, AuthzService, DirectFieldResolvers],
    useFactory: (config: AppConfig, principals: PrincipalResolver, authz: AuthzService, direct: DirectFieldResolvers): ApolloDriverConfig => ({
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      playground: false,
      introspection: config.graphqlIntrospection,
      buildSchemaOptions: { dateScalarMode: 'isoDate' },
      transformSchema: (schema) => direct.install(schema),
      includeStacktraceInErrorResponses: false,
      formatError,
      plugins: [
        // No HTTP caching of GraphQL responses here; disabling it also spares every field a resolver wrapper.
        ApolloServerPluginCacheControlDisabled(),
        // The sandbox page needs introspection; without it there is no page (not Apollo's default, which loads from its CDN).
        config.graphqlIntrospection ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
        queryLimitsPlugin(() => schemaHost!.schema, config.graphqlMaxDepth, config.graphqlMaxComplexity),
        ...(config.exposeSqlCount ? [sqlCountPlugin()] : []),
        unavailablePlugin(),
      ],
      context: async ({ req }: { req: Request }): Promise<GqlContext> => {
        // One entry per permission asked: the pending answer, and its value once it has arrived.
        const asked = new Map<string, { answer: Promise<boolean>; value?: boolean }>();
        const ctx: GqlContext = {
          req,
          requestId: requestContext.get()?.requestId ?? randomUUID(),
          ip: clientIp(req),
          actor: null,
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
