// Where members' Microsoft connections, their tenant consent and pending OAuth states are kept.
import type { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import type { AuthorizationState } from '@domain/connection/authorization-state.js';
import type { TenantConsent } from '@domain/consent/tenant-consent.js';

export abstract class MicrosoftConnectionRepository {
  abstract findByMember(workspaceId: string, memberId: string): Promise<MicrosoftConnection | null>;
  abstract findByMembers(workspaceId: string, memberIds: string[]): Promise<MicrosoftConnection[]>;
  abstract listByWorkspace(workspaceId: string): Promise<MicrosoftConnection[]>;
  /** Inserts or replaces the member's connection. */
  abstract save(connection: MicrosoftConnection): Promise<void>;
  abstract delete(workspaceId: string, memberId: string): Promise<void>;
}

export abstract class TenantConsentRepository {
  abstract find(workspaceId: string): Promise<TenantConsent | null>;
  abstract save(workspaceId: string, consent: TenantConsent): Promise<void>;
}

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
