// Jest in native ESM mode (NODE_OPTIONS=--experimental-vm-modules) with the SWC transform, in two projects:
// the tests that open databases (integration, e2e) and the others.
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

/** What every project runs with: Jest's native ESM through SWC, and the path aliases of tsconfig.json. */
export const project = {
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
};

/**
 * On PGlite, one migrated database image per run, which every test database starts from. Jest runs a
 * project's globalSetup only when the run has tests of that project: given to the projects whose tests
 * open databases, a run of unit tests alone does not wait for initdb and the migrations (seconds).
 */
export const pgliteImage = {
  globalSetup: '<rootDir>/test/support/pglite-image.setup.js',
  globalTeardown: '<rootDir>/test/support/pglite-image.teardown.js',
};

const testMatch = [
  '<rootDir>/test/**/*.spec.ts',
  '<rootDir>/test/**/*.int-spec.ts',
  '<rootDir>/test/**/*.e2e-spec.ts',
];

/** @type {import('jest').Config} */
export default {
  projects: [
    // Everything but the tests that open databases: unit, contract (on the fakes), emulator.
    {
      ...project,
      testMatch,
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/(integration|e2e)/'],
    },
    {
      ...project,
      ...pgliteImage,
      testMatch: ['<rootDir>/test/{integration,e2e}/**/*.{spec,int-spec,e2e-spec}.ts'],
    },
  ],
  // Global: Jest takes the timeout of a test from here, not from its project.
  testTimeout: 60000,
  maxWorkers: 2,
  // The default output, then the skipped tests with their reasons (a PostgreSQL server, on PGlite).
  reporters: ['default', '<rootDir>/test/support/skip-reasons.reporter.js'],
};
