// The booking and manage pages in Debian's Chromium against the real service and the Microsoft 365
// emulator: booking with the mouse and with the keyboard alone, two guests picking one time (the first holds
// it), a hold shown, given back and run out, reschedule
// and cancel on the manage page, the embed on another origin, a daylight-saving week, axe-core on every
// state and screenshots at 360 and 1280 px. The first times' arrival is measured for BENCHMARKS.md.
import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Emulator } from '../../emulator/emulator.js';
import type { TestApp } from '../support/test-app.js';
import { Clock } from '@application/ports/clock.js';
import { DEMO } from '../support/microsoft.js';
import { bookableWorkspace, connectedMember, createEventType } from '../support/bookable.js';
import { freePort, startNotifiedApp } from '../support/notifications.js';
import { collectErrors, launchChromium, screenshots, seriousViolations } from '../support/browser.js';
import { eventually } from '../support/eventually.js';

// Page-side callbacks run in the browser; this file is compiled with Node's types, not the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare const getComputedStyle: any;
declare const MutationObserver: any;

let emu: Emulator;
let t: TestApp;
let publicUrl: string;
let browser: Browser;

/** The service's clock runs this far ahead of real time (a hold's expiry without waiting for it). */
const shift = { ms: 0 };

beforeAll(async () => {
  ({ emu, t, publicUrl } = await startNotifiedApp({
    weeks: 1,
    beforeInit: (app) => void (app.get(Clock).now = () => new Date(Date.now() + shift.ms)),
  }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await emu?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
let contexts: BrowserContext[] = [];
afterEach(async () => {
  shift.ms = 0;
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

const holdState = async (start: string) => {
  const rows = (await t.db.orm.em
    .getConnection()
    .execute(`select state, expires_at from holds where start_at = ? order by created_at`, [start])) as {
    state: string;
    expires_at: string | Date;
  }[];
  return rows.map((r) => ({ state: r.state, expiresAt: new Date(r.expires_at).toISOString() }));
};

/** A guest's browser: English (UK) dates, in Paris, 1280 px wide. */
async function guestPage(options: { timezoneId?: string } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: options.timezoneId ?? 'Europe/Paris',
    viewport: { width: 1280, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: collectErrors(page) };
}

/** A workspace with one connected Teams host open every night 00:00–06:00 UTC, and its booking page. */
async function setup(options: { host?: keyof typeof DEMO.users; name?: string } = {}) {
  const { ws, hostId, eventTypeId, eventType } = await bookableWorkspace(t, emu, {
    workspaceName: 'Contoso Consulting',
    mail: DEMO.users[options.host ?? 'adele'].mail,
    displayName: options.name ?? 'Adele Vance',
    eventType: { bookingPage: { enabled: true } },
  });
  return { ws, hostId, eventTypeId, bookingUrl: eventType.bookingUrl as string };
}

async function bookings(apiKey: string) {
  const res = await t.http().get('/v1/bookings').set(auth(apiKey));
  expect(res.status).toBe(200);
  return res.body.data as {
    id: string;
    start: string;
    end: string;
    status: string;
    cancelledBy: string | null;
    location: { joinUrl?: string | null };
    manageUrl: string;
  }[];
}

/** One first visit of a booking page in a fresh context: when its first times showed, and what it loaded. */
async function firstVisit(url: string) {
  const { page } = await guestPage();
  // When the first time button appears, in ms after navigation started (performance.now()).
  await page.addInitScript(() => {
    new MutationObserver((_: unknown, observer: { disconnect(): void }) => {
      if (document.querySelector('#times button.time')) {
        window.__firstTimes = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.locator('#times button.time').first().waitFor();
  const visit = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as any[];
    const assets = entries.filter((e) => /\/assets\/.+\.(js|css)\?/.test(e.name));
    const slots = entries.find((e) => e.name.includes('/slots?'));
    return {
      firstTimes: Math.round(window.__firstTimes),
      html: Math.round((performance as any).getEntriesByType('navigation')[0].responseEnd),
      assets: Math.round(Math.max(...assets.map((e) => e.responseEnd))),
      slots: [Math.round(slots.startTime), Math.round(slots.responseEnd)],
      weight: assets.reduce((sum: number, e) => sum + e.encodedBodySize, 0) as number,
    };
  });
  await page.context().close();
  contexts = contexts.filter((c) => c !== page.context());
  return visit;
}

async function expectAccessible(page: Page, state: string) {
  expect({ state, violations: await seriousViolations(page) }).toEqual({ state, violations: [] });
}

const parisTime = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeStyle: 'short' }).format(new Date(iso));

describe('booking page', () => {
  it('books a time with the mouse: first times measured, the Teams link, the API sees it', async () => {
    const { ws, bookingUrl } = await setup();
    // Three first visits, each in a fresh browser context (empty cache): the first one also finds the
    // service cold for this host (no free/busy cached yet). The budget holds for their median.
    const visits = [];
    for (let i = 0; i < 3; i++) visits.push(await firstVisit(bookingUrl));
    for (const v of visits) {
      console.log(
        `booking page visit: first times on screen ${v.firstTimes} ms after navigation (HTML in by ${v.html} ms, ` +
          `assets by ${v.assets} ms, slots request ${v.slots[0]}–${v.slots[1]} ms); JS+CSS ${v.weight} bytes gzipped`,
      );
      expect(v.weight).toBeLessThanOrEqual(60 * 1024);
    }
    const median = visits.map((v) => v.firstTimes).sort((a, b) => a - b)[1]!;
    console.log(`booking page: median first times on screen ${median} ms after navigation`);
    // Speed is a benchmark's business, not a timed test's (a loaded CI machine is not a guest's browser):
    // `npm run bench:pages` runs this test with BENCH_PAGES=1, where the 1 s budget is enforced.
    if (process.env.BENCH_PAGES) expect(median).toBeLessThanOrEqual(1000);

    const { page, errors } = await guestPage();
    await page.goto(bookingUrl);
    await page.locator('#times button.time').first().waitFor();

    // It opens on the first day with times, in the browser's zone, and closed days say so.
    await expect(page.locator('#zone').inputValue()).resolves.toBe('Europe/Paris');
    const selected = page.locator('.day[aria-pressed="true"]');
    await expect(selected.count()).resolves.toBe(1);
    await expect(selected.isDisabled()).resolves.toBe(false);
    const dayButtons = await page.locator('.day').count();
    expect(dayButtons).toBe(7);
    await expectAccessible(page, 'booking: times');
    await screenshots(page, 'book-1-times');

    const first = page.locator('#times button.time').first();
    const start = (await first.getAttribute('data-start'))!;
    expect(await first.textContent()).toBe(parisTime(start));
    await first.click();
    await page.locator('#details').waitFor();
    await expectAccessible(page, 'booking: details');
    // Submitting empty says what to do, in words.
    await page.locator('#confirm').click();
    await expect(page.locator('#guest-name-error').textContent()).resolves.toBe('Please enter your name.');
    await expectAccessible(page, 'booking: details with errors');
    await screenshots(page, 'book-2-details-errors');
    await page.locator('#guest-name').fill('Jordan Lee');
    await page.locator('#guest-email').fill('jordan@example.com');
    await page.locator('#guest-note').fill('About the pilot');
    await page.locator('#confirm').click();
    await page.locator('#done').waitFor();
    await expectAccessible(page, 'booking: confirmation');
    await screenshots(page, 'book-3-confirmation');

    const [booking] = await bookings(ws.apiKey);
    expect(Date.parse(booking!.start)).toBe(Date.parse(start));
    expect(booking!.location.joinUrl).toMatch(/^https:\/\//);
    await expect(page.locator('a.join').getAttribute('href')).resolves.toBe(booking!.location.joinUrl);
    await expect(page.locator('#done-body').textContent()).resolves.toContain(parisTime(start));
    const manage = page.locator('a', { hasText: 'Reschedule or cancel' });
    await expect(manage.getAttribute('href')).resolves.toBe(booking!.manageUrl);
    const ics = await page.locator('a', { hasText: '.ics' }).getAttribute('href');
    expect(ics).toBe(`${booking!.manageUrl.replace('/manage/', '/v1/public/manage/')}/booking.ics`);
    expect(errors).toEqual([]);
  });

  it('books a collective event type: its hosts shown together, every host booked, accessible', async () => {
    const ws = await t.workspace('Contoso Consulting');
    const adele = await connectedMember(t, emu, ws.apiKey, {
      mail: DEMO.users.adele.mail,
      displayName: 'Adele Vance',
    });
    const megan = await connectedMember(t, emu, ws.apiKey, {
      mail: DEMO.users.megan.mail,
      displayName: 'Megan Bowen',
    });
    const team = await createEventType(t, ws.apiKey, [adele, megan], {
      assignment: 'collective',
      bookingPage: { enabled: true },
    });
    const { page, errors } = await guestPage();
    await page.goto(team.bookingUrl as string);
    await page.locator('#times button.time').first().waitFor();
    await expect(page.locator('.facts').textContent()).resolves.toContain('With Adele Vance and Megan Bowen');
    await expectAccessible(page, 'collective booking: times');
    const first = page.locator('#times button.time').last();
    const start = (await first.getAttribute('data-start'))!;
    await first.click();
    await page.locator('#guest-name').fill('Jordan Lee');
    await page.locator('#guest-email').fill('jordan@example.com');
    await page.locator('#confirm').click();
    await page.locator('#done').waitFor();
    await expect(page.locator('#done-body').textContent()).resolves.toContain(
      'With Adele Vance and Megan Bowen.',
    );
    await expectAccessible(page, 'collective booking: confirmation');
    const res = await t.http().get('/v1/bookings').set(auth(ws.apiKey));
    expect(res.body.data).toEqual([
      expect.objectContaining({ hostId: adele, hostIds: [adele, megan], start: expect.any(String) }),
    ]);
    expect(Date.parse(res.body.data[0].start)).toBe(Date.parse(start));
    expect(errors).toEqual([]);
  });

  it('books a time with the keyboard alone, focus always visible', async () => {
    const { ws, bookingUrl } = await setup();
    const { page, errors } = await guestPage();
    await page.goto(bookingUrl);
    await page.locator('#times button.time').first().waitFor();
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as any;
        const style = getComputedStyle(el);
        return {
          tag: el.tagName,
          cls: el.className,
          id: el.id,
          outline: style.outlineStyle,
          start: el.dataset.start,
        };
      });
    let current = await focused();
    for (let i = 0; i < 40 && !current.cls.includes('time'); i++) {
      await page.keyboard.press('Tab');
      current = await focused();
      if (current.tag !== 'BODY') expect(current.outline).not.toBe('none');
    }
    expect(current.cls).toContain('time');
    await screenshots(page, 'book-4-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.locator('#details').waitFor();
    expect((await focused()).id).toBe('guest-name');
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Booked without a mouse');
    await page.keyboard.press('Enter'); // a new line in the note, not a submit
    await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('back');
    await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('confirm');
    await page.keyboard.press('Enter');
    await page.locator('#done').waitFor();
    expect((await focused()).id).toBe('done-heading');
    const [booking] = await bookings(ws.apiKey);
    expect(Date.parse(booking!.start)).toBe(Date.parse(current.start!));
    expect(errors).toEqual([]);
  });

  it('two guests picking one time: the first holds it, the other is told at once and sees fresh times', async () => {
    const { ws, bookingUrl } = await setup();
    const a = await guestPage();
    const b = await guestPage();
    for (const { page } of [a, b]) {
      await page.goto(bookingUrl);
      await page.locator('#times button.time').first().waitFor();
    }
    const start = (await a.page.locator('#times button.time').first().getAttribute('data-start'))!;
    await a.page.locator(`#times button[data-start="${start}"]`).click();
    await a.page.locator('#held', { hasText: 'held for you until' }).waitFor();
    await b.page.locator(`#times button[data-start="${start}"]`).click();
    await b.page.locator('#notice', { hasText: 'just taken' }).waitFor();
    await b.page.locator('#picker').waitFor();
    await b.page.waitForFunction((s) => !document.querySelector(`#times button[data-start="${s}"]`), start);
    await b.page.locator('#times button.time').first().waitFor();
    await expectAccessible(b.page, 'booking: time taken meanwhile');
    await screenshots(b.page, 'book-5-time-taken');

    await a.page.locator('#guest-name').fill('Ana');
    await a.page.locator('#guest-email').fill('ana@example.com');
    await a.page.locator('#confirm').click();
    await a.page.locator('#done').waitFor();
    const all = await bookings(ws.apiKey);
    expect(all.filter((x) => Date.parse(x.start) === Date.parse(start))).toHaveLength(1);
    expect((await holdState(start)).map((h) => h.state)).toEqual(['booked']);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('holds the picked time while the guest fills in the form, gives it back on "Back", and says when the hold ran out', async () => {
    const { ws, bookingUrl } = await setup();
    const { page, errors } = await guestPage();
    await page.goto(bookingUrl);
    const times = page.locator('#times button.time');
    await times.first().waitFor();
    // Two times of one day: the first day with times may have only one left (the host's Outlook is shared by
    // the tests of this file, and what is left of today depends on the hour).
    for (const day of await page.locator('.day:not([disabled])').all()) {
      if ((await times.count()) >= 2) break;
      await day.click();
      await times.first().waitFor();
    }
    const [first, second] = [
      (await times.nth(0).getAttribute('data-start'))!,
      (await times.nth(1).getAttribute('data-start'))!,
    ];

    await times.nth(0).click();
    const held = page.locator('#held', { hasText: 'held for you until' });
    await held.waitFor();
    const [hold] = await holdState(first);
    expect(hold!.state).toBe('held');
    await expect(held.textContent()).resolves.toBe(
      `This time is held for you until ${parisTime(hold!.expiresAt)}. Please confirm before then.`,
    );
    await expectAccessible(page, 'booking: details, time held');
    await screenshots(page, 'book-6-time-held');
    // Another guest does not see it offered.
    const other = await guestPage();
    await other.page.goto(bookingUrl);
    await other.page.locator('#times button.time').first().waitFor();
    await expect(other.page.locator(`#times button[data-start="${first}"]`).count()).resolves.toBe(0);

    // Back to the times: the hold is given back and the time is offered again.
    await page.locator('#back').click();
    await page.locator(`#times button[data-start="${first}"]`).waitFor();
    // The page shows the times at once and gives the hold back meanwhile.
    await eventually(async () => expect((await holdState(first)).map((h) => h.state)).toEqual(['released']));

    // Five minutes later the hold has run out: confirming says so and sends the guest back to the times.
    await page.locator(`#times button[data-start="${second}"]`).click();
    await held.waitFor();
    await page.locator('#guest-name').fill('Jordan Lee');
    await page.locator('#guest-email').fill('jordan@example.com');
    shift.ms = 300_000;
    await page.locator('#confirm').click();
    await page.locator('#notice', { hasText: 'ran out before you confirmed' }).waitFor();
    await page.locator('#picker').waitFor();
    await expect(page.locator('#held').isHidden()).resolves.toBe(true);
    await expectAccessible(page, 'booking: hold ran out');
    await screenshots(page, 'book-7-hold-ran-out');
    expect(await bookings(ws.apiKey)).toEqual([]);

    // Picking again holds it again, and the booking is made from that hold.
    await page.locator(`#times button[data-start="${second}"]`).click();
    await held.waitFor();
    await page.locator('#confirm').click();
    await page.locator('#done').waitFor();
    expect((await holdState(second)).map((h) => h.state)).toEqual(['held', 'booked']);
    const [booking] = await bookings(ws.apiKey);
    expect(Date.parse(booking!.start)).toBe(Date.parse(second));
    expect([...errors, ...other.errors]).toEqual([]);
  });

  it('a daylight-saving week reads right: seven days, and the Sunday the clocks go forward has no 02:00', async () => {
    const { bookingUrl } = await setup();
    const { page, errors } = await guestPage();
    await page.goto(`${bookingUrl}?date=2027-03-28`);
    await page.locator('#times button.time').first().waitFor();
    const days = await page.locator('.day').evaluateAll((els) => els.map((e) => (e as any).dataset.day));
    expect(days).toEqual([
      '2027-03-22',
      '2027-03-23',
      '2027-03-24',
      '2027-03-25',
      '2027-03-26',
      '2027-03-27',
      '2027-03-28',
    ]);
    const times = () => page.locator('#times button.time').allTextContents();
    /** The page's labels for 30-minute starts from `fromUtc`, `count` of them, as the guest's zone writes them. */
    const labels = (zone: string, fromUtc: string, count: number) =>
      Array.from({ length: count }, (_, i) =>
        new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeStyle: 'short' }).format(
          new Date(Date.parse(fromUtc) + i * 30 * 60_000),
        ),
      );
    // Open 00:00–06:00 UTC: on Sunday 28 March Paris reads 01:00, 01:30, then 03:00 (no 02:xx).
    const sunday = await times();
    expect(sunday).toEqual(labels('Europe/Paris', '2027-03-28T00:00:00Z', 12));
    expect(sunday.slice(0, 3)).toEqual(['01:00', '01:30', '03:00']);
    expect(sunday.filter((x) => /^0?2:/.test(x))).toEqual([]);
    await page.locator('.day[data-day="2027-03-27"]').click();
    const saturday = await times();
    expect(saturday).toEqual(labels('Europe/Paris', '2027-03-27T00:00:00Z', 12));
    expect(saturday.filter((x) => /^0?2:/.test(x))).toHaveLength(2);
    await screenshots(page, 'book-6-dst-week');
    // The same slots in New York (already on summer time): the early hours and the evening of the 28th.
    await page.locator('#zone').selectOption('America/New_York');
    await page.locator('.day[data-day="2027-03-28"]').click();
    expect(await times()).toEqual([
      ...labels('America/New_York', '2027-03-28T04:00:00Z', 4),
      ...labels('America/New_York', '2027-03-29T00:00:00Z', 8),
    ]);
    expect(errors).toEqual([]);
  });
});

describe('booking page of a room event type', () => {
  it('books a time that has a free room; the confirmation and the manage page name the room (axe passes)', async () => {
    const room = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: `room.page.${Math.random().toString(36).slice(2, 8)}@${DEMO.tenantDomain}`,
      displayName: 'Harbour room',
      kind: 'room',
    });
    const { ws, bookingUrl } = await bookableWorkspace(t, emu, {
      workspaceName: 'Contoso Rooms',
      mail: DEMO.users.megan.mail,
      displayName: 'Megan Bowen',
      eventType: {
        bookingPage: { enabled: true },
        location: { kind: 'in_person', value: 'Contoso House' },
        rooms: { rooms: [{ email: room.mail, name: 'Harbour room' }], required: true },
      },
    }).then((b) => ({ ws: b.ws, bookingUrl: b.eventType.bookingUrl as string }));
    const { page, errors } = await guestPage();
    await page.goto(bookingUrl);
    // Where it meets, before a time is chosen: the pool by name.
    await expect(page.locator('.facts').textContent()).resolves.toContain('In a meeting room: Harbour room');
    await page.locator('#times button.time').first().click();
    await page.locator('#guest-name').fill('Jordan Lee');
    await page.locator('#guest-email').fill('jordan@example.com');
    await page.locator('#confirm').click();
    await page.locator('#done').waitFor();
    await expect(page.locator('#done-body').textContent()).resolves.toContain('Room: Harbour room.');
    await expectAccessible(page, 'room booking: confirmation');

    const [booking] = await bookings(ws.apiKey);
    await page.goto(booking!.manageUrl);
    await expect(page.locator('.facts').textContent()).resolves.toContain('Room: Harbour room');
    await expectAccessible(page, 'room booking: manage page');
    expect(errors).toEqual([]);
  });
});

describe('manage page', () => {
  it('reschedules to another offered time (same Teams link), then cancels with a reason', async () => {
    const { ws, eventTypeId } = await setup();
    const from = new Date(Date.now() + 2 * 86_400_000);
    from.setUTCHours(0, 0, 0, 0);
    const slots = await t
      .http()
      .get(`/v1/public/booking-pages/${eventTypeId}/slots`)
      .query({ start: from.toISOString(), end: new Date(from.getTime() + 86_400_000).toISOString() });
    const made = await t
      .http()
      .post(`/v1/public/booking-pages/${eventTypeId}/bookings`)
      .send({
        start: slots.body.slots[0].start,
        guest: { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' },
      });
    expect(made.status).toBe(201);
    const { page, errors } = await guestPage();
    await page.goto(made.body.manageUrl);
    await expect(page.locator('#state').textContent()).resolves.toBe('Your booking is confirmed.');
    await expect(page.locator('#when').textContent()).resolves.toContain(parisTime(made.body.start));
    await expectAccessible(page, 'manage: booking');
    await screenshots(page, 'manage-1-booking');

    await page.locator('#start-reschedule').click();
    await page.locator('#times button.time').first().waitFor();
    const target = page
      .locator(`#times button.time:not([data-start="${slots.body.slots[0].start}"])`)
      .first();
    const newStart = (await target.getAttribute('data-start'))!;
    await expectAccessible(page, 'manage: choosing a new time');
    await screenshots(page, 'manage-2-reschedule');
    await target.click();
    await page.locator('#confirm-move').waitFor();
    await expectAccessible(page, 'manage: confirm move');
    await page.locator('#move-confirm').click();
    await page.waitForFunction(() => /moved/.test(document.querySelector('#notice')!.textContent!));
    await expectAccessible(page, 'manage: moved');
    await screenshots(page, 'manage-3-moved');
    let [booking] = await bookings(ws.apiKey);
    expect(Date.parse(booking!.start)).toBe(Date.parse(newStart));
    expect(booking!.location.joinUrl).toBe(made.body.location.joinUrl);

    await page.locator('#start-cancel').click();
    await page.locator('#cancel-reason').fill('Something came up');
    await expectAccessible(page, 'manage: cancel form');
    await screenshots(page, 'manage-4-cancel');
    await page.locator('#cancel-confirm').click();
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('#state')!.textContent!));
    await expectAccessible(page, 'manage: cancelled');
    await screenshots(page, 'manage-5-cancelled');
    [booking] = await bookings(ws.apiKey);
    expect(booking).toMatchObject({ status: 'cancelled', cancelledBy: 'guest' });
    expect(errors).toEqual([]);
  });

  it('a changed character in the link is a plain "not found" page', async () => {
    const { page, errors } = await guestPage();
    const res = await page.goto(`${publicUrl}/manage/${'A'.repeat(43)}`);
    expect(res!.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Booking not found');
    await expectAccessible(page, 'manage: not found');
    await screenshots(page, 'manage-6-not-found');
    const missing = await page.goto(`${publicUrl}/book/${crypto.randomUUID()}`);
    expect(missing!.status()).toBe(404);
    await expectAccessible(page, 'booking: not found');
    await screenshots(page, 'book-7-not-found');
    expect(errors).toEqual([]);
  });
});

describe('embed', () => {
  let site: Server;
  afterEach(() => new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve())));

  it('shows the booking page inline on another origin, grows with it, and relays kailenty:booking.created', async () => {
    const { ws, bookingUrl } = await setup();
    const port = await freePort();
    const siteOrigin = `http://localhost:${port}`;
    site = createServer((_, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><head><title>Partner site</title></head><body>
<h1>Book a call with Contoso</h1>
<script>
  window.__messages = [];
  window.addEventListener('message', (e) => window.__messages.push({ origin: e.origin, data: e.data }));
  document.addEventListener('kailenty:booking.created', (e) => window.__messages.push({ dom: true, detail: e.detail }));
</script>
<div data-kailenty-booking="${bookingUrl}"></div>
<script src="${publicUrl}/embed.js" async></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(port, '127.0.0.1', resolve));

    const { page, errors } = await guestPage();
    await page.goto(siteOrigin);
    const frame = page.frameLocator('iframe');
    await frame.locator('#times button.time').first().waitFor();
    await page.waitForFunction(() => document.querySelector('iframe')!.style.height !== '640px');
    await screenshots(page, 'embed-1-times');
    await frame.locator('#times button.time').first().click();
    await frame.locator('#guest-name').fill('Erin Embed');
    await frame.locator('#guest-email').fill('erin@example.com');
    await frame.locator('#confirm').click();
    await frame.locator('#done').waitFor();
    await page.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length >= 2);
    const messages = (await page.evaluate(
      () => (window as unknown as { __messages: unknown[] }).__messages,
    )) as {
      origin?: string;
      data?: { type: string; booking: { id: string; start: string; end: string; manageUrl: string } };
      dom?: boolean;
      detail?: unknown;
    }[];
    const [booking] = await bookings(ws.apiKey);
    const relayed = messages.filter((m) => m.data?.type === 'kailenty:booking.created');
    expect(relayed).toEqual([
      {
        origin: siteOrigin,
        data: {
          type: 'kailenty:booking.created',
          booking: {
            id: booking!.id,
            start: expect.any(String),
            end: expect.any(String),
            manageUrl: booking!.manageUrl,
          },
        },
      },
    ]);
    expect(Date.parse(relayed[0]!.data!.booking.start)).toBe(Date.parse(booking!.start));
    expect(messages.find((m) => m.dom)?.detail).toEqual(relayed[0]!.data!.booking);
    // Messages from the frame are the embed's own business: the host page sees only the relayed one.
    expect(messages.filter((m) => m.origin === new URL(publicUrl).origin)).toEqual(
      expect.not.arrayContaining([
        expect.objectContaining({ data: expect.objectContaining({ type: 'kailenty:booking.created' }) }),
      ]),
    );
    await screenshots(page, 'embed-2-confirmation');
    expect(errors).toEqual([]);
  });
});
