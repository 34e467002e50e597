// The MikroORM adapters pass the foundation contract on PGlite (and on PostgreSQL when DATABASE_URL is set),
// and the database itself enforces what the domain states.
import {
  MikroOrmApiKeyRepository,
  MikroOrmWorkspaceRepository,
} from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmIdempotencyStore } from '@adapters/persistence/mikro-orm-idempotency.store.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { migrate } from '@adapters/persistence/orm.js';
import { foundationRepositoryContract } from '../contract/foundation-repositories.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

foundationRepositoryContract(
  `MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
  async () => {
    const em = db.orm.em;
    return {
      workspaces: new MikroOrmWorkspaceRepository(em),
      apiKeys: new MikroOrmApiKeyRepository(em),
      members: new MikroOrmMemberRepository(em),
      idempotency: new MikroOrmIdempotencyStore(em),
    };
  },
);

describe('the database schema', () => {
  it('is fully migrated by the checked-in migrations, and migrating again does nothing', async () => {
    expect(await migrate(db.orm)).toEqual([]);
    const pending = await db.orm.migrator.getPending();
    expect(pending).toEqual([]);
  });

  it('refuses a member whose role or status the domain does not know', async () => {
    const workspaces = new MikroOrmWorkspaceRepository(db.orm.em);
    const ws = aWorkspace();
    await workspaces.add(ws);
    const m = aMember({ workspaceId: ws.id }).toSnapshot();
    await expect(
      db.orm.em
        .getConnection()
        .execute(
          `insert into members (id, workspace_id, email, display_name, role, status, created_at, updated_at) values (?, ?, ?, ?, 'owner', 'pending', now(), now())`,
          [m.id, ws.id, m.email, m.displayName],
        ),
    ).rejects.toThrow(/check constraint/);
  });

  it('rolls back every write of a unit of work that fails', async () => {
    const em = db.orm.em;
    const uow = new MikroOrmUnitOfWork(em);
    const workspaces = new MikroOrmWorkspaceRepository(em);
    const members = new MikroOrmMemberRepository(em);
    const ws = aWorkspace();
    await expect(
      uow.transactional(async () => {
        await workspaces.add(ws);
        await members.add(aMember({ workspaceId: ws.id }));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await workspaces.findById(ws.id)).toBeNull();
  });
});
