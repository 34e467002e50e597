// Admin consent as an attacker would try it and as an honest administrator does it, over HTTP with the
// real MSAL adapter against the Microsoft 365 emulator: a grant is recorded only once an administrator of
// the tenant Microsoft reported signed in, within the same chain of single-use states.
import type { Emulator } from '../../emulator/emulator.js';
import { DIRECTORY_ROLES } from '../../emulator/state.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  activeMember,
  connectMember,
  continueAdminSignIn,
  DEMO,
  followAdminConsentPage,
  microsoftConfig,
  pathOf,
  refusedThenRecorded,
  startTestEmulator,
  walkAdminConsent,
} from '../support/microsoft.js';

let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  emu = await startTestEmulator();
  t = await startTestApp({ ...microsoftConfig(emu), logLevel: 'error' });
  // Someone in Contoso once consented for themselves: from then on an app-only token for Contoso works,
  // which is exactly why a working token proves nothing about who is consenting now.
  const earlier = await t.workspace();
  const megan = await activeMember(t, earlier.apiKey, DEMO.users.megan.mail);
  expect((await connectMember(t, emu, earlier.apiKey, megan)).location!.searchParams.get('result')).toBe(
    'connected',
  );
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const tenantOf = async (apiKey: string) =>
  (await t.http().get('/v1/microsoft-tenant').set(auth(apiKey))).body as {
    tenantId: string | null;
    consent: { status: string; grantType: string | null; grantedBy: string | null };
    adminConsentUrl: string;
  };
const params = (url: URL | null) => Object.fromEntries(url?.searchParams ?? []);

/** The attacker's first step: follow the workspace's consent link once, keep the state Microsoft would get. */
async function stateFromLink(apiKey: string, tenant?: string): Promise<string> {
  const page = tenant
    ? (await t.http().post('/v1/microsoft-tenant/admin-consent').set(auth(apiKey)).send({ tenant })).body
        .adminConsentUrl
    : (await tenantOf(apiKey)).adminConsentUrl;
  const { location } = await followAdminConsentPage(t, page as string);
  return new URL(location!).searchParams.get('state')!;
}
const forgedCallback = (state: string, tenant: string) =>
  t.http().get(`/oauth/microsoft/admin-consent/callback?admin_consent=True&tenant=${tenant}&state=${state}`);

async function expectNothingRecorded(apiKey: string) {
  expect(await tenantOf(apiKey)).toMatchObject({
    tenantId: null,
    consent: { status: 'none', grantType: null, grantedBy: null },
  });
  const audit = await t.http().get('/v1/audit-events?type=admin_consent.granted').set(auth(apiKey));
  expect(audit.body.data).toEqual([]);
}

