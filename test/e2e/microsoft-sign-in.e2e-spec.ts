// Sign-in, admin consent and revocation over HTTP, with the real MSAL and Graph adapters against the
// Microsoft 365 emulator over HTTPS: every outcome of the callback, the tenant an administrator reviews,
// and what happens when Microsoft withdraws access later.
import type { Emulator } from '../../emulator/emulator.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { ConsentLinks } from '@application/ports/consent-links.js';
import { GraphClients } from '@adapters/microsoft/graph/graph-clients.js';
import { MicrosoftRefusal } from '@application/ports/microsoft-refusal.js';
import { SealedBox, keyIdOf } from '@adapters/crypto/sealed-box.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { recordMsalRequests } from '../support/msal-requests.js';
import {
  activeMember,
  connectMember,
  DEMO,
  microsoftConfig,
  pathOf,
  refusedThenRecorded,
  startTestEmulator,
  walkAdminConsent,
  followAdminConsentPage,
} from '../support/microsoft.js';

let emu: Emulator;
let t: TestApp;
// Instance discovery would go to login.microsoftonline.com, never to the emulator: only a record of what
// MSAL asks for shows it (any URL outside the emulator is recorded and refused).
const msalRequests = recordMsalRequests(() => [new URL(emu.url).host]);

