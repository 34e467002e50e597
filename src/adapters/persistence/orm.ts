// Builds the MikroORM instance: embedded PGlite in DATA_DIR (or in memory) by default, a PostgreSQL server
// when DATABASE_URL is set. The schema only ever changes through the checked-in migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { PgliteDriver } from '@mikro-orm/pglite';
import { Migrator } from '@mikro-orm/migrations';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { migrationsList } from './migrations/index.js';
import { entities } from './schemas/index.js';
import { noteStatement } from './request-writes.js';
import { JoinedStatementsClient } from './joined-statements-client.js';

export type Orm = MikroORM;

import type { DatabaseTarget } from '@config/env.schema.js';

export type { DatabaseTarget };

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

export async function createOrm(target: DatabaseTarget): Promise<Orm> {
  if (target.kind === 'postgres') {
    return MikroORM.init({
      ...baseOptions(),
      driver: PostgreSqlDriver,
      clientUrl: target.url,
      pool: { max: 10 },
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
    driverOptions: { extensions: { btree_gist } },
  } as Partial<Options>);
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}

/** Whether this is the embedded PGlite: one connection in this process, so one service instance only. */
export function isEmbedded(orm: Orm): boolean {
  return orm.driver instanceof PgliteDriver;
}