describe('an honest administrator', () => {
  it('consents, signs in at the tenant, and the grant names them (name and oid)', async () => {
    const ws = await t.workspace();
    const walk = await walkAdminConsent(t, emu, (await tenantOf(ws.apiKey)).adminConsentUrl, {
      userId: DEMO.users.frank.id,
    });
    // After Microsoft's answer, kailenty asks the administrator to sign in at that very tenant, with PKCE.
    expect(walk.signInUrl!.pathname).toBe(`/${DEMO.otherTenantId}/oauth2/v2.0/authorize`);
    expect(walk.signInUrl!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(walk.signInUrl!.searchParams.get('scope')!.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'profile']),
    );
    expect(params(walk.location)).toEqual({ result: 'admin_consent_granted', tenantId: DEMO.otherTenantId });
    expect(await tenantOf(ws.apiKey)).toMatchObject({
      tenantId: DEMO.otherTenantId,
      consent: {
        status: 'granted',
        grantType: 'admin',
        grantedBy: `Frank Miller (oid ${DEMO.users.frank.id})`,
      },
    });
    // The audit trail names the administrator and the browser's address.
    const audit = await t.http().get('/v1/audit-events?type=admin_consent.granted').set(auth(ws.apiKey));
    expect(audit.body.data).toEqual([
      expect.objectContaining({
        type: 'admin_consent.granted',
        actor: { type: 'microsoft_account', id: DEMO.users.frank.id, name: 'Frank Miller' },
        clientAddress: '127.0.0.1',
        object: { type: 'microsoft_tenant', id: DEMO.otherTenantId },
      }),
    ]);
  });

  it('a Cloud Application Administrator may grant it too', async () => {
    const tenant = emu.control.addTenant({
      name: 'Northwind',
      domain: 'northwind.test',
      userConsent: 'admin_required',
    });
    const cloudAdmin = emu.control.addUser({
      tenantId: tenant.id,
      mail: 'apps@northwind.test',
      displayName: 'Nina Apps',
      directoryRoles: [DIRECTORY_ROLES.cloudApplicationAdministrator],
    });
    const ws = await t.workspace();
    const walk = await walkAdminConsent(t, emu, (await tenantOf(ws.apiKey)).adminConsentUrl, {
      userId: cloudAdmin.id,
    });
    expect(params(walk.location)).toEqual({ result: 'admin_consent_granted', tenantId: tenant.id });
  });

  it('where the app registration emits no directory roles, the signed-in administrator of the tenant is enough', async () => {
    const tenant = emu.control.addTenant({
      name: 'Tailspin',
      domain: 'tailspin.test',
      userConsent: 'admin_required',
    });
    const admin = emu.control.addUser({
      tenantId: tenant.id,
      mail: 'gal@tailspin.test',
      displayName: 'Gal',
      isAdmin: true,
    });
    emu.control.setDirectoryRolesInTokens(false);
    try {
      const ws = await t.workspace();
      const walk = await walkAdminConsent(t, emu, (await tenantOf(ws.apiKey)).adminConsentUrl, {
        userId: admin.id,
      });
      expect(params(walk.location)).toEqual({ result: 'admin_consent_granted', tenantId: tenant.id });
    } finally {
      emu.control.setDirectoryRolesInTokens(true);
    }
  });
});

