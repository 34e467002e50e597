// The Kailenty-Signature header: `t=<unix seconds>,v1=<lowercase hex HMAC-SHA256(secret, "<t>.<body>")>`.
// Exported for product teams to copy and for tests: receivers verify with `verifyKailentySignature`.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Kailenty-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function kailentySignature(secret: string, body: string, signedAt: Date): string {
  const t = Math.floor(signedAt.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Whether `header` signs `rawBody` (the bytes as received, before any JSON parsing) with `secret`, at a time
 * within `toleranceSeconds` of `now` (old signatures are refused, so a captured request cannot be replayed
 * later). Several `v1` values are accepted, any of which may match (room for rotating secrets).
 */
export function verifyKailentySignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Buffer,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  now: Date = new Date(),
): boolean {
  if (typeof header !== 'string') return false;
  let t: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) t = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (t === null || signatures.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret)
    .update(`${t}.`, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest();
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}