beforeAll(async () => {
  emu = await startTestEmulator();
  t = await startTestApp(microsoftConfig(emu));
});
afterAll(async () => {
  msalRequests.restore();
  await t?.close();
  await emu?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);

describe('starting a connection', () => {
  it('hands back an organizations authorize URL with PKCE, state, nonce, login_hint and only our scopes', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.adele.mail);
    const res = await t.http().post(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey)).send({});
    expect(res.status).toBe(201);
    const url = new URL(res.body.authorizeUrl);
    expect(url.origin).toBe(emu.url);
    expect(url.pathname).toBe('/organizations/oauth2/v2.0/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('login_hint')).toBe(DEMO.users.adele.mail);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:3000/oauth/microsoft/callback');
    const requested = url.searchParams.get('scope')!.split(' ').sort();
    const listed = (await t.http().get('/v1/permissions')).body.data
      .map((p: { scope: string }) => p.scope)
      .sort();
    expect(requested).toEqual(listed);
    expect(new Date(res.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it('refuses at once a member who is not active, and an unknown or foreign member', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const pending = await t
      .http()
      .post('/v1/members')
      .set(auth(ws.apiKey))
      .send({ email: 'p@contoso.com', displayName: 'P', role: 'member' });
    const res = await t
      .http()
      .post(`/v1/members/${pending.body.id}/microsoft-connection`)
      .set(auth(ws.apiKey))
      .send({});
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCOUNT_NOT_ACTIVE');
    expect(
      (
        await t
          .http()
          .post(`/v1/members/${pending.body.id}/microsoft-connection`)
          .set(auth(other.apiKey))
          .send({})
      ).status,
    ).toBe(404);
    const bad = await t
      .http()
      .post(`/v1/members/${pending.body.id}/microsoft-connection`)
      .set(auth(ws.apiKey))
      .send({ returnUrl: 'https://evil.test/x' });
    expect(bad.status).toBe(400);
  });
});

describe('the callback', () => {
  it('connects an active member: oid + tid, IANA time zone from the mailbox, Teams ability, user consent', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.adele.mail);
    const out = await connectMember(t, emu, ws.apiKey, id);
    expect(out.status).toBe(302);
    expect(out.location!.origin + out.location!.pathname).toBe(ws.returnUrl);
    expect(Object.fromEntries(out.location!.searchParams)).toEqual({ result: 'connected', memberId: id });

    const conn = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
    expect(conn).toMatchObject({
      connection: 'connected',
      userId: DEMO.users.adele.id,
      tenantId: DEMO.tenantId,
      timeZone: 'America/Los_Angeles',
      teamsEnabled: true,
    });
    expect(conn.reconnectUrl).toBeUndefined();
    const member = (await t.http().get(`/v1/members/${id}`).set(auth(ws.apiKey))).body;
    expect(member.microsoft).toEqual(conn);

    const tenant = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    expect(tenant.tenantId).toBe(DEMO.tenantId);
    expect(tenant.consent).toMatchObject({
      status: 'granted',
      grantType: 'user',
      grantedBy: DEMO.users.adele.mail,
    });
    expect(tenant.consent.scopes).toEqual(
      expect.arrayContaining(['Calendars.ReadWrite', 'MailboxSettings.Read', 'User.Read']),
    );
    expect(tenant.members).toEqual([
      { id, email: DEMO.users.adele.mail, connection: 'connected', lastSignInAt: conn.lastSignInAt },
    ]);
  });

  it('a member without a Teams licence connects with teamsEnabled false', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.alex.mail);
    expect((await connectMember(t, emu, ws.apiKey, id)).location!.searchParams.get('result')).toBe(
      'connected',
    );
    const conn = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
    expect(conn).toMatchObject({ teamsEnabled: false, timeZone: 'America/New_York' });
  });

  it('a mailbox zone no table maps (a custom zone): timeZone null, a TIME_ZONE_UNMAPPED warning naming it, availability in UTC', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'custom.zone@contoso.com',
      displayName: 'Custom Zone',
      timeZone: 'Customized Time Zone',
    });
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, user.mail);
    expect((await connectMember(t, emu, ws.apiKey, id)).location!.searchParams.get('result')).toBe(
      'connected',
    );
    const conn = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
    expect(conn).toMatchObject({
      connection: 'connected',
      timeZone: null,
      warnings: [{ code: 'TIME_ZONE_UNMAPPED', windowsTimeZone: 'Customized Time Zone' }],
    });
    expect((await t.http().get(`/v1/members/${id}`).set(auth(ws.apiKey))).body.microsoft).toEqual(conn);
    const availability = await t.http().get(`/v1/members/${id}/availability`).set(auth(ws.apiKey));
    expect(availability.body.timeZone).toBe('UTC');
    // A mapped zone carries no warning.
    const adele = await activeMember(t, ws.apiKey, DEMO.users.adele.mail);
    await connectMember(t, emu, ws.apiKey, adele);
    const mapped = (await t.http().get(`/v1/members/${adele}/microsoft-connection`).set(auth(ws.apiKey)))
      .body;
    expect(mapped.warnings).toBeUndefined();
  });

  it('turns away a member disabled while signing in (ACCOUNT_NOT_ACTIVE) and keeps no tokens', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    const started = await t
      .http()
      .post(`/v1/members/${id}/microsoft-connection`)
      .set(auth(ws.apiKey))
      .send({});
    await t.http().patch(`/v1/members/${id}`).set(auth(ws.apiKey)).send({ status: 'disabled' }).expect(200);
    const callback = await t.http().get(pathOf(await emu.control.signIn(started.body.authorizeUrl)));
    expect(Object.fromEntries(new URL(callback.headers.location).searchParams)).toEqual({
      result: 'error',
      code: 'ACCOUNT_NOT_ACTIVE',
      memberId: id,
    });
    expect(await sql('select 1 from microsoft_token_caches where member_id = ?', [id])).toEqual([]);
  });

  it('turns away another account than the member’s (ACCOUNT_MISMATCH), keeping nothing of it', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    const out = await connectMember(t, emu, ws.apiKey, id, { userId: DEMO.users.alex.id });
    expect(out.location!.searchParams.get('code')).toBe('ACCOUNT_MISMATCH');
    expect(out.location!.searchParams.get('memberId')).toBe(id);
    expect(
      (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body.connection,
    ).toBe('not_connected');
    expect(await sql('select 1 from microsoft_token_caches where member_id = ?', [id])).toEqual([]);
  });

  it('turns away an account already bound to another member of the workspace (ACCOUNT_MISMATCH), state spent', async () => {
    // Her mail and her UPN differ: a member for each matches the account by address.
    const sam = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'sam@contoso.com',
      upn: 'sam.carter@contoso.onmicrosoft.com',
      displayName: 'Sam',
    });
    const ws = await t.workspace();
    const byMail = await activeMember(t, ws.apiKey, sam.mail);
    const byUpn = await activeMember(t, ws.apiKey, sam.userPrincipalName);
    expect((await connectMember(t, emu, ws.apiKey, byMail)).location!.searchParams.get('result')).toBe(
      'connected',
    );
    const out = await connectMember(t, emu, ws.apiKey, byUpn, { userId: sam.id });
    expect(out.status).toBe(302);
    expect(Object.fromEntries(out.location!.searchParams)).toEqual({
      result: 'error',
      code: 'ACCOUNT_MISMATCH',
      memberId: byUpn,
    });
    expect((await t.http().get(out.callbackPath!)).body.code).toBe('INVALID_STATE');
    const status = (memberId: string) =>
      t.http().get(`/v1/members/${memberId}/microsoft-connection`).set(auth(ws.apiKey));
    expect((await status(byUpn)).body.connection).toBe('not_connected');
    expect((await status(byMail)).body).toMatchObject({ connection: 'connected', userId: sam.id });
    expect(await sql('select 1 from microsoft_token_caches where member_id = ?', [byUpn])).toEqual([]);
    expect(await sql('select 1 from microsoft_token_caches where member_id = ?', [byMail])).toHaveLength(1);
  });

  it('turns away an account of another tenant once the workspace is bound (TENANT_MISMATCH)', async () => {
    const tenant = emu.control.addTenant({
      name: 'Northwind',
      domain: 'northwind.test',
      userConsent: 'allowed',
    });
    emu.control.addUser({ tenantId: tenant.id, mail: 'nancy@northwind.test', displayName: 'Nancy' });
    const ws = await t.workspace();
    const adele = await activeMember(t, ws.apiKey, DEMO.users.adele.mail);
    await connectMember(t, emu, ws.apiKey, adele);
    const nancy = await activeMember(t, ws.apiKey, 'nancy@northwind.test');
    const out = await connectMember(t, emu, ws.apiKey, nancy);
    expect(out.location!.searchParams.get('code')).toBe('TENANT_MISMATCH');
    expect((await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body.tenantId).toBe(
      DEMO.tenantId,
    );
  });

  it('names Microsoft’s own refusals: declined consent, a disabled account', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    expect(
      (await connectMember(t, emu, ws.apiKey, id, { decline: true })).location!.searchParams.get('code'),
    ).toBe('CONSENT_DECLINED');
    const diego = await activeMember(t, ws.apiKey, DEMO.users.diego.mail);
    expect((await connectMember(t, emu, ws.apiKey, diego)).location!.searchParams.get('code')).toBe(
      'MICROSOFT_ACCOUNT_DISABLED',
    );
  });

  it('answers a replayed, an unknown and an expired state with a 400 INVALID_STATE problem', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    const out = await connectMember(t, emu, ws.apiKey, id);
    expect(out.location!.searchParams.get('result')).toBe('connected');
    const replay = await t.http().get(out.callbackPath!);
    expect(replay.status).toBe(400);
    expect(replay.headers['content-type']).toMatch(/problem\+json/);
    expect(replay.body.code).toBe('INVALID_STATE');
    expect((await t.http().get('/oauth/microsoft/callback?code=x&state=nope')).body.code).toBe(
      'INVALID_STATE',
    );
    expect((await t.http().get('/oauth/microsoft/callback?code=x')).body.code).toBe('INVALID_STATE');

    const started = await t
      .http()
      .post(`/v1/members/${id}/microsoft-connection`)
      .set(auth(ws.apiKey))
      .send({});
    const state = new URL(started.body.authorizeUrl).searchParams.get('state');
    await sql(`update authorization_states set expires_at = now() - interval '1 second' where id = ?`, [
      state,
    ]);
    const late = await t.http().get(pathOf(await emu.control.signIn(started.body.authorizeUrl)));
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('INVALID_STATE');
  });

  it('stores tokens that cannot be read without the key', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    await connectMember(t, emu, ws.apiKey, id);
    const [row] = await sql<{
      ciphertext: Buffer;
      iv: Buffer;
      tag: Buffer;
      key_id: string;
      home_account_id: string;
    }>(
      'select ciphertext, iv, tag, key_id, home_account_id from microsoft_token_caches where member_id = ?',
      [id],
    );
    const text = Buffer.from(row!.ciphertext).toString('latin1');
    expect(text).not.toMatch(/RefreshToken|refresh_token|secret|"AccessToken"/);
    const aad = `${ws.id}:${id}:${row!.home_account_id}`;
    const sealed = {
      keyId: row!.key_id,
      iv: Buffer.from(row!.iv),
      tag: Buffer.from(row!.tag),
      ciphertext: Buffer.from(row!.ciphertext),
    };
    const wrong = Buffer.alloc(32, 9);
    expect(() => new SealedBox([wrong]).open({ ...sealed, keyId: keyIdOf(wrong) }, aad, 'it')).toThrow(
      /cannot be opened/,
    );
    const right = new SealedBox([Buffer.alloc(32, 7)]);
    expect(right.open(sealed, aad, 'it')).toContain('RefreshToken');
    expect(() => right.open(sealed, `${ws.id}:another-member:${row!.home_account_id}`, 'it')).toThrow(
      /cannot be opened/,
    );
  });

  it('disconnects: 204, tokens forgotten, not_connected', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    await connectMember(t, emu, ws.apiKey, id);
    expect(
      (await t.http().delete(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).status,
    ).toBe(204);
    expect(await sql('select 1 from microsoft_token_caches where member_id = ?', [id])).toEqual([]);
    expect(
      (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body.connection,
    ).toBe('not_connected');
  });
});

