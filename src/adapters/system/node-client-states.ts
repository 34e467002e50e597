// Client states for Graph subscriptions: 32 random bytes (43 characters, under Graph's 128), stored as a
// SHA-256 and compared hash to hash with timingSafeEqual, so a forged notification learns nothing by timing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ClientStates } from '@application/ports/client-states.js';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export class NodeClientStates extends ClientStates {
  issue(): { value: string; hash: string } {
    const value = randomBytes(32).toString('base64url');
    return { value, hash: sha256(value).toString('hex') };
  }

  matches(value: string | null, hash: string | null): boolean {
    if (value === null || hash === null || !/^[0-9a-f]{64}$/.test(hash)) return false;
    return timingSafeEqual(sha256(value), Buffer.from(hash, 'hex'));
  }
}
