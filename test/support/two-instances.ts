// Two service instances on one fresh PostgreSQL database, each with its own MikroORM and pool (as two deployed
// replicas), against one Microsoft 365 emulator: the start of the tests of races across instances.
import type { Emulator } from '../../emulator/emulator.js';
import { createOrm } from '@adapters/persistence/orm.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from './database.js';
import { microsoftConfig, startTestEmulator } from './microsoft.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

export interface TwoInstances {
  emu: Emulator;
  /** The first instance's database (the second shares it). */
  db: TestDatabase;
  a: TestApp;
  b: TestApp;
  /** Closes both instances, their pools, the database and the emulator. */
  close(): Promise<void>;
}

/** Needs DATABASE_URL (describeOnPostgres): PGlite serves one connection in one process. */
export async function startTwoInstances(options: TestAppOptions = {}): Promise<TwoInstances> {
  const emu = await startTestEmulator({ weeks: 1 });
  const overrides = { ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' };
  const db = await createTestDatabase();
  const orm = await createOrm({ kind: 'postgres', url: db.url! });
  const second: TestDatabase = { ...db, orm, close: () => orm.close() };
  const a = await startTestApp(overrides, db, options);
  const b = await startTestApp(overrides, second, options);
  return {
    emu,
    db,
    a,
    b,
    close: async () => {
      await b.close();
      await a.close();
      await second.close();
      await db.close();
      await emu.close();
    },
  };
}

/**
 * A suite of races across two instances (startTwoInstances before all its tests, closed after): run on a
 * PostgreSQL server only, skipped on PGlite saying why. `race()` gives the instances inside a test.
 */
export function describeTwoInstances(
  title: string,
  tests: (race: () => TwoInstances) => void,
  options: TestAppOptions = {},
): void {
  describeOnPostgres(
    title,
    'PGlite serves one connection in one process, so two service instances cannot share it',
    () => {
      let race: TwoInstances | undefined;
      beforeAll(async () => {
        race = await startTwoInstances(options);
      }, 60_000);
      afterAll(async () => race?.close());
      tests(() => race!);
    },
  );
}
