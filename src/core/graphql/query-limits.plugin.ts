import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode, FragmentDefinitionNode } from 'graphql';
import { requestContext } from '../context/request-context';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

function depthOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    let d = 0;
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      d = sel.selectionSet ? 1 + depthOf(sel.selectionSet, fragments, seen) : 1;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      d = depthOf(sel.selectionSet, fragments, seen);
    } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const name = sel.name.value;
      if (seen.has(name)) continue;
      const frag = fragments[name];
      d = frag ? depthOf(frag.selectionSet, fragments, new Set([...seen, name])) : 0;
    }
    if (d > max) max = d;
  }
  return max;
}

/**
 * Rejects abusive operations before they run: selection depth, and an
 * estimated cost where a list field costs its `first` times its children.
 */
export function queryLimitsPlugin(getSchema: () => GraphQLSchema, maxDepth: number, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions) {
            if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          }
          const depth = depthOf((operation as OperationDefinitionNode).selectionSet, fragments, new Set());
          if (depth > maxDepth) {
            throw new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxDepth}`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          const complexity = getComplexity({
            schema: getSchema(),
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [
              fieldExtensionsEstimator(),
              ({ args, childComplexity }) => {
                const first = typeof args.first === 'number' ? args.first : undefined;
                return first !== undefined ? 1 + first * Math.max(childComplexity, 1) : undefined;
              },
              simpleEstimator({ defaultComplexity: 1 }),
            ],
          });
          if (complexity > maxComplexity) {
            throw new GraphQLError(`Query cost ${complexity} exceeds the limit of ${maxComplexity}`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** Adds `x-sql-statements`: how many SQL statements the request ran (tests assert batching with it). */
export function sqlCountPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const n = requestContext.get()?.sqlStatements ?? 0;
          response.http.headers.set('x-sql-statements', String(n));
        },
      };
    },
  };
}
