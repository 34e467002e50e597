// What a workspace's Microsoft 365 tenant has agreed to: the state an administrator reviews.
export type ConsentStatus = 'none' | 'admin_required' | 'granted' | 'revoked';
export type GrantType = 'admin' | 'user';

export interface TenantConsentSnapshot {
  workspaceId: string;
  tenantId: string | null;
  status: ConsentStatus;
  grantType: GrantType | null;
  scopes: string[];
  grantedAt: Date | null;
  /** Who granted it: the member who signed in (user consent), or the administrator's tenant (admin consent). */
  grantedBy: string | null;
  revokedAt: Date | null;
  statusReason: string | null;
  updatedAt: Date;
}

export class TenantConsent {
  private constructor(private state: TenantConsentSnapshot) {}

  static none(workspaceId: string, now: Date): TenantConsent {
    return new TenantConsent({
      workspaceId,
      tenantId: null,
      status: 'none',
      grantType: null,
      scopes: [],
      grantedAt: null,
      grantedBy: null,
      revokedAt: null,
      statusReason: null,
      updatedAt: now,
    });
  }

  static fromSnapshot(snapshot: TenantConsentSnapshot): TenantConsent {
    return new TenantConsent({ ...snapshot, scopes: [...snapshot.scopes] });
  }

  get status(): ConsentStatus {
    return this.state.status;
  }
  get isRevoked(): boolean {
    return this.state.status === 'revoked';
  }

  /** A member's sign-in met Microsoft's "needs an administrator" answer. */
  requireAdmin(tenantId: string | null, reason: string, now: Date): void {
    if (this.state.status === 'granted') return;
    this.state = { ...this.state, status: 'admin_required', tenantId: tenantId ?? this.state.tenantId };
    this.state.statusReason = reason;
    this.state.updatedAt = now;
  }

  grantedByAdmin(input: { tenantId: string; scopes: string[]; grantedBy: string | null; now: Date }): void {
    this.state = {
      ...this.state,
      tenantId: input.tenantId,
      status: 'granted',
      grantType: 'admin',
      scopes: [...input.scopes],
      grantedAt: input.now,
      grantedBy: input.grantedBy,
      revokedAt: null,
      statusReason: null,
      updatedAt: input.now,
    };
  }

  /**
   * A member's sign-in worked. After "admin required" it means an administrator has granted consent
   * meanwhile; otherwise (no grant yet, or a revoked one) the member consented for themselves — an
   * administrator's new grant after a revocation is recorded by the admin-consent callback.
   */
  observedSignIn(input: { tenantId: string; scopes: string[]; member: string; now: Date }): void {
    if (this.state.status === 'granted') {
      if (this.state.grantType === 'user') {
        this.state.scopes = [...new Set([...this.state.scopes, ...input.scopes])].sort();
        this.state.updatedAt = input.now;
      }
      return;
    }
    const byAdmin = this.state.status === 'admin_required';
    this.state = {
      ...this.state,
      tenantId: input.tenantId,
      status: 'granted',
      grantType: byAdmin ? 'admin' : 'user',
      scopes: [...input.scopes].sort(),
      grantedAt: input.now,
      grantedBy: byAdmin ? null : input.member,
      revokedAt: null,
      statusReason: null,
      updatedAt: input.now,
    };
  }

  /** Microsoft refused the application itself for the tenant. True when this changed the status. */
  revoke(reason: string, now: Date): boolean {
    if (this.state.status === 'revoked') return false;
    this.state = { ...this.state, status: 'revoked', revokedAt: now, statusReason: reason, updatedAt: now };
    return true;
  }

  toSnapshot(): TenantConsentSnapshot {
    return { ...this.state, scopes: [...this.state.scopes] };
  }
}
