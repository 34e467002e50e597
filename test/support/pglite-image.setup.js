// Jest globalSetup: on PGlite (DATABASE_URL unset), migrates one in-memory PGlite once per run and dumps its
// data directory to a file; createTestDatabase() starts each test database from that image (TEST_PGLITE_IMAGE)
// instead of running every migration again, which took seconds per database. pglite-image.teardown.js
// removes the file.
import { Buffer } from 'node:buffer';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URL } from 'node:url';
import { typescriptHooks } from './typescript-hooks.js';

export default async function setup(_globalConfig, projectConfig) {
  if (process.env.DATABASE_URL) return;
  const hooks = registerHooks(typescriptHooks(projectConfig));
  try {
    const { createOrm, migrate, openPglite } = await import(
      new URL('../../src/adapters/persistence/orm.ts', import.meta.url).href
    );
    const pglite = await openPglite();
    try {
      const orm = await createOrm({ kind: 'pglite', instance: pglite });
      await migrate(orm);
      await orm.close();
      // Uncompressed (about 40 MB): every test database loads it, and gunzip cost more than the reading.
      const image = await pglite.dumpDataDir('none');
      const dir = await mkdtemp(join(tmpdir(), 'kailenty-pglite-'));
      // The teardown removes only what this setup wrote.
      globalThis.pgliteImageDir = dir;
      const file = join(dir, 'migrated.tar');
      await writeFile(file, Buffer.from(await image.arrayBuffer()));
      // Test workers start after the globalSetup and inherit its environment.
      process.env.TEST_PGLITE_IMAGE = file;
    } finally {
      await pglite.close();
    }
  } finally {
    hooks.deregister();
  }
}
