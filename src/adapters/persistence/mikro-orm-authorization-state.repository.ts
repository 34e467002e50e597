// Pending OAuth states (with their PKCE verifiers) in PostgreSQL (server or PGlite).
import type { EntityManager } from '@mikro-orm/core';
import {
  AuthorizationState,
  type AuthorizationStateSnapshot,
} from '@domain/connection/authorization-state.js';
import { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';
import { AuthorizationStateSchema, type AuthorizationStateRecord } from './schemas/microsoft.schema.js';
import { execute } from './sql.js';
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
    const rows = await execute<AuthorizationStateRecord>(
      this.em,
      'update authorization_states set consumed_at = ? where id = ? and consumed_at is null returning *',
      [now, id],
    );
    const row = rows[0] as unknown as Record<string, unknown> | undefined;
    if (!row) return null;
    const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
    const snapshot: AuthorizationStateSnapshot = {
      id: row.id as string,
      purpose: row.purpose as AuthorizationStateSnapshot['purpose'],
      workspaceId: row.workspace_id as string,
      memberId: (row.member_id as string | null) ?? null,
      returnUrl: loadedReturnUrl(row.return_url as string),
      codeVerifier: (row.code_verifier as string | null) ?? null,
      nonce: (row.nonce as string | null) ?? null,
      tenant: (row.tenant as string | null) ?? null,
      createdAt: date(row.created_at)!,
      expiresAt: date(row.expires_at)!,
      consumedAt: date(row.consumed_at),
    };
    return AuthorizationState.fromSnapshot(snapshot);
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
