// Manage-link tokens: 32 random bytes in base64url (256 bits), found by their SHA-256 and sealed with the
// service's AES-256-GCM token cipher, the booking id as associated data so a sealed token opens only on
// its own row. The one place that knows how manage tokens are made and kept.
import { createHash, randomBytes } from 'node:crypto';
import { ManageTokens, type IssuedManageToken } from '@application/ports/manage-tokens.js';
import { SealedBox } from '../crypto/sealed-box.js';

/** 32 bytes in base64url, unpadded: exactly 43 characters of the URL-safe alphabet. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const AAD_PREFIX = 'kailenty manage token ';

/** Opened tokens kept at most (the oldest go first). */
const MAX_OPENED = 10_000;

export class NodeCryptoManageTokens extends ManageTokens {
  /**
   * Tokens already opened, by booking and sealed value: every read of a booking shows its manage link, and
   * AES-GCM's decipher is a tenth of such a read. The process holds the keys that open them anyway; the keys
   * it opens with change only with a restart (`TOKEN_ENCRYPTION_KEY`).
   */
  private readonly opened = new Map<string, string | null>();

  constructor(private readonly box: SealedBox) {
    super();
  }

  issue(bookingId: string): IssuedManageToken {
    const token = randomBytes(32).toString('base64url');
    const sealed = this.box.seal(token, AAD_PREFIX + bookingId);
    return {
      token,
      hash: sha256(token),
      sealed: [sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.'),
    };
  }

  reveal(bookingId: string, sealed: string): string | null {
    const key = `${bookingId} ${sealed}`;
    const known = this.opened.get(key);
    if (known !== undefined) return known;
    const token = this.open(bookingId, sealed);
    if (this.opened.size >= MAX_OPENED) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(key, token);
    return token;
  }

  private open(bookingId: string, sealed: string): string | null {
    const [keyId, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (!keyId || !iv || !tag || !ciphertext || rest.length > 0) return null;
    let token: string;
    try {
      token = this.box.open(
        {
          keyId,
          iv: Buffer.from(iv, 'base64url'),
          tag: Buffer.from(tag, 'base64url'),
          ciphertext: Buffer.from(ciphertext, 'base64url'),
        },
        AAD_PREFIX + bookingId,
        "a booking's manage link",
      );
    } catch {
      // Under a key no longer configured (logged by the box) or altered: the booking shows no manage link.
      return null;
    }
    return TOKEN.test(token) ? token : null;
  }

  hash(token: string): string | null {
    return TOKEN.test(token) ? sha256(token) : null;
  }
}

function sha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
