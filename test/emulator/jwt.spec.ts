// The emulator's token signatures: a token once verified is still refused when its signature or claims are
// altered, and a token of another key is refused, however often the genuine one was checked before.
import { generateSigningKey, signJwt, verifyJwt } from '@emulator/jwt.js';

describe('emulator JWT verification', () => {
  const key = generateSigningKey();
  const other = generateSigningKey();

  it('returns the claims of a genuine token, again and again', () => {
    const token = signJwt(key, { uti: 'abc', aud: 'https://graph.microsoft.com' });
    for (let i = 0; i < 3; i++)
      expect(verifyJwt(key, token)).toEqual({ uti: 'abc', aud: 'https://graph.microsoft.com' });
  });

  it('refuses an altered or foreign token after the genuine one was verified', () => {
    const token = signJwt(key, { uti: 'abc' });
    expect(verifyJwt(key, token)).toBeDefined();
    const [head, , signature] = token.split('.');
    const forgedClaims = `${head}.${Buffer.from(JSON.stringify({ uti: 'xyz' })).toString('base64url')}.${signature}`;
    expect(verifyJwt(key, forgedClaims)).toBeUndefined();
    expect(verifyJwt(key, `${token.slice(0, -4)}AAAA`)).toBeUndefined();
    expect(verifyJwt(other, token)).toBeUndefined();
    expect(verifyJwt(key, signJwt(other, { uti: 'abc' }))).toBeUndefined();
  });
});
