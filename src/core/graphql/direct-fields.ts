import { Global, Injectable, Module } from '@nestjs/common';
import { GraphQLFieldResolver, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { GqlContext } from './gql-context';

export type DirectResolver<P, A> = (parent: P, args: A, ctx: GqlContext, info: GraphQLResolveInfo) => unknown;

/**
 * Field resolvers that graphql-js calls directly, without Nest's per-call
 * pipeline (parameter decorators, pipes, a chain of promises), for fields
 * resolved once per row of a list: a page of 200 customers with their
 * relations resolves them many hundreds of times, and that pipeline was most
 * of the server's CPU and garbage per list request (bench/RESULTS.md).
 *
 * The field is still declared with `@ResolveField` (its type, arguments and
 * description stay in one place, and the method stays the implementation); the
 * resolver class registers the direct call in its constructor, and the GraphQL
 * module installs the registered calls on the built schema. Nothing is lost:
 * guards, interceptors and filters do not run on field resolvers here
 * (`fieldResolverEnhancers` is empty) and the input pipe has nothing to check
 * on a parent. A field with field middleware must not be registered.
 */
@Injectable()
export class DirectFieldResolvers {
  private readonly entries = new Map<string, DirectResolver<never, never>>();

  register<P, A = Record<string, never>>(type: string, field: string, resolve: DirectResolver<P, A>): void {
    const key = `${type}.${field}`;
    if (this.entries.has(key)) throw new Error(`direct resolver ${key} is registered twice`);
    this.entries.set(key, resolve as DirectResolver<never, never>);
  }

  /** Puts every registered resolver on its field; a name that is not in the schema fails the boot. */
  install(schema: GraphQLSchema): GraphQLSchema {
    for (const [key, resolve] of this.entries) {
      const [typeName, fieldName] = key.split('.');
      const type = schema.getType(typeName);
      const field = type instanceof GraphQLObjectType ? type.getFields()[fieldName] : undefined;
      if (!field) throw new Error(`direct resolver ${key}: the schema has no such field`);
      field.resolve = resolve as unknown as GraphQLFieldResolver<unknown, GqlContext>;
    }
    return schema;
  }
}

@Global()
@Module({ providers: [DirectFieldResolvers], exports: [DirectFieldResolvers] })
export class DirectFieldsModule {}
