// The PostgreSQL adapters of the sign-in ports pass the contract (PGlite, or a server with DATABASE_URL),
// and the vault's rows are encrypted.
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import { MikroOrmAuthorizationStateRepository } from '@adapters/persistence/mikro-orm-authorization-state.repository.js';
import { MikroOrmMicrosoftConnectionRepository } from '@adapters/persistence/mikro-orm-microsoft-connection.repository.js';
import { MikroOrmTenantConsentRepository } from '@adapters/persistence/mikro-orm-tenant-consent.repository.js';
import { MikroOrmCalendarVersions } from '@adapters/persistence/mikro-orm-calendar-versions.js';
import { EncryptedTokenVault } from '@adapters/persistence/encrypted-token-vault.js';
import { EncryptionKeyMissing, SealedBox, keyIdOf } from '@adapters/crypto/sealed-box.js';
import { microsoftRepositoryContract } from '../contract/microsoft-repositories.contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aMember, aWorkspace } from '../builders/member.builder.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);

microsoftRepositoryContract(`MikroORM on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, async () => {
  const em = db.orm.em;
  return {
    connections: new MikroOrmMicrosoftConnectionRepository(em),
    consents: new MikroOrmTenantConsentRepository(em),
    states: new MikroOrmAuthorizationStateRepository(em),
    versions: new MikroOrmCalendarVersions(em),
    vault: new EncryptedTokenVault(em, new SealedBox([newKey])),
    given: async (n) => {
      const ws = aWorkspace();
      await new MikroOrmWorkspaceRepository(em).add(ws);
      const members = new MikroOrmMemberRepository(em);
      const memberIds: string[] = [];
      for (let i = 0; i < n; i++) {
        const m = aMember({ workspaceId: ws.id });
        await members.add(m);
        memberIds.push(m.id);
      }
      return { workspaceId: ws.id, memberIds };
    },
  };
});

describe('the encrypted token vault', () => {
  it('stores ciphertext only, re-seals under the newest key on read, and reports a missing key as such', async () => {
    const em = db.orm.em;
    const ws = aWorkspace();
    await new MikroOrmWorkspaceRepository(em).add(ws);
    const m = aMember({ workspaceId: ws.id });
    await new MikroOrmMemberRepository(em).add(m);
    const key = { workspaceId: ws.id, memberId: m.id, homeAccountId: 'x.t' };
    await new EncryptedTokenVault(em, new SealedBox([oldKey])).save(key, '{"RefreshToken":"secret-rt"}');
    const raw = async () =>
      (
        await em
          .getConnection()
          .execute<{ ciphertext: Buffer; key_id: string }[]>(
            'select ciphertext, key_id from microsoft_token_caches where member_id = ?',
            [m.id],
          )
      )[0]!;
    expect(Buffer.from((await raw()).ciphertext).toString('latin1')).not.toContain('secret-rt');
    const before = (await raw()).key_id;
    // Rotation: the new key first, the old one still configured for reading.
    const rotated = new EncryptedTokenVault(em, new SealedBox([newKey, oldKey]));
    expect(await rotated.load(key)).toBe('{"RefreshToken":"secret-rt"}');
    expect((await raw()).key_id).not.toBe(before);
    // The old key can go now.
    expect(await new EncryptedTokenVault(em, new SealedBox([newKey])).load(key)).toBe(
      '{"RefreshToken":"secret-rt"}',
    );
    // Without its key the cache is not "no tokens" (which would read as a revocation) but a missing key.
    const missing = new EncryptedTokenVault(em, new SealedBox([Buffer.alloc(32, 3)])).load(key);
    await expect(missing).rejects.toBeInstanceOf(EncryptionKeyMissing);
    await expect(missing).rejects.toMatchObject({ code: 'ENCRYPTION_KEY_MISSING', keyId: keyIdOf(newKey) });
    // Moved to another member's row, it does not open under the right key either.
    const other = aMember({ workspaceId: ws.id });
    await new MikroOrmMemberRepository(em).add(other);
    await em
      .getConnection()
      .execute('update microsoft_token_caches set member_id = ? where member_id = ?', [other.id, m.id]);
    await expect(
      new EncryptedTokenVault(em, new SealedBox([newKey])).load({ ...key, memberId: other.id }),
    ).rejects.toThrow(/cannot be opened/);
  });
});
