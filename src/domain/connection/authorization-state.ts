// The server-side half of an OAuth round trip: what the `state` parameter stands for, single use and short-lived.
import { DomainError } from '../shared/domain-error.js';

export type AuthorizationPurpose = 'member_connection' | 'admin_consent';

export interface AuthorizationStateSnapshot {
  id: string;
  purpose: AuthorizationPurpose;
  workspaceId: string;
  memberId: string | null;
  returnUrl: string;
  codeVerifier: string | null;
  nonce: string | null;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

export const MEMBER_STATE_TTL_MS = 10 * 60 * 1000;
/** An administrator may take a while to act on a consent page. */
export const ADMIN_CONSENT_STATE_TTL_MS = 60 * 60 * 1000;

export class AuthorizationState {
  private constructor(private readonly state: AuthorizationStateSnapshot) {}

  static issue(
    input: Omit<AuthorizationStateSnapshot, 'expiresAt' | 'consumedAt' | 'createdAt'> & { now: Date },
  ) {
    const ttl = input.purpose === 'admin_consent' ? ADMIN_CONSENT_STATE_TTL_MS : MEMBER_STATE_TTL_MS;
    const { now, ...rest } = input;
    return new AuthorizationState({
      ...rest,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttl),
      consumedAt: null,
    });
  }

  static fromSnapshot(snapshot: AuthorizationStateSnapshot): AuthorizationState {
    return new AuthorizationState({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }

  /** The state a callback may use: issued for this purpose, not yet used, not expired. */
  assertUsableFor(purpose: AuthorizationPurpose, now: Date): void {
    if (this.state.purpose !== purpose || now.getTime() >= this.state.expiresAt.getTime()) {
      throw new DomainError(
        'INVALID_STATE',
        'This sign-in link has expired or is not valid. Please start again.',
      );
    }
  }

  toSnapshot(): AuthorizationStateSnapshot {
    return { ...this.state };
  }
}
