// Manage tokens: 256 random bits, found by hash, sealed so that only the booking they were made for opens
// them; anything that is not exactly a token has no hash (a lookup never runs for it).
import { jest } from '@jest/globals';
import { NodeCryptoManageTokens } from '@adapters/system/node-crypto-manage-tokens.js';
import { SealedBox } from '@adapters/crypto/sealed-box.js';
import { redactUrl } from '@adapters/nest/logging.module.js';

const tokens = new NodeCryptoManageTokens(new SealedBox([Buffer.alloc(32, 1)]));
const id = '2b7c1f3e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('NodeCryptoManageTokens', () => {
  it('issues 43-character base64url tokens (32 bytes), all different, hashed with SHA-256', () => {
    const issued = Array.from({ length: 200 }, () => tokens.issue(id));
    expect(new Set(issued.map((i) => i.token)).size).toBe(200);
    for (const { token, hash } of issued) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(tokens.hash(token)).toBe(hash);
    }
  });

  it('reveals a sealed token for its own booking only, and under a configured key only', () => {
    const { token, sealed } = tokens.issue(id);
    expect(sealed).not.toContain(token);
    expect(tokens.reveal(id, sealed)).toBe(token);
    expect(tokens.reveal('9b7c1f3e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', sealed)).toBeNull();
    const [keyId, iv, tag, ciphertext] = sealed.split('.');
    const flipped = ciphertext!.startsWith('A') ? `B${ciphertext!.slice(1)}` : `A${ciphertext!.slice(1)}`;
    expect(tokens.reveal(id, [keyId, iv, tag, flipped].join('.'))).toBeNull();
    expect(tokens.reveal(id, 'garbage')).toBeNull();
    const rotated = new NodeCryptoManageTokens(new SealedBox([Buffer.alloc(32, 2), Buffer.alloc(32, 1)]));
    expect(rotated.reveal(id, sealed)).toBe(token);
    expect(new NodeCryptoManageTokens(new SealedBox([Buffer.alloc(32, 2)])).reveal(id, sealed)).toBeNull();
  });

  it('opens a sealed token once: a booking read again shows its link without another decipher', () => {
    const box = new SealedBox([Buffer.alloc(32, 1)]);
    const own = new NodeCryptoManageTokens(box);
    const { token, sealed } = own.issue(id);
    const open = jest.spyOn(box, 'open');
    expect(own.reveal(id, sealed)).toBe(token);
    expect(own.reveal(id, sealed)).toBe(token);
    expect(open).toHaveBeenCalledTimes(1);
    // Another booking's id is another question, answered by the box again (and refused).
    expect(own.reveal('9b7c1f3e-4d5a-4b6c-8d7e-9f0a1b2c3d4e', sealed)).toBeNull();
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('has no hash for what cannot be a token', () => {
    const { token } = tokens.issue(id);
    for (const bad of [
      '',
      token.slice(1),
      `${token}A`,
      `${token.slice(0, 42)}=`,
      `${token.slice(0, 42)}/`,
      id,
    ]) {
      expect(tokens.hash(bad)).toBeNull();
    }
  });
});

describe('manage tokens in logs', () => {
  it('are redacted from request URLs, on the page and in the public JSON', () => {
    const { token } = tokens.issue(id);
    expect(redactUrl(`/manage/${token}`)).toBe('/manage/[redacted]');
    expect(redactUrl(`/v1/public/manage/${token}/slots?start=x`)).toBe(
      '/v1/public/manage/[redacted]/slots?start=x',
    );
    expect(redactUrl(`/v1/public/manage/${token}/booking.ics`)).not.toContain(token);
  });
});
