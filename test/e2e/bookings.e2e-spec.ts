// Bookings over HTTP with the real Graph adapter against the Microsoft 365 emulator: write-back to the
// host's Outlook calendar with a Teams link, reschedule and cancel on the same event, no double booking,
// and faults (429/503, a write whose answer is lost, a worker that dies mid-write) that never lose or
// duplicate a booking.
import type { Emulator } from '../../emulator/emulator.js';
import { Clock } from '@application/ports/clock.js';
import { CalendarSyncQueue } from '@application/ports/calendar-sync.queue.js';
import { CalendarWriter } from '@application/ports/calendar-writer.js';
import { BookingJobs } from '@adapters/jobs/booking-jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator, nightsOnlyPolicy } from '../support/microsoft.js';
import { connectedMember, createEventType } from '../support/bookable.js';

let emu: Emulator;
let t: TestApp;
const shift = { ms: 0 };

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp(
    { ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' },
    undefined,
    {
      beforeInit: (app) => {
        // The app's clock follows real time plus a shift the tests control (backoff, leases, reminders).
        app.get(Clock).now = () => new Date(Date.now() + shift.ms);
      },
    },
  );
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});
afterEach(() => emu.control.clearFaults());

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

/** Nights only (UTC 00:00–06:00), where the emulator's demo calendars are empty. */
async function nightsOnly(apiKey: string, memberId: string, bufferAfterMinutes = 0) {
  await t
    .http()
    .put(`/v1/members/${memberId}/availability`)
    .set(auth(apiKey))
    .send(nightsOnlyPolicy({ bufferAfterMinutes }))
    .expect(200);
}

/** A workspace with connected hosts, an always-open availability (no Outlook noise), and an event type. */
async function setup(options: {
  hosts: (keyof typeof DEMO.users)[];
  location?: { kind: 'teams' | 'in_person' | 'phone'; value?: string };
  assignment?: 'single' | 'round_robin';
}) {
  const ws = await t.workspace();
  const hostIds: string[] = [];
  for (const key of options.hosts) {
    hostIds.push(await connectedMember(t, emu, ws.apiKey, { mail: DEMO.users[key].mail }));
  }
  const eventType = await createEventType(t, ws.apiKey, hostIds, {
    location: options.location ?? { kind: 'teams' },
    assignment: options.assignment ?? (hostIds.length > 1 ? 'round_robin' : 'single'),
  });
  return { ws, hostIds, eventTypeId: eventType.id };
}

/** The n-th offered start, a few days ahead (inside the emulator's seeded week). */
async function slot(apiKey: string, eventTypeId: string, n = 0, hosts = 1): Promise<string> {
  const from = new Date(Date.now() + 2 * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 4 * 86_400_000);
  const res = await t
    .http()
    .get(`/v1/event-types/${eventTypeId}/slots?start=${from.toISOString()}&end=${to.toISOString()}`)
    .set(auth(apiKey));
  expect(res.status).toBe(200);
  const offered = res.body.slots.filter((s: { hostIds: string[] }) => s.hostIds.length >= hosts);
  expect(offered.length).toBeGreaterThan(n);
  return offered[n].start;
}

const reschedule = (apiKey: string, id: string, start: string) =>
  t.http().post(`/v1/bookings/${id}/reschedule`).set(auth(apiKey)).send({ start });

const book = (apiKey: string, body: Record<string, unknown>, key?: string) => {
  const req = t.http().post('/v1/bookings').set(auth(apiKey));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
};

const eventsOf = (user: keyof typeof DEMO.users, subject = 'Intro call') =>
  emu.control.events(DEMO.users[user].id).filter((e) => (e.subject as string).startsWith(subject));

/**
 * Every live event in the host's mailbox that is this booking's: its subject at its start, whatever its
 * id or transactionId, so that a duplicate written by a retry is counted too.
 */
const eventsForBooking = (user: keyof typeof DEMO.users, booking: { start: string }) =>
  eventsOf(user, `Intro call: ${guest.name}`).filter(
    (e) =>
      !e.isCancelled &&
      Date.parse(`${(e.start as { dateTime: string }).dateTime}Z`) === Date.parse(booking.start),
  );