describe('a tenant that needs an administrator', () => {
  it('says ADMIN_CONSENT_REQUIRED, then verifies the admin consent, binds the tenant, and lets the member in', async () => {
    // Fabrikam lets only administrators consent; Grace is not one (Frank is).
    emu.control.addUser({ tenantId: DEMO.otherTenantId, mail: 'grace@fabrikam.com', displayName: 'Grace' });
    const ws = await t.workspace();
    const grace = await activeMember(t, ws.apiKey, 'grace@fabrikam.com');
    const refused = await connectMember(t, emu, ws.apiKey, grace);
    expect(refused.location!.searchParams.get('code')).toBe('ADMIN_CONSENT_REQUIRED');
    const before = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    expect(before.consent.status).toBe('admin_required');

    // The administrator follows the 7-day link from the tenant status: kailenty's page, then its button.
    const link = await followAdminConsentPage(t, before.adminConsentUrl);
    expect(link.status).toBe(302);
    const adminconsent = new URL(link.location!);
    expect(adminconsent.pathname).toBe('/organizations/v2.0/adminconsent');
    expect(adminconsent.searchParams.get('redirect_uri')).toBe(
      'http://127.0.0.1:3000/oauth/microsoft/admin-consent/callback',
    );

    const started = await t
      .http()
      .post('/v1/microsoft-tenant/admin-consent')
      .set(auth(ws.apiKey))
      .send({ tenant: DEMO.otherTenantId });
    expect(started.status).toBe(201);
    expect(new URL(started.body.adminConsentUrl).pathname).toBe('/microsoft/admin-consent');
    const toMicrosoft = await followAdminConsentPage(t, started.body.adminConsentUrl);
    expect(new URL(toMicrosoft.location!).pathname).toBe(`/${DEMO.otherTenantId}/v2.0/adminconsent`);
    // Consent, then the administrator's own sign-in (test/e2e/admin-consent.e2e-spec.ts has the forgeries).
    const walk = await walkAdminConsent(t, emu, started.body.adminConsentUrl, {
      userId: DEMO.users.frank.id,
    });
    expect(walk.status).toBe(302);
    expect(Object.fromEntries(walk.location!.searchParams)).toEqual({
      result: 'admin_consent_granted',
      tenantId: DEMO.otherTenantId,
    });

    const after = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    expect(after).toMatchObject({
      tenantId: DEMO.otherTenantId,
      consent: { status: 'granted', grantType: 'admin' },
    });
    expect(after.consent.grantedAt).toEqual(expect.any(String));
    expect((await connectMember(t, emu, ws.apiKey, grace)).location!.searchParams.get('result')).toBe(
      'connected',
    );
  });

  it('does not trust ?tenant&admin_consent=True alone: nothing is recorded, the administrator must sign in', async () => {
    // A tenant where the application was never consented: no app-only token can be had (AADSTS700016).
    const untouched = emu.control.addTenant({
      name: 'Litware',
      domain: 'litware.test',
      userConsent: 'allowed',
    });
    const ws = await t.workspace();
    const started = await t.http().post('/v1/microsoft-tenant/admin-consent').set(auth(ws.apiKey)).send({});
    const microsoftUrl = (await followAdminConsentPage(t, started.body.adminConsentUrl)).location!;
    const state = new URL(microsoftUrl).searchParams.get('state');
    const forged = await t
      .http()
      .get(
        `/oauth/microsoft/admin-consent/callback?admin_consent=True&tenant=${untouched.id}&state=${state}`,
      );
    expect(forged.status).toBe(302);
    expect(new URL(forged.headers.location).pathname).toBe(`/${untouched.id}/oauth2/v2.0/authorize`);
    const tenant = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    expect(tenant).toMatchObject({ tenantId: null, consent: { status: 'none' } });
    // The state was spent by that callback.
    const again = await t
      .http()
      .get(
        `/oauth/microsoft/admin-consent/callback?admin_consent=True&tenant=${untouched.id}&state=${state}`,
      );
    expect(again.body.code).toBe('INVALID_STATE');
  });

  it('reports a declined admin consent', async () => {
    const ws = await t.workspace();
    const started = await t.http().post('/v1/microsoft-tenant/admin-consent').set(auth(ws.apiKey)).send({});
    const back = await t.http().get(
      pathOf(
        await emu.control.signIn((await followAdminConsentPage(t, started.body.adminConsentUrl)).location!, {
          userId: DEMO.users.frank.id,
          decline: true,
        }),
      ),
    );
    expect(new URL(back.headers.location).searchParams.get('code')).toBe('ADMIN_CONSENT_DECLINED');
  });
});

