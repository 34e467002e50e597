// The real @azure/msal-node against the emulator over HTTPS: auth code + PKCE, silent refresh, client
// credentials and the Entra errors kailenty must tell apart. Each assertion names its Microsoft source.
import { createHash } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  ServerError,
  type AuthenticationResult,
} from '@azure/msal-node';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { createMsalNetworkClient } from '../../src/adapters/microsoft/http/msal-network-client.js';
import { createTrustedFetch } from '../../src/adapters/microsoft/http/trusted-fetch.js';
import { recordMsalRequests, type MsalRequestLog } from '../support/msal-requests.js';

const REDIRECT = 'http://localhost:3000/oauth/microsoft/callback';
const SCOPES = ['User.Read', 'MailboxSettings.Read', 'Calendars.ReadWrite'];

let emu: Emulator;
let crypto: CryptoProvider;
let msalRequests: MsalRequestLog;

beforeAll(async () => {
  msalRequests = recordMsalRequests(() => [emu.hostAndPort]);
  emu = await startEmulator({
    demo: { redirectUris: [REDIRECT, 'http://localhost:3000/oauth/microsoft/admin-consent/callback'] },
  });
  crypto = new CryptoProvider();
});
afterAll(async () => {
  msalRequests.restore();
  await emu.close();
});

/** What the service will configure: the organizations authority, the emulator as a known authority, an injected CA. */
function msal(authority = emu.authority, secret: string = DEMO.clientSecret) {
  return new ConfidentialClientApplication({
    auth: { clientId: DEMO.clientId, clientSecret: secret, authority, knownAuthorities: [emu.hostAndPort] },
    system: { networkClient: createMsalNetworkClient({ extraCaPem: emu.caPem }) },
  });
}

async function signIn(cca: ConfidentialClientApplication, loginHint: string, extra: { nonce?: string } = {}) {
  const pkce = await crypto.generatePkceCodes();
  const state = crypto.createNewGuid();
  const url = await cca.getAuthCodeUrl({
    scopes: SCOPES,
    redirectUri: REDIRECT,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: 'S256',
    state,
    nonce: extra.nonce,
    loginHint,
  });
  const location = new URL(await emu.control.signIn(url));
  return { url: new URL(url), location, pkce, state };
}

const withoutQuery = (url: string) => url.split('?')[0];