describe('booking a Teams slot', () => {
  it('writes the event to the host’s calendar with the guest and a Teams link, and answers with the link', async () => {
    const { ws, hostIds, eventTypeId } = await setup({ hosts: ['adele'] });
    const start = await slot(ws.apiKey, eventTypeId);
    const res = await book(ws.apiKey, { eventTypeId, start, guest, note: 'About the <b>pilot</b>' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      eventTypeId,
      hostId: hostIds[0],
      start,
      guest,
      location: { kind: 'teams', joinUrl: expect.stringMatching(/^https:\/\//) },
      warnings: [],
      calendar: { syncStatus: 'synced', eventId: expect.any(String) },
    });
    const [event] = eventsOf('adele').filter((e) => e.id === res.body.calendar.eventId);
    expect(event).toMatchObject({
      isOnlineMeeting: true,
      onlineMeeting: { joinUrl: res.body.location.joinUrl },
      attendees: [
        expect.objectContaining({
          emailAddress: expect.objectContaining({ address: guest.email }),
          type: 'required',
        }),
      ],
    });
    expect(event!.transactionId).toEqual(expect.any(String));
    expect((event!.body as { content: string }).content).toContain('&lt;b&gt;pilot&lt;/b&gt;');
    const [created] = await sql<{ data: { location: { joinUrl: string } } }>(
      `select data from domain_events where workspace_id = ? and type = 'booking.created'`,
      [ws.id],
    );
    expect(created!.data.location.joinUrl).toBe(res.body.location.joinUrl);
    expect((await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey))).body).toEqual(res.body);
  });

  it('refuses the same slot again, and a slot that just became busy in Outlook (fresh read)', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['megan'] });
    const first = await slot(ws.apiKey, eventTypeId, 0);
    const second = await slot(ws.apiKey, eventTypeId, 1);
    expect((await book(ws.apiKey, { eventTypeId, start: first, guest })).status).toBe(201);
    const again = await book(ws.apiKey, { eventTypeId, start: first, guest });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SLOT_UNAVAILABLE');
    // Busy in Outlook behind kailenty's back, without a notification: the booking re-reads Microsoft 365.
    await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      subject: 'Dentist',
      start: second,
      end: new Date(new Date(second).getTime() + 30 * 60_000).toISOString(),
      showAs: 'busy',
      notify: false,
    });
    expect((await book(ws.apiKey, { eventTypeId, start: second, guest })).body.code).toBe('SLOT_UNAVAILABLE');
  });

  it('replays an Idempotency-Key: one booking, one event', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['adele'] });
    const start = await slot(ws.apiKey, eventTypeId, 2);
    const body = { eventTypeId, start, guest };
    const first = await book(ws.apiKey, body, 'book-1');
    const replay = await book(ws.apiKey, body, 'book-1');
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect((await book(ws.apiKey, { ...body, note: 'other' }, 'book-1')).body.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(eventsForBooking('adele', first.body)).toEqual([
      expect.objectContaining({ id: first.body.calendar.eventId }),
    ]);
  });

  it('replays a 409 SLOT_UNAVAILABLE for its Idempotency-Key, even once the slot is free again', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['adele'] });
    const start = await slot(ws.apiKey, eventTypeId, 3);
    const body = { eventTypeId, start, guest };
    const taken = await book(ws.apiKey, body);
    expect(taken.status).toBe(201);
    const refused = await book(ws.apiKey, body, 'late');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SLOT_UNAVAILABLE');
    const cancelled = await t
      .http()
      .post(`/v1/bookings/${taken.body.id}/cancel`)
      .set(auth(ws.apiKey))
      .send({});
    expect(cancelled.status).toBe(200);
    const replay = await book(ws.apiKey, body, 'late');
    expect(replay.status).toBe(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(replay.body).toEqual(refused.body);
    // The slot is free: without the key the same request is booked.
    expect((await book(ws.apiKey, body)).status).toBe(201);
  });

  it('confirms a host without a Teams licence with joinUrl null and TEAMS_LICENCE_MISSING — never silently', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['alex'] });
    const res = await book(ws.apiKey, { eventTypeId, start: await slot(ws.apiKey, eventTypeId), guest });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      location: { kind: 'teams', joinUrl: null },
      warnings: [{ code: 'TEAMS_LICENCE_MISSING' }],
      calendar: { syncStatus: 'synced' },
    });
  });

  it('writes in-person and phone bookings with their place and never a link', async () => {
    const { ws, eventTypeId } = await setup({
      hosts: ['megan'],
      location: { kind: 'in_person', value: 'Contoso HQ, Room 4' },
    });
    const res = await book(ws.apiKey, { eventTypeId, start: await slot(ws.apiKey, eventTypeId), guest });
    expect(res.body.location).toEqual({ kind: 'in_person', value: 'Contoso HQ, Room 4' });
    const event = emu.control.event(res.body.calendar.eventId)!;
    expect(event.isOnlineMeeting).toBe(false);
    expect((event.location as { displayName: string }).displayName).toBe('Contoso HQ, Room 4');
  });

  it('validates every field and writes nothing for bad input', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['adele'] });
    const start = await slot(ws.apiKey, eventTypeId);
    for (const [body, field] of [
      [{ start, guest }, 'eventTypeId'],
      [{ eventTypeId, guest }, 'start'],
      [{ eventTypeId, start: 'tomorrow', guest }, 'start'],
      [{ eventTypeId, start, guest: { name: 'X' } }, 'guest.email'],
      [{ eventTypeId, start, guest: { ...guest, email: 'nope' } }, 'guest.email'],
      [{ eventTypeId, start, guest, note: 'x'.repeat(5001) }, 'note'],
      [{ eventTypeId, start, guest, hostId: 'me' }, 'hostId'],
    ] as const) {
      const res = await book(ws.apiKey, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const other = await t.workspace();
    expect((await book(other.apiKey, { eventTypeId, start, guest })).status).toBe(404);
    expect(await sql('select 1 from bookings where workspace_id = ?', [ws.id])).toEqual([]);
    // A start that is not on the grid is not an offered slot.
    const off = new Date(new Date(start).getTime() + 7 * 60_000).toISOString();
    expect((await book(ws.apiKey, { eventTypeId, start: off, guest })).body.code).toBe('SLOT_UNAVAILABLE');
  });
});

