import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents from the committed server schema; `npm run codegen:check` fails when src/gql is stale. */
const config: CodegenConfig = {
  schema: '../schema.graphql',
  // Operations live in .graphql files beside their feature; modules import the generated documents (tree-shaken).
  documents: ['src/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
