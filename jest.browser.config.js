// Browser tests (test/browser/*.browser-spec.ts): the real service and Debian's Chromium driven by
// playwright-core, one file at a time. Same ESM/SWC setup and migrated PGlite image as jest.config.js.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
