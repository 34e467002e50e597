// API keys are 256 random bits; a plain SHA-256 is the right hash for such high-entropy secrets (no
// password stretching needed) and lets a key be found by its hash in one indexed lookup.
import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PREFIX } from '@domain/workspace/api-key.js';
import { Secrets } from '@application/ports/secrets.js';

export class NodeCryptoSecrets extends Secrets {
  newApiKey(): string {
    return API_KEY_PREFIX + randomBytes(32).toString('base64url');
  }

  randomToken(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }

  hash(secret: string): string {
    return createHash('sha256').update(secret, 'utf8').digest('hex');
  }
}
