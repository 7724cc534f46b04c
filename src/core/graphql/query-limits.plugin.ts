import { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode, FragmentDefinitionNode } from 'graphql';
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

/** Measures kept per parsed document (Apollo reuses one DocumentNode per query text). */
interface DocumentMeasures {
  depth: Map<string, number>;
  /** Cost by operation name and variables; bounded, cleared when full. */
  cost: Map<string, number>;
}
const MAX_COSTS_PER_DOCUMENT = 256;

/**
 * Rejects abusive operations before they run: selection depth, and an
 * estimated cost where a list field costs its `first` times its children.
 * Both are memoized per document (and variables for the cost): a client
 * repeating one query pays the walk once.
 */
export function queryLimitsPlugin(getSchema: () => GraphQLSchema, maxDepth: number, maxComplexity: number): ApolloServerPlugin {
  const measures = new WeakMap<DocumentNode, DocumentMeasures>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          let m = measures.get(document);
          if (!m) {
            m = { depth: new Map(), cost: new Map() };
            measures.set(document, m);
          }
          const opName = request.operationName ?? '';
          let depth = m.depth.get(opName);
          if (depth === undefined) {
            const fragments: Record<string, FragmentDefinitionNode> = {};
            for (const def of document.definitions) {
              if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
            }
            depth = depthOf((operation as OperationDefinitionNode).selectionSet, fragments, new Set());
            m.depth.set(opName, depth);
          }
          if (depth > maxDepth) {
            throw new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxDepth}`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          const costKey = `${opName}\u0000${JSON.stringify(request.variables ?? {})}`;
          let complexity = m.cost.get(costKey);
          if (complexity === undefined) {
            try {
              const variables = request.variables ?? {};
              complexity = measureCost(getSchema(), document, request.operationName ?? undefined, variables);
            } catch (e) {
              // The estimate coerces the variables first: one that fails coercion is the client's error (400).
              if (!(e instanceof GraphQLError)) throw e;
              throw new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            }
            if (m.cost.size >= MAX_COSTS_PER_DOCUMENT) m.cost.clear();
            m.cost.set(costKey, complexity);
          }
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

function measureCost(schema: GraphQLSchema, query: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number {
  return getComplexity({
    schema,
    query,
    operationName,
    variables,
    estimators: [
      fieldExtensionsEstimator(),
      ({ args, childComplexity }) => {
        const first = typeof args.first === 'number' ? args.first : undefined;
        return first !== undefined ? 1 + first * Math.max(childComplexity, 1) : undefined;
      },
      simpleEstimator({ defaultComplexity: 1 }),
    ],
  });
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
