// How Microsoft's refusals are read, in one place: which mean the account is gone (revoked), which can be
// cured by signing in again (re-authorization), and which take the whole tenant with them.
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

export interface MicrosoftFailureFacts {
  /** AADSTS codes from an Entra error body (`error_codes`), or parsed from its description. */
  aadsts?: number[];
  /** OAuth error (`invalid_grant`, `interaction_required`, `consent_required`, `access_denied`…). */
  error?: string;
  suberror?: string;
  /** HTTP status from Graph, when the failure came from a Graph call. */
  graphStatus?: number;
  /** Graph asked for a claims challenge (Continuous Access Evaluation). */
  claimsChallenge?: boolean;
  /** The failure happened while acquiring an app-only token for the tenant (client credentials). */
  appOnly?: boolean;
}

export interface FailureVerdict {
  kind: FailureKind;
  /** The application itself is refused for the tenant: every member of it is affected. */
  tenantWide: boolean;
  reason: string;
}

const REVOKED = new Set([65001, 70008, 50173, 50057, 700016]);
const REAUTH = new Set([700082, 50076, 50079, 53003]);
const ADMIN_REQUIRED = new Set([90094, 90095]);

export function classifyMicrosoftFailure(facts: MicrosoftFailureFacts): FailureVerdict {
  const codes = facts.aadsts ?? [];
  const reason =
    codes.length > 0
      ? codes.map((c) => `AADSTS${c}`).join(',')
      : (facts.error ?? `HTTP ${facts.graphStatus}`);
  const has = (set: Set<number>) => codes.some((c) => set.has(c));
  if (
    codes.includes(700016) ||
    (facts.appOnly && (codes.length > 0 || facts.error === 'unauthorized_client'))
  ) {
    return { kind: 'revoked', tenantWide: true, reason };
  }
  if (has(ADMIN_REQUIRED)) return { kind: 'admin_consent_required', tenantWide: false, reason };
  if (codes.includes(65004)) return { kind: 'consent_declined', tenantWide: false, reason };
  if (codes.includes(50020)) return { kind: 'not_in_tenant', tenantWide: false, reason };
  if (codes.includes(50057)) return { kind: 'account_disabled', tenantWide: false, reason };
  if (has(REAUTH) || facts.claimsChallenge)
    return { kind: 'reauthorization_required', tenantWide: false, reason };
  if (has(REVOKED)) return { kind: 'revoked', tenantWide: false, reason };
  if (facts.graphStatus === 429) return { kind: 'rate_limited', tenantWide: false, reason };
  if (facts.graphStatus === 401 || facts.graphStatus === 403 || facts.error === 'invalid_grant') {
    return { kind: 'revoked', tenantWide: false, reason };
  }
  if (facts.error === 'interaction_required' || facts.error === 'login_required') {
    return { kind: 'reauthorization_required', tenantWide: false, reason };
  }
  if (facts.error === 'consent_required') return { kind: 'revoked', tenantWide: false, reason };
  if (facts.error === 'access_denied') return { kind: 'consent_declined', tenantWide: false, reason };
  if (facts.error === 'invalid_request' || facts.error === 'invalid_client') {
    return { kind: 'invalid_request', tenantWide: false, reason };
  }
  return { kind: 'unavailable', tenantWide: false, reason };
}

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
