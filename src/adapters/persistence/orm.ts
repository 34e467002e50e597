// Builds the MikroORM instance: embedded PGlite in DATA_DIR (or in memory) by default, a PostgreSQL server
// when DATABASE_URL is set, or a PGlite its caller opened (tests load one already migrated). The schema only
// ever changes through the checked-in migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { createPostgreSqlTypeParsers, PgliteDriver } from '@mikro-orm/pglite';
import { Migrator } from '@mikro-orm/migrations';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import array from 'postgres-array';
import { migrationsList } from './migrations/index.js';
import { entities } from './schemas/index.js';
import { noteStatement } from './request-writes.js';
import { JoinedStatementsClient } from './joined-statements-client.js';

export type Orm = MikroORM;

import { DEFAULT_POOL_SIZE, type DatabaseTarget } from '@config/env.schema.js';

export type { DatabaseTarget };

/**
 * A PGlite the caller opened with `openPglite` and closes itself after `orm.close()` (MikroORM leaves a
 * PGlite it was given open). Not a deployment's choice, so not in `DatabaseTarget`: tests open one from
 * an already migrated image instead of running every migration again.
 */
export interface OpenedPglite {
  kind: 'pglite';
  instance: PGlite;
}

/** btree_gist backs the exclusion constraints on time ranges (migrations create it). */
const pgliteExtensions = { btree_gist };

function baseOptions(): Partial<Options> {
  return {
    entities,
    extensions: [Migrator],
    // Repositories read with the identity map off and write natively, so the global EntityManager is
    // safe to share; transactions still get their own fork through MikroORM's transaction context.
    allowGlobalContext: true,
    forceUtcTimezone: true,
    debug: false,
    // Which requests wrote (request-writes.ts): a request that did waits for the other instances' read caches.
    onQuery: noteStatement,
    migrations: { migrationsList, snapshot: false, transactional: true, allOrNothing: true, silent: true },
  };
}

export async function createOrm(target: DatabaseTarget | OpenedPglite): Promise<Orm> {
  if ('instance' in target) {
    return MikroORM.init({
      ...baseOptions(),
      driver: PgliteDriver,
      // Only for MikroORM's check that a database is named: the driver uses the instance as it is.
      dbName: 'memory://',
      driverOptions: { pglite: target.instance },
    } as Partial<Options>);
  }
  if (target.kind === 'postgres') {
    return MikroORM.init({
      ...baseOptions(),
      driver: PostgreSqlDriver,
      clientUrl: target.url,
      pool: { max: target.poolSize ?? DEFAULT_POOL_SIZE },
      // A transaction's `begin`, locks and unread writes go joined to the statement after them.
      driverOptions: { Client: JoinedStatementsClient },
    } as Partial<Options>);
  }
  let dbName = 'memory://';
  if (!target.dataDir.startsWith('memory:')) {
    mkdirSync(target.dataDir, { recursive: true });
    dbName = join(target.dataDir, 'pglite');
  }
  return MikroORM.init({
    ...baseOptions(),
    driver: PgliteDriver,
    dbName,
    driverOptions: { extensions: pgliteExtensions },
  } as Partial<Options>);
}

/**
 * An in-memory PGlite as MikroORM's PgliteDriver opens its own: the same extensions, and the driver's type
 * parsers (dates, timestamps and intervals stay strings, which the driver does not set on a PGlite it is
 * given). `loadDataDir` starts it from an image that `dumpDataDir` wrote.
 */
export async function openPglite(options: { loadDataDir?: Blob } = {}): Promise<PGlite> {
  return PGlite.create({
    extensions: pgliteExtensions,
    parsers: createPostgreSqlTypeParsers((s) => array.parse(s)),
    ...options,
  });
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}

/** Whether this is the embedded PGlite: one connection in this process, so one service instance only. */
export function isEmbedded(orm: Orm): boolean {
  return orm.driver instanceof PgliteDriver;
}
