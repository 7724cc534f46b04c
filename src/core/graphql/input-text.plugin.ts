import { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  OperationDefinitionNode,
  TypeInfo,
  ValueNode,
  VariableDefinitionNode,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { AppError, FieldProblem } from 'src/core/errors/app-error';
import { textProblem } from 'src/core/validation/storable-text';

/** Problems reported for one request at most: enough to fix the input, bounded for a hostile one. */
const MAX_PROBLEMS = 20;

/**
 * Finds every text a client sends into the operation's arguments (inline or
 * through variables, in root and nested fields, input objects and lists, any
 * scalar or enum) that PostgreSQL could not store or that exceeds `maxChars`
 * (storable-text.ts). Paths name the argument as the resolvers' validation
 * does (`input.customer.name`, `input.tagNames[2]`), whichever way the value came.
 */
export function findTextProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxChars: number,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const defs = new Map<string, VariableDefinitionNode>();
  for (const d of operation.variableDefinitions ?? []) defs.set(d.variable.name.value, d);

  const report = (field: string, value: string): void => {
    const message = textProblem(value, maxChars);
    if (!message || problems.length >= MAX_PROBLEMS) return;
    if (!problems.some((p) => p.field === field && p.message === message)) problems.push({ field, message });
  };

  /** A value from the variables (JSON), walked along its expected type; unknown fields are walked too. */
  const walkRaw = (value: unknown, type: GraphQLInputType | undefined, path: string): void => {
    if (problems.length >= MAX_PROBLEMS || value === null || value === undefined) return;
    const t = type && isNonNullType(type) ? type.ofType : type;
    if (typeof value === 'string') return report(path, value);
    if (Array.isArray(value)) {
      const item = t && isListType(t) ? t.ofType : t;
      value.forEach((v, i) => walkRaw(v, item, `${path}[${i}]`));
      return;
    }
    if (typeof value === 'object') {
      const fields = t && isInputObjectType(t) ? t.getFields() : undefined;
      // An unknown key is refused by coercion later; its text is still checked, so the whole value is.
      for (const [k, v] of Object.entries(value)) walkRaw(v, fields?.[k]?.type, `${path}.${k.slice(0, 64)}`);
    }
  };

  /** An inline value (literal) of the document, where variables may appear at any depth. */
  const walkLiteral = (node: ValueNode, type: GraphQLInputType | undefined, path: string): void => {
    if (problems.length >= MAX_PROBLEMS) return;
    const t = type && isNonNullType(type) ? type.ofType : type;
    switch (node.kind) {
      case Kind.STRING:
        return report(path, node.value);
      case Kind.VARIABLE: {
        const name = node.name.value;
        const given = variables[name];
        if (given !== undefined) return walkRaw(given, type, path);
        const fallback = defs.get(name)?.defaultValue;
        if (fallback) walkLiteral(fallback, type, path);
        return;
      }
      case Kind.LIST: {
        const item = t && isListType(t) ? t.ofType : t;
        node.values.forEach((v, i) => walkLiteral(v, item, `${path}[${i}]`));
        return;
      }
      case Kind.OBJECT: {
        const fields = t && isInputObjectType(t) ? t.getFields() : undefined;
        for (const f of node.fields) walkLiteral(f.value, fields?.[f.name.value]?.type, `${path}.${f.name.value}`);
        return;
      }
      default:
        return;
    }
  };

  const typeInfo = new TypeInfo(schema);
  for (const def of document.definitions) {
    // Fragments may be spread into the operation; other operations of the document do not run.
    if (def.kind === Kind.OPERATION_DEFINITION && def !== operation) continue;
    if (def.kind !== Kind.OPERATION_DEFINITION && def.kind !== Kind.FRAGMENT_DEFINITION) continue;
    visit(
      def,
      visitWithTypeInfo(typeInfo, {
        // Default values are walked where a variable without a value is used.
        VariableDefinition: () => false,
        Argument(node) {
          walkLiteral(node.value, typeInfo.getInputType() ?? undefined, node.name.value);
          return false;
        },
      }),
    );
  }
  return problems;
}

/**
 * Refuses, before any resolver runs, an operation whose arguments carry text
 * PostgreSQL cannot store or longer than `maxChars`: BAD_USER_INPUT naming
 * every such field (`input.name: must not contain NUL characters (U+0000)`).
 * Field-specific limits (`@MaxLength` on the inputs) stay with the resolvers.
 */
export function inputTextPlugin(getSchema: () => GraphQLSchema, maxChars: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          const problems = findTextProblems(getSchema(), document, operation, request.variables ?? {}, maxChars);
          if (problems.length) throw withStatus(AppError.invalid(problems), 400);
        },
      };
    },
  };
}

/** The HTTP status Apollo answers with when the error stops the request before execution. */
function withStatus(e: AppError, status: number): AppError {
  (e.extensions as Record<string, unknown>).http = { status };
  return e;
}
