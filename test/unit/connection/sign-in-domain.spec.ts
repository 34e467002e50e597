// Domain rules of the sign-in: a connection's status changes, the tenant's consent, the OAuth state's
// single purpose and lifetime, signed consent/reconnect links, and Windows → IANA time zones.
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import {
  ADMIN_CONSENT_STATE_TTL_MS,
  AuthorizationState,
  MEMBER_STATE_TTL_MS,
} from '@domain/connection/authorization-state.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import { HmacConsentLinks } from '@adapters/microsoft/hmac-consent-links.js';
import { toIanaTimeZone } from '@adapters/microsoft/graph/graph-mailbox-profile.reader.js';

const T0 = new Date('2026-12-01T08:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

function connection() {
  return MicrosoftConnection.connect({
    workspaceId: 'ws',
    memberId: 'm',
    account: {
      userId: 'oid',
      tenantId: 'tid',
      homeAccountId: 'oid.tid',
      mailbox: 'adele@contoso.com',
      timeZone: 'Europe/Paris',
      teamsEnabled: true,
    },
    now: T0,
  });
}

describe('MicrosoftConnection.markFailed', () => {
  it('changes the status once, with the reason and when; the same status again is no change', () => {
    const c = connection();
    expect(c.markFailed('reauthorization_required', 'AADSTS50076', later(1000))).toBe(true);
    expect(c.markFailed('reauthorization_required', 'AADSTS53003', later(2000))).toBe(false);
    expect(c.toSnapshot()).toMatchObject({
      status: 'reauthorization_required',
      statusReason: 'AADSTS50076',
      statusChangedAt: later(1000),
    });
    expect(c.isUsable).toBe(false);
  });

  it('revoked is the end: only a new sign-in repairs it, keeping when it was first connected', () => {
    const c = connection();
    expect(c.markFailed('revoked', 'AADSTS70008', later(1000))).toBe(true);
    expect(c.markFailed('reauthorization_required', 'claims', later(2000))).toBe(false);
    expect(c.markFailed('revoked', 'HTTP 401', later(2000))).toBe(false);
    expect(c.toSnapshot()).toMatchObject({ status: 'revoked', statusReason: 'AADSTS70008' });
    const account = { ...c.toSnapshot(), teamsEnabled: false };
    c.signedInAgain(account, later(5000));
    expect(c.toSnapshot()).toMatchObject({
      status: 'connected',
      statusReason: null,
      connectedAt: T0,
      lastSignInAt: later(5000),
      statusChangedAt: later(5000),
      teamsEnabled: false,
    });
  });

  it('reauthorization_required can still become revoked', () => {
    const c = connection();
    c.markFailed('reauthorization_required', 'AADSTS50076', later(1000));
    expect(c.markFailed('revoked', 'AADSTS50173', later(2000))).toBe(true);
    expect(c.status).toBe('revoked');
  });
});

describe('TenantConsent', () => {
  it('a first sign-in is the member’s own consent; later sign-ins add scopes to it', () => {
    const consent = TenantConsent.none('ws', T0);
    consent.observedSignIn({ tenantId: 'tid', scopes: ['User.Read'], member: 'adele@contoso.com', now: T0 });
    consent.observedSignIn({
      tenantId: 'tid',
      scopes: ['Calendars.ReadWrite'],
      member: 'megan',
      now: later(1),
    });
    expect(consent.toSnapshot()).toMatchObject({
      tenantId: 'tid',
      status: 'granted',
      grantType: 'user',
      grantedBy: 'adele@contoso.com',
      grantedAt: T0,
      scopes: ['Calendars.ReadWrite', 'User.Read'],
    });
  });

  it('after "admin required", a sign-in that works means an administrator granted it', () => {
    const consent = TenantConsent.none('ws', T0);
    consent.requireAdmin('tid', 'AADSTS90094', T0);
    expect(consent.toSnapshot()).toMatchObject({
      status: 'admin_required',
      tenantId: 'tid',
      statusReason: 'AADSTS90094',
    });
    consent.observedSignIn({ tenantId: 'tid', scopes: ['User.Read'], member: 'grace', now: later(1) });
    expect(consent.toSnapshot()).toMatchObject({
      status: 'granted',
      grantType: 'admin',
      grantedBy: null,
      statusReason: null,
    });
    consent.requireAdmin('tid', 'AADSTS90094', later(2));
    expect(consent.status).toBe('granted');
  });

  it('an admin grant replaces the scopes; revoking is reported once and a new grant clears it', () => {
    const consent = TenantConsent.none('ws', T0);
    consent.grantedByAdmin({ tenantId: 'tid', scopes: ['Calendars.ReadWrite'], grantedBy: 'admin', now: T0 });
    expect(consent.revoke('AADSTS700016', later(1))).toBe(true);
    expect(consent.revoke('AADSTS700016', later(2))).toBe(false);
    expect(consent.toSnapshot()).toMatchObject({
      status: 'revoked',
      revokedAt: later(1),
      statusReason: 'AADSTS700016',
    });
    expect(consent.isRevoked).toBe(true);
    consent.grantedByAdmin({ tenantId: 'tid', scopes: ['User.Read'], grantedBy: 'admin', now: later(3) });
    expect(consent.toSnapshot()).toMatchObject({
      status: 'granted',
      scopes: ['User.Read'],
      revokedAt: null,
      statusReason: null,
    });
  });
});

describe('AuthorizationState.assertUsableFor', () => {
  const state = (purpose: 'member_connection' | 'admin_consent') =>
    AuthorizationState.issue({
      id: 's',
      purpose,
      workspaceId: 'ws',
      memberId: purpose === 'member_connection' ? 'm' : null,
      returnUrl: 'https://app.test/r',
      codeVerifier: null,
      nonce: null,
      now: T0,
    });

  it('serves its own purpose until it expires: 10 minutes for a member, an hour for an administrator', () => {
    expect(MEMBER_STATE_TTL_MS).toBe(10 * 60_000);
    expect(() =>
      state('member_connection').assertUsableFor('member_connection', later(MEMBER_STATE_TTL_MS - 1)),
    ).not.toThrow();
    expect(() =>
      state('member_connection').assertUsableFor('member_connection', later(MEMBER_STATE_TTL_MS)),
    ).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(() =>
      state('admin_consent').assertUsableFor('admin_consent', later(ADMIN_CONSENT_STATE_TTL_MS - 1)),
    ).not.toThrow();
    expect(() =>
      state('admin_consent').assertUsableFor('admin_consent', later(ADMIN_CONSENT_STATE_TTL_MS)),
    ).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('a state of the other purpose is INVALID_STATE', () => {
    expect(() => state('admin_consent').assertUsableFor('member_connection', T0)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
    expect(() => state('member_connection').assertUsableFor('admin_consent', T0)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
  });
});

describe('HmacConsentLinks', () => {
  const oldKey = Buffer.alloc(32, 1);
  const newKey = Buffer.alloc(32, 2);
  const link = {
    kind: 'reconnect' as const,
    workspaceId: 'ws',
    memberId: 'm',
    returnUrl: 'https://app.test/r',
    issuedAt: T0.getTime(),
  };
  const tokenOf = (url: string) => new URL(url).searchParams.get('link')!;

  it('opens its own links until they expire, at the path of their kind', () => {
    const links = new HmacConsentLinks('https://k.test', [newKey]);
    const url = links.create(link, later(1000));
    expect(url.startsWith('https://k.test/oauth/microsoft/reconnect?link=')).toBe(true);
    expect(links.open(tokenOf(url), later(999))).toEqual(link);
    expect(links.open(tokenOf(url), later(1000))).toBeNull();
    const admin = links.create(
      { kind: 'admin_consent', workspaceId: 'ws', tenant: null, returnUrl: 'https://app.test/r' },
      later(1000),
    );
    // The admin consent link opens kailenty's page first (its button goes on to Microsoft).
    expect(admin.startsWith('https://k.test/microsoft/admin-consent?link=')).toBe(true);
  });

  it('refuses a changed payload, another key’s signature and garbage', () => {
    const links = new HmacConsentLinks('https://k.test', [newKey]);
    const [payload, signature] = tokenOf(links.create(link, later(1000))).split('.');
    const tampered = Buffer.from(
      JSON.stringify({ ...link, memberId: 'someone-else', exp: later(1000).getTime() }),
    ).toString('base64url');
    expect(links.open(`${tampered}.${signature}`, T0)).toBeNull();
    const foreign = tokenOf(new HmacConsentLinks('https://k.test', [oldKey]).create(link, later(1000)));
    expect(links.open(foreign, T0)).toBeNull();
    for (const garbage of ['', 'x', `${payload}.`, `${payload}.${signature}x`, 'a.b.c']) {
      expect(links.open(garbage, T0)).toBeNull();
    }
  });

  it('keeps opening links signed with a retired key while it is still configured (rotation)', () => {
    const before = tokenOf(new HmacConsentLinks('https://k.test', [oldKey]).create(link, later(1000)));
    const rotated = new HmacConsentLinks('https://k.test', [newKey, oldKey]);
    expect(rotated.open(before, T0)).toEqual(link);
    expect(
      new HmacConsentLinks('https://k.test', [oldKey]).open(tokenOf(rotated.create(link, later(1000))), T0),
    ).toBeNull();
  });
});

describe('toIanaTimeZone', () => {
  it('maps Windows names with CLDR windowsZones and keeps IANA names as they are', () => {
    expect(toIanaTimeZone('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(toIanaTimeZone('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(toIanaTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(toIanaTimeZone('UTC')).toBe('UTC');
  });

  it('falls back to the next candidate (the working hours’ zone), and to null when none is known', () => {
    expect(toIanaTimeZone('Customized Time Zone', 'Eastern Standard Time')).toBe('America/New_York');
    expect(toIanaTimeZone(null, undefined, 'Tokyo Standard Time')).toBe('Asia/Tokyo');
    expect(toIanaTimeZone('Customized Time Zone')).toBeNull();
    expect(toIanaTimeZone('Not/AZone', '')).toBeNull();
    expect(toIanaTimeZone()).toBeNull();
  });
});
