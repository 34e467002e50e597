// Where MSAL's token caches are kept, one per member and account. The database implementation encrypts
// them at rest with AES-256-GCM; keys rotate (the newest encrypts, every configured key decrypts).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { execute } from '../../persistence/sql.js';

export interface VaultKey {
  workspaceId: string;
  memberId: string;
  homeAccountId: string;
}

export abstract class TokenVault {
  abstract load(key: VaultKey): Promise<string | null>;
  abstract save(key: VaultKey, serializedCache: string): Promise<void>;
  /** Deletes the member's caches, or only one account's when `homeAccountId` is given. */
  abstract delete(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void>;
}

export class InMemoryTokenVault extends TokenVault {
  private readonly rows = new Map<string, string>();
  private id(key: VaultKey): string {
    return `${key.workspaceId}/${key.memberId}/${key.homeAccountId}`;
  }
  async load(key: VaultKey): Promise<string | null> {
    return this.rows.get(this.id(key)) ?? null;
  }
  async save(key: VaultKey, serializedCache: string): Promise<void> {
    this.rows.set(this.id(key), serializedCache);
  }
  async delete(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void> {
    const prefix = `${workspaceId}/${memberId}/${homeAccountId ?? ''}`;
    for (const id of [...this.rows.keys()])
      if (homeAccountId ? id === prefix : id.startsWith(prefix)) this.rows.delete(id);
  }
}

/** AES-256-GCM with the row's identity as associated data, so a ciphertext cannot be moved to another row. */
export class TokenCipher {
  private readonly keys: { id: string; key: Buffer }[];

  constructor(keys: Buffer[]) {
    if (keys.length === 0 || keys.some((k) => k.length !== 32))
      throw new Error('token encryption keys must be 32 bytes');
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 16), key }));
  }

  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  encrypt(plaintext: string, aad: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: id, iv, tag: cipher.getAuthTag(), ciphertext };
  }

  decrypt(row: { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer }, aad: string): string | null {
    const entry = this.keys.find((k) => k.id === row.keyId);
    if (!entry) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, row.iv);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(row.tag);
      return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

interface VaultRow {
  key_id: string;
  iv: Buffer | Uint8Array;
  tag: Buffer | Uint8Array;
  ciphertext: Buffer | Uint8Array;
}

export class EncryptedTokenVault extends TokenVault {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: TokenCipher,
  ) {
    super();
  }

  private aad(key: VaultKey): string {
    return `${key.workspaceId}:${key.memberId}:${key.homeAccountId}`;
  }

  async load(key: VaultKey): Promise<string | null> {
    const rows = await execute<VaultRow>(
      this.em,
      'select key_id, iv, tag, ciphertext from microsoft_token_caches where workspace_id = ? and member_id = ? and home_account_id = ?',
      [key.workspaceId, key.memberId, key.homeAccountId],
    );
    const row = rows[0];
    if (!row) return null;
    const plain = this.cipher.decrypt(
      {
        keyId: row.key_id,
        iv: Buffer.from(row.iv),
        tag: Buffer.from(row.tag),
        ciphertext: Buffer.from(row.ciphertext),
      },
      this.aad(key),
    );
    // Written under an older key that is still configured: re-encrypt under the newest one.
    if (plain !== null && row.key_id !== this.cipher.currentKeyId) await this.save(key, plain);
    return plain;
  }

  async save(key: VaultKey, serializedCache: string): Promise<void> {
    const sealed = this.cipher.encrypt(serializedCache, this.aad(key));
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
