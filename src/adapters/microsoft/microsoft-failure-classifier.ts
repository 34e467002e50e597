// Microsoft's refusals read once, at the edge: HTTP statuses from Graph, AADSTS codes and OAuth errors from
// Entra ID (a token refresh, a sign-in, or the `error` / `error_description` of a redirect) become the
// domain's words (revoked, re-authorization needed, admin consent needed, unavailable…). Nothing past the
// Microsoft adapters sees a status number or an AADSTS code.
import type { MicrosoftFailure } from '@domain/consent/microsoft-failure.js';
import { MicrosoftError } from '@application/ports/identity-provider.js';

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

const REVOKED = new Set([65001, 70008, 50173, 50057, 700016]);
const REAUTH = new Set([700082, 50076, 50079, 53003]);
const ADMIN_REQUIRED = new Set([90094, 90095]);

/** The AADSTS codes named in a text ("AADSTS65001: The user or administrator…"), each once. */
export function aadstsFrom(text: string | undefined): number[] {
  return [...new Set([...(text ?? '').matchAll(/AADSTS(\d+)/g)].map((m) => Number(m[1])))];
}

/** A failure met while using a connection (token refresh, a Graph call) or proving a tenant's grant. */
export function classifyMicrosoftFailure(facts: MicrosoftFailureFacts): MicrosoftFailure {
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

/**
 * A failure of a member's sign-in: a consent the member cannot give (AADSTS65001 at sign-in, 90094/90095, the
 * `consent_required` suberror) means an administrator must consent, where on a refresh AADSTS65001 means the
 * consent was withdrawn. An app-only token's refusal is the tenant's, whatever the flow.
 */
export function classifySignInFailure(facts: MicrosoftFailureFacts): MicrosoftFailure {
  const codes = facts.aadsts ?? [];
  if (
    !facts.appOnly &&
    (codes.includes(65001) ||
      codes.some((c) => ADMIN_REQUIRED.has(c)) ||
      facts.suberror === 'consent_required')
  ) {
    const reason =
      codes.length > 0 ? codes.map((c) => `AADSTS${c}`).join(',') : (facts.suberror ?? 'consent_required');
    return { kind: 'admin_consent_required', tenantWide: false, reason };
  }
  return classifyMicrosoftFailure(facts);
}

/** Entra's redirect parameters of a failed sign-in or admin consent (`error`, `error_description`). */
export interface RedirectError {
  error?: string;
  errorDescription?: string;
}

/**
 * What Entra ID's redirect says went wrong, or null when it reports no error. After admin consent, a
 * refusal (`access_denied`, AADSTS65004) is the administrator declining.
 */
export function redirectFailure(
  query: RedirectError,
  flow: 'sign_in' | 'admin_consent',
): MicrosoftFailure | null {
  if (!query.error) return null;
  const facts = { error: query.error, aadsts: aadstsFrom(query.errorDescription) };
  if (flow === 'sign_in') return classifySignInFailure(facts);
  if (query.error === 'access_denied' || facts.aadsts.includes(65004)) {
    const reason = facts.aadsts.length > 0 ? facts.aadsts.map((c) => `AADSTS${c}`).join(',') : query.error;
    return { kind: 'consent_declined', tenantWide: false, reason };
  }
  return classifyMicrosoftFailure(facts);
}

/** A refusal or fault of a sign-in or consent flow, with Microsoft's facts already read. */
export function microsoftError(message: string, facts: MicrosoftFailureFacts): MicrosoftError {
  return new MicrosoftError(message, classifySignInFailure(facts));
}

/** Entra's redirect reported a failure: the error the sign-in or consent use case is handed, else undefined. */
export function redirectError(
  query: RedirectError,
  flow: 'sign_in' | 'admin_consent',
): MicrosoftError | undefined {
  const verdict = redirectFailure(query, flow);
  return verdict ? new MicrosoftError(query.errorDescription ?? query.error!, verdict) : undefined;
}
