import { Global, Injectable, Module } from '@nestjs/common';
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLObjectType,
  GraphQLSchema,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { Path } from 'graphql/jsutils/Path';
import { AppError } from 'src/core/errors/app-error';
import { GqlContext, loader } from './gql-context';

/**
 * How one object type with a data scope is shown: the fields anyone in the
 * organization may read (docs/rules.md, "What a colleague outside your scope
 * sees"), and whether the caller's data scope covers a given object.
 */
export interface ScopeRule<T> {
  publicFields: readonly string[];
  /** Synchronous once the request knows the answer (scopes are asked once per request), so lists stay promise-free. */
  covers(obj: T, ctx: GqlContext): boolean | Promise<boolean>;
}

/**
 * Set by a resolver on an object it returns after checking it itself (e.g. the
 * employee a login signs in): its fields are then served like a root field's result.
 */
export const VOUCHED = Symbol('vouched');

type Scoped = { id: string; [VOUCHED]?: boolean };
type Decision = boolean | Promise<boolean>;

/**
 * The one place where data scopes hold on every path (docs/rules.md). Every
 * field of a scoped type that is not in its public view is wrapped: it
 * resolves when
 *  - the object is what a root field returned (directly, inside its
 *    connection, or in its …Payload): the root field checked its own
 *    permission and scope (e.g. `customers` lists only customers in scope);
 *  - or the object was vouched for (VOUCHED), or already found in scope in
 *    this request;
 *  - or the type's rule says the caller's scope covers it.
 * Otherwise a nullable field answers null and a non-null field is FORBIDDEN
 * (it cannot answer null; GraphQL then nulls its nearest nullable parent).
 * Fields are default-deny: a field added to a scoped type is private until it
 * is listed as public, and a new path to a scoped type needs nothing, since
 * the check is on the type. Installed after DirectFieldResolvers, around them.
 */
@Injectable()
export class ScopedTypes {
  private readonly rules = new Map<string, ScopeRule<never>>();

  register<T>(type: string, rule: ScopeRule<T>): void {
    if (this.rules.has(type)) throw new Error(`scope rule for ${type} is registered twice`);
    this.rules.set(type, rule as ScopeRule<never>);
  }

  /** The registered types and their public fields (for tests and docs). */
  publicView(): Record<string, string[]> {
    return Object.fromEntries([...this.rules].map(([type, rule]) => [type, [...rule.publicFields]]));
  }

  install(schema: GraphQLSchema): GraphQLSchema {
    const rootTypes = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const roots = new Set(rootTypes.filter(Boolean).map((t) => t!.name));
    const transparent = transparentTypes(schema, roots);
    for (const [typeName, rule] of this.rules) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`scope rule ${typeName}: the schema has no such object type`);
      const fields = type.getFields();
      if (!fields.id) throw new Error(`scope rule ${typeName}: a scoped type needs an id field`);
      for (const f of rule.publicFields) if (!fields[f]) throw new Error(`scope rule ${typeName}: no field ${f}`);
      for (const field of Object.values(fields)) {
        if (rule.publicFields.includes(field.name)) continue;
        wrap(typeName, field, rule, roots, transparent);
      }
    }
    return schema;
  }
}

function wrap(
  typeName: string,
  field: GraphQLField<unknown, GqlContext>,
  rule: ScopeRule<never>,
  roots: Set<string>,
  transparent: Set<string>,
): void {
  const inner = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, GqlContext>;
  const nonNull = isNonNullType(field.type);
  const refuse = () => {
    if (!nonNull) return null;
    const shown = rule.publicFields.join(', ');
    throw AppError.forbidden(`${typeName}.${field.name}: outside your data scope (only ${shown} are shown)`);
  };
  field.resolve = (parent, args, ctx, info) => {
    const decision = decide(typeName, parent as Scoped, rule, ctx, info.path, roots, transparent);
    if (decision === true) return inner(parent, args, ctx, info);
    if (decision === false) return refuse();
    return decision.then((ok) => (ok ? inner(parent, args, ctx, info) : refuse()));
  };
}

function decide(
  typeName: string,
  obj: Scoped,
  rule: ScopeRule<never>,
  ctx: GqlContext,
  path: Path,
  roots: Set<string>,
  transparent: Set<string>,
): Decision {
  const memo = inScopeMemo(ctx);
  const key = `${typeName}:${obj.id}`;
  if (obj[VOUCHED] || rootResult(path, roots, transparent)) {
    memo.add(key);
    return true;
  }
  if (memo.has(key)) return true;
  const covered = rule.covers(obj as never, ctx);
  if (covered === true) memo.add(key);
  if (covered === true || covered === false) return covered;
  return covered.then((ok) => {
    if (ok) memo.add(key);
    return ok;
  });
}

/**
 * Whether the object owning the field at `path` is what a root field
 * returned: above it are only list indexes and transparent types up to a root.
 */
function rootResult(path: Path, roots: Set<string>, transparent: Set<string>): boolean {
  for (let p = path.prev; p; p = p.prev) {
    if (typeof p.key === 'number') continue;
    if (!p.typename) return false;
    if (roots.has(p.typename)) return true;
    if (!transparent.has(p.typename)) return false;
  }
  return false;
}

/**
 * Connection and edge types (`edges` + `pageInfo`, `node` + `cursor`), and
 * …Payload types returned by root fields only: they carry a root field's own
 * result, so what they hold is that root field's result.
 */
function transparentTypes(schema: GraphQLSchema, roots: Set<string>): Set<string> {
  const out = new Set<string>();
  const returnedBelowRoot = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const names = Object.keys(type.getFields()).sort().join(',');
    if (names === 'edges,pageInfo' || names === 'cursor,node') out.add(type.name);
    if (roots.has(type.name)) continue;
    for (const f of Object.values(type.getFields())) returnedBelowRoot.add(getNamedType(f.type).name);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    const payload = type instanceof GraphQLObjectType && type.name.endsWith('Payload');
    if (payload && !returnedBelowRoot.has(type.name)) out.add(type.name);
  }
  return out;
}

/** `Type:id` of the objects found in scope in this request. */
function inScopeMemo(ctx: GqlContext): Set<string> {
  return loader(ctx, 'scopedTypes:inScope', () => new Set<string>());
}

/** Whether an object of `type` was already found in scope in this request (rules of owned types build on it). */
export function knownInScope(ctx: GqlContext, type: string, id: string): boolean {
  return inScopeMemo(ctx).has(`${type}:${id}`);
}

@Global()
@Module({ providers: [ScopedTypes], exports: [ScopedTypes] })
export class ScopedTypesModule {}
