// The Kailenty-Signature header, checked against an independent HMAC computed here with node:crypto.
import { createHmac } from 'node:crypto';
import { kailentySignature, verifyKailentySignature } from '@adapters/webhooks/kailenty-signature.js';

const secret = 'whsec_test-secret';
const body = JSON.stringify({
  id: 'evt',
  type: 'booking.created',
  createdAt: '2026-12-01T08:00:00.000Z',
  data: {},
});
const at = new Date('2026-12-01T08:00:00.750Z');
const t = 1796112000; // 2026-12-01T08:00:00Z in Unix seconds

describe('Kailenty-Signature', () => {
  it('is t=<unix seconds>,v1=<lowercase hex HMAC-SHA256 of "<t>.<body>">', () => {
    const header = kailentySignature(secret, body, at);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('verifies the body as sent, as a string or as raw bytes', () => {
    const header = kailentySignature(secret, body, at);
    expect(verifyKailentySignature(secret, header, body, 300, at)).toBe(true);
    expect(verifyKailentySignature(secret, header, Buffer.from(body), 300, at)).toBe(true);
  });

  it('refuses a tampered body, another secret, or a malformed header', () => {
    const header = kailentySignature(secret, body, at);
    expect(verifyKailentySignature(secret, header, body.replace('created', 'cancelled'), 300, at)).toBe(
      false,
    );
    expect(verifyKailentySignature(`${secret}x`, header, body, 300, at)).toBe(false);
    expect(verifyKailentySignature(secret, undefined, body, 300, at)).toBe(false);
    expect(verifyKailentySignature(secret, header.replace(/v1=/, 'v0='), body, 300, at)).toBe(false);
    expect(verifyKailentySignature(secret, `t=${t + 1},${header.split(',')[1]}`, body, 300, at)).toBe(false);
    expect(verifyKailentySignature(secret, `t=${t}`, body, 300, at)).toBe(false);
  });

  it('refuses a signature older (or newer) than the tolerance, so a captured request cannot be replayed later', () => {
    const header = kailentySignature(secret, body, at);
    expect(verifyKailentySignature(secret, header, body, 300, new Date((t + 300) * 1000))).toBe(true);
    expect(verifyKailentySignature(secret, header, body, 300, new Date((t + 301) * 1000))).toBe(false);
    expect(verifyKailentySignature(secret, header, body, 300, new Date((t - 301) * 1000))).toBe(false);
    expect(verifyKailentySignature(secret, header, body, 3600, new Date((t + 3000) * 1000))).toBe(true);
  });

  it('accepts any of several v1 values (a secret being rotated)', () => {
    const header = kailentySignature(secret, body, at);
    const other = kailentySignature('whsec_old', body, at).split(',')[1];
    expect(verifyKailentySignature(secret, `${header},${other}`, body, 300, at)).toBe(true);
    expect(verifyKailentySignature(secret, `t=${t},${other}`, body, 300, at)).toBe(false);
  });
});
