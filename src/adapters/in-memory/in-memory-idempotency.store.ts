// In-memory idempotency records, decided by the same domain rule (`decide`) as the database store.
import { randomUUID } from 'node:crypto';
import { decide, type IdempotencyRecord } from '@domain/idempotency/idempotency-key.js';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  IdempotencyStore,
  type IdempotencyClaim,
  type IdempotencyStart,
} from '@application/ports/idempotency.store.js';

interface Row extends IdempotencyRecord {
  owner: string;
}

export class InMemoryIdempotencyStore extends IdempotencyStore {
  private readonly rows = new Map<string, Row>();

  private static id(scope: string, key: string): string {
    return `${scope}\u0000${key}`;
  }

  private own(claim: IdempotencyClaim): Row | undefined {
    const row = this.rows.get(InMemoryIdempotencyStore.id(claim.scope, claim.key));
    return row?.owner === claim.owner ? row : undefined;
  }

  async begin(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyStart> {
    const id = InMemoryIdempotencyStore.id(scope, key);
    const row = this.rows.get(id) ?? null;
    const decision = decide(row, fingerprint, now);
    const leasedUntil = new Date(now.getTime() + IDEMPOTENCY_LEASE_MS);
    const owner = randomUUID();
    switch (decision.kind) {
      case 'claim':
        this.rows.set(id, { fingerprint, createdAt: now, response: null, leasedUntil, owner });
        return { kind: 'started', claim: { scope, key, owner, takenOver: false } };
      case 'take_over':
        Object.assign(row!, { owner, leasedUntil });
        return { kind: 'started', claim: { scope, key, owner, takenOver: true } };
      default:
        return decision.kind === 'replay' ? { ...decision, body: structuredClone(decision.body) } : decision;
    }
  }

  async renew(claim: IdempotencyClaim, now: Date): Promise<boolean> {
    const row = this.own(claim);
    if (!row || row.response) return false;
    row.leasedUntil = new Date(now.getTime() + IDEMPOTENCY_LEASE_MS);
    return true;
  }

  async complete(claim: IdempotencyClaim, status: number, body: unknown): Promise<void> {
    const row = this.own(claim);
    if (row) Object.assign(row, { response: { status, body: structuredClone(body) }, leasedUntil: null });
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    const row = this.own(claim);
    if (row && !row.response) this.rows.delete(InMemoryIdempotencyStore.id(claim.scope, claim.key));
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [id, row] of this.rows) {
      if (now.getTime() - row.createdAt.getTime() >= IDEMPOTENCY_TTL_MS && this.rows.delete(id)) purged++;
    }
    return purged;
  }
}
