// Jest in native ESM mode (NODE_OPTIONS=--experimental-vm-modules) with the SWC transform.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@domain/(.*)\\.js$': '<rootDir>/src/domain/$1.ts',
    '^@application/(.*)\\.js$': '<rootDir>/src/application/$1.ts',
    '^@adapters/(.*)\\.js$': '<rootDir>/src/adapters/$1.ts',
    '^@config/(.*)\\.js$': '<rootDir>/config/$1.ts',
    '^@emulator/(.*)\\.js$': '<rootDir>/emulator/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: [
    '<rootDir>/test/**/*.spec.ts',
    '<rootDir>/test/**/*.int-spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
  ],
  testTimeout: 60000,
  maxWorkers: 2,
  // On PGlite, one migrated database image per run, which every test database starts from.
  globalSetup: '<rootDir>/test/support/pglite-image.setup.js',
  globalTeardown: '<rootDir>/test/support/pglite-image.teardown.js',
  // The default output, then the skipped tests with their reasons (a PostgreSQL server, on PGlite).
  reporters: ['default', '<rootDir>/test/support/skip-reasons.reporter.js'],
};