describe('forgeries, each refused with nothing recorded', () => {
  it('?admin_consent=True&tenant=… typed by hand records nothing: kailenty asks for a sign-in first', async () => {
    const ws = await t.workspace();
    const state = await stateFromLink(ws.apiKey);
    const forged = await forgedCallback(state, DEMO.tenantId);
    expect(forged.status).toBe(302);
    const signIn = new URL(forged.headers.location);
    expect(signIn.origin).toBe(emu.url);
    expect(signIn.pathname).toBe(`/${DEMO.tenantId}/oauth2/v2.0/authorize`);
    await expectNothingRecorded(ws.apiKey);

    // The forger signs in as who they are: a user of Contoso without an administrator role.
    const walk = await continueAdminSignIn(t, emu, forged, { userId: DEMO.users.megan.id });
    expect(params(walk.location)).toMatchObject({ result: 'error', code: 'ADMIN_CONSENT_NOT_VERIFIED' });
    expect(params(walk.location).message).toMatch(/Global Administrator/);
    await expectNothingRecorded(ws.apiKey);
  });

  it('skipping the sign-in (its state with the consent answer, or no code) records nothing', async () => {
    const ws = await t.workspace();
    const forged = await forgedCallback(await stateFromLink(ws.apiKey), DEMO.tenantId);
    const signInState = new URL(forged.headers.location).searchParams.get('state')!;
    const skipped = await forgedCallback(signInState, DEMO.tenantId);
    expect(params(new URL(skipped.headers.location))).toMatchObject({
      result: 'error',
      code: 'ADMIN_CONSENT_NOT_VERIFIED',
    });
    // Both states are spent now.
    for (const state of [signInState]) {
      const again = await t.http().get(`/oauth/microsoft/admin-consent/callback?code=x&state=${state}`);
      expect([again.status, again.body.code]).toEqual([400, 'INVALID_STATE']);
    }
    await expectNothingRecorded(ws.apiKey);
  });

  it('an administrator of another tenant cannot sign in for the tenant the callback named', async () => {
    const ws = await t.workspace();
    const forged = await forgedCallback(await stateFromLink(ws.apiKey), DEMO.tenantId);
    // Frank administers Fabrikam, not Contoso: Entra refuses him at Contoso's authority (AADSTS50020).
    const walk = await continueAdminSignIn(t, emu, forged, { userId: DEMO.users.frank.id });
    expect(params(walk.location)).toMatchObject({ result: 'error', code: 'ADMIN_CONSENT_NOT_VERIFIED' });
    await expectNothingRecorded(ws.apiKey);
  });

  it('a user with an administrator role that cannot grant consent (Helpdesk) is refused with who must do it', async () => {
    const helpdesk = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'helpdesk@contoso.com',
      displayName: 'Hal Desk',
      directoryRoles: [DIRECTORY_ROLES.helpdeskAdministrator],
    });
    const ws = await t.workspace();
    const forged = await forgedCallback(await stateFromLink(ws.apiKey), DEMO.tenantId);
    const walk = await continueAdminSignIn(t, emu, forged, { userId: helpdesk.id });
    expect(params(walk.location)).toMatchObject({
      result: 'error',
      code: 'ADMIN_CONSENT_NOT_VERIFIED',
      message: expect.stringContaining('Privileged Role Administrator'),
    });
    await expectNothingRecorded(ws.apiKey);
  });

  it('a consent started for tenant A whose callback names tenant B is TENANT_MISMATCH (by id or by domain)', async () => {
    const ws = await t.workspace();
    for (const named of [DEMO.otherTenantId, DEMO.otherTenantDomain]) {
      const forged = await forgedCallback(await stateFromLink(ws.apiKey, named), DEMO.tenantId);
      expect(params(new URL(forged.headers.location))).toMatchObject({
        result: 'error',
        code: 'TENANT_MISMATCH',
      });
    }
    await expectNothingRecorded(ws.apiKey);
    // The honest administrator of the named tenant, by domain, still gets through.
    const started = await t
      .http()
      .post('/v1/microsoft-tenant/admin-consent')
      .set(auth(ws.apiKey))
      .send({ tenant: DEMO.otherTenantDomain });
    const walk = await walkAdminConsent(t, emu, started.body.adminConsentUrl, {
      userId: DEMO.users.frank.id,
    });
    expect(params(walk.location)).toEqual({ result: 'admin_consent_granted', tenantId: DEMO.otherTenantId });
  });

  it('a tenant where nobody consented, signed in by its own administrator, is ADMIN_CONSENT_NOT_VERIFIED', async () => {
    // Litware's administrator never went through the consent screen: no app-only token can be had.
    const litware = emu.control.addTenant({
      name: 'Litware',
      domain: 'litware.test',
      userConsent: 'allowed',
    });
    const admin = emu.control.addUser({
      tenantId: litware.id,
      mail: 'root@litware.test',
      displayName: 'Root',
      isAdmin: true,
    });
    const ws = await t.workspace();
    const forged = await forgedCallback(await stateFromLink(ws.apiKey), litware.id);
    const walk = await continueAdminSignIn(t, emu, forged, { userId: admin.id });
    expect(params(walk.location)).toMatchObject({ result: 'error', code: 'ADMIN_CONSENT_NOT_VERIFIED' });
    await expectNothingRecorded(ws.apiKey);
  });
});

describe('reconnect links', () => {
  it('stop working once the member is connected again', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: `rita.${Date.now()}@contoso.com`,
      displayName: 'Rita',
    });
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, user.mail);
    await connectMember(t, emu, ws.apiKey, id);
    emu.control.refuseRefreshTokens(user.id, 70008);
    await refusedThenRecorded(
      t,
      t.app.get(MicrosoftTokenProvider).accessToken(ws.id, id, { forceRefresh: true }),
    );
    const revoked = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
    expect(revoked.connection).toBe('revoked');
    const link = revoked.reconnectUrl as string;
    const first = await t.http().get(pathOf(link));
    expect(first.status).toBe(302);
    const back = await t
      .http()
      .get(pathOf(await emu.control.signIn(first.headers.location, { userId: user.id })));
    expect(params(new URL(back.headers.location))).toMatchObject({ result: 'connected' });
    const again = await t.http().get(pathOf(link));
    expect([again.status, again.body.code]).toEqual([400, 'INVALID_STATE']);
  });
});