describe('isolation and validation', () => {
  const states = (workspaceId: string) =>
    sql('select 1 from authorization_states where workspace_id = ?', [workspaceId]);

  it('another workspace’s member is 404 on GET and DELETE of its connection, and its tenant is not visible', async () => {
    const a = await t.workspace();
    const b = await t.workspace();
    const id = await activeMember(t, a.apiKey, DEMO.users.megan.mail);
    await connectMember(t, emu, a.apiKey, id);
    const path = `/v1/members/${id}/microsoft-connection`;
    for (const res of [
      await t.http().get(path).set(auth(b.apiKey)),
      await t.http().delete(path).set(auth(b.apiKey)),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await t.http().get(path).set(auth(a.apiKey))).body.connection).toBe('connected');
    expect(await sql('select 1 from microsoft_token_caches where member_id = ?', [id])).toHaveLength(1);
    const seenByB = (await t.http().get('/v1/microsoft-tenant').set(auth(b.apiKey))).body;
    expect(seenByB).toMatchObject({ tenantId: null, consent: { status: 'none', scopes: [] }, members: [] });
    expect((await t.http().get('/v1/microsoft-tenant').set(auth(a.apiKey))).body.members).toHaveLength(1);
  });

  it('answers 401 without an API key or with a bad one, on every connection and tenant endpoint', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    const calls = [
      () => t.http().post(`/v1/members/${id}/microsoft-connection`).send({}),
      () => t.http().get(`/v1/members/${id}/microsoft-connection`),
      () => t.http().delete(`/v1/members/${id}/microsoft-connection`),
      () => t.http().get('/v1/microsoft-tenant'),
      () => t.http().post('/v1/microsoft-tenant/admin-consent').send({}),
    ];
    for (const call of calls) {
      for (const res of [await call(), await call().set(auth('kly_not-a-real-key-0000000000'))]) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    }
    expect(await states(ws.id)).toEqual([]);
  });

  it('refuses bad admin-consent input with a 400 problem and writes nothing', async () => {
    const ws = await t.workspace();
    const bodies: [unknown, string][] = [
      [{ tenant: 'not a tenant!' }, 'tenant'],
      [{ returnUrl: 'https://evil.test/return' }, 'returnUrl'],
      [{ tenant: DEMO.tenantId, extra: 1 }, 'extra'],
      [{ tenant: 42 }, 'tenant'],
      [{ returnUrl: ['https://x.test'] }, 'returnUrl'],
    ];
    for (const [body, field] of bodies) {
      const res = await t
        .http()
        .post('/v1/microsoft-tenant/admin-consent')
        .set(auth(ws.apiKey))
        .send(body as object);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect(await states(ws.id)).toEqual([]);
  });

  it('refuses at once a member disabled before starting (403 ACCOUNT_NOT_ACTIVE), keeping no state', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    await t.http().patch(`/v1/members/${id}`).set(auth(ws.apiKey)).send({ status: 'disabled' }).expect(200);
    const res = await t.http().post(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey)).send({});
    expect([res.status, res.body.code]).toEqual([403, 'ACCOUNT_NOT_ACTIVE']);
    expect(await states(ws.id)).toEqual([]);
  });

  it('an admin consent from another tenant than the bound one is TENANT_MISMATCH, and changes nothing', async () => {
    const other = emu.control.addTenant({ name: 'Wingtip', domain: 'wingtip.test', userConsent: 'allowed' });
    const admin = emu.control.addUser({
      tenantId: other.id,
      mail: 'root@wingtip.test',
      displayName: 'Root',
      isAdmin: true,
    });
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.adele.mail);
    await connectMember(t, emu, ws.apiKey, id);
    const before = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    const started = await t
      .http()
      .post('/v1/microsoft-tenant/admin-consent')
      .set(auth(ws.apiKey))
      .send({ tenant: other.id });
    expect(started.status).toBe(201);
    const back = await t.http().get(
      pathOf(
        await emu.control.signIn((await followAdminConsentPage(t, started.body.adminConsentUrl)).location!, {
          userId: admin.id,
        }),
      ),
    );
    expect(back.status).toBe(302);
    expect(Object.fromEntries(new URL(back.headers.location).searchParams)).toEqual({
      result: 'error',
      code: 'TENANT_MISMATCH',
      message: expect.stringContaining('another organisation'),
    });
    const after = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    const stable = (v: Record<string, unknown>) => ({
      ...v,
      adminConsentUrl: 0,
      adminConsentUrlExpiresAt: 0,
    });
    expect(stable(after)).toEqual(stable(before));
    expect(after.tenantId).toBe(DEMO.tenantId);
  });
});

