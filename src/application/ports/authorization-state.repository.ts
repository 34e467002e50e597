// Where pending OAuth states (with their PKCE verifiers) are kept between redirect and callback.
import type { AuthorizationState } from '@domain/connection/authorization-state.js';

export abstract class AuthorizationStateRepository {
  abstract add(state: AuthorizationState): Promise<void>;
  /**
   * Marks the state used and returns it, atomically: of two callbacks racing with one state, one wins.
   * Null when unknown or already used.
   */
  abstract consume(id: string, now: Date): Promise<AuthorizationState | null>;
  /**
   * Deletes the states that can no longer be used (expired at `now`, or consumed) with their PKCE
   * verifiers; returns how many went.
   */
  abstract deleteSpent(now: Date): Promise<number>;
}
