// The server-side half of an OAuth round trip: what the `state` parameter stands for, single use and short-lived.
import { DomainError } from '../shared/domain-error.js';

/**
 * `admin_consent` covers the trip to Microsoft's adminconsent endpoint; its callback hands over to an
 * `admin_sign_in` state, the administrator's own sign-in that proves who granted the consent.
 */
export type AuthorizationPurpose = 'member_connection' | 'admin_consent' | 'admin_sign_in';

export interface AuthorizationStateSnapshot {
  id: string;
  purpose: AuthorizationPurpose;
  workspaceId: string;
  memberId: string | null;
  /** Null: the flow ends on kailenty's own result page. */
  returnUrl: string | null;
  codeVerifier: string | null;
  nonce: string | null;
  /**
   * The tenant the flow is for: for `admin_consent`, the tenant the link named (null for `organizations`);
   * for `admin_sign_in`, the tenant whose consent Microsoft reported, which the sign-in must match.
   */
  tenant: string | null;
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
    input: Omit<AuthorizationStateSnapshot, 'expiresAt' | 'consumedAt' | 'createdAt' | 'tenant'> & {
      tenant?: string | null;
      now: Date;
    },
  ) {
    const ttl = input.purpose === 'admin_consent' ? ADMIN_CONSENT_STATE_TTL_MS : MEMBER_STATE_TTL_MS;
    const { now, tenant, ...rest } = input;
    return new AuthorizationState({
      ...rest,
      tenant: tenant ?? null,
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
