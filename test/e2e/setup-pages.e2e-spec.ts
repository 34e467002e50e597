// The setup guide's screens over HTTP with the real MSAL adapter against the Microsoft 365 emulator: a
// workspace without a return URL ends a member's sign-in and an admin consent on kailenty's own pages,
// which say what the service decided (from a signed link, never from query text); with a return URL the
// redirects stay as they were.
import type { Emulator } from '../../emulator/emulator.js';
import { DIRECTORY_ROLES } from '../../emulator/state.js';
import { ALL_PERMISSIONS } from '@domain/consent/permissions.js';
import { escapeHtml } from '@adapters/web/html.js';
import { connectionWords, TEAMS_LICENCE_MISSING_WORDS } from '@adapters/web/setup-templates.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_OPERATOR_TOKEN } from '../support/test-config.js';
import {
  activeMember,
  connectMember,
  continueAdminSignIn,
  continueHref,
  DEMO,
  followAdminConsentPage,
  microsoftConfig,
  pathOf,
  startTestEmulator,
  walkAdminConsent,
} from '../support/microsoft.js';

let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  emu = await startTestEmulator();
  t = await startTestApp({ ...microsoftConfig(emu), logLevel: 'error' });
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
let counter = 0;

/** A workspace created without a returnUrl: its browser flows end on kailenty's pages. */
async function bareWorkspace(): Promise<{ id: string; apiKey: string }> {
  const res = await t
    .http()
    .post('/v1/workspaces')
    .set(auth(TEST_OPERATOR_TOKEN))
    .send({ name: `Bare workspace ${++counter}` });
  expect(res.status).toBe(201);
  expect(res.body.returnUrl).toBeNull();
  return { id: res.body.id, apiKey: res.body.apiKey };
}

/** The page a member's sign-in ended on, read as text (tags out, entities back). */
async function page(location: URL | string) {
  const res = await t.http().get(pathOf(new URL(location, 'http://127.0.0.1:3000').toString()));
  return { status: res.status, html: res.text, text: textOf(res.text), headers: res.headers };
}

