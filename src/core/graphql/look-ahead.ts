import {
  FieldNode,
  getArgumentValues,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLObjectType,
  GraphQLResolveInfo,
  GraphQLSkipDirective,
  Kind,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';

/**
 * What the operation selects below the field being resolved (or below the
 * nodes `from`, found by an earlier call), for resolvers that load nested rows
 * ahead (see `PREFETCHED`). Follows inline fragments and
 * fragment spreads and honours @skip / @include; type conditions are not
 * checked, so a fragment on another type can only make it load more than
 * needed, never less.
 */
export function selectedBelow(
  info: GraphQLResolveInfo,
  path: readonly string[],
  from: readonly FieldNode[] = info.fieldNodes,
): FieldNode[] {
  let nodes = from;
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const n of nodes) if (n.selectionSet) collect(info, n.selectionSet, name, next);
    nodes = next;
    if (!nodes.length) break;
  }
  return [...nodes];
}

/** The coerced arguments of a selected field of `typeName` (defaults applied, variables resolved). */
export function argumentsOf(info: GraphQLResolveInfo, typeName: string, node: FieldNode): Record<string, unknown> {
  const type = info.schema.getType(typeName);
  const def = type instanceof GraphQLObjectType ? type.getFields()[node.name.value] : undefined;
  if (!def) return {};
  return getArgumentValues(def, node, info.variableValues);
}

function collect(info: GraphQLResolveInfo, set: SelectionSetNode, name: string, out: FieldNode[]): void {
  for (const s of set.selections) {
    if (!included(info, s)) continue;
    if (s.kind === Kind.FIELD) {
      if (s.name.value === name) out.push(s);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      collect(info, s.selectionSet, name, out);
    } else {
      const fragment = info.fragments[s.name.value];
      if (fragment) collect(info, fragment.selectionSet, name, out);
    }
  }
}

function included(info: GraphQLResolveInfo, node: SelectionNode): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}

/**
 * Rows a list resolver loaded ahead for the objects it returns, kept on each
 * object under a symbol (invisible to GraphQL): their field resolvers return
 * them as they are instead of a promise per object, so graphql-js completes
 * the page without a promise per row. The SQL is the same batch statements
 * the DataLoaders run (one per nested type), only issued before the walk.
 */
export const PREFETCHED = Symbol('prefetched');

export type WithPrefetched<T, P> = T & { [PREFETCHED]?: P };
