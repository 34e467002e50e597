// The sandbox's start page in Debian's Chromium, against the sandbox as `npm start` runs it (startService:
// the emulator in-process, the seeded demo workspace): connecting a member with one click through the
// emulator's sign-in, opening a demo booking page from it, booking a time there, and the booking arriving
// on the start page (by itself, and after a reload). axe-core on each state, screenshots at 360/1280 px;
// and its connect form refused from another site or without the page's token.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '@config/env.schema.js';
import { startService, type RunningService } from '@adapters/nest/start-service.js';
import type { SandboxFile } from '@adapters/sandbox/sandbox.js';
import { SPARE_ACCOUNTS } from '@adapters/sandbox/sandbox.js';
import { createServerDatabase, usingPostgres } from '../support/database.js';
import { freePort } from '../support/service-process.js';
import { collectErrors, launchChromium, screenshots, seriousViolations } from '../support/browser.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- API JSON, read by the assertions */

let dir: string;
let base: string;
let database: { url: string; drop(): Promise<void> } | null = null;
let service: RunningService;
let browser: Browser;
let context: BrowserContext;
let file: SandboxFile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kailenty-start-page-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  if (usingPostgres) database = await createServerDatabase();
  const env: Record<string, string> = {
    PORT: String(port),
    PUBLIC_URL: base,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
  };
  if (database) env.DATABASE_URL = database.url;
  service = await startService(
    { ...loadConfig(env), emulatorPort: 0 },
    { swaggerUi: false, host: '127.0.0.1' },
  );
  file = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8')) as SandboxFile;
  browser = await launchChromium();
  // A newcomer's browser: English (UK), in Paris; the emulator's certificate accepted, as its page says.
  context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 900 },
    ignoreHTTPSErrors: true,
  });
}, 180_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await service?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${file.apiKey}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function expectAccessible(page: Page, state: string) {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

const memberRow = (page: Page, id: string) => page.locator(`li[data-member="${id}"]`);

describe('the sandbox start page', () => {
  it('connects a member with one click, opens a demo booking page, and shows the booking made there', async () => {
    // A member of the demo tenant who is not connected yet: added and activated through the API.
    const spare = SPARE_ACCOUNTS[0]!;
    const added = await api('/v1/members', {
      method: 'POST',
      body: { email: spare.mail, displayName: spare.displayName, role: 'member' },
    });
    expect(added.status).toBe(201);
    const memberId = added.body.id as string;

    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(file.startUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('Demo workspace');
    // A pending member cannot connect, and the page says how to activate them.
    await expect(memberRow(page, memberId).locator('button').count()).resolves.toBe(0);
    await expect(memberRow(page, memberId).textContent()).resolves.toContain(
      'only active members can connect',
    );
    for (const id of Object.values(file.members))
      await expect(memberRow(page, id).locator('[data-connection]').textContent()).resolves.toBe('Connected');
    for (const ref of Object.values(file.eventTypes))
      await expect(
        page.getByRole('link', { name: `Open the booking page of ${ref.title}` }).getAttribute('href'),
      ).resolves.toBe(ref.bookingUrl);
    await expect(page.getByRole('link', { name: /\/docs\)/ }).getAttribute('href')).resolves.toBe('/docs');
    await expect(page.getByRole('link', { name: /\/docs-json\)/ }).getAttribute('href')).resolves.toBe(
      '/docs-json',
    );
    await expect(page.locator('#bookings').textContent()).resolves.toContain('No bookings yet');
    await expectAccessible(page, 'start: the demo workspace');
    await screenshots(page, 'start-1-workspace');

    expect(
      (await api(`/v1/members/${memberId}`, { method: 'PATCH', body: { status: 'active' } })).status,
    ).toBe(200);
    await page.reload();
    const connect = page.getByRole('button', { name: `Connect ${spare.displayName}` });
    await expect(memberRow(page, memberId).locator('[data-connection]').textContent()).resolves.toBe(
      'Not connected',
    );
    // One click: kailenty → the emulator's sign-in → kailenty's callback → back here.
    const signIns: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(service.emulator!.url) && r.url().includes('/authorize')) signIns.push(r.url());
    });
    await connect.click();
    await page.waitForURL((url) => url.searchParams.get('result') === 'connected');
    expect(signIns).toHaveLength(1);
    expect(new URL(page.url()).searchParams.get('memberId')).toBe(memberId);
    await expect(page.locator('#notice').innerText()).resolves.toBe(
      `${spare.displayName}'s Outlook calendar is connected.`,
    );
    await expect(memberRow(page, memberId).locator('[data-connection]').textContent()).resolves.toBe(
      'Connected',
    );
    const member = await api(`/v1/members/${memberId}`);
    expect(member.body.microsoft).toMatchObject({ connection: 'connected', userId: spare.id });
    await expectAccessible(page, 'start: member connected');
    await screenshots(page, 'start-2-connected');

    // A second tab keeps the start page open: its bookings refresh by themselves.
    const watcher = await context.newPage();
    const watcherErrors = collectErrors(watcher);
    await watcher.goto(file.startUrl);

    // The demo booking page, opened from the start page; a time booked there.
    await page.getByRole('link', { name: `Open the booking page of ${file.eventTypes.teams.title}` }).click();
    await page.waitForURL(file.eventTypes.teams.bookingUrl);
    const first = page.locator('#times button.time').first();
    await first.waitFor();
    const start = (await first.getAttribute('data-start'))!;
    await first.click();
    await page.locator('#guest-name').fill('Grace Hopper');
    await page.locator('#guest-email').fill('grace.hopper@example.com');
    await page.locator('#confirm').click();
    await page.locator('#done').waitFor();
    const [booking] = (await api('/v1/bookings')).body.data.filter(
      (b: any) => b.guest.name === 'Grace Hopper',
    );
    expect(Date.parse(booking.start)).toBe(Date.parse(start));

    const row = (p: Page) => p.locator(`li[data-booking="${booking.id}"]`);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(start));
    await row(watcher).waitFor({ timeout: 15_000 });
    await expect(row(watcher).locator('time').textContent()).resolves.toBe(local);

    await page.goto(file.startUrl);
    const text = await row(page).textContent();
    expect(text).toContain('Grace Hopper');
    expect(text).toContain('host Adele Vance');
    expect(text).toContain(file.eventTypes.teams.title);
    expect(text).toContain('Confirmed');
    await expect(row(page).locator('time').textContent()).resolves.toBe(local);
    // Newest first.
    await expect(page.locator('#bookings li').first().getAttribute('data-booking')).resolves.toBe(booking.id);
    await expectAccessible(page, 'start: a booking arrived');
    await screenshots(page, 'start-3-booking');
    expect([...errors, ...watcherErrors]).toEqual([]);
    await watcher.close();
    await page.close();
  });

  it('refuses a connect form from another site, or without the start page’s token, and changes nothing', async () => {
    const members = (await api('/v1/members')).body.data as any[];
    const megan = members.find((m) => m.id === file.members.megan)!;
    const html = await (await fetch(file.startUrl)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${base}/sandbox/start/connect/${megan.id}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'text/plain', ...headers },
        body,
      });

    for (const [headers, body] of [
      [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, `token=${token}\r\n`],
      [{ origin: 'https://evil.example' }, `token=${token}\r\n`],
      [{ origin: base, 'sec-fetch-site': 'same-origin' }, ''],
      [{ origin: base, 'sec-fetch-site': 'same-origin' }, `token=${token.slice(0, -2)}xx\r\n`],
      [{ origin: base, 'sec-fetch-site': 'same-origin' }, `token=1.${'A'.repeat(43)}\r\n`],
    ] as const) {
      const refused = await post(headers, body);
      expect({ headers, status: refused.status }).toEqual({ headers, status: 403 });
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await refused.text()).toContain('This form has expired');
    }
    const accepted = await post({ origin: base, 'sec-fetch-site': 'same-origin' }, `token=${token}\r\n`);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(new RegExp(`^${service.emulator!.url}/.+/authorize\\?`));
    // Nothing changed for Megan: still connected, as she was.
    expect((await api(`/v1/members/${megan.id}`)).body.microsoft).toEqual(megan.microsoft);
  });
});
