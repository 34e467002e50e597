// Microsoft's refusals, read in one place (API.md "Revoked or re-auth"; M365.md AADSTS codes).
import { classifyMicrosoftFailure, connectionStatusFor } from '@domain/consent/microsoft-failure.js';

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
