// Microsoft's refusals in the domain's own words: what kind of refusal it is (revoked, re-authorization
// needed, admin consent needed, an outage…), whether it takes the whole tenant, and what it means for a
// stored connection. Reading Microsoft's statuses and AADSTS codes into these words is the Microsoft
// adapter's business (adapters/microsoft/microsoft-failure-classifier.ts).
export type FailureKind =
  | 'revoked'
  | 'reauthorization_required'
  | 'admin_consent_required'
  | 'consent_declined'
  | 'account_disabled'
  | 'not_in_tenant'
  | 'invalid_request'
  | 'rate_limited'
  | 'unavailable';

export interface MicrosoftFailure {
  kind: FailureKind;
  /** The application itself is refused for the tenant: every member of it is affected. */
  tenantWide: boolean;
  /** What Microsoft said, for people (audit trail, logs, the connection's reason). */
  reason: string;
}

/** The verdict on one failure (the same words; the name the use cases read it by). */
export type FailureVerdict = MicrosoftFailure;

/** Whether a verdict means the stored connection can no longer be used. */
export function connectionStatusFor(verdict: FailureVerdict): 'revoked' | 'reauthorization_required' | null {
  switch (verdict.kind) {
    case 'revoked':
    case 'account_disabled':
      return 'revoked';
    case 'reauthorization_required':
      return 'reauthorization_required';
    default:
      return null;
  }
}

/** Microsoft withdrew the member's (or the whole tenant's) access: the connection stops until a new sign-in. */
export function withdrawsAccess(verdict: FailureVerdict): boolean {
  return connectionStatusFor(verdict) !== null || verdict.tenantWide;
}

/** Microsoft did not answer (now): nothing is wrong with the member, trying later may work. */
export function isOutage(verdict: FailureVerdict): boolean {
  return verdict.kind === 'unavailable' || verdict.kind === 'rate_limited';
}