function textOf(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const member = (name: string, email: string) => ({ name, email });

describe('a workspace without a return URL', () => {
  it('is created and read with returnUrl null, and refuses a request return URL (no origin to trust)', async () => {
    const ws = await bareWorkspace();
    expect((await t.http().get('/v1/workspace').set(auth(ws.apiKey))).body.returnUrl).toBeNull();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    for (const [path, body] of [
      [`/v1/members/${id}/microsoft-connection`, { returnUrl: 'https://evil.test/x' }],
      ['/v1/microsoft-tenant/admin-consent', { returnUrl: 'https://evil.test/x' }],
    ] as const) {
      const res = await t.http().post(path).set(auth(ws.apiKey)).send(body);
      expect([res.status, res.body.code, res.body.errors[0].field]).toEqual([
        400,
        'VALIDATION_FAILED',
        'returnUrl',
      ]);
    }
  });

  it('a member connects and lands on the connected page: name, mailbox, the guide’s words; it can be reloaded', async () => {
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
    const out = await connectMember(t, emu, ws.apiKey, id);
    expect(out.status).toBe(302);
    expect(out.location!.origin + out.location!.pathname).toBe(
      'http://127.0.0.1:3000/microsoft/connection-result',
    );
    // Only the signed link: no result, code or member id to edit.
    expect([...out.location!.searchParams.keys()]).toEqual(['link']);
    const shown = await page(out.location!);
    expect(shown.status).toBe(200);
    expect(shown.headers['content-type']).toMatch(/^text\/html/);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect(shown.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(shown.text).toContain('Your calendar is connected');
    expect(shown.text).toContain('Megan Bowen, your Microsoft 365 calendar now appears as connected.');
    expect(shown.text).toContain(`Mailbox ${DEMO.users.megan.mail}`);
    expect(shown.text).not.toContain('Teams licence');
    expect((await page(out.location!)).status).toBe(200);
    const conn = (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body;
    expect(conn.connection).toBe('connected');
  });

  it('a connected account without a Teams licence reads the TEAMS_LICENCE_MISSING sentence', async () => {
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.alex.mail, 'Alex Wilber');
    const shown = await page((await connectMember(t, emu, ws.apiKey, id)).location!);
    expect(shown.text).toContain('Your calendar is connected');
    expect(shown.text).toContain(TEAMS_LICENCE_MISSING_WORDS);
  });

  it('a changed link, another kind of link or none shows nothing of anyone: 404 with what to do', async () => {
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
    const out = await connectMember(t, emu, ws.apiKey, id);
    const link = out.location!.searchParams.get('link')!;
    const [payload, signature] = link.split('.');
    // The payload says whose result it is: another member's id, or another result, breaks the signature.
    const other = await activeMember(t, ws.apiKey, DEMO.users.adele.mail, 'Adele Vance');
    const content = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = (change: Record<string, unknown>) =>
      `${Buffer.from(JSON.stringify({ ...content, ...change })).toString('base64url')}.${signature}`;
    const adminLink = new URL(
      (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body.adminConsentUrl,
    ).searchParams.get('link')!;
    for (const bad of [
      forged({ memberId: other }),
      forged({ result: 'ADMIN_CONSENT_REQUIRED' }),
      `${payload}.${signature!.slice(1)}`,
      adminLink,
      '',
      'x',
    ]) {
      const shown = await page(`/microsoft/connection-result?link=${encodeURIComponent(bad)}`);
      expect(shown.status).toBe(404);
      expect(shown.text).toContain('This page has expired');
      expect(shown.text).not.toMatch(/Megan|Adele/);
    }
    expect((await page('/microsoft/connection-result')).status).toBe(404);
  });

  describe('each refusal says what happened and what to do', () => {
    const expectWords = (text: string, code: string, who: { name: string; email: string }) => {
      const words = connectionWords(code, who);
      expect(text).toContain(words.title);
      for (const sentence of words.sentences) expect(text).toContain(sentence);
    };

    it('ACCOUNT_NOT_ACTIVE: a member disabled while signing in', async () => {
      const ws = await bareWorkspace();
      const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
      const started = await t
        .http()
        .post(`/v1/members/${id}/microsoft-connection`)
        .set(auth(ws.apiKey))
        .send({});
      await t.http().patch(`/v1/members/${id}`).set(auth(ws.apiKey)).send({ status: 'disabled' }).expect(200);
      const callback = await t.http().get(pathOf(await emu.control.signIn(started.body.authorizeUrl)));
      const shown = await page(callback.headers.location as string);
      expectWords(shown.text, 'ACCOUNT_NOT_ACTIVE', member('Megan Bowen', DEMO.users.megan.mail));
      expect(shown.text).toContain('Only active accounts can connect');
    });

    it('ACCOUNT_MISMATCH: another person’s account', async () => {
      const ws = await bareWorkspace();
      const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
      const out = await connectMember(t, emu, ws.apiKey, id, { userId: DEMO.users.alex.id });
      expectWords(
        (await page(out.location!)).text,
        'ACCOUNT_MISMATCH',
        member('Megan Bowen', DEMO.users.megan.mail),
      );
    });

    it('TENANT_MISMATCH: an account of another tenant once the workspace is bound', async () => {
      const tenant = emu.control.addTenant({
        name: 'Tailwind',
        domain: 'tailwind.test',
        userConsent: 'allowed',
      });
      emu.control.addUser({ tenantId: tenant.id, mail: 'tom@tailwind.test', displayName: 'Tom' });
      const ws = await bareWorkspace();
      await connectMember(t, emu, ws.apiKey, await activeMember(t, ws.apiKey, DEMO.users.adele.mail));
      const tom = await activeMember(t, ws.apiKey, 'tom@tailwind.test', 'Tom');
      const out = await connectMember(t, emu, ws.apiKey, tom);
      expectWords((await page(out.location!)).text, 'TENANT_MISMATCH', member('Tom', 'tom@tailwind.test'));
    });

    it('CONSENT_DECLINED and MICROSOFT_ACCOUNT_DISABLED: Microsoft’s own refusals', async () => {
      const ws = await bareWorkspace();
      const megan = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
      const declined = await connectMember(t, emu, ws.apiKey, megan, { decline: true });
      expectWords((await page(declined.location!)).text, 'CONSENT_DECLINED', member('Megan Bowen', ''));
      const diego = await activeMember(t, ws.apiKey, DEMO.users.diego.mail, 'Diego');
      const disabled = await connectMember(t, emu, ws.apiKey, diego);
      expectWords(
        (await page(disabled.location!)).text,
        'MICROSOFT_ACCOUNT_DISABLED',
        member('Diego', DEMO.users.diego.mail),
      );
    });

    it('ADMIN_CONSENT_REQUIRED: with a fresh 7-day link to hand to an administrator, which opens the consent page', async () => {
      emu.control.addUser({ tenantId: DEMO.otherTenantId, mail: 'gina@fabrikam.com', displayName: 'Gina' });
      const ws = await bareWorkspace();
      const gina = await activeMember(t, ws.apiKey, 'gina@fabrikam.com', 'Gina');
      const out = await connectMember(t, emu, ws.apiKey, gina);
      const shown = await page(out.location!);
      expectWords(shown.text, 'ADMIN_CONSENT_REQUIRED', member('Gina', 'gina@fabrikam.com'));
      const href = /<a id="admin-consent-link" href="([^"]+)"/.exec(shown.html)![1]!.replaceAll('&amp;', '&');
      expect(new URL(href).pathname).toBe('/microsoft/admin-consent');
      const consentPage = await page(href);
      expect(consentPage.status).toBe(200);
      expect(consentPage.text).toContain('Approve kailenty for your organisation');
    });
  });
});

describe('the admin consent page', () => {
  it('lists every permission of /v1/permissions with its purpose, what consent means, and one button on to Microsoft', async () => {
    const ws = await bareWorkspace();
    const url = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body
      .adminConsentUrl as string;
    expect(new URL(url).pathname).toBe('/microsoft/admin-consent');
    const shown = await page(url);
    expect(shown.status).toBe(200);
    const listed = (await t.http().get('/v1/permissions')).body.data as { scope: string; purpose: string }[];
    expect(listed.map((p) => p.scope)).toEqual(ALL_PERMISSIONS.map((p) => p.scope));
    for (const p of listed) {
      expect(shown.html).toContain(`<code>${escapeHtml(p.scope)}</code>`);
      expect(shown.html).toContain(escapeHtml(p.purpose));
    }
    expect(shown.text).toContain('Consent covers the whole organisation');
    expect(shown.text).toContain('Microsoft Entra admin centre');
    expect(shown.text).toMatch(/revoke access at any time/);
    expect(shown.html.match(/class="button"/g)).toHaveLength(1);
    // The button goes to Microsoft with a fresh state each time; each state is single use.
    const first = await followAdminConsentPage(t, url);
    const second = await followAdminConsentPage(t, url);
    const state = (u: string | null) => new URL(u!).searchParams.get('state');
    expect(new URL(first.location!).pathname).toBe('/organizations/v2.0/adminconsent');
    expect(state(first.location)).not.toEqual(state(second.location));
    expect(continueHref(shown.html)).toMatch(/^\/oauth\/microsoft\/admin-consent\/start\?link=/);
  });

  it('a changed or expired link shows no button and says what to do', async () => {
    const shown = await page('/microsoft/admin-consent?link=abc.def');
    expect(shown.status).toBe(404);
    expect(shown.text).toContain('This admin consent link has expired');
    expect(continueHref(shown.html)).toBeNull();
  });

  it('ends on the granted page: tenant and permissions', async () => {
    const ws = await bareWorkspace();
    const started = await t.http().post('/v1/microsoft-tenant/admin-consent').set(auth(ws.apiKey)).send({});
    const walk = await walkAdminConsent(t, emu, started.body.adminConsentUrl, {
      userId: DEMO.users.frank.id,
    });
    expect(walk.location!.pathname).toBe('/microsoft/admin-consent/result');
    const shown = await page(walk.location!);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Consent granted');
    expect(shown.text).toContain(`Tenant ${DEMO.otherTenantId}`);
    const granted = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body.consent.scopes;
    expect(granted.length).toBeGreaterThan(0);
    for (const scope of granted as string[]) expect(shown.html).toContain(`<code>${scope}</code>`);
    expect(shown.text).toContain('Members can now connect their calendars');
  });

  it('declined: says nothing was granted, with a link to the consent page again', async () => {
    const ws = await bareWorkspace();
    const started = await t.http().post('/v1/microsoft-tenant/admin-consent').set(auth(ws.apiKey)).send({});
    const toMicrosoft = (await followAdminConsentPage(t, started.body.adminConsentUrl)).location!;
    const back = await t
      .http()
      .get(pathOf(await emu.control.signIn(toMicrosoft, { userId: DEMO.users.frank.id, decline: true })));
    const shown = await page(back.headers.location as string);
    expect(shown.text).toContain('Consent was declined');
    expect(shown.text).toContain('Nothing was granted');
    const retry = /<a class="button" id="retry" href="([^"]+)"/
      .exec(shown.html)![1]!
      .replaceAll('&amp;', '&');
    expect((await page(retry)).text).toContain('Approve kailenty for your organisation');
    expect((await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body.consent.status).toBe(
      'none',
    );
  });

  it('not verified: a signed-in user who cannot grant consent reads who must do it', async () => {
    const helpdesk = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: `desk.${Date.now()}@contoso.com`,
      displayName: 'Desk',
      directoryRoles: [DIRECTORY_ROLES.helpdeskAdministrator],
    });
    const ws = await bareWorkspace();
    const url = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body.adminConsentUrl;
    const state = new URL((await followAdminConsentPage(t, url)).location!).searchParams.get('state');
    const forged = await t
      .http()
      .get(
        `/oauth/microsoft/admin-consent/callback?admin_consent=True&tenant=${DEMO.tenantId}&state=${state}`,
      );
    const walk = await continueAdminSignIn(t, emu, forged, { userId: helpdesk.id });
    const shown = await page(walk.location!);
    expect(shown.text).toContain('Consent could not be verified');
    expect(shown.text).toContain('Privileged Role Administrator');
    expect(shown.html).toContain('id="retry"');
  });
});

describe('a workspace with a return URL', () => {
  it('keeps redirecting there, with the result in the query', async () => {
    const ws = await t.workspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail);
    const out = await connectMember(t, emu, ws.apiKey, id);
    expect(out.location!.origin + out.location!.pathname).toBe(ws.returnUrl);
    expect(Object.fromEntries(out.location!.searchParams)).toEqual({ result: 'connected', memberId: id });
    const started = await t.http().post('/v1/microsoft-tenant/admin-consent').set(auth(ws.apiKey)).send({});
    const toMicrosoft = (await followAdminConsentPage(t, started.body.adminConsentUrl)).location!;
    const back = await t
      .http()
      .get(pathOf(await emu.control.signIn(toMicrosoft, { userId: DEMO.users.adele.id, decline: true })));
    const to = new URL(back.headers.location as string);
    expect(to.origin + to.pathname).toBe(ws.returnUrl);
    expect(to.searchParams.get('code')).toBe('ADMIN_CONSENT_DECLINED');
  });
});
