// A fresh, migrated database for one test file: in-memory PGlite by default (loaded from the image that
// pglite-image.setup.js migrated once for the run), or, when DATABASE_URL is set, a new uniquely named
// database on that PostgreSQL server, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { createOrm, migrate, openPglite } from '@adapters/persistence/orm.js';
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';

export interface TestDatabase {
  orm: MikroORM;
  kind: 'pglite' | 'postgres';
  url: string | null;
  /** Deletes every row (keeps the schema), for tests that want a clean slate within one file. */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A describe that needs a PostgreSQL server. On PGlite it is skipped with `why` in its title, which Jest's
 * verbose output and the skip-reasons reporter (at the end of every run) print.
 */
export function describeOnPostgres(title: string, why: string, suite: () => void): void {
  if (usingPostgres) describe(title, suite);
  else describe.skip(`${title} [skipped on PGlite: ${why}; set DATABASE_URL to run it]`, suite);
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const image = process.env.TEST_PGLITE_IMAGE;
    if (!image) {
      // Run without the globalSetup (another config, another runner): migrate this one.
      const orm = await createOrm({ kind: 'pglite', dataDir: 'memory://' });
      await migrate(orm);
      return { orm, kind: 'pglite', url: null, truncate: () => truncateAll(orm), close: () => orm.close() };
    }
    const pglite = await openPglite({ loadDataDir: new Blob([await readFile(image)]) });
    const orm = await createOrm({ kind: 'pglite', instance: pglite });
    return {
      orm,
      kind: 'pglite',
      url: null,
      truncate: () => truncateAll(orm),
      // MikroORM leaves a PGlite it was given open.
      close: async () => {
        await orm.close();
        await pglite.close();
      },
    };
  }
  const name = `kailenty_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await createOrm({ kind: 'postgres', url: url.toString() });
  await migrate(orm);
  return {
    orm,
    kind: 'postgres',
    url: url.toString(),
    truncate: () => truncateAll(orm),
    close: async () => {
      await orm.close();
      await admin(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

/**
 * An empty database on the PostgreSQL server of DATABASE_URL, for a test that opens (and migrates) it
 * itself, possibly several times, as the real bootstrap does; dropped by `drop()`.
 */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('createServerDatabase needs DATABASE_URL');
  const name = `kailenty_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(serverUrl, `drop database if exists "${name}" with (force)`),
  };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function truncateAll(orm: MikroORM): Promise<void> {
  const connection = orm.em.getConnection();
  const rows = await connection.execute<{ tablename: string }[]>(
    `select tablename from pg_tables where schemaname = current_schema() and tablename <> 'mikro_orm_migrations'`,
  );
  if (rows.length === 0) return;
  await connection.execute(
    `truncate ${rows.map((r: { tablename: string }) => `"${r.tablename}"`).join(', ')} cascade`,
  );
}

/** A workspace and `members` members of it stored in the database: the hosts of repository contract tests. */
export async function storedWorkspaceWithMembers(
  em: EntityManager,
  members: number,
): Promise<{ workspaceId: string; hostIds: string[] }> {
  const ws = aWorkspace();
  await new MikroOrmWorkspaceRepository(em).add(ws);
  const hostIds: string[] = [];
  for (let i = 0; i < members; i++) {
    const m = aMember({ workspaceId: ws.id });
    await new MikroOrmMemberRepository(em).add(m);
    hostIds.push(m.id);
  }
  return { workspaceId: ws.id, hostIds };
}
