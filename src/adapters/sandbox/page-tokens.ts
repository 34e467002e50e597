// The sandbox start page's form token: a form on another site cannot make a visitor's browser start a
// sign-in here, for it cannot read the start page to learn a token. A token is the time it was issued and
// an HMAC of it under a key made at each start (a restart makes older pages' forms ask for a reload).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VALID_MS = 12 * 3_600_000;

export class PageTokens {
  private readonly key = randomBytes(32);

  issue(now: Date): string {
    const issued = String(now.getTime());
    return `${issued}.${this.mac(issued)}`;
  }

  isValid(token: string | null | undefined, now: Date): boolean {
    const match = /^(\d{1,15})\.([\w-]{43})$/.exec(token ?? '');
    if (!match) return false;
    const [, issued, mac] = match as unknown as [string, string, string];
    const age = now.getTime() - Number(issued);
    if (age < 0 || age > VALID_MS) return false;
    return timingSafeEqual(Buffer.from(mac), Buffer.from(this.mac(issued)));
  }

  private mac(issued: string): string {
    return createHmac('sha256', this.key).update(`start-page:${issued}`).digest('base64url');
  }
}
