// ESLint for the server, its tests, migrations, benches and scripts, and the console's sources (admin-ui/src)
// (house style: /work/shared/STYLE.md). `npm run lint` runs in `npm test`; `npm run lint:fix` applies the autofixes
// (absolute imports) and wraps long lines (scripts/wrap-long-lines.mjs).
import { basename } from 'node:path';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import noRelativeImportPaths from 'eslint-plugin-no-relative-import-paths';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', 'admin-ui/src/**/*.tsx'];
const CONSOLE = ['admin-ui/src/**/*.{ts,tsx}'];

/** House rules no published plugin here covers. */
const wecrm = {
  rules: {
    // STYLE naming: files kebab-case with a role suffix (`customers.service.ts`, `1763769600000-platform.ts`).
    'file-name': {
      meta: { type: 'suggestion', schema: [], messages: { kebab: "File names are kebab-case: '{{name}}'." } },
      create(context) {
        const name = basename(context.filename);
        if (!/^[a-z0-9]+(?:[.-][a-z0-9]+)*\.(?:tsx?|[cm]?js)$/.test(name)) {
          context.report({ loc: { line: 1, column: 0 }, messageId: 'kebab', data: { name } });
        }
        return {};
      },
    },
  },
};

export default defineConfig(
  globalIgnores([
    'dist/**',
    // The console is linted for its sources; its build, scripts and generated GraphQL types are not.
    'admin-ui/*',
    '!admin-ui/src',
    'admin-ui/src/gql/**',
    'admin-ui/src/**/*.generated.ts',
    '**/node_modules/**',
    'bench/baselines/postgraphile/**',
    'bench/data/**',
    'bench/results/**',
    '.test-output/**',
  ]),

  js.configs.recommended,

  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },

  {
    plugins: { wecrm },
    rules: {
      'wecrm/file-name': 'error',
      // STYLE: lines <= 120 (`npm run lint:fix` wraps code lines with Prettier). Exempt is what no formatter may
      // rewrap: a URL, a regular expression, a template literal (SQL and GraphQL documents: their text is what a
      // migration ran or a test compares), a test's title, and a line holding one string and nothing else (a
      // description or message already on its own line: cut in pieces it can no longer be searched for).
      'max-len': [
        'error',
        {
          code: 120,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignoreTemplateLiterals: true,
          ignorePattern: [
            String.raw`^\s*(?:it|test|describe)(?:\.\w+)?\(['"]`,
            String.raw`^\s*(?:[\w$]+: )?(['"]).*\1(?: \+)?[,;)]*$`,
          ].join('|'),
        },
      ],
    },
  },

  {
    files: TS,
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        // Type-aware rules (floating promises, return-await) read the types through the project service.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'no-relative-import-paths': noRelativeImportPaths },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // STYLE: `any` in tests is drift; nowhere else either.
      '@typescript-eslint/no-explicit-any': 'error',
      // STYLE pitfall: `try { return promise } catch` without await, the catch never runs.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // A promise nobody awaits loses its error (an unhandled rejection kills the process) and its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (an event handler, forEach) drops its rejection.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      // `_name` marks a parameter kept for its position (NestJS resolvers, callbacks).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // STYLE naming: classes PascalCase of the file; GraphQL enum values UPPER_SNAKE.
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'typeLike', format: ['PascalCase'] },
        { selector: 'enumMember', format: ['UPPER_CASE'] },
      ],
      // `==` coerces ('1' == 1); `x == null` stays allowed as the one idiom for null-or-undefined.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Absolute `src/...` (and `test/...`, `bench/...`, `migrations/...`) imports instead of `../../../`;
      // a sibling in the same folder stays `./x` (the folder is one unit; the absolute path would repeat it).
      'no-relative-import-paths/no-relative-import-paths': ['error', { allowSameFolder: true }],
    },
  },

  {
    // STYLE: structured logs through the logger; a test asserts instead of printing. Benches print figures.
    files: ['src/**/*.ts', 'test/**/*.ts', 'migrations/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // STYLE: config is one validated class read at boot; nothing else reads process.env.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/core/config/app-config.ts.' },
      ],
    },
  },
  {
    // The one place that reads the environment, and the entry guard that defaults NODE_ENV before anything loads.
    files: ['src/core/config/app-config.ts', 'src/core/node-env.ts', 'src/**/*.spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Debt, to shrink (STYLE: no `any` in tests): the files that had it when the rule came. A file leaves the
    // list once typed; a new file never joins it. gql<T = any> in test-app.ts is the source of the rest.
    files: [
      'test/helpers/client-address.ts',
      'test/helpers/test-app.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console runs in the browser, and has no path aliases: its imports stay relative (Vite, Vitest, tsc agree).
    files: CONSOLE,
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-relative-import-paths/no-relative-import-paths': 'off', 'no-console': 'error' },
  },
  {
    // STYLE pitfall: entities decorated as GraphQL types. An entity is a table row, never an API type.
    files: ['**/*.entity.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@nestjs/graphql', message: 'Entities are not GraphQL types: declare an object type.' }] },
      ],
    },
  },
);
