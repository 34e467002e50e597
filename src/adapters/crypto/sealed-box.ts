// Sealing of secrets kept in the database (Microsoft token caches, webhook signing secrets, stored
// idempotent responses): AES-256-GCM under the TOKEN_ENCRYPTION_KEY keys, the newest sealing, every
// configured key opening. Each sealed value names its key by id, so that a value whose key was removed is
// reported as a configuration problem (EncryptionKeyMissing) rather than taken for "no value".
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DomainError } from '@domain/shared/domain-error.js';

/** A sealed value as stored: the id of the key that sealed it, beside the AES-GCM nonce, tag and bytes. */
export interface Sealed {
  /** The key's id (see `keyIdOf`); empty or null for a value that does not say (every key is tried). */
  keyId: string | null;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** A key's public name: the first 16 hex digits of its SHA-256 (reveals nothing usable about the key). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * A sealed value names a key that is not configured: the operator removed a key that still seals
 * records. A configuration error of the service (500 ENCRYPTION_KEY_MISSING), never the user's.
 */
export class EncryptionKeyMissing extends DomainError {
  constructor(
    readonly keyId: string,
    /** What could not be opened, in words ("the stored response to this Idempotency-Key"). */
    readonly what: string,
  ) {
    super(
      'ENCRYPTION_KEY_MISSING',
      `${capitalized(what)} is sealed under encryption key ${keyId}, which is not configured ` +
        '(TOKEN_ENCRYPTION_KEY): the operator must configure that key again.',
    );
    this.name = 'EncryptionKeyMissing';
  }
}

/** A configured key fails to open the value: it was altered, or copied from another record. */
export class SealedValueCorrupt extends Error {
  constructor(
    readonly keyId: string | null,
    readonly what: string,
  ) {
    super(`${capitalized(what)} cannot be opened: it was altered or belongs to another record.`);
    this.name = 'SealedValueCorrupt';
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How often the same missing key is logged at most: loops that meet it every second must not flood. */
const LOG_EVERY_MS = 60_000;

/** AES-256-GCM with the record's identity as associated data, so a sealed value cannot move to another row. */
export class SealedBox {
  private readonly keys: { id: string; key: Buffer }[];
  private readonly logger = new Logger('Encryption');
  private readonly lastLogged = new Map<string, number>();

  /** `keys`: 32-byte keys, newest first (the newest seals; all of them open). */
  constructor(keys: Buffer[]) {
    if (keys.length === 0 || keys.some((k) => k.length !== 32))
      throw new Error('encryption keys must be 32 bytes (TOKEN_ENCRYPTION_KEY)');
    this.keys = keys.map((key) => ({ id: keyIdOf(key), key }));
  }

  /** The key that seals: the first of TOKEN_ENCRYPTION_KEY. */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  /** Every configured key id, newest first. */
  get keyIds(): string[] {
    return this.keys.map((k) => k.id);
  }

  has(keyId: string): boolean {
    return this.keys.some((k) => k.id === keyId);
  }

  seal(plaintext: string, aad: string): Sealed & { keyId: string } {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: id, iv, tag: cipher.getAuthTag(), ciphertext };
  }

  /**
   * The plaintext. Throws EncryptionKeyMissing when the value's key is not configured (and logs it, at
   * most once a minute per key), SealedValueCorrupt when its key does not authenticate it.
   */
  open(sealed: Sealed, aad: string, what: string): string {
    const candidates = sealed.keyId ? this.keys.filter((k) => k.id === sealed.keyId) : this.keys;
    if (candidates.length === 0) {
      this.logMissing(sealed.keyId!, what);
      throw new EncryptionKeyMissing(sealed.keyId!, what);
    }
    for (const { key } of candidates) {
      const plain = tryOpen(key, sealed, aad);
      if (plain !== null) return plain;
    }
    throw new SealedValueCorrupt(sealed.keyId, what);
  }

  private logMissing(keyId: string, what: string): void {
    const now = Date.now();
    const last = this.lastLogged.get(keyId);
    if (last !== undefined && now - last < LOG_EVERY_MS) return;
    this.lastLogged.set(keyId, now);
    this.logger.error(
      `${capitalized(what)} is sealed under encryption key ${keyId}, which is not in TOKEN_ENCRYPTION_KEY ` +
        `(configured: ${this.keyIds.join(', ')}). Configure that key again, then run npm run keys:rotate.`,
    );
  }
}

function tryOpen(key: Buffer, sealed: Sealed, aad: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** A row's bytea columns as Buffers (PGlite hands back Uint8Array). */
export function sealedFrom(row: {
  keyId: string | null;
  iv: Buffer | Uint8Array;
  tag: Buffer | Uint8Array;
  ciphertext: Buffer | Uint8Array;
}): Sealed {
  return {
    keyId: row.keyId,
    iv: Buffer.from(row.iv),
    tag: Buffer.from(row.tag),
    ciphertext: Buffer.from(row.ciphertext),
  };
}
