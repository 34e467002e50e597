// The public side over HTTP against the Microsoft 365 emulator: booking pages switched on per event type,
// their public JSON (same slots and booking rules as /v1, no host e-mail), manage links bound to one
// booking, the .ics file, the pages' HTML and headers, the holds a page places for its session, and the
// per-address limit on the public JSON.
import type { Emulator } from '../../emulator/emulator.js';
import { Clock } from '@application/ports/clock.js';
import { WebAssets } from '@adapters/web/web-assets.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator, TEST_PUBLIC_URL } from '../support/microsoft.js';
import { bookableWorkspace } from '../support/bookable.js';

let emu: Emulator;
let t: TestApp;
const shift = { ms: 0 };

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp(
    { ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' },
    undefined,
    { beforeInit: (app) => void (app.get(Clock).now = () => new Date(Date.now() + shift.ms)) },
  );
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});
afterEach(() => {
  shift.ms = 0;
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const tokenOf = (manageUrl: string) => manageUrl.slice(`${TEST_PUBLIC_URL}/manage/`.length);

async function setup(options: {
  host?: keyof typeof DEMO.users;
  title?: string;
  location?: { kind: 'teams' | 'in_person' | 'phone'; value?: string };
  enabled?: boolean;
}) {
  return bookableWorkspace(t, emu, {
    mail: DEMO.users[options.host ?? 'adele'].mail,
    displayName: 'Adele Vance',
    eventType: {
      title: options.title ?? 'Intro call',
      location: options.location ?? { kind: 'teams' },
      ...(options.enabled === false ? {} : { bookingPage: { enabled: true } }),
    },
  });
}

function range(daysAhead = 2, days = 3) {
  const from = new Date(Date.now() + daysAhead * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  return { start: from.toISOString(), end: new Date(from.getTime() + days * 86_400_000).toISOString() };
}

async function publicSlots(eventTypeId: string, timeZone = 'UTC') {
  const { start, end } = range();
  const res = await t
    .http()
    .get(`/v1/public/booking-pages/${eventTypeId}/slots`)
    .query({ start, end, timeZone });
  expect(res.status).toBe(200);
  return res.body.slots as { start: string; end: string }[];
}

const bookPublic = (eventTypeId: string, body: Record<string, unknown>, key?: string) => {
  const req = t.http().post(`/v1/public/booking-pages/${eventTypeId}/bookings`);
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
};

describe('event types: the booking page switch', () => {
  it('is off by default; PATCH switches it on and bookingUrl appears, read-only', async () => {
    const { ws, eventTypeId, eventType } = await setup({ enabled: false });
    expect(eventType.bookingPage).toEqual({ enabled: false });
    expect(eventType.bookingUrl).toBeUndefined();
    await t.http().get(`/v1/public/booking-pages/${eventTypeId}`).expect(404);
    expect((await t.http().get(`/book/${eventTypeId}`)).status).toBe(404);

    const on = await t
      .http()
      .patch(`/v1/event-types/${eventTypeId}`)
      .set(auth(ws.apiKey))
      .send({ bookingPage: { enabled: true } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({
      bookingPage: { enabled: true },
      bookingUrl: `${TEST_PUBLIC_URL}/book/${eventTypeId}`,
    });
    const read = await t.http().get(`/v1/event-types/${eventTypeId}`).set(auth(ws.apiKey));
    expect(read.body.bookingUrl).toBe(on.body.bookingUrl);

    const refused = await t
      .http()
      .patch(`/v1/event-types/${eventTypeId}`)
      .set(auth(ws.apiKey))
      .send({ bookingUrl: 'https://elsewhere.example.com' });
    expect(refused.status).toBe(400);
    const invalid = await t
      .http()
      .patch(`/v1/event-types/${eventTypeId}`)
      .set(auth(ws.apiKey))
      .send({ bookingPage: { enabled: 'yes' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].field).toBe('bookingPage.enabled');

    await t
      .http()
      .patch(`/v1/event-types/${eventTypeId}`)
      .set(auth(ws.apiKey))
      .send({ bookingPage: { enabled: false } })
      .expect(200);
    await t.http().get(`/v1/public/booking-pages/${eventTypeId}`).expect(404);
  });
});

describe('public JSON of a booking page', () => {
  it('names the hosts by display name only, and offers exactly the slots of the API', async () => {
    const { ws, eventTypeId } = await setup({});
    const page = await t.http().get(`/v1/public/booking-pages/${eventTypeId}`);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      eventTypeId,
      title: 'Intro call',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostNames: ['Adele Vance'],
      workspaceName: expect.any(String),
      questions: [],
    });
    expect(JSON.stringify(page.body)).not.toMatch(/@/);

    const { start, end } = range();
    const api = await t
      .http()
      .get(`/v1/event-types/${eventTypeId}/slots`)
      .query({ start, end, timeZone: 'Europe/Paris' })
      .set(auth(ws.apiKey));
    const pub = await t
      .http()
      .get(`/v1/public/booking-pages/${eventTypeId}/slots`)
      .query({ start, end, timeZone: 'Europe/Paris' });
    expect(pub.status).toBe(200);
    expect(api.body.slots.length).toBeGreaterThan(0);
    expect(pub.body).toEqual({
      timeZone: 'Europe/Paris',
      // The page's slots rest on the read the API's just made (the cache's), so on the same time.
      asOf: api.body.asOf,
      slots: api.body.slots.map((s: { start: string; end: string }) => ({ start: s.start, end: s.end })),
    });
  });

  it('validates like the API: bad times, unknown zones, unknown fields, unknown ids', async () => {
    const { eventTypeId } = await setup({});
    const bad = await t
      .http()
      .get(`/v1/public/booking-pages/${eventTypeId}/slots`)
      .query({ start: 'tomorrow', end: '2026-12-10T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const slots = await publicSlots(eventTypeId);
    const zone = await bookPublic(eventTypeId, {
      start: slots[0]!.start,
      guest: { ...guest, timeZone: 'Mars/Olympus' },
    });
    expect(zone.status).toBe(400);
    expect(zone.body.errors).toEqual([{ field: 'guest.timeZone', message: expect.stringMatching(/IANA/) }]);
    const extra = await bookPublic(eventTypeId, { start: slots[0]!.start, guest, hostId: 'x' });
    expect(extra.status).toBe(400);
    await t.http().get('/v1/public/booking-pages/not-a-uuid').expect(404);
    await t.http().get(`/v1/public/booking-pages/${crypto.randomUUID()}`).expect(404);
  });
});

describe('booking through the public JSON', () => {
  it('books with the rules of the API: the Teams link, manageUrl and icsUrl, idempotent, no double booking', async () => {
    const { ws, eventTypeId, hostId } = await setup({});
    const [slot] = await publicSlots(eventTypeId);
    const key = crypto.randomUUID();
    const res = await bookPublic(eventTypeId, { start: slot!.start, guest, note: 'Hello' }, key);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      start: slot!.start,
      title: 'Intro call',
      location: { kind: 'teams', joinUrl: expect.stringMatching(/^https:\/\//) },
      hostNames: ['Adele Vance'],
      guest,
      warnings: [],
      manageUrl: expect.stringMatching(new RegExp(`^${TEST_PUBLIC_URL}/manage/[A-Za-z0-9_-]{43}$`)),
    });
    expect(res.body.icsUrl).toBe(
      `${TEST_PUBLIC_URL}/v1/public/manage/${tokenOf(res.body.manageUrl)}/booking.ics`,
    );
    expect(JSON.stringify(res.body)).not.toContain(DEMO.users.adele.mail);

    // The API sees the same booking, its link and its manage URL.
    const api = await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey));
    expect(api.body).toMatchObject({
      hostId,
      eventTypeId,
      location: { joinUrl: res.body.location.joinUrl },
      manageUrl: res.body.manageUrl,
    });

    // A double click (same key, same body) is the same booking.
    const replay = await bookPublic(eventTypeId, { start: slot!.start, guest, note: 'Hello' }, key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(res.body.id);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const taken = await bookPublic(eventTypeId, { start: slot!.start, guest: { ...guest, name: 'Sam' } });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SLOT_UNAVAILABLE');
    expect(taken.headers['content-type']).toMatch(/application\/problem\+json/);

    // The token is stored hashed and sealed, never in clear.
    const token = tokenOf(res.body.manageUrl);
    const [row] = await sql<{ manage_token_hash: string; manage_token_sealed: string }>(
      'select manage_token_hash, manage_token_sealed from bookings where id = ?',
      [res.body.id],
    );
    expect(row!.manage_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.manage_token_sealed).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);

    // booking.created carries manageUrl too (the webhook payload).
    const rows = await sql<{ data: unknown }>(
      "select data from domain_events where type = 'booking.created'",
    );
    const payloads = rows.map(
      (r: { data: unknown }) =>
        (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as { id: string; manageUrl: string },
    );
    const data = payloads.find((p: { id: string }) => p.id === res.body.id)!;
    expect(data.manageUrl).toBe(res.body.manageUrl);
  });

  it('holds a picked time for the page session: five minutes, out of everyone’s times, booked from the hold', async () => {
    const { ws, eventTypeId } = await setup({});
    const [slot, next] = await publicSlots(eventTypeId);
    const session = 'session-' + crypto.randomUUID();
    const before = Date.now();
    const held = await t
      .http()
      .post(`/v1/public/booking-pages/${eventTypeId}/holds`)
      .send({ start: slot!.start, session });
    const after = Date.now();
    expect(held.status).toBe(201);
    expect(Object.keys(held.body).sort()).toEqual(['end', 'expiresAt', 'id', 'start']);
    expect(held.body).toMatchObject({ start: slot!.start, end: slot!.end });
    // Five minutes from when the request was handled, somewhere between before and after: a request a
    // loaded machine makes slow moves the time, not the five minutes.
    expect(Date.parse(held.body.expiresAt) - before).toBeGreaterThanOrEqual(299_000);
    expect(Date.parse(held.body.expiresAt) - after).toBeLessThanOrEqual(301_000);
    expect((await publicSlots(eventTypeId)).map((s) => s.start)).not.toContain(slot!.start);
    // Another guest cannot book it meanwhile.
    const taken = await bookPublic(eventTypeId, { start: slot!.start, guest: { ...guest, name: 'Sam' } });
    expect(taken.body.code).toBe('SLOT_UNAVAILABLE');

    // The same session picking another time gives the first one back.
    const moved = await t
      .http()
      .post(`/v1/public/booking-pages/${eventTypeId}/holds`)
      .send({ start: next!.start, session })
      .expect(201);
    const offered = (await publicSlots(eventTypeId)).map((s) => s.start);
    expect(offered).toContain(slot!.start);
    expect(offered).not.toContain(next!.start);
    const [released] = await sql<{ state: string }>('select state from holds where id = ?', [held.body.id]);
    expect(released!.state).toBe('released');

    const booked = await bookPublic(eventTypeId, { holdId: moved.body.id, guest });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ start: next!.start, status: 'confirmed' });
    const api = await t.http().get(`/v1/holds/${moved.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(api.body).toMatchObject({ status: 'booked', bookingId: booked.body.id });
  });

  it('gives a session’s hold back on release; an expired one is 409 HOLD_EXPIRED; refuses bad input naming the field', async () => {
    const { eventTypeId } = await setup({});
    const other = await setup({ host: 'megan' });
    const [slot] = await publicSlots(eventTypeId);
    const session = 'session-' + crypto.randomUUID();
    const place = (body: Record<string, unknown>, id = eventTypeId) =>
      t.http().post(`/v1/public/booking-pages/${id}/holds`).send(body);
    const held = await place({ start: slot!.start, session });
    expect(held.status).toBe(201);
    await t
      .http()
      .post(`/v1/public/booking-pages/${eventTypeId}/holds/release`)
      .send({ session: 'another-session-0000' })
      .expect(204);
    expect((await publicSlots(eventTypeId)).map((s) => s.start)).not.toContain(slot!.start);
    await t
      .http()
      .post(`/v1/public/booking-pages/${eventTypeId}/holds/release`)
      .send({ session })
      .expect(204);
    expect((await publicSlots(eventTypeId)).map((s) => s.start)).toContain(slot!.start);
    const again = await bookPublic(eventTypeId, { holdId: held.body.id, guest });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('HOLD_EXPIRED');

    const expiring = await place({ start: slot!.start, session });
    expect(expiring.status).toBe(201);
    // A hold is booked only on its own page.
    expect((await bookPublic(other.eventTypeId, { holdId: expiring.body.id, guest })).status).toBe(404);
    shift.ms = 300_000;
    const late = await bookPublic(eventTypeId, { holdId: expiring.body.id, guest });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'HOLD_EXPIRED',
      detail: expect.stringMatching(/choose a slot again/),
    });

    for (const [body, field] of [
      [{ start: slot!.start }, 'session'],
      [{ start: slot!.start, session: 'short' }, 'session'],
      [{ start: slot!.start, session: 'has spaces in it, too many' }, 'session'],
      [{ start: 'tomorrow', session }, 'start'],
      [{ start: slot!.start, session, expiresInSeconds: 900 }, 'expiresInSeconds'],
    ] as const) {
      const refused = await place(body);
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const both = await bookPublic(eventTypeId, { holdId: expiring.body.id, start: slot!.start, guest });
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toContain('start');
    const neither = await bookPublic(eventTypeId, { guest });
    expect(neither.status).toBe(400);
    expect(neither.body.errors.map((e: { field: string }) => e.field)).toContain('start');
  });

  it('says TEAMS_LICENCE_MISSING as a sentence when the host cannot create Teams meetings', async () => {
    const { eventTypeId } = await setup({ host: 'alex' });
    const [slot] = await publicSlots(eventTypeId);
    const res = await bookPublic(eventTypeId, { start: slot!.start, guest });
    expect(res.status).toBe(201);
    expect(res.body.location).toEqual({ kind: 'teams', joinUrl: null });
    expect(res.body.warnings).toEqual([
      { code: 'TEAMS_LICENCE_MISSING', message: expect.stringMatching(/no Teams link/) },
    ]);
  });
});

describe('manage links', () => {
  it('lead to one booking: a changed character or a made-up token is not found', async () => {
    const { eventTypeId } = await setup({});
    const slots = await publicSlots(eventTypeId);
    const a = await bookPublic(eventTypeId, { start: slots[0]!.start, guest });
    const b = await bookPublic(eventTypeId, { start: slots[1]!.start, guest: { ...guest, name: 'Other' } });
    const token = tokenOf(a.body.manageUrl);
    const read = await t.http().get(`/v1/public/manage/${token}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(a.body.id);
    for (let i = 0; i < token.length; i += 7) {
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      const res = await t.http().get(`/v1/public/manage/${changed}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect((await t.http().get(`/manage/${changed}`)).status).toBe(404);
    }
    for (const made of [b.body.id, 'x', token + 'A', token.slice(1), '../bookings']) {
      expect((await t.http().get(`/v1/public/manage/${encodeURIComponent(made)}`)).status).toBe(404);
    }
  });

  it('reschedule and cancel go through the use cases (same Teams link, SEQUENCE up, cancelledBy guest), then the link dies once the booking is over', async () => {
    const { ws, eventTypeId } = await setup({});
    const slots = await publicSlots(eventTypeId);
    const booked = await bookPublic(eventTypeId, { start: slots[0]!.start, guest });
    const token = tokenOf(booked.body.manageUrl);
    const ics1 = await t.http().get(`/v1/public/manage/${token}/booking.ics`);
    expect(ics1.status).toBe(200);
    expect(ics1.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics1.text).toContain('SEQUENCE:0');

    const offered = await t
      .http()
      .get(`/v1/public/manage/${token}/slots`)
      .query({ ...range(), timeZone: 'UTC' });
    expect(offered.status).toBe(200);
    const target = offered.body.slots.find((s: { start: string }) => s.start !== slots[0]!.start);
    const moved = await t.http().post(`/v1/public/manage/${token}/reschedule`).send({ start: target.start });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: booked.body.id, start: target.start });
    expect(moved.body.location.joinUrl).toBe(booked.body.location.joinUrl);
    const ics2 = await t.http().get(`/v1/public/manage/${token}/booking.ics`);
    expect(ics2.text).toContain('SEQUENCE:1');

    const taken = await bookPublic(eventTypeId, { start: slots[2]!.start, guest: { ...guest, name: 'Sam' } });
    expect(taken.status).toBe(201);
    const clash = await t
      .http()
      .post(`/v1/public/manage/${token}/reschedule`)
      .send({ start: slots[2]!.start });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('SLOT_UNAVAILABLE');

    const cancelled = await t
      .http()
      .post(`/v1/public/manage/${token}/cancel`)
      .send({ reason: 'Plans changed' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const api = await t.http().get(`/v1/bookings/${booked.body.id}`).set(auth(ws.apiKey));
    expect(api.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'guest',
      cancellationReason: 'Plans changed',
    });
    expect((await t.http().get(`/v1/public/manage/${token}/booking.ics`)).text).toMatch(
      /SEQUENCE:2[\s\S]*STATUS:CANCELLED/,
    );

    // Cancelled but still ahead: the page still shows it. Cancelled and over: not found.
    expect((await t.http().get(`/manage/${token}`)).status).toBe(200);
    shift.ms = Date.parse(moved.body.end) - Date.now() + 60_000;
    expect((await t.http().get(`/v1/public/manage/${token}`)).status).toBe(404);
    expect((await t.http().get(`/manage/${token}`)).status).toBe(404);
    // A confirmed booking that is over still has its page (nothing cancelled it).
    const other = tokenOf(taken.body.manageUrl);
    expect((await t.http().get(`/v1/public/manage/${other}`)).status).toBe(200);
  });
});

describe('pages', () => {
  it('says where a room event type meets before a time is chosen: the pool by name (a room without one by its address), escaped', async () => {
    const { eventTypeId, ws } = await setup({});
    const page = async (rooms: unknown) => {
      await t
        .http()
        .patch(`/v1/event-types/${eventTypeId}`)
        .set('Authorization', `Bearer ${ws.apiKey}`)
        .send({ rooms })
        .expect(200);
      return (await t.http().get(`/book/${eventTypeId}`).expect(200)).text;
    };
    const named = (name: string) => ({ email: `${name.replace(/\W/g, '').toLowerCase()}@contoso.com`, name });
    expect(await page({ rooms: [named('Rainier'), named('Baker <b>')], required: true })).toContain(
      '<li>In a meeting room: Rainier or Baker &lt;b&gt;</li>',
    );
    expect(await page({ rooms: [named('Rainier')], required: false })).toContain(
      '<li>In a meeting room when one is free: Rainier</li>',
    );
    expect(
      await page({ rooms: [named('Rainier'), { email: 'olympic@contoso.com' }], required: true }),
    ).toContain('<li>In a meeting room: Rainier or olympic@contoso.com</li>');
    expect(await page(null)).not.toContain('meeting room');
  });

  it('the booking page: escaped server-side facts, CSP with self-only scripts and frame-ancestors *, assets cached by hash', async () => {
    const { eventTypeId } = await setup({ title: 'Intro <script>alert(1)</script> & "more"' });
    const res = await t.http().get(`/book/${eventTypeId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain('frame-ancestors *');
    expect(csp).not.toContain('unsafe-inline');
    expect(res.text).toContain('Intro &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;');
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain('Adele Vance');
    expect(res.text).not.toContain(DEMO.users.adele.mail);
    // No inline script: every <script> has a src under /assets/.
    for (const tag of res.text.match(/<script[^>]*>/g) ?? [])
      expect(tag).toMatch(/src="\/assets\/[\w-]+\.js\?v=/);

    const script = /src="(\/assets\/book\.js\?v=[\w-]+)"/.exec(res.text)![1]!;
    const asset = await t.http().get(script).set('Accept-Encoding', 'gzip');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await t.http().get(script).set('If-None-Match', asset.headers.etag!);
    expect(again.status).toBe(304);
    expect((await t.http().get('/assets/book.js')).headers['cache-control']).toBe('public, no-cache');
    expect((await t.http().get('/assets/nothing.js')).status).toBe(404);

    const embed = await t.http().get('/embed.js');
    expect(embed.status).toBe(200);
    expect(embed.headers['content-type']).toMatch(/^text\/javascript/);
    expect(embed.headers['cross-origin-resource-policy']).toBe('cross-origin');

    const unknown = await t.http().get(`/book/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('This booking page does not exist');
  });

  it('the manage page may not be framed and keeps its token out of referrers and caches', async () => {
    const { eventTypeId } = await setup({});
    const [slot] = await publicSlots(eventTypeId);
    const booked = await bookPublic(eventTypeId, { start: slot!.start, guest });
    const res = await t.http().get(`/manage/${tokenOf(booked.body.manageUrl)}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Intro call');
    expect(res.text).toContain(booked.body.location.joinUrl.replace(/&/g, '&amp;'));
  });

  it('the booking page weighs at most 60 KB of JavaScript and CSS, gzipped', () => {
    const weight = t.app.get(WebAssets).gzippedWeight(['site.css', 'book.js']);
    expect(weight).toBeGreaterThan(1000);
    expect(weight).toBeLessThanOrEqual(60 * 1024);
  });

  it('documents the public JSON in /docs-json under the public tag, with no credential (security: [])', async () => {
    const doc = (await t.http().get('/docs-json')).body;
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/v1/public/'));
    expect(paths.sort()).toEqual(
      [
        '/v1/public/booking-pages/{eventTypeId}',
        '/v1/public/booking-pages/{eventTypeId}/bookings',
        '/v1/public/booking-pages/{eventTypeId}/holds',
        '/v1/public/booking-pages/{eventTypeId}/holds/release',
        '/v1/public/booking-pages/{eventTypeId}/slots',
        '/v1/public/manage/{token}',
        '/v1/public/manage/{token}/booking.ics',
        '/v1/public/manage/{token}/cancel',
        '/v1/public/manage/{token}/reschedule',
        '/v1/public/manage/{token}/slots',
      ].sort(),
    );
    for (const path of paths) {
      for (const op of Object.values(doc.paths[path]) as { tags: string[]; security?: unknown }[]) {
        expect(op.tags).toEqual(['public']);
        expect(op.security).toEqual([]);
      }
    }
    expect(Object.keys(doc.paths)).not.toContain('/book/{eventTypeId}');
  });
});

describe('rate limits on the public JSON', () => {
  it('count per client address, whatever bearer token a request carries', async () => {
    const limited = await startTestApp({
      rateLimit: { enabled: true, apiPerMinute: 1000, publicPerMinute: 3 },
    });
    try {
      const id = crypto.randomUUID();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await limited
          .http()
          .get(`/v1/public/booking-pages/${id}`)
          .set('Authorization', `Bearer made-up-${i}`);
        statuses.push(res.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
