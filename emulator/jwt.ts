// RS256 signing for the emulator's ID and access tokens, and the JWKS that publishes the key,
// with nothing but node:crypto.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export function generateSigningKey(privatePem?: string): SigningKey {
  const privateKey = privatePem
    ? createPrivateKey(privatePem)
    : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  // Entra's kids are opaque short strings; a thumbprint keeps ours stable for a given key.
  const kid = createHash('sha256').update(der).digest('base64url').slice(0, 27);
  return { kid, privateKey, publicKey };
}

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('RSA-SHA256', Buffer.from(input), key.privateKey);
  return `${input}.${b64url(signature)}`;
}

/**
 * Each key's tokens whose signature was checked, with their claims: a signature's validity never changes, and
 * a busy emulator checked the same token's RSA signature on every call (the lifetime and revocation of a token
 * are judged by the caller on every call still). At most `VERIFIED_KEPT` per key, the oldest dropped first.
 */
const verified = new WeakMap<SigningKey, Map<string, Record<string, unknown>>>();
const VERIFIED_KEPT = 10_000;

/** Verifies the signature and returns the claims, or undefined for anything malformed or forged. */
export function verifyJwt(key: SigningKey, token: string): Record<string, unknown> | undefined {
  let known = verified.get(key);
  if (!known) verified.set(key, (known = new Map()));
  const claims = known.get(token);
  if (claims) return claims;
  const checked = verifySignature(key, token);
  if (checked) {
    if (known.size >= VERIFIED_KEPT) known.delete(known.keys().next().value!);
    known.set(token, checked);
  }
  return checked;
}

function verifySignature(key: SigningKey, token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'RS256' || header.kid !== key.kid) return undefined;
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      key.publicKey,
      Buffer.from(parts[2], 'base64url'),
    );
    if (!ok) return undefined;
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Reads claims without checking anything: for routing faults and logs only. */
export function peekJwt(token: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function jwks(key: SigningKey) {
  const jwk = key.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e }] };
}