describe('Microsoft unreachable', () => {
  // Apps of their own on the same database: nothing of Entra's metadata is cached in them yet.
  let fresh: TestApp;
  let down: TestApp;
  beforeAll(async () => {
    fresh = await startTestApp(microsoftConfig(emu), t.db);
    const config = microsoftConfig(emu);
    down = await startTestApp(
      { ...config, microsoft: { ...config.microsoft!, authorityHost: 'https://127.0.0.1:1' } },
      t.db,
    );
  });
  afterAll(async () => {
    await fresh?.close();
    await down?.close();
  });

  it('starting a connection answers 503 MICROSOFT_UNAVAILABLE (Entra 503, dropped connection) and keeps no state', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.adele.mail);
    const start = () =>
      fresh.http().post(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey)).send({});
    const metadata = { pathPrefix: '/organizations/v2.0/.well-known/openid-configuration' };
    emu.control.injectFault({ match: metadata, status: 503, retryAfter: 1 });
    const unavailable = await start();
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['content-type']).toMatch(/problem\+json/);
    expect(unavailable.body.code).toBe('MICROSOFT_UNAVAILABLE');
    emu.control.injectFault({ match: metadata, disconnect: true, times: 5 });
    const dropped = await start();
    emu.control.clearFaults();
    expect(dropped.status).toBe(503);
    expect(dropped.body.code).toBe('MICROSOFT_UNAVAILABLE');
    expect(await sql('select 1 from authorization_states where member_id = ?', [id])).toEqual([]);
    expect((await start()).status).toBe(201);
  });

  it('an unreachable authority host: 503 on start, and a reconnect link lands on the return URL with the code', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    const res = await down
      .http()
      .post(`/v1/members/${id}/microsoft-connection`)
      .set(auth(ws.apiKey))
      .send({});
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('MICROSOFT_UNAVAILABLE');

    // A reconnect link exists for a broken connection only.
    await connectMember(t, emu, ws.apiKey, id);
    await sql("update microsoft_connections set status = 'revoked' where member_id = ?", [id]);
    const link = t.app.get(ConsentLinks).create(
      {
        kind: 'reconnect',
        workspaceId: ws.id,
        memberId: id,
        returnUrl: ws.returnUrl,
        issuedAt: Date.now(),
      },
      new Date(Date.now() + 60_000),
    );
    const followed = await down.http().get(pathOf(link));
    expect(followed.status).toBe(302);
    expect(Object.fromEntries(new URL(followed.headers.location).searchParams)).toEqual({
      result: 'error',
      code: 'MICROSOFT_UNAVAILABLE',
      memberId: id,
    });
  });
});

