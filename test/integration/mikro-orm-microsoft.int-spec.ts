// The PostgreSQL adapters of the sign-in ports pass the contract (PGlite, or a server with DATABASE_URL),
// and the vault's rows are encrypted.
import { MikroOrmWorkspaceRepository } from '@adapters/persistence/mikro-orm-workspace.repository.js';
import { MikroOrmMemberRepository } from '@adapters/persistence/mikro-orm-member.repository.js';
import {
  MikroOrmAuthorizationStateRepository,
  MikroOrmMicrosoftConnectionRepository,
  MikroOrmTenantConsentRepository,
} from '@adapters/persistence/mikro-orm-microsoft-connection.repository.js';
import { MikroOrmCalendarVersions } from '@adapters/persistence/mikro-orm-calendar-versions.js';
import { EncryptedTokenVault, TokenCipher } from '@adapters/microsoft/entra/token-vault.js';
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
    vault: new EncryptedTokenVault(em, new TokenCipher([newKey])),
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
  it('stores ciphertext only, and re-encrypts under the newest key when an older one is rotated out', async () => {
    const em = db.orm.em;
    const ws = aWorkspace();
    await new MikroOrmWorkspaceRepository(em).add(ws);
    const m = aMember({ workspaceId: ws.id });
    await new MikroOrmMemberRepository(em).add(m);
    const key = { workspaceId: ws.id, memberId: m.id, homeAccountId: 'x.t' };
    await new EncryptedTokenVault(em, new TokenCipher([oldKey])).save(key, '{"RefreshToken":"secret-rt"}');
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
    const rotated = new EncryptedTokenVault(em, new TokenCipher([newKey, oldKey]));
    expect(await rotated.load(key)).toBe('{"RefreshToken":"secret-rt"}');
    expect((await raw()).key_id).not.toBe(before);
    // The old key can go now.
    expect(await new EncryptedTokenVault(em, new TokenCipher([newKey])).load(key)).toBe(
      '{"RefreshToken":"secret-rt"}',
    );
    // Without the key nothing is readable.
    expect(await new EncryptedTokenVault(em, new TokenCipher([Buffer.alloc(32, 3)])).load(key)).toBeNull();
  });
});
