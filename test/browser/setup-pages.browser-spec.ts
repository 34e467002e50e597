// The setup guide's screens in Debian's Chromium against the real service and the Microsoft 365 emulator
// (its sign-in pages over HTTPS): a member connects and lands on the connected page; refusals read as
// sentences with what to do; the admin consent page lists every permission's purpose, and its one button,
// pressed with the keyboard alone, leads to Microsoft and back to a granted page, or a declined one.
// axe-core on every state and screenshots at 360 and 1280 px.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Emulator } from '../../emulator/emulator.js';
import { ALL_PERMISSIONS } from '@domain/consent/permissions.js';
import type { TestApp } from '../support/test-app.js';
import { TEST_OPERATOR_TOKEN } from '../support/test-config.js';
import { activeMember, DEMO } from '../support/microsoft.js';
import { startNotifiedApp } from '../support/notifications.js';
import { collectErrors, launchChromium, screenshots, seriousViolations } from '../support/browser.js';

// Page-side callbacks run in the browser; this file is compiled with Node's types, not the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

let emu: Emulator;
let t: TestApp;
let publicUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ emu, t, publicUrl } = await startNotifiedApp({ weeks: 1 }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await emu?.close();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
let contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

/** A person's browser; the emulator's certificate is the test's own CA, which Chromium does not know. */
async function personPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
    ignoreHTTPSErrors: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: collectErrors(page) };
}

let counter = 0;
/** A workspace without a returnUrl: the flows end on kailenty's pages. */
async function bareWorkspace(): Promise<{ id: string; apiKey: string }> {
  const res = await t
    .http()
    .post('/v1/workspaces')
    .set(auth(TEST_OPERATOR_TOKEN))
    .send({ name: `Contoso Consulting ${++counter}` });
  expect(res.status).toBe(201);
  return { id: res.body.id, apiKey: res.body.apiKey };
}

/** What the product does when a member clicks "connect Microsoft 365": the browser goes to authorizeUrl. */
async function authorizeUrl(apiKey: string, memberId: string): Promise<string> {
  const res = await t.http().post(`/v1/members/${memberId}/microsoft-connection`).set(auth(apiKey)).send({});
  expect(res.status).toBe(201);
  return res.body.authorizeUrl as string;
}

async function expectAccessible(page: Page, name: string, errors: string[]) {
  expect(await seriousViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
  await screenshots(page, name);
}

async function landsOn(page: Page, path: string) {
  await page.waitForURL((url) => url.pathname === path);
  expect(new URL(page.url()).origin).toBe(publicUrl);
}

describe('a member connecting', () => {
  it('signs in at Microsoft and lands on the connected page: their name and mailbox', async () => {
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
    const { page, errors } = await personPage();
    await page.goto(await authorizeUrl(ws.apiKey, id));
    await landsOn(page, '/microsoft/connection-result');
    await expect(page.locator('h1').textContent()).resolves.toBe('Your calendar is connected');
    const body = await page.locator('main').innerText();
    expect(body).toContain('Megan Bowen, your Microsoft 365 calendar now appears as connected.');
    expect(body).toContain(DEMO.users.megan.mail);
    expect(await page.locator('#teams-warning').count()).toBe(0);
    expect(
      (await t.http().get(`/v1/members/${id}/microsoft-connection`).set(auth(ws.apiKey))).body,
    ).toMatchObject({ connection: 'connected' });
    await expectAccessible(page, 'setup-connected', errors);
  });

  it('without a Teams licence: connected, with the sentence about Teams links', async () => {
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.alex.mail, 'Alex Wilber');
    const { page, errors } = await personPage();
    await page.goto(await authorizeUrl(ws.apiKey, id));
    await landsOn(page, '/microsoft/connection-result');
    await expect(page.locator('#teams-warning').innerText()).resolves.toMatch(/Teams licence/);
    await expectAccessible(page, 'setup-connected-no-teams', errors);
  });

  it('a tenant that needs an administrator: what to do, and the link to hand on, which opens the consent page', async () => {
    emu.control.addUser({ tenantId: DEMO.otherTenantId, mail: 'gwen@fabrikam.com', displayName: 'Gwen' });
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, 'gwen@fabrikam.com', 'Gwen Lee');
    const { page, errors } = await personPage();
    await page.goto(await authorizeUrl(ws.apiKey, id));
    await landsOn(page, '/microsoft/connection-result');
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'An administrator needs to approve kailenty first',
    );
    expect(await page.locator('main').innerText()).toContain(
      'Global Administrator or Privileged Role Administrator',
    );
    const link = page.locator('#admin-consent-link');
    expect(await link.innerText()).toMatch(/\/microsoft\/admin-consent\?link=/);
    await expectAccessible(page, 'setup-admin-consent-required', errors);
    await link.click();
    await landsOn(page, '/microsoft/admin-consent');
    await expect(page.locator('h1').textContent()).resolves.toBe('Approve kailenty for your organisation');
  });

  it('a member disabled meanwhile: account not active, and what to do', async () => {
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
    const url = await authorizeUrl(ws.apiKey, id);
    await t.http().patch(`/v1/members/${id}`).set(auth(ws.apiKey)).send({ status: 'disabled' }).expect(200);
    const { page, errors } = await personPage();
    await page.goto(url);
    await landsOn(page, '/microsoft/connection-result');
    await expect(page.locator('h1').textContent()).resolves.toBe('This account cannot connect yet');
    expect(await page.locator('main').innerText()).toContain('Only active accounts can connect');
    await expectAccessible(page, 'setup-account-not-active', errors);
  });

  it('another person’s account: account mismatch, and what to do', async () => {
    const ws = await bareWorkspace();
    const id = await activeMember(t, ws.apiKey, DEMO.users.megan.mail, 'Megan Bowen');
    const url = await authorizeUrl(ws.apiKey, id);
    emu.control.setNextSignIn({ userId: DEMO.users.alex.id });
    const { page, errors } = await personPage();
    await page.goto(url);
    await landsOn(page, '/microsoft/connection-result');
    await expect(page.locator('h1').textContent()).resolves.toBe('That is not the expected account');
    await expectAccessible(page, 'setup-account-mismatch', errors);
  });

  it('a result link that was changed shows nothing of anyone', async () => {
    const { page, errors } = await personPage();
    const res = await page.goto(`${publicUrl}/microsoft/connection-result?link=forged.link`);
    expect(res!.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('This page has expired');
    await expectAccessible(page, 'setup-result-expired', errors);
  });
});