describe('reschedule and cancel', () => {
  it('moves the same event with a times-only PATCH: same id, same Teams link', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['adele'] });
    const created = (
      await book(ws.apiKey, { eventTypeId, start: await slot(ws.apiKey, eventTypeId, 3), guest })
    ).body;
    const to = await slot(ws.apiKey, eventTypeId, 5);
    emu.control.clearRequests();
    const moved = await reschedule(ws.apiKey, created.id, to);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: created.id,
      start: to,
      location: { joinUrl: created.location.joinUrl },
      calendar: { eventId: created.calendar.eventId, syncStatus: 'synced' },
    });
    const event = emu.control.event(created.calendar.eventId)!;
    expect(Date.parse(`${(event.start as { dateTime: string }).dateTime}Z`)).toBe(Date.parse(to));
    expect((event.onlineMeeting as { joinUrl: string }).joinUrl).toBe(created.location.joinUrl);
    const patches = emu.control.requests({ method: 'PATCH' });
    expect(patches).toHaveLength(1);
    expect(JSON.stringify(patches[0]!.body ?? {})).not.toContain('"body"');
    // The old time is free again; the new one is taken.
    expect((await book(ws.apiKey, { eventTypeId, start: to, guest })).body.code).toBe('SLOT_UNAVAILABLE');
    expect((await book(ws.apiKey, { eventTypeId, start: created.start, guest })).status).toBe(201);
  });

  it('cancels with the event’s cancel action and the reason, freeing the time', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['megan'] });
    const start = await slot(ws.apiKey, eventTypeId, 4);
    const created = (await book(ws.apiKey, { eventTypeId, start, guest })).body;
    emu.control.clearRequests();
    const cancelled = await t
      .http()
      .post(`/v1/bookings/${created.id}/cancel`)
      .set(auth(ws.apiKey))
      .send({ reason: 'Guest is ill' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'guest',
      cancellationReason: 'Guest is ill',
    });
    const cancel = emu.control.requests({ method: 'POST' }).filter((r) => r.path.endsWith('/cancel'));
    expect(cancel).toHaveLength(1);
    expect(cancel[0]!.body).toMatchObject({ comment: 'Guest is ill' });
    expect(emu.control.event(created.calendar.eventId)?.isCancelled ?? true).toBe(true);
    expect(
      (await t.http().post(`/v1/bookings/${created.id}/cancel`).set(auth(ws.apiKey)).send({})).status,
    ).toBe(400);
    expect((await book(ws.apiKey, { eventTypeId, start, guest })).status).toBe(201);
    const list = await t.http().get(`/v1/bookings?status=cancelled`).set(auth(ws.apiKey));
    expect(list.body.data.map((b: { id: string }) => b.id)).toEqual([created.id]);
  });
});

