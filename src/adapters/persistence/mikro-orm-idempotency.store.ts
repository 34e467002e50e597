// Idempotency records in PostgreSQL: the primary key makes the claim atomic across instances.
import type { EntityManager } from '@mikro-orm/core';
import {
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_TTL_MS,
  IdempotencyStore,
  type IdempotencyStart,
} from '@application/ports/idempotency.store.js';
import { decide } from '../in-memory/in-memory-idempotency.store.js';
import { execute } from './sql.js';

interface Row {
  fingerprint: string;
  state: string;
  response_status: number | null;
  response_body: unknown;
  created_at: Date | string;
}

export class MikroOrmIdempotencyStore extends IdempotencyStore {
  constructor(private readonly em: EntityManager) {
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
        'select fingerprint, state, response_status, response_body, created_at from idempotency_keys where scope = ? and key = ?',
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
      const body = typeof row.response_body === 'string' ? JSON.parse(row.response_body) : row.response_body;
      return decide(row.fingerprint, fingerprint, row.state === 'done', row.response_status ?? 0, body);
    }
    throw new Error('could not claim the idempotency key');
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await execute(
      this.em,
      `update idempotency_keys set state = 'done', response_status = ?, response_body = ?::jsonb where scope = ? and key = ?`,
      [status, JSON.stringify(body ?? null), scope, key],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await execute(this.em, `delete from idempotency_keys where scope = ? and key = ? and state = 'running'`, [
      scope,
      key,
    ]);
  }
}
