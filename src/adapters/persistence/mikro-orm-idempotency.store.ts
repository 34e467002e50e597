// Idempotency records in PostgreSQL: the primary key makes the claim atomic across instances. The stored
// first response is sealed (SealedBox), bound to its scope and key: it may carry a plaintext API key or a
// webhook signing secret, which must not sit in the database in clear. A response sealed under a key that is
// no longer configured is refused (EncryptionKeyMissing), never taken for "no response": running the
// request again would create a second thing.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { decide, type IdempotencyRecord } from '@domain/idempotency/idempotency-key.js';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  IdempotencyStore,
  type IdempotencyClaim,
  type IdempotencyStart,
} from '@application/ports/idempotency.store.js';
import { sealedFrom, type SealedBox } from '../crypto/sealed-box.js';
import { execute } from './sql.js';

interface Row {
  fingerprint: string;
  state: string;
  owner: string | null;
  leased_until: Date | string | null;
  response_status: number | null;
  response_key_id: string | null;
  response_iv: Buffer | Uint8Array | null;
  response_tag: Buffer | Uint8Array | null;
  response_ciphertext: Buffer | Uint8Array | null;
  created_at: Date | string;
}

export class MikroOrmIdempotencyStore extends IdempotencyStore {
  constructor(
    private readonly em: EntityManager,
    private readonly box: SealedBox,
  ) {
    super();
  }

  private sql<T>(query: string, params: unknown[]): Promise<T[]> {
    return execute<T>(this.em, query, params);
  }

  async begin(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyStart> {
    const leasedUntil = new Date(now.getTime() + IDEMPOTENCY_LEASE_MS);
    // Each step is a compare-and-set on the row as read: a racing request that changed it makes us read again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const owner = randomUUID();
      const inserted = await this.sql<{ key: string }>(
        `insert into idempotency_keys (scope, key, fingerprint, state, owner, leased_until, created_at)
         values (?, ?, ?, 'running', ?, ?, ?) on conflict (scope, key) do nothing returning key`,
        [scope, key, fingerprint, owner, leasedUntil, now],
      );
      if (inserted.length > 0) return { kind: 'started', claim: { scope, key, owner, takenOver: false } };
      const [row] = await this.sql<Row>(
        `select fingerprint, state, owner, leased_until, response_status, response_key_id, response_iv,
           response_tag, response_ciphertext, created_at from idempotency_keys where scope = ? and key = ?`,
        [scope, key],
      );
      if (!row) continue;
      const decision = decide(this.record(row), fingerprint, now);
      const same = 'scope = ? and key = ? and created_at = ? and owner is not distinct from ?';
      const was = [scope, key, new Date(row.created_at), row.owner];
      if (decision.kind === 'claim') {
        await this.sql(`delete from idempotency_keys where ${same}`, was);
        continue;
      }
      if (decision.kind === 'take_over') {
        const taken = await this.sql<{ key: string }>(
          `update idempotency_keys set owner = ?, leased_until = ? where ${same} and state = 'running'
           returning key`,
          [owner, leasedUntil, ...was],
        );
        if (taken.length > 0) return { kind: 'started', claim: { scope, key, owner, takenOver: true } };
        continue;
      }
      // The stored response is opened only when the domain replays it (another body is refused, and a
      // record past its 24 hours forgotten, whatever it holds).
      if (decision.kind === 'replay') return { ...decision, body: this.open(scope, key, row) };
      return decision;
    }
    throw new Error('could not claim the idempotency key');
  }

  /** The row as the domain's `decide` reads it; a done request's body is opened once a replay is decided. */
  private record(row: Row): IdempotencyRecord {
    return {
      fingerprint: row.fingerprint,
      createdAt: new Date(row.created_at),
      response: row.state === 'done' ? { status: row.response_status ?? 0, body: undefined } : null,
      leasedUntil: row.leased_until === null ? null : new Date(row.leased_until),
    };
  }

  /** The stored response; throws EncryptionKeyMissing (or SealedValueCorrupt) rather than run it again. */
  private open(scope: string, key: string, row: Row): unknown {
    if (!row.response_iv || !row.response_tag || !row.response_ciphertext)
      throw new Error(`the idempotency record ${scope} ${key} is done but holds no response`);
    const plain = this.box.open(
      sealedFrom({
        keyId: row.response_key_id,
        iv: row.response_iv,
        tag: row.response_tag,
        ciphertext: row.response_ciphertext,
      }),
      idempotencyAad(scope, key),
      'the stored response to this Idempotency-Key',
    );
    return JSON.parse(plain) as unknown;
  }

  async renew(claim: IdempotencyClaim, now: Date): Promise<boolean> {
    const renewed = await this.sql<{ key: string }>(
      `update idempotency_keys set leased_until = ?
       where scope = ? and key = ? and owner = ? and state = 'running' returning key`,
      [new Date(now.getTime() + IDEMPOTENCY_LEASE_MS), claim.scope, claim.key, claim.owner],
    );
    return renewed.length > 0;
  }

  async complete(claim: IdempotencyClaim, status: number, body: unknown): Promise<void> {
    const { scope, key, owner } = claim;
    const sealed = this.box.seal(JSON.stringify(body ?? null), idempotencyAad(scope, key));
    await this.sql(
      `update idempotency_keys set state = 'done', leased_until = null, response_status = ?, response_key_id = ?,
         response_iv = ?, response_tag = ?, response_ciphertext = ? where scope = ? and key = ? and owner = ?`,
      [status, sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext, scope, key, owner],
    );
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    await this.sql(
      `delete from idempotency_keys where scope = ? and key = ? and owner = ? and state = 'running'`,
      [claim.scope, claim.key, claim.owner],
    );
  }

  async purgeExpired(now: Date): Promise<number> {
    const [gone] = await this.sql<{ n: number }>(
      'with gone as (delete from idempotency_keys where created_at <= ? returning 1) select count(*)::int as n from gone',
      [new Date(now.getTime() - IDEMPOTENCY_TTL_MS)],
    );
    return Number(gone?.n ?? 0);
  }
}

/** The record's identity as associated data: a sealed response cannot be replayed under another key. */
export function idempotencyAad(scope: string, key: string): string {
  return JSON.stringify(['idempotency', scope, key]);
}
