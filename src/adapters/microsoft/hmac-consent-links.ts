// Consent and reconnect links as signed, self-contained tokens (HMAC-SHA256 under a key derived from
// TOKEN_ENCRYPTION_KEY): nothing to store, nothing to clean up, and they stop working when they expire.
// Every kind travels as `?link=`, which the request logs redact.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ConsentLinks, type ConsentLink } from '@application/ports/consent-links.js';

/** Where each kind of link opens: the admin consent link and the results on kailenty's own pages. */
export const LINK_PATHS: Record<ConsentLink['kind'], string> = {
  admin_consent: '/microsoft/admin-consent',
  reconnect: '/oauth/microsoft/reconnect',
  connection_result: '/microsoft/connection-result',
  admin_consent_result: '/microsoft/admin-consent/result',
};

export class HmacConsentLinks extends ConsentLinks {
  private readonly keys: Buffer[];

  constructor(
    private readonly publicUrl: string,
    secrets: Buffer[],
  ) {
    super();
    this.keys = secrets.map((secret) =>
      Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'kailenty consent links', 32)),
    );
  }

  create(link: ConsentLink, expiresAt: Date): string {
    const payload = Buffer.from(JSON.stringify({ ...link, exp: expiresAt.getTime() })).toString('base64url');
    const token = `${payload}.${this.sign(payload, this.keys[0]!)}`;
    return `${this.publicUrl}${LINK_PATHS[link.kind]}?link=${token}`;
  }

  open(token: string, now: Date): ConsentLink | null {
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return null;
    const given = Buffer.from(signature, 'base64url');
    const valid = this.keys.some((key) => {
      const expected = Buffer.from(this.sign(payload, key), 'base64url');
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid) return null;
    try {
      const { exp, ...link } = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as ConsentLink & {
        exp: number;
      };
      return typeof exp === 'number' && now.getTime() < exp ? (link as ConsentLink) : null;
    } catch {
      return null;
    }
  }

  private sign(payload: string, key: Buffer): string {
    return createHmac('sha256', key).update(payload).digest('base64url');
  }
}