function decode(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

describe('Entra ID discovery', () => {
  // MicrosoftDocs/entra-docs docs/identity-platform/v2-oauth2-auth-code-flow.md: discovery document with
  // authorization_endpoint, token_endpoint, issuer and jwks_uri.
  it('serves openid-configuration and JWKS over HTTPS trusted through the injected CA only', async () => {
    const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
    const res = await fetch(`${emu.url}/organizations/v2.0/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, string>;
    expect(doc.authorization_endpoint).toBe(`${emu.url}/organizations/oauth2/v2.0/authorize`);
    expect(doc.token_endpoint).toBe(`${emu.url}/organizations/oauth2/v2.0/token`);
    expect(doc.issuer).toBe(`${emu.url}/{tenantid}/v2.0`);
    const keys = (await (await fetch(doc.jwks_uri)).json()) as { keys: Array<{ kty: string; kid: string }> };
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });
    // Without the CA the certificate is not trusted: nothing is trusted by accident.
    await expect(
      globalThis.fetch(`${emu.url}/organizations/v2.0/.well-known/openid-configuration`),
    ).rejects.toThrow();
  });
});

describe('auth code + PKCE with msal-node', () => {
  let result: AuthenticationResult;

  it('builds the authorize URL MSAL would send the browser to (scopes, PKCE S256, state, login_hint)', async () => {
    const { url, location, state } = await signIn(msal(), DEMO.users.megan.mail);
    // M365.md "Entra ID": getAuthCodeUrl adds openid profile offline_access (msal-common AuthorizationCodeClient).
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining([...SCOPES, 'openid', 'profile', 'offline_access']),
    );
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('login_hint')).toBe(DEMO.users.megan.mail);
    // entra-docs v2-oauth2-auth-code-flow.md: the redirect carries code and the state unchanged.
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it('redeems the code with the verifier and client secret; ID token carries oid, tid, preferred_username, name, nonce', async () => {
    const cca = msal();
    const nonce = crypto.createNewGuid();
    const { location, pkce, state } = await signIn(cca, DEMO.users.megan.mail, { nonce });
    emu.control.clearRequests();
    result = await cca.acquireTokenByCode(
      {
        code: location.searchParams.get('code')!,
        scopes: SCOPES,
        redirectUri: REDIRECT,
        codeVerifier: pkce.verifier,
        state,
        nonce,
      },
      { code: location.searchParams.get('code')!, state },
    );
    const claims = result.idTokenClaims as Record<string, string>;
    // M365.md: identify a user by oid + tid from the ID token.
    expect(claims.oid).toBe(DEMO.users.megan.id);
    expect(claims.tid).toBe(DEMO.tenantId);
    expect(claims.preferred_username).toBe(DEMO.users.megan.mail);
    expect(claims.name).toBe('Megan Bowen');
    expect(claims.nonce).toBe(nonce);
    expect(result.account?.homeAccountId).toBe(`${DEMO.users.megan.id}.${DEMO.tenantId}`);
    expect(result.account?.tenantId).toBe(DEMO.tenantId);
    // M365.md MSAL pitfalls: Entra returns Graph scopes without the resource prefix.
    expect(result.scopes).toEqual(expect.arrayContaining(SCOPES));
    // M365.md "MSAL for Node": acquireTokenByCode sends code_verifier and client_secret.
    const tokenCall = emu.control.requests({ pathPrefix: '/organizations/oauth2/v2.0/token' })[0];
    expect(tokenCall.body).toMatchObject({
      grant_type: 'authorization_code',
      code_verifier: '***',
      client_secret: '***',
    });
    // knownAuthorities: no instance discovery (it would go to login.microsoftonline.com, never to the
    // emulator): every URL MSAL asked for is the emulator's, the openid-configuration and token endpoint.
    expect(msalRequests.outside(emu.hostAndPort)).toEqual([]);
    expect(msalRequests.urls.map(withoutQuery)).toEqual(
      expect.arrayContaining([
        `${emu.url}/organizations/v2.0/.well-known/openid-configuration`,
        `${emu.url}/organizations/oauth2/v2.0/token`,
      ]),
    );
  });

  it('without knownAuthorities MSAL would ask Microsoft for instance discovery: the record above catches it', async () => {
    const before = msalRequests.urls.length;
    const cca = new ConfidentialClientApplication({
      auth: { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret, authority: emu.authority },
      system: { networkClient: createMsalNetworkClient({ extraCaPem: emu.caPem }) },
    });
    await cca.getAuthCodeUrl({ scopes: SCOPES, redirectUri: REDIRECT }).catch(() => undefined);
    const asked = msalRequests.urls.slice(before).map(withoutQuery);
    expect(asked).toContain('https://login.microsoftonline.com/common/discovery/instance');
    expect(msalRequests.outside(emu.hostAndPort)).not.toEqual([]);
  });

  it('refuses a nonce that does not match (msal-common ResponseHandler nonce_mismatch)', async () => {
    const cca = msal();
    const { location, pkce, state } = await signIn(cca, DEMO.users.megan.mail, { nonce: 'nonce-sent' });
    const code = location.searchParams.get('code')!;
    await expect(
      cca.acquireTokenByCode(
        { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state, nonce: 'another' },
        { code, state },
      ),
    ).rejects.toMatchObject({ errorCode: 'nonce_mismatch' });
  });

  // MicrosoftDocs/entra-docs docs/identity-platform/v2-oauth2-auth-code-flow.md (refresh the access token); msal-common SilentFlowClient/RefreshTokenClient.
  it('refreshes silently with the refresh token, and gets a new refresh token (M365.md: a refresh returns a new one)', async () => {
    const cca = msal();
    const { location, pkce, state } = await signIn(cca, DEMO.users.megan.mail);
    const code = location.searchParams.get('code')!;
    const first = await cca.acquireTokenByCode(
      { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
      { code, state },
    );
    const cached = await cca.acquireTokenSilent({ account: first.account!, scopes: SCOPES });
    expect(cached.fromCache).toBe(true);
    emu.control.clearRequests();
    const refreshed = await cca.acquireTokenSilent({
      account: first.account!,
      scopes: SCOPES,
      forceRefresh: true,
    });
    expect(refreshed.fromCache).toBe(false);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    const call = emu.control.requests({ pathPrefix: '/organizations/oauth2/v2.0/token' })[0];
    expect(call.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: '***' });
  });

  it('the code is single use: a second redemption is AADSTS54005 (entra-docs reference-error-codes.md)', async () => {
    const cca = msal();
    const { location, pkce, state } = await signIn(cca, DEMO.users.megan.mail);
    const code = location.searchParams.get('code')!;
    await cca.acquireTokenByCode(
      { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
      { code, state },
    );
    const again = await cca
      .acquireTokenByCode(
        { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
        { code, state },
      )
      .catch((e) => e);
    expect(again).toBeInstanceOf(ServerError);
    expect(String(again.errorNo)).toBe('54005');
    expect(again.errorCode).toBe('invalid_grant');
  });

  // MicrosoftDocs/entra-docs docs/identity-platform/v2-oauth2-auth-code-flow.md (code_verifier); AADSTS501481 in MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md.
  it('verifies PKCE: a wrong verifier is refused', async () => {
    const cca = msal();
    const { location, state } = await signIn(cca, DEMO.users.megan.mail);
    const code = location.searchParams.get('code')!;
    const err = await cca
      .acquireTokenByCode(
        { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: 'x'.repeat(43), state },
        { code, state },
      )
      .catch((e) => e);
    expect(err.errorCode).toBe('invalid_grant');
    expect(err.errorMessage).toContain('AADSTS501481');
  });

  // MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md (7000215 invalid client secret).
  it("an unreachable token endpoint is MSAL's network_error (msal-node HttpClient), not a TypeError", async () => {
    const cca = msal();
    const { location, pkce, state } = await signIn(cca, DEMO.users.megan.mail);
    const code = location.searchParams.get('code')!;
    emu.control.injectFault({ match: { pathPrefix: '/organizations/oauth2/v2.0/token' }, disconnect: true });
    const err = await cca
      .acquireTokenByCode(
        { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
        { code, state },
      )
      .catch((e) => e);
    expect(err.errorCode).toBe('network_error');
  });

  it("a 503 from the token endpoint surfaces as a ServerError with Entra's temporarily_unavailable", async () => {
    const cca = msal();
    const { location, pkce, state } = await signIn(cca, DEMO.users.megan.mail);
    const code = location.searchParams.get('code')!;
    emu.control.injectFault({
      match: { pathPrefix: '/organizations/oauth2/v2.0/token' },
      status: 503,
      retryAfter: 1,
    });
    const err = await cca
      .acquireTokenByCode(
        { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
        { code, state },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err.errorCode).toBe('temporarily_unavailable');
  });

  it('checks the client secret (AADSTS7000215, invalid_client)', async () => {
    const good = msal();
    const { location, pkce, state } = await signIn(good, DEMO.users.megan.mail);
    const code = location.searchParams.get('code')!;
    const err = await msal(emu.authority, 'wrong-secret')
      .acquireTokenByCode(
        { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
        { code, state },
      )
      .catch((e) => e);
    expect(err.errorCode).toBe('invalid_client');
    expect(err.errorMessage).toContain('AADSTS7000215');
  });
});

// MicrosoftDocs/entra-docs docs/identity-platform/v2-oauth2-auth-code-flow.md (authorize request, redirect_uri must match a registered one, error
// response ?error&error_description&state) and MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md (the AADSTS codes).
describe('authorize checks and error redirects', () => {
  const authorize = (params: Record<string, string>, tenant = 'organizations') =>
    `${emu.url}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({
      client_id: DEMO.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid offline_access Calendars.ReadWrite',
      state: 'st-1',
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256',
      ...params,
    })}`;

  it('does not redirect to an unregistered redirect_uri, nor for an unknown client_id (AADSTS50011, 700016)', async () => {
    await expect(
      emu.control.signIn(
        authorize({ login_hint: DEMO.users.megan.mail, redirect_uri: 'https://evil.example/cb' }),
      ),
    ).rejects.toThrow(/AADSTS50011/);
    await expect(
      emu.control.signIn(
        authorize({ login_hint: DEMO.users.megan.mail, client_id: '00000000-0000-0000-0000-000000000001' }),
      ),
    ).rejects.toThrow(/AADSTS700016/);
  });

  it('requires PKCE S256 (stricter than Entra on purpose) and echoes state on the error redirect', async () => {
    const location = new URL(
      await emu.control.signIn(
        authorize({ login_hint: DEMO.users.megan.mail, code_challenge_method: 'plain' }),
      ),
    );
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('st-1');
  });

  it('a disabled user gets AADSTS50057', async () => {
    const location = new URL(await emu.control.signIn(authorize({ login_hint: DEMO.users.diego.mail })));
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS50057:/);
    expect(location.searchParams.get('state')).toBe('st-1');
  });

  it('a tenant that requires admin consent answers AADSTS90094 to a user who is not an admin', async () => {
    const emuUser = emu.control.addUser({
      tenantId: DEMO.otherTenantId,
      mail: 'nina@fabrikam.com',
      displayName: 'Nina',
      timeZone: 'UTC',
    });
    const location = new URL(await emu.control.signIn(authorize({ login_hint: emuUser.mail })));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toMatch(
      /^AADSTS90094: The grant requires admin permission/,
    );
  });

  it("a user signing in through another tenant's endpoint gets AADSTS50020", async () => {
    const location = new URL(
      await emu.control.signIn(authorize({ login_hint: DEMO.users.frank.mail }, DEMO.tenantId)),
    );
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS50020:/);
  });

  it('a user can be chosen by a queued sign-in instead of login_hint, and can decline (AADSTS65004)', async () => {
    emu.control.setNextSignIn({ userId: DEMO.users.adele.id, decline: true });
    const location = new URL(await emu.control.signIn(authorize({})));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS65004:/);
  });
});

// MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md (65001, 50173, 700082, 53003, 50076, 70008, 700016) and
// AzureAD/microsoft-authentication-library-for-js lib/msal-common/src/error/InteractionRequiredAuthError.ts
// (which errors and suberrors are "interaction required"; the rest is a ServerError).
describe('revocation and re-authentication errors through msal-node', () => {
  async function connected(mail: string) {
    const cca = msal();
    const { location, pkce, state } = await signIn(cca, mail);
    const code = location.searchParams.get('code')!;
    const result = await cca.acquireTokenByCode(
      { code, scopes: SCOPES, redirectUri: REDIRECT, codeVerifier: pkce.verifier, state },
      { code, state },
    );
    return { cca, account: result.account! };
  }

  it("a user's consent withdrawn: refresh refused with AADSTS65001 consent_required → InteractionRequiredAuthError", async () => {
    const { cca, account } = await connected(DEMO.users.alex.mail);
    emu.control.revokeConsent(DEMO.tenantId, { userId: DEMO.users.alex.id });
    const err = await cca.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((e) => e);
    // msal-common InteractionRequiredAuthError: suberror consent_required is interaction required.
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect(String(err.errorNo)).toBe('65001');
    expect(err.subError).toBe('consent_required');
  });

  it('sessions revoked (password reset): AADSTS50173, suberror bad_token', async () => {
    const { cca, account } = await connected(DEMO.users.megan.mail);
    emu.control.revokeSessions(DEMO.users.megan.id);
    const err = await cca.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((e) => e);
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect(String(err.errorNo)).toBe('50173');
  });

  it('refresh token expired: AADSTS700082 with suberror bad_token', async () => {
    const { cca, account } = await connected(DEMO.users.adele.mail);
    emu.control.expireTokens({ refreshTokens: true, userId: DEMO.users.adele.id });
    const err = await cca.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((e) => e);
    expect(String(err.errorNo)).toBe('700082');
    expect(err.subError).toBe('bad_token');
  });

  it.each([
    [53003, 'message_only', InteractionRequiredAuthError],
    [50076, 'basic_action', InteractionRequiredAuthError],
    [70008, undefined, ServerError],
  ])('AADSTS%s on refresh surfaces with suberror %s', async (code, suberror, type) => {
    const { cca, account } = await connected(DEMO.users.adele.mail);
    emu.control.injectTokenError({ aadsts: code, grantType: 'refresh_token', userId: DEMO.users.adele.id });
    const err = await cca.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((e) => e);
    expect(err).toBeInstanceOf(type);
    expect(String(err.errorNo)).toBe(String(code));
    expect(err.subError || undefined).toBe(suberror);
  });

  it('the app removed from the tenant: refresh is AADSTS700016 (a bare invalid grant family error → ServerError)', async () => {
    const tenant = emu.control.addTenant({ name: 'Tailspin', domain: 'tailspin.com' });
    const user = emu.control.addUser({
      tenantId: tenant.id,
      mail: 'tom@tailspin.com',
      displayName: 'Tom',
      timeZone: 'UTC',
    });
    const { cca, account } = await connected(user.mail);
    emu.control.revokeConsent(tenant.id);
    const err = await cca.acquireTokenSilent({ account, scopes: SCOPES, forceRefresh: true }).catch((e) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err.errorCode).toBe('unauthorized_client');
    expect(String(err.errorNo)).toBe('700016');
  });
});

// MicrosoftDocs/entra-docs docs/identity-platform/v2-admin-consent.md (the adminconsent endpoint, its success and error redirects) and
// microsoftgraph/microsoft-graph-docs-contrib concepts/auth-v2-service.md (client credentials, /.default scope).
describe('admin consent and client credentials', () => {
  const ADMIN_REDIRECT = 'http://localhost:3000/oauth/microsoft/admin-consent/callback';
  const adminConsentUrl = (state: string, loginHint?: string) =>
    `${emu.url}/organizations/v2.0/adminconsent?${new URLSearchParams({
      client_id: DEMO.clientId,
      scope: SCOPES.map((s) => `https://graph.microsoft.com/${s}`).join(' '),
      redirect_uri: ADMIN_REDIRECT,
      state,
      ...(loginHint ? { login_hint: loginHint } : {}),
    })}`;

  it('before any consent the tenant has no service principal: client credentials are AADSTS700016', async () => {
    const err = await msal(`${emu.url}/${DEMO.otherTenantId}`)
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] })
      .catch((e) => e);
    expect(String(err.errorNo)).toBe('700016');
  });

  it('success redirects with admin_consent=True, tenant, scope and state (entra-docs v2-admin-consent.md)', async () => {
    const location = new URL(await emu.control.signIn(adminConsentUrl('adm-1', DEMO.users.frank.mail)));
    expect(location.origin + location.pathname).toBe(ADMIN_REDIRECT);
    expect(location.searchParams.get('admin_consent')).toBe('True');
    expect(location.searchParams.get('tenant')).toBe(DEMO.otherTenantId);
    expect(location.searchParams.get('state')).toBe('adm-1');
    // The tenant parameter proves nothing: a client-credentials token for that tenant does.
    const token = await msal(`${emu.url}/${DEMO.otherTenantId}`).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(decode(token!.accessToken).tid).toBe(DEMO.otherTenantId);
    expect(decode(token!.accessToken).idtyp).toBe('app');
  });

  it('the tenant may be named by its domain in the authority', async () => {
    const token = await msal(`${emu.url}/${DEMO.otherTenantDomain}`).acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(decode(token!.accessToken).tid).toBe(DEMO.otherTenantId);
  });

  it('a non-admin is refused, and a declined consent can still carry admin_consent=True', async () => {
    const refused = new URL(await emu.control.signIn(adminConsentUrl('adm-2', DEMO.users.megan.mail)));
    expect(refused.searchParams.get('error')).toBe('access_denied');
    expect(refused.searchParams.get('state')).toBe('adm-2');
    emu.control.setNextSignIn({ userId: DEMO.users.adele.id, decline: true });
    const declined = new URL(await emu.control.signIn(adminConsentUrl('adm-3')));
    expect(declined.searchParams.get('error')).toBe('access_denied');
    expect(declined.searchParams.get('admin_consent')).toBe('True');
  });

  // MicrosoftDocs/entra-docs docs/identity-platform/id-token-claims-reference.md (`wids`: tenant-wide roles
  // template ids, emitted when the app's token configuration asks for directory roles) and v2-admin-consent.md
  // ("Recommended: Sign the user into your app").
  it('ID tokens carry the directory roles (wids) when the registration asks for them, with the User role', async () => {
    const idTokenOf = async (userId: string) => {
      const pkce = await crypto.generatePkceCodes();
      const cca = msal(`${emu.url}/${DEMO.tenantId}`);
      const url = await cca.getAuthCodeUrl({
        scopes: ['openid', 'profile'],
        redirectUri: ADMIN_REDIRECT,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        state: 'wids',
      });
      const code = new URL(await emu.control.signIn(url, { userId })).searchParams.get('code')!;
      const result = await cca.acquireTokenByCode({
        code,
        scopes: ['openid', 'profile'],
        redirectUri: ADMIN_REDIRECT,
        codeVerifier: pkce.verifier,
      });
      return result.idTokenClaims as Record<string, unknown>;
    };
    const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
    const USER = 'b79fbf4d-3ef9-4689-8143-76b194e85509';
    expect((await idTokenOf(DEMO.users.adele.id)).wids).toEqual(expect.arrayContaining([GLOBAL_ADMIN, USER]));
    expect((await idTokenOf(DEMO.users.megan.id)).wids).toEqual([USER]);
    emu.control.setDirectoryRolesInTokens(false);
    try {
      expect((await idTokenOf(DEMO.users.adele.id)).wids).toBeUndefined();
    } finally {
      emu.control.setDirectoryRolesInTokens(true);
    }
  });

  it('signs in, without asking again, the account of the browser session an admin consent started', async () => {
    const fetch = createTrustedFetch({ extraCaPem: emu.caPem });
    const consent = await fetch(adminConsentUrl('adm-sso', DEMO.users.frank.mail), { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const cookie = consent.headers.get('set-cookie')!.split(';')[0]!;
    const pkce = await crypto.generatePkceCodes();
    const authorize = await msal(`${emu.url}/${DEMO.otherTenantId}`).getAuthCodeUrl({
      scopes: ['openid', 'profile'],
      redirectUri: ADMIN_REDIRECT,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      state: 'sso',
    });
    const withSession = await fetch(authorize, { redirect: 'manual', headers: { cookie } });
    expect(new URL(withSession.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    // Another browser (no session cookie) has nobody signed in.
    const without = await fetch(authorize, { redirect: 'manual' });
    expect(without.status).toBe(400);
  });

  it('after admin consent to .default, users of an admin-consent-only tenant sign in without being asked', async () => {
    const tenant = emu.control.addTenant({
      name: 'Woodgrove',
      domain: 'woodgrove.com',
      userConsent: 'admin_required',
    });
    const admin = emu.control.addUser({
      tenantId: tenant.id,
      mail: 'it@woodgrove.com',
      displayName: 'IT',
      isAdmin: true,
    });
    const user = emu.control.addUser({ tenantId: tenant.id, mail: 'pat@woodgrove.com', displayName: 'Pat' });
    const url = `${emu.url}/${tenant.id}/v2.0/adminconsent?${new URLSearchParams({
      client_id: DEMO.clientId,
      scope: 'https://graph.microsoft.com/.default',
      redirect_uri: ADMIN_REDIRECT,
      state: 'adm-4',
      login_hint: admin.mail,
    })}`;
    expect(new URL(await emu.control.signIn(url)).searchParams.get('admin_consent')).toBe('True');
    expect(emu.control.consents(tenant.id)[0]).toMatchObject({
      kind: 'admin',
      scopes: expect.arrayContaining(SCOPES),
    });
    const { location } = await signIn(msal(), user.mail);
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it('a grant revoked for the whole tenant makes client credentials fail again (AADSTS700016)', async () => {
    emu.control.revokeConsent(DEMO.otherTenantId);
    const err = await msal(`${emu.url}/${DEMO.otherTenantId}`)
      .acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'], skipCache: true })
      .catch((e) => e);
    expect(String(err.errorNo)).toBe('700016');
  });
});
