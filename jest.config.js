/** Jest: unit specs beside the code (src/**\/*.spec.ts), integration tests in test/ over real HTTP. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Absolute imports (`src/...`, tsconfig.json paths) resolve from the repository root, as tsc-alias does for dist/.
  moduleNameMapper: { '^(src|test|bench|migrations)/(.*)$': '<rootDir>/$1/$2', '^migrations$': '<rootDir>/migrations' },
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  testTimeout: 30000,
  maxWorkers: 2,
  ci: true,
};
