// Jest globalTeardown: removes the migrated PGlite image that pglite-image.setup.js wrote for this run.
import { rm } from 'node:fs/promises';

export default async function teardown() {
  if (globalThis.pgliteImageDir) await rm(globalThis.pgliteImageDir, { recursive: true, force: true });
}