describe('isolation and validation on every booking endpoint', () => {
  it("another workspace's booking is 404 everywhere, and bad bodies change nothing", async () => {
    const { ws, eventTypeId } = await setup({
      hosts: ['megan'],
      location: { kind: 'phone', value: '+1 555 0100' },
    });
    const created = (
      await book(ws.apiKey, { eventTypeId, start: await slot(ws.apiKey, eventTypeId, 20), guest })
    ).body;
    expect(created.location).toEqual({ kind: 'phone', value: '+1 555 0100' });
    const other = await t.workspace();
    expect((await t.http().get(`/v1/bookings/${created.id}`).set(auth(other.apiKey))).status).toBe(404);
    expect(
      (
        await t
          .http()
          .post(`/v1/bookings/${created.id}/reschedule`)
          .set(auth(other.apiKey))
          .send({ start: created.start })
      ).status,
    ).toBe(404);
    expect(
      (await t.http().post(`/v1/bookings/${created.id}/cancel`).set(auth(other.apiKey)).send({})).status,
    ).toBe(404);
    expect((await t.http().get('/v1/bookings').set(auth(other.apiKey))).body.data).toEqual([]);
    expect((await t.http().get('/v1/bookings/not-a-uuid').set(auth(ws.apiKey))).status).toBe(404);
    for (const body of [{}, { start: 'soon' }, { start: created.start, extra: 1 }]) {
      const res = await t
        .http()
        .post(`/v1/bookings/${created.id}/reschedule`)
        .set(auth(ws.apiKey))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect(
      (
        await t
          .http()
          .post(`/v1/bookings/${created.id}/cancel`)
          .set(auth(ws.apiKey))
          .send({ reason: 'x'.repeat(1001) })
      ).status,
    ).toBe(400);
    for (const q of ['status=maybe', 'hostId=nope', 'start=yesterday', 'limit=0']) {
      expect((await t.http().get(`/v1/bookings?${q}`).set(auth(ws.apiKey))).status).toBe(400);
    }
    expect((await t.http().get(`/v1/bookings/${created.id}`).set(auth(ws.apiKey))).body).toMatchObject({
      status: 'confirmed',
      start: created.start,
    });
  });
});

describe('faults never lose or duplicate a booking', () => {
  it('answers 503 MICROSOFT_UNAVAILABLE when the host’s calendar cannot be read for the re-check, and books nothing', async () => {
    const { ws, hostIds, eventTypeId } = await setup({ hosts: ['alex'] });
    const start = await slot(ws.apiKey, eventTypeId, 21);
    emu.control.injectFault({
      match: { pathPrefix: '/v1.0/me/calendar/getSchedule' },
      status: 500,
      times: 10,
    });
    const res = await book(ws.apiKey, { eventTypeId, start, guest });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('MICROSOFT_UNAVAILABLE');
    expect(await sql('select 1 from bookings where host_id = ?', [hostIds[0]])).toEqual([]);
  });

  it('a retried 429 still gives one event at once, even when the throttled POST had created it', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['adele'] });
    const fault = emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events' },
      status: 429,
      retryAfter: 1,
      afterHandler: true,
      times: 1,
    });
    const res = await book(ws.apiKey, { eventTypeId, start: await slot(ws.apiKey, eventTypeId, 6), guest });
    expect(emu.control.faults().find((f) => f.id === fault.id)?.hits).toBe(1);
    expect(res.body.calendar.syncStatus).toBe('synced');
    expect(eventsForBooking('adele', res.body)).toEqual([
      expect.objectContaining({ id: res.body.calendar.eventId }),
    ]);
  });

  it('Microsoft failing: the booking is confirmed and pending, then completes later with booking.updated', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['megan'] });
    const start = await slot(ws.apiKey, eventTypeId, 7);
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events' },
      status: 503,
      retryAfter: 1,
      times: 100,
    });
    const res = await book(ws.apiKey, { eventTypeId, start, guest });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      calendar: { syncStatus: 'pending', eventId: null },
      location: { joinUrl: null },
    });
    expect(res.body.calendar.lastError).toMatch(/503/);
    emu.control.clearFaults();
    shift.ms += 60_000;
    await t.app.get(BookingJobs).syncOnce();
    const after = (await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey))).body;
    expect(after).toMatchObject({
      calendar: { syncStatus: 'synced' },
      location: { joinUrl: expect.any(String) },
    });
    const types = (
      await sql<{ type: string }>(
        `select type from domain_events where workspace_id = ? order by occurred_at`,
        [ws.id],
      )
    ).map((r: { type: string }) => r.type);
    expect(types).toEqual(['booking.created', 'booking.updated']);
    expect(eventsForBooking('megan', after)).toEqual([
      expect.objectContaining({ id: after.calendar.eventId }),
    ]);
  });

  it('a write that happened although its answer was lost is not duplicated on retry (transactionId)', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['adele'] });
    const start = await slot(ws.apiKey, eventTypeId, 8);
    const before = eventsOf('adele').length;
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events' },
      status: 503,
      retryAfter: 1,
      afterHandler: true,
      times: 4,
    });
    const res = await book(ws.apiKey, { eventTypeId, start, guest });
    expect(res.body.calendar.syncStatus).toBe('pending');
    shift.ms += 60_000;
    await t.app.get(BookingJobs).syncOnce();
    expect(eventsOf('adele').length).toBe(before + 1);
    expect(
      (await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey))).body.calendar.syncStatus,
    ).toBe('synced');
  });

  it('a worker killed mid-write (after the POST, before recording it) finishes after its lease, exactly once', async () => {
    const { ws, hostIds, eventTypeId } = await setup({ hosts: ['megan'] });
    const start = await slot(ws.apiKey, eventTypeId, 9);
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events' },
      status: 503,
      retryAfter: 1,
      times: 4,
    });
    const res = await book(ws.apiKey, { eventTypeId, start, guest });
    emu.control.clearFaults();
    // A worker claims it, writes the event, and dies.
    shift.ms += 60_000;
    const claim = await t.app.get(CalendarSyncQueue).claim(t.app.get(Clock).now(), 60_000, res.body.id);
    expect(claim).not.toBeNull();
    const [row] = await sql<{ calendar: { transactionId: string } }>(
      'select calendar from bookings where id = ?',
      [res.body.id],
    );
    await t.app.get(CalendarWriter).createEvent(ws.id, hostIds[0]!, {
      subject: 'Intro call: Jordan Lee',
      bodyHtml: '',
      start: new Date(start),
      end: new Date(new Date(start).getTime() + 30 * 60_000),
      attendee: guest,
      location: { kind: 'teams', value: null },
      transactionId: (typeof row!.calendar === 'string' ? JSON.parse(row!.calendar) : row!.calendar)
        .transactionId,
    });
    // Within the lease nobody else takes it; after it, another worker does.
    expect(await t.app.get(BookingJobs).syncOnce()).toBe(0);
    shift.ms += 61_000;
    expect(await t.app.get(BookingJobs).syncOnce()).toBe(1);
    const after = (await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey))).body;
    expect(after.calendar.syncStatus).toBe('synced');
    expect(eventsForBooking('megan', after)).toEqual([
      expect.objectContaining({ id: after.calendar.eventId }),
    ]);
  });
});

