// Microsoft's refusals, read once at the edge into the domain's words (API.md "Revoked or re-auth"; M365.md
// AADSTS codes).
import { connectionStatusFor, isOutage, withdrawsAccess } from '@domain/consent/microsoft-failure.js';
import {
  classifyMicrosoftFailure,
  classifySignInFailure,
  redirectFailure,
} from '@adapters/microsoft/microsoft-failure-classifier.js';

const status = (facts: Parameters<typeof classifyMicrosoftFailure>[0]) =>
  connectionStatusFor(classifyMicrosoftFailure(facts));

describe('classifyMicrosoftFailure', () => {
  it.each([65001, 70008, 50173, 50057])('AADSTS%i on refresh revokes the connection', (code) => {
    expect(status({ aadsts: [code], error: 'invalid_grant' })).toBe('revoked');
  });

  it.each([700082, 50076, 50079, 53003])(
    'AADSTS%i needs a new sign-in (reauthorization_required)',
    (code) => {
      expect(status({ aadsts: [code], error: 'invalid_grant' })).toBe('reauthorization_required');
    },
  );

  it('a claims challenge is re-authorization; a Graph 401 or 403 that a refresh did not cure is revoked', () => {
    expect(status({ graphStatus: 401, claimsChallenge: true })).toBe('reauthorization_required');
    expect(status({ graphStatus: 401 })).toBe('revoked');
    expect(status({ graphStatus: 403 })).toBe('revoked');
  });

  it('AADSTS700016 or a refused app-only token takes the whole tenant', () => {
    expect(classifyMicrosoftFailure({ aadsts: [700016] })).toMatchObject({
      kind: 'revoked',
      tenantWide: true,
    });
    expect(classifyMicrosoftFailure({ aadsts: [7000215], appOnly: true })).toMatchObject({
      tenantWide: true,
    });
  });

  it('throttling and outages leave the connection alone', () => {
    expect(status({ graphStatus: 429 })).toBeNull();
    expect(status({ error: 'temporarily_unavailable' })).toBeNull();
    expect(status({ graphStatus: 503 })).toBeNull();
  });

  it('names sign-in refusals: admin consent needed, declined, disabled, another tenant', () => {
    expect(classifyMicrosoftFailure({ aadsts: [90094] }).kind).toBe('admin_consent_required');
    expect(classifyMicrosoftFailure({ aadsts: [65004], error: 'access_denied' }).kind).toBe(
      'consent_declined',
    );
    expect(classifyMicrosoftFailure({ aadsts: [50057], error: 'access_denied' }).kind).toBe(
      'account_disabled',
    );
    expect(classifyMicrosoftFailure({ aadsts: [50020] }).kind).toBe('not_in_tenant');
  });
});

describe('classifySignInFailure', () => {
  it('a consent the member cannot give at sign-in needs an administrator, where on refresh it is a revocation', () => {
    expect(classifyMicrosoftFailure({ aadsts: [65001], error: 'invalid_grant' }).kind).toBe('revoked');
    expect(classifySignInFailure({ aadsts: [65001], error: 'invalid_grant' }).kind).toBe(
      'admin_consent_required',
    );
    expect(classifySignInFailure({ error: 'invalid_grant', suberror: 'consent_required' }).kind).toBe(
      'admin_consent_required',
    );
    expect(classifySignInFailure({ aadsts: [54005], error: 'invalid_grant' }).kind).toBe('revoked');
  });

  it("an app-only token's refusal is the tenant's, whatever the flow", () => {
    expect(classifySignInFailure({ aadsts: [65001], appOnly: true })).toMatchObject({
      kind: 'revoked',
      tenantWide: true,
    });
  });
});

describe('redirectFailure', () => {
  it("reads Entra's error and error_description, or nothing when there is no error", () => {
    expect(redirectFailure({}, 'sign_in')).toBeNull();
    expect(
      redirectFailure({ error: 'invalid_request', errorDescription: 'AADSTS90094: admin' }, 'sign_in'),
    ).toEqual({ kind: 'admin_consent_required', tenantWide: false, reason: 'AADSTS90094' });
    expect(
      redirectFailure({ error: 'invalid_request', errorDescription: 'AADSTS50020: x' }, 'sign_in')?.kind,
    ).toBe('not_in_tenant');
  });

  it('after admin consent, access_denied or AADSTS65004 is the administrator declining', () => {
    expect(redirectFailure({ error: 'access_denied' }, 'admin_consent')?.kind).toBe('consent_declined');
    expect(
      redirectFailure({ error: 'invalid_request', errorDescription: 'AADSTS65004' }, 'admin_consent')?.kind,
    ).toBe('consent_declined');
    expect(isOutage(redirectFailure({ error: 'temporarily_unavailable' }, 'admin_consent')!)).toBe(true);
  });
});

describe("the domain's rules on a verdict", () => {
  it('access is withdrawn by a revocation, a re-authorization, a disabled account or a tenant-wide refusal', () => {
    const v = (kind: Parameters<typeof withdrawsAccess>[0]['kind'], tenantWide = false) =>
      withdrawsAccess({ kind, tenantWide, reason: 'r' });
    expect([
      v('revoked'),
      v('reauthorization_required'),
      v('account_disabled'),
      v('invalid_request', true),
    ]).toEqual([true, true, true, true]);
    expect([v('unavailable'), v('rate_limited'), v('consent_declined'), v('admin_consent_required')]).toEqual(
      [false, false, false, false],
    );
    expect(isOutage({ kind: 'rate_limited', tenantWide: false, reason: 'HTTP 429' })).toBe(true);
    expect(isOutage({ kind: 'revoked', tenantWide: false, reason: 'HTTP 401' })).toBe(false);
  });
});