describe('an administrator consenting', () => {
  it('reads every permission’s purpose, continues with the keyboard alone, and lands on the granted page', async () => {
    const ws = await bareWorkspace();
    const { adminConsentUrl } = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    const { page, errors } = await personPage();
    await page.goto(adminConsentUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('Approve kailenty for your organisation');
    const items = page.locator('.permissions li');
    expect(await items.count()).toBe(ALL_PERMISSIONS.length);
    for (const [i, p] of ALL_PERMISSIONS.entries()) {
      const text = await items.nth(i).innerText();
      expect(text).toContain(p.scope);
      expect(text).toContain(p.purpose);
    }
    const main = await page.locator('main').innerText();
    expect(main).toContain('Consent covers the whole organisation');
    expect(main).toContain('Microsoft Entra admin centre');
    expect(await page.locator('main a, main button').count()).toBe(1);
    await expectAccessible(page, 'setup-admin-consent', errors);

    // Keyboard only: the first Tab reaches the one button, Enter goes on to Microsoft (Frank, Fabrikam's
    // administrator, is who the emulator signs in) and back through his sign-in to kailenty.
    emu.control.setNextSignIn({ userId: DEMO.users.frank.id });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('continue');
    await page.keyboard.press('Enter');
    await landsOn(page, '/microsoft/admin-consent/result');
    await expect(page.locator('h1').textContent()).resolves.toBe('Consent granted');
    const granted = await page.locator('main').innerText();
    expect(granted).toContain(DEMO.otherTenantId);
    const tenant = (await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body;
    expect(tenant.consent).toMatchObject({ status: 'granted', grantType: 'admin' });
    for (const scope of tenant.consent.scopes as string[]) expect(granted).toContain(scope);
    await expectAccessible(page, 'setup-admin-consent-granted', errors);
  });

  it('declines at Microsoft and lands on the declined page, with the way back to the consent page', async () => {
    const ws = await bareWorkspace();
    const started = await t.http().post('/v1/microsoft-tenant/admin-consent').set(auth(ws.apiKey)).send({});
    const { page, errors } = await personPage();
    await page.goto(started.body.adminConsentUrl);
    emu.control.setNextSignIn({ userId: DEMO.users.frank.id, decline: true });
    await page.locator('#continue').click();
    await landsOn(page, '/microsoft/admin-consent/result');
    await expect(page.locator('h1').textContent()).resolves.toBe('Consent was declined');
    expect(await page.locator('main').innerText()).toContain('Nothing was granted');
    expect((await t.http().get('/v1/microsoft-tenant').set(auth(ws.apiKey))).body.consent.status).toBe(
      'none',
    );
    await expectAccessible(page, 'setup-admin-consent-declined', errors);
    await page.locator('#retry').click();
    await landsOn(page, '/microsoft/admin-consent');
  });
});
