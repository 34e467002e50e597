// In-memory idempotency records, with the same expiry and take-over rules as the database store.
import { DomainError } from '@domain/shared/domain-error.js';
import {
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_TTL_MS,
  IdempotencyStore,
  type IdempotencyStart,
} from '@application/ports/idempotency.store.js';

interface Row {
  fingerprint: string;
  createdAt: number;
  done: boolean;
  status: number;
  body: unknown;
}

export class InMemoryIdempotencyStore extends IdempotencyStore {
  private readonly rows = new Map<string, Row>();

  async begin(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyStart> {
    const id = `${scope}\u0000${key}`;
    const row = this.rows.get(id);
    const t = now.getTime();
    const stale =
      row &&
      (t - row.createdAt >= IDEMPOTENCY_TTL_MS || (!row.done && t - row.createdAt >= IDEMPOTENCY_LOCK_MS));
    if (!row || stale) {
      this.rows.set(id, { fingerprint, createdAt: t, done: false, status: 0, body: null });
      return { kind: 'started' };
    }
    return decide(row.fingerprint, fingerprint, row.done, row.status, row.body);
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    const row = this.rows.get(`${scope}\u0000${key}`);
    if (row) Object.assign(row, { done: true, status, body: structuredClone(body) });
  }

  async release(scope: string, key: string): Promise<void> {
    const id = `${scope}\u0000${key}`;
    if (this.rows.get(id)?.done === false) this.rows.delete(id);
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [id, row] of this.rows) {
      if (now.getTime() - row.createdAt >= IDEMPOTENCY_TTL_MS && this.rows.delete(id)) purged++;
    }
    return purged;
  }
}

export function decide(
  stored: string,
  presented: string,
  done: boolean,
  status: number,
  body: unknown,
): IdempotencyStart {
  if (stored !== presented) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with another request body; use a new key for a new request.',
    );
  }
  if (!done) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_IN_USE',
      'A request with this Idempotency-Key is still being processed.',
    );
  }
  return { kind: 'replay', status, body };
}
