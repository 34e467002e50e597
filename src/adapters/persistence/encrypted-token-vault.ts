// MSAL's token caches in PostgreSQL, sealed at rest (SealedBox: the newest key seals, every configured key
// opens); a cache sealed under a key that is no longer configured is an EncryptionKeyMissing error, never
// "no tokens" (which would read as a revocation).
import type { EntityManager } from '@mikro-orm/core';
import { TokenVault, type VaultKey } from '../microsoft/entra/token-vault.js';
import { sealedFrom, type SealedBox } from '../crypto/sealed-box.js';
import { execute } from './sql.js';

interface VaultRow {
  key_id: string;
  iv: Buffer | Uint8Array;
  tag: Buffer | Uint8Array;
  ciphertext: Buffer | Uint8Array;
}

export class EncryptedTokenVault extends TokenVault {
  constructor(
    private readonly em: EntityManager,
    private readonly box: SealedBox,
  ) {
    super();
  }

  async load(key: VaultKey): Promise<string | null> {
    const rows = await execute<VaultRow>(
      this.em,
      'select key_id, iv, tag, ciphertext from microsoft_token_caches where workspace_id = ? and member_id = ? and home_account_id = ?',
      [key.workspaceId, key.memberId, key.homeAccountId],
    );
    const row = rows[0];
    if (!row) return null;
    const plain = this.box.open(
      sealedFrom({ keyId: row.key_id, iv: row.iv, tag: row.tag, ciphertext: row.ciphertext }),
      tokenCacheAad(key),
      "this member's Microsoft token cache",
    );
    if (row.key_id !== this.box.currentKeyId) {
      // Sealed under an older key that is still configured: re-seal under the newest one, unless the row
      // changed meanwhile (a newer cache is never overwritten with this older one).
      const sealed = this.box.seal(plain, tokenCacheAad(key));
      await execute(
        this.em,
        `update microsoft_token_caches set key_id = ?, iv = ?, tag = ?, ciphertext = ?
         where member_id = ? and home_account_id = ? and key_id = ? and iv = ?`,
        [
          sealed.keyId,
          sealed.iv,
          sealed.tag,
          sealed.ciphertext,
          key.memberId,
          key.homeAccountId,
          row.key_id,
          Buffer.from(row.iv),
        ],
      );
    }
    return plain;
  }

  async save(key: VaultKey, serializedCache: string): Promise<void> {
    const sealed = this.box.seal(serializedCache, tokenCacheAad(key));
    await execute(
      this.em,
      `insert into microsoft_token_caches (member_id, home_account_id, workspace_id, key_id, iv, tag, ciphertext, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, now())
       on conflict (member_id, home_account_id) do update set key_id = excluded.key_id, iv = excluded.iv,
         tag = excluded.tag, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
      [
        key.memberId,
        key.homeAccountId,
        key.workspaceId,
        sealed.keyId,
        sealed.iv,
        sealed.tag,
        sealed.ciphertext,
      ],
    );
  }

  async delete(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void> {
    const run = <T>(q: string, params: unknown[]) => execute<T>(this.em, q, params);
    if (homeAccountId) {
      await run(
        'delete from microsoft_token_caches where workspace_id = ? and member_id = ? and home_account_id = ?',
        [workspaceId, memberId, homeAccountId],
      );
    } else {
      await run('delete from microsoft_token_caches where workspace_id = ? and member_id = ?', [
        workspaceId,
        memberId,
      ]);
    }
  }
}

/** The row's identity as associated data, so a sealed cache cannot be moved to another member or account. */
export function tokenCacheAad(key: VaultKey): string {
  return `${key.workspaceId}:${key.memberId}:${key.homeAccountId}`;
}
