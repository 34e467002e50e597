// Pending OAuth states (with their PKCE verifiers) in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import {
  AuthorizationState,
  type AuthorizationStateSnapshot,
} from '@domain/connection/authorization-state.js';
import { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';
import { AuthorizationStateSchema } from './schemas/microsoft.schema.js';
import { execute, recordsOf } from './sql.js';
import { loadedReturnUrl, storedReturnUrl } from './return-url-column.js';

export class MikroOrmAuthorizationStateRepository extends AuthorizationStateRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(state: AuthorizationState): Promise<void> {
    const snapshot = state.toSnapshot();
    await this.em.insert(AuthorizationStateSchema, {
      ...snapshot,
      returnUrl: storedReturnUrl(snapshot.returnUrl),
    });
  }

  async consume(id: string, now: Date): Promise<AuthorizationState | null> {
    // One statement: of two callbacks racing with the same state, exactly one gets the row.
    const rows = await execute<Record<string, unknown>>(
      this.em,
      'update authorization_states set consumed_at = ? where id = ? and consumed_at is null returning *',
      [now, id],
    );
    const [row] = recordsOf(this.em, AuthorizationStateSchema, rows);
    if (!row) return null;
    return AuthorizationState.fromSnapshot({
      ...row,
      returnUrl: loadedReturnUrl(row.returnUrl),
      consumedAt: row.consumedAt ?? null,
    } as AuthorizationStateSnapshot);
  }

  async deleteSpent(now: Date): Promise<number> {
    // A plain DELETE: several instances running it at once just delete fewer rows each.
    const [gone] = await execute<{ n: number }>(
      this.em,
      `with gone as (delete from authorization_states where expires_at <= ? or consumed_at is not null returning 1)
       select count(*)::int as n from gone`,
      [now],
    );
    return Number(gone?.n ?? 0);
  }
}
