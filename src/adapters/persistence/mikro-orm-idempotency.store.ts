// Idempotency records in PostgreSQL: the primary key makes the claim atomic across instances. The stored
// first response is sealed (SealedBox), bound to its scope and key: it may carry a plaintext API key or a
// webhook signing secret, which must not sit in the database in clear. A response sealed under a key that is
// no longer configured is refused (EncryptionKeyMissing), never taken for "no response": running the
// request again would create a second thing.
import type { EntityManager } from '@mikro-orm/core';
import {
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_TTL_MS,
  IdempotencyStore,
  type IdempotencyStart,
} from '@application/ports/idempotency.store.js';
import { decide } from '../in-memory/in-memory-idempotency.store.js';
import { sealedFrom, type SealedBox } from '../crypto/sealed-box.js';
import { execute } from './sql.js';

interface Row {
  fingerprint: string;
  state: string;
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

  async begin(scope: string, key: string, fingerprint: string, now: Date): Promise<IdempotencyStart> {
    const run = <T>(q: string, params: unknown[]) => execute<T>(this.em, q, params);
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await run<{ key: string }>(
        `insert into idempotency_keys (scope, key, fingerprint, state, created_at)
         values (?, ?, ?, 'running', ?) on conflict (scope, key) do nothing returning key`,
        [scope, key, fingerprint, now],
      );
      if (inserted.length > 0) return { kind: 'started' };
      const [row] = await run<Row>(
        `select fingerprint, state, response_status, response_key_id, response_iv, response_tag,
           response_ciphertext, created_at from idempotency_keys where scope = ? and key = ?`,
        [scope, key],
      );
      if (!row) continue;
      const age = now.getTime() - new Date(row.created_at).getTime();
      if (age >= IDEMPOTENCY_TTL_MS || (row.state === 'running' && age >= IDEMPOTENCY_LOCK_MS)) {
        await run('delete from idempotency_keys where scope = ? and key = ? and created_at = ?', [
          scope,
          key,
          new Date(row.created_at),
        ]);
        continue;
      }
      // Opened only when it is to be replayed: another body is refused whatever the stored response.
      const replay = row.state === 'done' && row.fingerprint === fingerprint;
      const body = replay ? this.open(scope, key, row) : undefined;
      return decide(row.fingerprint, fingerprint, row.state === 'done', row.response_status ?? 0, body);
    }
    throw new Error('could not claim the idempotency key');
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

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    const sealed = this.box.seal(JSON.stringify(body ?? null), idempotencyAad(scope, key));
    await execute(
      this.em,
      `update idempotency_keys set state = 'done', response_status = ?, response_key_id = ?, response_iv = ?,
         response_tag = ?, response_ciphertext = ? where scope = ? and key = ?`,
      [status, sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext, scope, key],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await execute(this.em, `delete from idempotency_keys where scope = ? and key = ? and state = 'running'`, [
      scope,
      key,
    ]);
  }

  async purgeExpired(now: Date): Promise<number> {
    const [gone] = await execute<{ n: number }>(
      this.em,
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
