// The one sealing of stored secrets: key ids, rotation (newest seals, all open), values that name no key,
// and the two ways a value cannot be opened — its key is not configured, or it was altered or moved.
import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { EncryptionKeyMissing, SealedBox, SealedValueCorrupt, keyIdOf } from '@adapters/crypto/sealed-box.js';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);

describe('SealedBox', () => {
  afterEach(() => jest.restoreAllMocks());

  it('names each key by the first 16 hex digits of its SHA-256, newest first', () => {
    expect(keyIdOf(k1)).toBe(createHash('sha256').update(k1).digest('hex').slice(0, 16));
    const box = new SealedBox([k2, k1]);
    expect(box.keyIds).toEqual([keyIdOf(k2), keyIdOf(k1)]);
    expect(box.currentKeyId).toBe(keyIdOf(k2));
    expect(box.has(keyIdOf(k1))).toBe(true);
    expect(box.has(keyIdOf(Buffer.alloc(32, 3)))).toBe(false);
  });

  it('refuses to be made without a 32-byte key', () => {
    expect(() => new SealedBox([])).toThrow(/32 bytes/);
    expect(() => new SealedBox([Buffer.alloc(16)])).toThrow(/32 bytes/);
  });

  it('seals under the newest key with a fresh nonce, and opens under any configured key', () => {
    const sealed = new SealedBox([k1]).seal('whsec_abc', 'aad');
    expect(sealed.keyId).toBe(keyIdOf(k1));
    expect(sealed.ciphertext.toString('utf8')).not.toContain('whsec_abc');
    expect(new SealedBox([k2, k1]).open(sealed, 'aad', 'it')).toBe('whsec_abc');
    const again = new SealedBox([k2, k1]).seal('whsec_abc', 'aad');
    expect(again.keyId).toBe(keyIdOf(k2));
    expect(again.iv.equals(sealed.iv)).toBe(false);
  });

  it('opens a value that names no key with whichever configured key fits', () => {
    const sealed = new SealedBox([k1]).seal('legacy', 'aad');
    expect(new SealedBox([k2, k1]).open({ ...sealed, keyId: null }, 'aad', 'it')).toBe('legacy');
    expect(new SealedBox([k2, k1]).open({ ...sealed, keyId: '' }, 'aad', 'it')).toBe('legacy');
    expect(() => new SealedBox([k2]).open({ ...sealed, keyId: null }, 'aad', 'it')).toThrow(
      SealedValueCorrupt,
    );
  });

  it('reports a value under a key that is not configured as EncryptionKeyMissing, naming the key only', () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const sealed = new SealedBox([k1]).seal('whsec_secret', 'aad');
    let error: unknown;
    try {
      new SealedBox([k2]).open(sealed, 'aad', 'the signing secret of this endpoint');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EncryptionKeyMissing);
    expect(error).toMatchObject({ code: 'ENCRYPTION_KEY_MISSING', keyId: keyIdOf(k1) });
    expect((error as Error).message).toBe(
      `The signing secret of this endpoint is sealed under encryption key ${keyIdOf(k1)}, which is not configured (TOKEN_ENCRYPTION_KEY): the operator must configure that key again.`,
    );
    expect((error as Error).message).not.toContain(k1.toString('base64'));
  });

  it('logs a missing key with its id, at most once a minute per key', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const box = new SealedBox([k2]);
    const underK1 = new SealedBox([k1]).seal('x', 'aad');
    const k3 = Buffer.alloc(32, 3);
    const underK3 = new SealedBox([k3]).seal('x', 'aad');
    const attempt = (sealed: typeof underK1) => expect(() => box.open(sealed, 'aad', 'a cache')).toThrow();
    attempt(underK1);
    attempt(underK1);
    attempt(underK3);
    expect(logged).toHaveBeenCalledTimes(2);
    expect(logged.mock.calls[0]![0]).toContain(`encryption key ${keyIdOf(k1)}`);
    expect(logged.mock.calls[0]![0]).toContain(`configured: ${keyIdOf(k2)}`);
    expect(logged.mock.calls[1]![0]).toContain(keyIdOf(k3));
    now += 60_000;
    attempt(underK1);
    expect(logged).toHaveBeenCalledTimes(3);
  });

  it('refuses a value that was altered or moved to another record', () => {
    const box = new SealedBox([k1]);
    const sealed = box.seal('token cache', 'ws:member-a:acct');
    expect(() => box.open(sealed, 'ws:member-b:acct', 'a cache')).toThrow(SealedValueCorrupt);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: flipped }, 'ws:member-a:acct', 'a cache')).toThrow(
      /A cache cannot be opened/,
    );
  });
});
