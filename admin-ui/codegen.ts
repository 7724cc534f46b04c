import type { CodegenConfig } from '@graphql-codegen/cli';

const config = {
  enumsAsTypes: true,
  useTypeImports: true,
  scalars: { ID: 'string', DateTime: 'string', Date: 'string', JSON: 'unknown' },
};

/**
 * Typed documents from the committed server schema; `npm run codegen:check` fails when a generated file is stale.
 * Each feature's `x.graphql` gets its typed documents beside it in `x.generated.ts`, so a page's chunk carries only
 * its own area's documents (the sign-in page loads only the auth ones). The schema's enums, inputs and scalars are
 * shared as types only, in src/gql/graphql.ts.
 */
const codegen: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/graphql.ts': { plugins: ['typescript'], config: { ...config, onlyOperationTypes: true } },
    './src/': {
      preset: 'near-operation-file',
      presetConfig: { extension: '.generated.ts', baseTypesPath: 'gql/graphql.ts' },
      plugins: ['typescript-operations', 'typed-document-node'],
      config,
    },
  },
};
export default codegen;
