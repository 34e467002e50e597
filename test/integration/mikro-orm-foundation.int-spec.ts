// The MikroORM adapters pass the foundation contract on PGlite (and on PostgreSQL when DATABASE_URL is set),
// and the database itself enforces what the domain states.
import { MikroOrmApiKeyRepository } from '@adapters/persistence/mikro-orm-api-key.repository.js';
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmIdempotencyStore } from '@adapters/persistence/mikro-orm-idempotency.store.js';
import { MikroOrmUnitOfWork } from '@adapters/persistence/mikro-orm-unit-of-work.js';
import { migrate } from '@adapters/persistence/orm.js';
import { EncryptionKeyMissing, SealedBox, keyIdOf } from '@adapters/crypto/sealed-box.js';
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
      idempotency: new MikroOrmIdempotencyStore(em, new SealedBox([Buffer.alloc(32, 5)])),
    };
  },
);

describe('the idempotency store', () => {
  const now = new Date('2026-12-01T08:00:00Z');

  async function claim(store: MikroOrmIdempotencyStore, scope: string, key: string) {
    const start = await store.begin(scope, key, 'f', now);
    if (start.kind !== 'started') throw new Error(`not claimed: ${start.kind}`);
    return start.claim;
  }

  it('seals stored responses at rest, and refuses to run again when their key is not configured', async () => {
    const oldKey = Buffer.alloc(32, 5);
    const store = new MikroOrmIdempotencyStore(db.orm.em, new SealedBox([oldKey]));
    const scope = 'operator POST /v1/workspaces/x/api-keys';
    const body = { apiKey: 'kly_secret-value-123', apiKeyId: 'k1' };
    await store.complete(await claim(store, scope, 'sealed'), 201, body);
    const [row] = await db.orm.em
      .getConnection()
      .execute<{ dump: string }[]>(
        `select row_to_json(k)::text as dump from idempotency_keys k where key = 'sealed'`,
      );
    expect(row!.dump).not.toContain('kly_');
    expect(row!.dump).not.toContain(Buffer.from('kly_').toString('hex'));
    // Rotation: a newer key first, the old one still configured, replays the same body.
    const rotated = new MikroOrmIdempotencyStore(db.orm.em, new SealedBox([Buffer.alloc(32, 6), oldKey]));
    expect(await rotated.begin(scope, 'sealed', 'f', now)).toEqual({ kind: 'replay', status: 201, body });
    // Sealed for its own record: moved under another key, it does not open (and is not run again).
    await db.orm.em.getConnection().execute(`update idempotency_keys set key = 'moved' where key = 'sealed'`);
    await expect(rotated.begin(scope, 'moved', 'f', now)).rejects.toThrow(/cannot be opened/);
    // The old key removed: the stored response cannot be read, and the request is refused rather than
    // run a second time.
    await store.complete(await claim(store, scope, 'retired'), 201, body);
    const newOnly = new MikroOrmIdempotencyStore(db.orm.em, new SealedBox([Buffer.alloc(32, 6)]));
    const refused = newOnly.begin(scope, 'retired', 'f', now);
    await expect(refused).rejects.toBeInstanceOf(EncryptionKeyMissing);
    await expect(refused).rejects.toMatchObject({ keyId: keyIdOf(oldKey) });
    // Another body with that key is still refused as reused: the response need not be opened for it.
    expect(await newOnly.begin(scope, 'retired', 'other', now)).toEqual({ kind: 'reused' });
    // Past its 24 hours the record is gone whatever its key, and the key is free again.
    const later = new Date(now.getTime() + 24 * 60 * 60 * 1000);
    expect(await newOnly.begin(scope, 'retired', 'f', later)).toMatchObject({ kind: 'started' });
  });
});

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
