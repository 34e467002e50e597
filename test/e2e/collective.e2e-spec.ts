// Collective event types over HTTP with the real Graph adapter against the Microsoft 365 emulator: a start
// only when every host is free (each with their own buffers), one Outlook event organised by the first host
// with the co-hosts and the guest as attendees and one Teams link, reschedule and cancel of that one event
// (the co-host's copy follows, and never blocks its own booking's move), every host's time taken in the
// database, explain per host, webhooks that name every host, and holds refused.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator, nightsOnlyPolicy } from '../support/microsoft.js';
import { connectedMember, createEventType } from '../support/bookable.js';

let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp({ ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' });
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const HOUR = 3_600_000;

/** Adele organises, Megan co-hosts with 15 minutes after her meetings; both work nights (UTC 00:00–06:00). */
async function setup() {
  const ws = await t.workspace();
  const adele = await connectedMember(t, emu, ws.apiKey, { mail: DEMO.users.adele.mail });
  const megan = await connectedMember(t, emu, ws.apiKey, { mail: DEMO.users.megan.mail });
  for (const [id, after] of [
    [adele, 0],
    [megan, 15],
  ] as const) {
    await t
      .http()
      .put(`/v1/members/${id}/availability`)
      .set(auth(ws.apiKey))
      .send(nightsOnlyPolicy({ bufferAfterMinutes: after }))
      .expect(200);
  }
  const team = await createEventType(t, ws.apiKey, [adele, megan], { assignment: 'collective' });
  const meganAlone = await createEventType(t, ws.apiKey, [megan]);
  return { ws, adele, megan, eventTypeId: team.id, meganAlone: meganAlone.id };
}

/** A night a few days ahead, inside the emulator's seeded week: its 00:00Z. */
function night(days: number): number {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function slots(apiKey: string, eventTypeId: string, from: number) {
  const res = await t
    .http()
    .get(`/v1/event-types/${eventTypeId}/slots?start=${iso(from)}&end=${iso(from + 6 * HOUR)}`)
    .set(auth(apiKey));
  expect(res.status).toBe(200);
  return res.body.slots as { start: string; hostIds: string[] }[];
}

const book = (apiKey: string, body: Record<string, unknown>) =>
  t.http().post('/v1/bookings').set(auth(apiKey)).send(body);

/** The host's live events of our bookings on the night starting at `from` (each test books its own night). */
const liveEvents = (user: keyof typeof DEMO.users, from: number) =>
  emu.control.events(DEMO.users[user].id).filter((e) => {
    const start = Date.parse(`${(e.start as { dateTime: string }).dateTime}Z`);
    return (
      !e.isCancelled &&
      (e.subject as string).startsWith(`Intro call: ${guest.name}`) &&
      start >= from &&
      start < from + 24 * HOUR
    );
  });

describe('a collective event type', () => {
  it('refuses fewer than 2 or more than 20 hosts, naming hostIds', async () => {
    const ws = await t.workspace();
    const adele = await connectedMember(t, emu, ws.apiKey, { mail: DEMO.users.adele.mail });
    const res = await t
      .http()
      .post('/v1/event-types')
      .set(auth(ws.apiKey))
      .send({
        slug: 'team-of-one',
        title: 'Team',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [adele],
        assignment: 'collective',
      });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'hostIds', message: expect.stringContaining('2 to 20') }]);
  });

  it('offers a start only when every host is free, and explains per host who blocks it', async () => {
    const { ws, adele, megan, eventTypeId } = await setup();
    const from = night(2);
    await emu.control.addEvent({
      userId: DEMO.users.megan.id,
      subject: 'Dentist',
      start: iso(from + HOUR),
      end: iso(from + 1.5 * HOUR),
      showAs: 'busy',
      notify: false,
    });
    const offered = await slots(ws.apiKey, eventTypeId, from);
    const starts = offered.map((s) => s.start);
    // Megan is busy 01:00–01:30 and keeps 15 minutes after her meetings: 00:30 (ends 01:00 + 15) goes too;
    // 01:30 may start where her busy time ends.
    expect(starts).toEqual(
      ['00:00', '01:30', '02:00', '02:30', '03:00', '03:30', '04:00', '04:30', '05:00', '05:30'].map((hm) =>
        iso(from + (Number(hm.slice(0, 2)) + Number(hm.slice(3)) / 60) * HOUR),
      ),
    );
    expect(offered.every((s) => s.hostIds.join() === [adele, megan].join())).toBe(true);

    const explained = await t
      .http()
      .get(`/v1/event-types/${eventTypeId}/slots/explain?at=${iso(from + HOUR)}`)
      .set(auth(ws.apiKey));
    expect(explained.status).toBe(200);
    expect(explained.body.offered).toBe(false);
    expect(explained.body.hosts).toEqual([
      expect.objectContaining({ hostId: adele, offered: true, reasons: [] }),
      expect.objectContaining({
        hostId: megan,
        offered: false,
        reasons: [expect.objectContaining({ code: 'busy', status: 'busy' })],
      }),
    ]);
  });

  it('books one event organised by the first host, with the co-host and the guest invited, and takes both hosts’ time', async () => {
    const { ws, adele, megan, eventTypeId, meganAlone } = await setup();
    const start = iso(night(3) + HOUR);
    const res = await book(ws.apiKey, { eventTypeId, start, guest });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      hostId: adele,
      hostIds: [adele, megan],
      start,
      location: { kind: 'teams', joinUrl: expect.stringMatching(/^https:\/\//) },
      calendar: { syncStatus: 'synced', eventId: expect.any(String) },
    });
    const [event] = liveEvents('adele', night(3));
    expect(liveEvents('adele', night(3))).toHaveLength(1);
    expect(event).toMatchObject({
      id: res.body.calendar.eventId,
      onlineMeeting: { joinUrl: res.body.location.joinUrl },
    });
    const invited = (event!.attendees as { emailAddress: { address: string }; type: string }[]).map((a) => [
      a.emailAddress.address,
      a.type,
    ]);
    expect(invited).toEqual([
      [DEMO.users.megan.mail, 'required'],
      [guest.email, 'required'],
    ]);
    // Megan has the invitation (the emulator's attendee copy), with the same one Teams link.
    expect(liveEvents('megan', night(3))).toEqual([
      expect.objectContaining({ onlineMeeting: { joinUrl: res.body.location.joinUrl } }),
    ]);
    // Both hosts' time is taken in the database, Megan's with her own buffer.
    const rows = await sql<{ host_id: string; hi: Date | string }>(
      'select host_id, upper(blocked) as hi from booking_hosts where booking_id = ? order by organiser desc',
      [res.body.id],
    );
    expect(
      rows.map((r: { host_id: string; hi: Date | string }) => [r.host_id, new Date(r.hi).toISOString()]),
    ).toEqual([
      [adele, new Date(Date.parse(start) + 0.5 * HOUR).toISOString()],
      [megan, new Date(Date.parse(start) + 0.75 * HOUR).toISOString()],
    ]);
    // Megan alone cannot be booked over it (nor in her buffer); the team cannot twice.
    const refused = await book(ws.apiKey, {
      eventTypeId: meganAlone,
      start: iso(Date.parse(start) + 0.5 * HOUR),
      guest,
    });
    expect(refused.body.code).toBe('SLOT_UNAVAILABLE');
    expect((await book(ws.apiKey, { eventTypeId, start, guest })).body.code).toBe('SLOT_UNAVAILABLE');
    // Listing Megan's bookings finds it; booking.created names every host.
    const listed = await t.http().get(`/v1/bookings?hostId=${megan}`).set(auth(ws.apiKey));
    expect(listed.body.data.map((b: { id: string }) => b.id)).toContain(res.body.id);
    const [created] = await sql<{ data: { hostIds: string[] } | string }>(
      `select data from domain_events where workspace_id = ? and type = 'booking.created'`,
      [ws.id],
    );
    const data = typeof created!.data === 'string' ? JSON.parse(created!.data) : created!.data;
    expect(data.hostIds).toEqual([adele, megan]);
  });

  it('a reschedule moves the one event (the co-host’s copy follows); a cancel cancels it and frees both hosts', async () => {
    const { ws, eventTypeId, meganAlone } = await setup();
    const from = night(4);
    const created = (await book(ws.apiKey, { eventTypeId, start: iso(from + 2 * HOUR), guest })).body;
    // Half an hour earlier: Megan's 15 minutes after it reach the booking's own time, and her copy of its
    // invitation (tentative, which blocks under her policy): neither keeps the booking from moving.
    const moved = await t
      .http()
      .post(`/v1/bookings/${created.id}/reschedule`)
      .set(auth(ws.apiKey))
      .send({ start: iso(from + 1.5 * HOUR) });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      hostIds: created.hostIds,
      start: iso(from + 1.5 * HOUR),
      location: { joinUrl: created.location.joinUrl },
      calendar: { eventId: created.calendar.eventId, syncStatus: 'synced' },
    });
    expect(liveEvents('adele', from)).toEqual([
      expect.objectContaining({
        id: created.calendar.eventId,
        start: expect.objectContaining({
          dateTime: expect.stringContaining(iso(from + 1.5 * HOUR).slice(0, 16)),
        }),
      }),
    ]);
    expect(liveEvents('megan', from)).toEqual([
      expect.objectContaining({
        start: expect.objectContaining({
          dateTime: expect.stringContaining(iso(from + 1.5 * HOUR).slice(0, 16)),
        }),
      }),
    ]);
    // A move onto Megan's other booking is refused.
    await book(ws.apiKey, { eventTypeId: meganAlone, start: iso(from + 4 * HOUR), guest }).expect(201);
    const clash = await t
      .http()
      .post(`/v1/bookings/${created.id}/reschedule`)
      .set(auth(ws.apiKey))
      .send({ start: iso(from + 4 * HOUR) });
    expect(clash.body.code).toBe('SLOT_UNAVAILABLE');

    const cancelled = await t
      .http()
      .post(`/v1/bookings/${created.id}/cancel`)
      .set(auth(ws.apiKey))
      .send({ reason: 'Team away' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.calendar.syncStatus).toBe('synced');
    expect(liveEvents('adele', from)).toEqual([]);
    // Megan's copy went with it; her own booking at 04:00 stays.
    expect(
      liveEvents('megan', from).map((e) => (e.start as { dateTime: string }).dateTime.slice(11, 16)),
    ).toEqual(['04:00']);
    expect(await sql('select 1 from booking_hosts where booking_id = ?', [created.id])).toEqual([]);
    await book(ws.apiKey, { eventTypeId: meganAlone, start: iso(from + 1.5 * HOUR), guest }).expect(201);
  });

  it('cannot be held: 400 naming eventTypeId', async () => {
    const { ws, eventTypeId } = await setup();
    const res = await t
      .http()
      .post('/v1/holds')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: iso(night(5) + HOUR) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'eventTypeId', message: expect.stringContaining('collective') },
    ]);
  });
});
