// Browser tests (test/browser/*.browser-spec.ts): the real service and Debian's Chromium driven by
// playwright-core, one file at a time. Same ESM/SWC setup and migrated PGlite image as jest.config.js.
import base, { pgliteImage, project } from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...project,
  ...pgliteImage,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
  reporters: base.reporters,
};
