import { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { DocumentNode, getVariableValues, GraphQLError, GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { AppConfig } from 'src/core/config/app-config';
import { requestContext } from 'src/core/context/request-context';

/** The settings the limits read (see AppConfig). */
export type QueryLimitSettings = Pick<
  AppConfig,
  'graphqlMaxDepth' | 'graphqlMaxComplexity' | 'graphqlMaxAliases' | 'graphqlMaxDirectives' | 'graphqlMaxTokens'
>;

/** Which limit refused a document; it rides on the error's extensions for the request log (format-error drops it). */
export type QueryLimitName = 'tokens' | 'depth' | 'aliases' | 'directives' | 'cost';

/** A document refused by one of the limits: BAD_USER_INPUT, HTTP 400, before anything has run. */
export class QueryLimitError extends GraphQLError {
  constructor(limit: QueryLimitName, message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', limit, http: { status: 400 } } });
  }
}

/** The limit that refused this error's document, if one did (through Apollo's wrappers, which copy extensions). */
export function queryLimitOf(error: GraphQLError): QueryLimitName | undefined {
  return error.extensions?.limit as QueryLimitName | undefined;
}

/**
 * Fields visited by the cost estimate once fragments are expanded. A document
 * of a few hundred tokens can spread fragments into each other and name
 * millions of fields; the walk stops here and the document is refused.
 */
const MAX_COST_NODES = 10_000;

/** Costs kept per parsed document (Apollo reuses one DocumentNode per query text), by operation and variables. */
const MAX_COSTS_PER_DOCUMENT = 256;

/**
 * Abusive documents are refused before any resolver runs, each at the cheapest
 * point, in this order:
 * - tokens while parsing (graphql-js's own `maxTokens`: parsing stops at the
 *   limit, so a 100 KB document costs well under a millisecond; it also bounds
 *   every later walk of the document, graphql-js's validation included);
 * - aliases, directives and depth as validation rules (graphql-armor);
 * - the cost once the variables are known (queryLimitPlugins).
 * These are the Apollo options for the first two.
 */
export function queryLimitRules(settings: QueryLimitSettings): {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
} {
  const armor = new ApolloArmor({
    // graphql-js counts tokens in its one parse; armor's plugin would parse every document a second time.
    maxTokens: { enabled: false },
    // Armor's cost cannot see `first: $n` given as a variable: the cost is estimated by costLimitPlugin.
    costLimit: { enabled: false },
    // Apollo's hideSchemaDetailsFromClientErrors does this.
    blockFieldSuggestion: { enabled: false },
    maxAliases: {
      n: settings.graphqlMaxAliases,
      ...refuseAs('aliases', (n, max) => `Query has ${n} aliases, more than the limit of ${max}`),
    },
    maxDirectives: {
      n: settings.graphqlMaxDirectives,
      ...refuseAs('directives', (n, max) => `Query has ${n} directives, more than the limit of ${max}`),
    },
    // Fragments add no depth of their own, and the introspection of the schema is not limited.
    maxDepth: {
      n: settings.graphqlMaxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      ...refuseAs('depth', (n, max) => `Query depth ${n} exceeds the limit of ${max}`),
    },
  }).protect();
  return { parseOptions: { maxTokens: settings.graphqlMaxTokens }, validationRules: armor.validationRules };
}

/**
 * The Apollo plugins of the limits: the token refusal's message, and the cost:
 * every field counts 1, aliases included, and a list field with `first` counts
 * `first` times its children.
 */
export function queryLimitPlugins(settings: QueryLimitSettings, getSchema: () => GraphQLSchema): ApolloServerPlugin[] {
  return [tokensMessagePlugin(settings.graphqlMaxTokens), costLimitPlugin(getSchema, settings.graphqlMaxComplexity)];
}

/**
 * Armor reports "Syntax Error: Aliases limit of 30 exceeded, found 31." through
 * these callbacks; the client gets a QueryLimitError worded like the cost
 * refusal ("Query depth 15 exceeds the limit of 12").
 */
function refuseAs(
  limit: QueryLimitName,
  say: (found: string, max: string) => string,
): { propagateOnRejection: false; onReject: GraphQLArmorRejectCallback[] } {
  return {
    propagateOnRejection: false,
    onReject: [
      (ctx, error) => {
        const m = /limit of (\d+) exceeded, found (\d+)/.exec(error.message);
        const message = m ? say(m[2], m[1]) : error.message.replace(/^Syntax Error: /, '');
        ctx?.reportError(new QueryLimitError(limit, message));
      },
    ],
  };
}

/** graphql-js says "Syntax Error: Document contains more that N tokens"; say what was refused, and mark it. */
function tokensMessagePlugin(maxTokens: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          return async (error?: Error) => {
            if (!(error instanceof GraphQLError) || !/contains more th[ae][nt] \d+ tokens/.test(error.message)) return;
            // Apollo wraps this error after the hook (copying message and extensions): rewrite it in place.
            error.message = `Query has more than ${maxTokens} tokens, the limit`;
            (error.extensions as Record<string, unknown>).limit = 'tokens';
          };
        },
      };
    },
  };
}

/**
 * Refuses an operation whose estimated cost exceeds the limit, once Apollo has
 * chosen the operation and before it runs. Memoized per document and
 * variables: a client repeating one query pays the walk once.
 */
function costLimitPlugin(getSchema: () => GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          // Several operations and no operationName, or variables that do not coerce: Apollo refuses it next.
          if (!operation) return;
          const schema = getSchema();
          const variables = request.variables ?? {};
          if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return;
          let byKey = costs.get(document);
          if (!byKey) costs.set(document, (byKey = new Map()));
          const key = `${request.operationName ?? ''}\u0000${JSON.stringify(variables)}`;
          let cost = byKey.get(key);
          if (cost === undefined) {
            cost = measureCost(schema, document, request.operationName ?? undefined, variables);
            if (byKey.size >= MAX_COSTS_PER_DOCUMENT) byKey.clear();
            byKey.set(key, cost);
          }
          if (cost > maxComplexity) throw costRefusal(cost, maxComplexity);
        },
      };
    },
  };
}

function costRefusal(cost: number, maxComplexity: number): QueryLimitError {
  const what = Number.isFinite(cost)
    ? `Query cost ${cost}`
    : `Query cost (over ${MAX_COST_NODES} fields once fragments are expanded)`;
  return new QueryLimitError('cost', `${what} exceeds the limit of ${maxComplexity}`);
}

/**
 * The cost limit for a path outside Apollo (subscriptions over graphql-ws): the refusal, or null when the
 * operation's cost is within `maxComplexity`. The variables must already coerce.
 */
export function costLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  maxComplexity: number,
): QueryLimitError | null {
  const cost = measureCost(schema, document, operationName, variables);
  return cost > maxComplexity ? costRefusal(cost, maxComplexity) : null;
}

function measureCost(
  schema: GraphQLSchema,
  query: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number {
  try {
    return getComplexity({
      schema,
      query,
      operationName,
      variables,
      maxQueryNodes: MAX_COST_NODES,
      estimators: [
        fieldExtensionsEstimator(),
        ({ args, childComplexity }) => {
          const first = typeof args.first === 'number' ? args.first : undefined;
          return first !== undefined ? 1 + first * Math.max(childComplexity, 1) : undefined;
        },
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
  } catch (e) {
    // The only error the estimate raises once the variables coerce: its walk stopped at MAX_COST_NODES.
    if (e instanceof GraphQLError && /maximum allowed number of nodes/.test(e.message)) {
      return Number.POSITIVE_INFINITY;
    }
    throw e;
  }
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