describe('access withdrawn later', () => {
  async function connected(email: string) {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, email);
    expect((await connectMember(t, emu, ws.apiKey, id)).location!.searchParams.get('result')).toBe(
      'connected',
    );
    return { ws, id };
  }
  /** A member of a user of its own (no other test touches its tokens) whose refresh was refused. */
  async function revokedMember(name: string) {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: `${name}.${Date.now()}@contoso.com`,
      displayName: name,
    });
    const { ws, id } = await connected(user.mail);
    emu.control.refuseRefreshTokens(user.id, 70008);
    await refusedThenRecorded(
      t,
      t.app.get(MicrosoftTokenProvider).accessToken(ws.id, id, { forceRefresh: true }),
    );
    const conn = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
    expect(conn.reconnectUrl).toEqual(expect.any(String));
    return { ws, id, user, reconnectUrl: conn.reconnectUrl as string };
  }
  const events = (workspaceId: string) =>
    sql<{ type: string; data: unknown }>(
      'select type, data from domain_events where workspace_id = ? order by occurred_at',
      [workspaceId],
    );

  it('the token provider and the Graph client alone change nothing; the slots read that meets the refusal revokes the connection', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: `nora.${Date.now()}@contoso.com`,
      displayName: 'Nora',
    });
    const { ws, id } = await connected(user.mail);
    const rows = async () => ({
      connection: (
        await sql<{ status: string }>('select status from microsoft_connections where member_id = ?', [id])
      )[0]!.status,
      events: (await events(ws.id)).map((e: { type: string }) => e.type),
      audit: (await sql<{ type: string }>('select type from audit_events where workspace_id = ?', [ws.id]))
        .length,
    });
    const before = await rows();
    expect(before.connection).toBe('connected');
    // Sessions revoked: Graph answers 401 and Entra refuses the refresh (AADSTS50173).
    emu.control.revokeSessions(user.id);
    const graph = t.app.get(GraphClients);
    await expect(graph.forMember(ws.id, id).request({ method: 'GET', path: '/me' })).rejects.toBeInstanceOf(
      MicrosoftRefusal,
    );
    await expect(
      t.app.get(MicrosoftTokenProvider).accessToken(ws.id, id, { forceRefresh: true }),
    ).rejects.toMatchObject({ code: 'CONSENT_REVOKED', verdict: { kind: 'revoked' } });
    expect(await rows()).toEqual(before);

    const eventType = await t
      .http()
      .post('/v1/event-types')
      .set(auth(ws.apiKey))
      .send({
        slug: `nora-${Date.now()}`,
        title: 'Intro call',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [id],
        assignment: 'single',
      })
      .expect(201);
    const from = new Date(Date.now() + 2 * 86_400_000);
    from.setUTCHours(0, 0, 0, 0);
    const to = new Date(from.getTime() + 2 * 86_400_000);
    const slots = await t
      .http()
      .get(`/v1/event-types/${eventType.body.id}/slots?start=${from.toISOString()}&end=${to.toISOString()}`)
      .set(auth(ws.apiKey));
    expect(slots.status).toBe(409);
    expect(slots.body.code).toBe('CONSENT_REVOKED');
    const after = await rows();
    expect(after.connection).toBe('revoked');
    expect(after.events.filter((e: string) => e === 'connection.revoked')).toHaveLength(1);
    const revoked = (await events(ws.id)).find((e: { type: string }) => e.type === 'connection.revoked')!;
    expect(revoked.data).toMatchObject({ id, microsoft: { connection: 'revoked' } });
    expect(after.audit).toBe(before.audit + 1);
  });

  it('a refused refresh marks the connection revoked, stops further calls, offers a reconnect link and records connection.revoked once', async () => {
    const { ws, id } = await connected(DEMO.users.megan.mail);
    const tokens = t.app.get(MicrosoftTokenProvider);
    expect(await tokens.accessToken(ws.id, id)).toEqual(expect.any(String));
    emu.control.refuseRefreshTokens(DEMO.users.megan.id, 70008);
    await refusedThenRecorded(t, tokens.accessToken(ws.id, id, { forceRefresh: true }));

    const member = (await t.http().get(`/v1/members/${id}`).set(auth(ws.apiKey))).body;
    expect(member.microsoft.connection).toBe('revoked');
    expect(member.microsoft.reconnectUrl).toMatch(/\/oauth\/microsoft\/reconnect\?link=/);
    const revokedEvents = (await events(ws.id)).filter(
      (e: { type: string }) => e.type === 'connection.revoked',
    );
    expect(revokedEvents).toHaveLength(1);
    expect(revokedEvents[0]!.data).toMatchObject({ id, microsoft: { connection: 'revoked' } });

    emu.control.clearRequests();
    await expect(tokens.accessToken(ws.id, id)).rejects.toMatchObject({ code: 'CONSENT_REVOKED' });
    expect(emu.control.requests()).toEqual([]);
    expect(
      (await events(ws.id)).filter((e: { type: string }) => e.type === 'connection.revoked'),
    ).toHaveLength(1);

    // One-click repair: the link starts a new sign-in, which connects again.
    const link = await t.http().get(pathOf(member.microsoft.reconnectUrl));
    expect(link.status).toBe(302);
    emu.control.refuseRefreshTokens(DEMO.users.megan.id, undefined as never);
    const back = await t.http().get(pathOf(await emu.control.signIn(link.headers.location)));
    expect(new URL(back.headers.location).searchParams.get('result')).toBe('connected');
    expect(
      (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body.connection,
    ).toBe('connected');
  });

  it('sessions revoked: Graph answers 401, then the refresh is refused (AADSTS50173): revoked', async () => {
    const { ws, id } = await connected(DEMO.users.alex.mail);
    const graph = t.app.get(GraphClients);
    expect(
      (await graph.forMember(ws.id, id).request<{ id: string }>({ method: 'GET', path: '/me' })).id,
    ).toBe(DEMO.users.alex.id);
    emu.control.revokeSessions(DEMO.users.alex.id);
    await refusedThenRecorded(t, graph.forMember(ws.id, id).request({ method: 'GET', path: '/me' }));
    expect(
      (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body.connection,
    ).toBe('revoked');
  });

  describe('Graph refuses although the refresh works', () => {
    const revokedEvents = async (workspaceId: string) =>
      (await events(workspaceId)).filter((e: { type: string }) => e.type === 'connection.revoked');
    async function refusedByGraph(name: string, fault: Parameters<Emulator['control']['injectFault']>[0]) {
      const user = emu.control.addUser({
        tenantId: DEMO.tenantId,
        mail: `${name}.${Date.now()}@contoso.com`,
        displayName: name,
      });
      const { ws, id } = await connected(user.mail);
      const me = () => t.app.get(GraphClients).forMember(ws.id, id).request({ method: 'GET', path: '/me' });
      await me();
      emu.control.clearRequests();
      emu.control.injectFault({ ...fault, match: { pathPrefix: '/v1.0/me', userId: user.id } });
      await refusedThenRecorded(t, me());
      const seen = emu.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
      const conn = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
      expect(await revokedEvents(ws.id)).toHaveLength(1);
      expect((await revokedEvents(ws.id))[0]!.data).toMatchObject({
        id,
        microsoft: { connection: conn.connection },
      });
      // No further Graph call for it.
      emu.control.clearRequests();
      await expect(me()).rejects.toMatchObject({ code: 'CONSENT_REVOKED' });
      expect(emu.control.requests()).toEqual([]);
      expect(await revokedEvents(ws.id)).toHaveLength(1);
      return { conn, seen };
    }

    it('a 401 that a working refresh does not cure: revoked', async () => {
      const { conn, seen } = await refusedByGraph('ivy', { status: 401, times: 2 });
      expect(conn.connection).toBe('revoked');
      expect(conn.reconnectUrl).toEqual(expect.any(String));
      // One forced refresh that Entra granted, then the same 401 again.
      expect(seen).toEqual([
        'GET /v1.0/me 401',
        `POST /${DEMO.tenantId}/oauth2/v2.0/token 200`,
        'GET /v1.0/me 401',
      ]);
    });

    it('a 403 ErrorAccessDenied: revoked, without a refresh', async () => {
      const { conn, seen } = await refusedByGraph('jude', { status: 403 });
      expect(conn.connection).toBe('revoked');
      expect(seen).toEqual(['GET /v1.0/me 403']);
    });

    it('a claims challenge (Continuous Access Evaluation): reauthorization_required, without a refresh', async () => {
      const { conn, seen } = await refusedByGraph('kai', { status: 401, claimsChallenge: true });
      expect(conn.connection).toBe('reauthorization_required');
      expect(conn.reconnectUrl).toEqual(expect.any(String));
      expect(seen).toEqual(['GET /v1.0/me 401']);
    });
  });

  it('the application removed from the tenant (AADSTS700016 on refresh): the consent and every connection of the tenant revoked, one event each', async () => {
    const tenant = emu.control.addTenant({
      name: 'Tailspin',
      domain: 'tailspin.test',
      userConsent: 'allowed',
    });
    const users = ['lea', 'max'].map((n) =>
      emu.control.addUser({ tenantId: tenant.id, mail: `${n}@tailspin.test`, displayName: n }),
    );
    const ws = await t.workspace();
    const ids: string[] = [];
    for (const user of users) {
      const id = await activeMember(t, ws.apiKey, user.mail);
      expect((await connectMember(t, emu, ws.apiKey, id)).location!.searchParams.get('result')).toBe(
        'connected',
      );
      ids.push(id);
    }
    const unconnected = await activeMember(t, ws.apiKey, 'nobody@tailspin.test');
    emu.control.revokeConsent(tenant.id, { keepAccessTokens: true });
    const tokens = t.app.get(MicrosoftTokenProvider);
    await refusedThenRecorded(t, tokens.accessToken(ws.id, ids[0]!, { forceRefresh: true }));
    const status = (id: string) =>
      t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey));
    for (const id of ids) expect((await status(id)).body.connection).toBe('revoked');
    expect((await status(unconnected)).body.connection).toBe('not_connected');
    const tenantView = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    expect(tenantView.consent.status).toBe('revoked');
    expect(tenantView.members).toEqual(
      expect.arrayContaining(ids.map((id) => expect.objectContaining({ id, connection: 'revoked' }))),
    );
    const revoked = (await events(ws.id)).filter((e: { type: string }) => e.type === 'connection.revoked');
    expect(revoked.map((e: { data: unknown }) => (e.data as { id: string }).id).sort()).toEqual(
      [...ids].sort(),
    );
    // The other member's access token still works at Graph, but kailenty no longer uses it.
    emu.control.clearRequests();
    await expect(tokens.accessToken(ws.id, ids[1]!)).rejects.toMatchObject({ code: 'CONSENT_REVOKED' });
    expect(emu.control.requests()).toEqual([]);
  });

  it('a reconnect link for a member disabled since is turned away at the return URL (ACCOUNT_NOT_ACTIVE, memberId)', async () => {
    const { ws, id, reconnectUrl } = await revokedMember('rosa');
    await t.http().patch(`/v1/members/${id}`).set(auth(ws.apiKey)).send({ status: 'disabled' }).expect(200);
    emu.control.clearRequests();
    const link = await t.http().get(pathOf(reconnectUrl));
    expect(link.status).toBe(302);
    const to = new URL(link.headers.location);
    expect(to.origin + to.pathname).toBe(ws.returnUrl);
    expect(Object.fromEntries(to.searchParams)).toEqual({
      result: 'error',
      code: 'ACCOUNT_NOT_ACTIVE',
      memberId: id,
    });
    expect(emu.control.requests()).toEqual([]);
  });

  it('an MFA or Conditional Access demand makes it reauthorization_required', async () => {
    const { ws, id } = await connected(DEMO.users.adele.mail);
    emu.control.refuseRefreshTokens(DEMO.users.adele.id, 50076);
    await refusedThenRecorded(
      t,
      t.app.get(MicrosoftTokenProvider).accessToken(ws.id, id, { forceRefresh: true }),
    );
    const conn = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
    expect(conn.connection).toBe('reauthorization_required');
    expect(conn.reconnectUrl).toEqual(expect.any(String));
    emu.control.refuseRefreshTokens(DEMO.users.adele.id, undefined as never);
  });
});

describe('the authority host (runs last: it looks at every sign-in above)', () => {
  it('MSAL asked only the configured authority host for anything: no Microsoft instance discovery', () => {
    const paths = msalRequests.urls.map((url) => new URL(url).pathname);
    expect(paths).toEqual(
      expect.arrayContaining(['/organizations/oauth2/v2.0/token', `/${DEMO.tenantId}/oauth2/v2.0/token`]),
    );
    expect(msalRequests.outside(new URL(emu.url).host)).toEqual([]);
  });
});
