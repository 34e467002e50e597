// OAuth states in memory, for fast tests of use cases.
import {
  AuthorizationState,
  type AuthorizationStateSnapshot,
} from '@domain/connection/authorization-state.js';
import { AuthorizationStateRepository } from '@application/ports/authorization-state.repository.js';

export class InMemoryAuthorizationStateRepository extends AuthorizationStateRepository {
  private readonly rows = new Map<string, AuthorizationStateSnapshot>();

  async add(state: AuthorizationState): Promise<void> {
    if (this.rows.has(state.id)) throw new Error('duplicate state');
    this.rows.set(state.id, state.toSnapshot());
  }

  async consume(id: string, now: Date): Promise<AuthorizationState | null> {
    const row = this.rows.get(id);
    if (!row || row.consumedAt !== null) return null;
    row.consumedAt = now;
    return AuthorizationState.fromSnapshot(row);
  }

  async deleteSpent(now: Date): Promise<number> {
    let deleted = 0;
    for (const [id, row] of this.rows) {
      if ((row.consumedAt !== null || row.expiresAt.getTime() <= now.getTime()) && this.rows.delete(id))
        deleted++;
    }
    return deleted;
  }
}