describe('round robin', () => {
  it('gives the start to the least recently booked host, then the next, then refuses', async () => {
    const { ws, hostIds, eventTypeId } = await setup({
      hosts: ['adele', 'megan'],
      assignment: 'round_robin',
    });
    const [a, b] = [await slot(ws.apiKey, eventTypeId, 10, 2), await slot(ws.apiKey, eventTypeId, 12, 2)];
    const first = (await book(ws.apiKey, { eventTypeId, start: a, guest })).body;
    const second = (await book(ws.apiKey, { eventTypeId, start: a, guest })).body;
    expect(new Set([first.hostId, second.hostId])).toEqual(new Set(hostIds));
    expect((await book(ws.apiKey, { eventTypeId, start: a, guest })).body.code).toBe('SLOT_UNAVAILABLE');
    // Both were booked once; the one booked longest ago goes first.
    expect((await book(ws.apiKey, { eventTypeId, start: b, guest })).body.hostId).toBe(first.hostId);
  });

  it('prefers a host who can give the Teams link', async () => {
    const { ws, hostIds, eventTypeId } = await setup({ hosts: ['alex', 'adele'], assignment: 'round_robin' });
    const res = await book(ws.apiKey, { eventTypeId, start: await slot(ws.apiKey, eventTypeId, 14), guest });
    expect(res.body.hostId).toBe(hostIds[1]);
    expect(res.body.warnings).toEqual([]);
  });

  it('a reschedule onto a time its host is busy moves to the other host: their event, link and buffers, sent', async () => {
    const { ws, hostIds, eventTypeId } = await setup({
      hosts: ['adele', 'megan'],
      assignment: 'round_robin',
    });
    const [from, to] = [await slot(ws.apiKey, eventTypeId, 16, 2), await slot(ws.apiKey, eventTypeId, 18, 2)];
    const created = (await book(ws.apiKey, { eventTypeId, start: from, guest })).body;
    const key = (id: string) => (id === hostIds[0] ? 'adele' : 'megan');
    const otherId = hostIds.find((id) => id !== created.hostId)!;
    await emu.control.addEvent({
      userId: DEMO.users[key(created.hostId)].id,
      subject: 'Dentist',
      start: to,
      end: new Date(new Date(to).getTime() + 30 * 60_000).toISOString(),
      showAs: 'busy',
      notify: false,
    });
    await nightsOnly(ws.apiKey, otherId, 15);

    const moved = await reschedule(ws.apiKey, created.id, to);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: created.id,
      hostId: otherId,
      start: to,
      location: { joinUrl: expect.stringMatching(/^https:\/\//) },
      calendar: { syncStatus: 'synced' },
    });
    expect(moved.body.location.joinUrl).not.toBe(created.location.joinUrl);
    expect(eventsForBooking(key(otherId), moved.body)).toEqual([
      expect.objectContaining({
        id: moved.body.calendar.eventId,
        onlineMeeting: expect.objectContaining({ joinUrl: moved.body.location.joinUrl }),
      }),
    ]);
    expect(eventsForBooking(key(created.hostId), created)).toEqual([]);
    const [row] = await sql<{ hi: Date | string }>('select upper(blocked) as hi from bookings where id = ?', [
      created.id,
    ]);
    expect(new Date(row!.hi).getTime()).toBe(new Date(to).getTime() + 45 * 60_000);
    const sent = await sql<{ type: string; data: { hostId: string; location: { joinUrl: string | null } } }>(
      `select type, data from domain_events where workspace_id = ? order by occurred_at, id`,
      [ws.id],
    );
    type Sent = { type: string; data: { hostId: string; location: { joinUrl: string | null } } };
    expect(sent.map((e: Sent) => [e.type, e.data.hostId, e.data.location.joinUrl])).toEqual([
      ['booking.created', created.hostId, created.location.joinUrl],
      ['booking.rescheduled', otherId, null],
      ['booking.updated', otherId, moved.body.location.joinUrl],
    ]);
  });
});

describe('reminders', () => {
  it('sends booking.reminder once, reminderMinutes before the start, with the current join link', async () => {
    const { ws, eventTypeId } = await setup({ hosts: ['adele'] });
    const start = await slot(ws.apiKey, eventTypeId, 16);
    const created = (await book(ws.apiKey, { eventTypeId, start, guest })).body;
    const jobs = t.app.get(BookingJobs);
    const reminders = () =>
      sql<{ data: { id: string; location: { joinUrl: string } } }>(
        `select data from domain_events where workspace_id = ? and type = 'booking.reminder'`,
        [ws.id],
      );
    await jobs.remindOnce();
    expect(await reminders()).toEqual([]);
    const saved = shift.ms;
    shift.ms = new Date(start).getTime() - 59 * 60_000 - Date.now();
    await Promise.all([jobs.remindOnce(), jobs.remindOnce()]);
    await jobs.remindOnce();
    const sent = await reminders();
    shift.ms = saved;
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ id: created.id, location: { joinUrl: created.location.joinUrl } });
  });
});
