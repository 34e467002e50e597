// Rooms through HTTP, against the Microsoft 365 emulator over HTTPS: an event type's room pool set, shown and
// refused (naming the field) when it is not 1 to 20 distinct room addresses; /slots of a required pool
// offering only starts with a free room (rooms read with getSchedule through the host's token); a booking
// that invites the first free room as a resource, named as the location, which the room accepts; explain
// saying which room is taken (and agreeing with /slots); /slots counting kailenty's own room bookings while
// the room read is still cached; a reschedule choosing its room again (the Outlook event follows); a hold
// keeping its room until booked, expired or released. On PostgreSQL, hosts on two instances race for the
// last free room with bookings and holds: one gets it.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { describeOnPostgres, type TestDatabase } from '../support/database.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { connectedMember, createEventType, night } from '../support/bookable.js';
import { eventually } from '../support/eventually.js';

const TIMEOUT_MS = 60_000;
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

interface GraphAttendee {
  type: string;
  emailAddress: { address: string };
  status: { response: string };
}

/** The host's Outlook event of a booking, as Graph shows it. */
function outlookEvent(emu: Emulator, eventId: string) {
  const event = emu.control.event(eventId);
  if (!event) throw new Error(`no event ${eventId}`);
  return event as unknown as { location: { displayName: string }; attendees: GraphAttendee[] };
}

/** A room mailbox of the emulator's Contoso tenant, busy at these [start, end) times. */
function aRoom(emu: Emulator, busy: [string, string][] = [], roomPolicy?: 'autoAccept' | 'declineAll') {
  const tag = Math.random().toString(36).slice(2, 8);
  const room = emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `room.${tag}@${DEMO.tenantDomain}`,
    displayName: `Room ${tag}`,
    kind: 'room',
    ...(roomPolicy && { roomPolicy }),
  });
  for (const [start, end] of busy)
    emu.control.addEvent({ userId: room.id, subject: 'Taken', start, end, showAs: 'busy', notify: false });
  return room;
}

/** A host in the emulator's Contoso tenant with an empty calendar in UTC. */
async function emptyHost(app: TestApp, emu: Emulator, apiKey: string): Promise<string> {
  const tag = Math.random().toString(36).slice(2, 8);
  const user = emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `rooms.${tag}@${DEMO.tenantDomain}`,
    displayName: `Rooms host ${tag}`,
    timeZone: 'UTC',
    teamsLicence: true,
  });
  return connectedMember(app, emu, apiKey, { mail: user.mail });
}

/** A workspace with one room and ten event types of ten hosts, each needing that room. */
async function tenTypesOfOneRoom(app: TestApp, emu: Emulator) {
  const ws = await app.workspace();
  const room = aRoom(emu);
  const types: string[] = [];
  for (let i = 0; i < 10; i++) {
    const hostId = await emptyHost(app, emu, ws.apiKey);
    const created = await createEventType(app, ws.apiKey, [hostId], {
      rooms: { rooms: [{ email: room.mail }], required: true },
    });
    types.push(created.id);
  }
  return { ws, room, types };
}

/** What holds the room in the database: confirmed bookings and held holds of it. */
async function roomClaims(db: TestDatabase, mail: string): Promise<unknown[]> {
  return (await db.orm.em.getConnection().execute(
    `select id from bookings where room_email = ? and status = 'confirmed'
     union all select id from holds where room_email = ? and state = 'held'`,
    [mail.toLowerCase(), mail.toLowerCase()],
  )) as unknown[];
}

describe('rooms through HTTP', () => {
  let emu: Emulator;
  let t: TestApp;

  beforeAll(async () => {
    emu = await startTestEmulator({ weeks: 1 });
    t = await startTestApp(microsoftConfig(emu));
  }, TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    await emu?.close();
  });

  it('sets a room pool on create and update, shows it, and refuses a bad one naming the field', async () => {
    const ws = await t.workspace();
    const hostId = await emptyHost(t, emu, ws.apiKey);
    const created = await createEventType(t, ws.apiKey, [hostId], {
      rooms: {
        rooms: [{ email: 'Harbour@contoso.com', name: 'Harbour' }, { email: 'attic@contoso.com' }],
        required: true,
      },
    });
    expect(created.rooms).toEqual({
      rooms: [
        { email: 'harbour@contoso.com', name: 'Harbour' },
        { email: 'attic@contoso.com', name: 'attic@contoso.com' },
      ],
      required: true,
    });
    expect((await createEventType(t, ws.apiKey, [hostId])).rooms).toBeNull();

    for (const [body, field] of [
      [{ rooms: { rooms: [], required: true } }, 'rooms.rooms'],
      [{ rooms: { rooms: [{ email: 'nope' }], required: true } }, 'rooms.rooms[0].email'],
      [
        { rooms: { rooms: [{ email: 'a@contoso.com' }, { email: 'A@contoso.com' }], required: false } },
        'rooms.rooms[1].email',
      ],
      [{ rooms: { rooms: [{ email: 'a@contoso.com' }] } }, 'rooms.required'],
    ] as const) {
      const refused = await t
        .http()
        .patch(`/v1/event-types/${created.id}`)
        .set(auth(ws.apiKey))
        .send(body)
        .expect(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const patched = await t
      .http()
      .patch(`/v1/event-types/${created.id}`)
      .set(auth(ws.apiKey))
      .send({ rooms: { rooms: [{ email: 'attic@contoso.com', name: 'Attic' }], required: false } })
      .expect(200);
    expect(patched.body.rooms).toEqual({
      rooms: [{ email: 'attic@contoso.com', name: 'Attic' }],
      required: false,
    });
    const cleared = await t
      .http()
      .patch(`/v1/event-types/${created.id}`)
      .set(auth(ws.apiKey))
      .send({ rooms: null })
      .expect(200);
    expect(cleared.body.rooms).toBeNull();
  });

  it('offers a start of a required pool only when one of its rooms is free, and every start of an optional one', async () => {
    const ws = await t.workspace();
    const hostId = await emptyHost(t, emu, ws.apiKey);
    const one = aRoom(emu, [[night(0), night(2)]]);
    const two = aRoom(emu, [[night(1), night(3)]]);
    const rooms = [{ email: one.mail }, { email: two.mail }];
    const required = await createEventType(t, ws.apiKey, [hostId], { rooms: { rooms, required: true } });
    const optional = await createEventType(t, ws.apiKey, [hostId], { rooms: { rooms, required: false } });
    const slots = async (id: string) => {
      const res = await t
        .http()
        .get(`/v1/event-types/${id}/slots?start=${night(0)}&end=${night(6)}`)
        .set(auth(ws.apiKey))
        .expect(200);
      return (res.body.slots as { start: string }[]).map((s) => s.start);
    };
    const all = await slots(optional.id);
    expect(all).toHaveLength(12);
    // 01:00–02:00 has neither room; from 02:00 room one is free again.
    expect(await slots(required.id)).toEqual(all.filter((s) => s < night(1) || s >= night(2)));
  });

  /** A required pool whose first room is taken 01:00–02:00 and whose second, "Harbour", is free. */
  async function takenThenFreeRoom() {
    const ws = await t.workspace();
    const hostId = await emptyHost(t, emu, ws.apiKey);
    const taken = aRoom(emu, [[night(1), night(2)]]);
    const free = aRoom(emu);
    const { id } = await createEventType(t, ws.apiKey, [hostId], {
      rooms: { rooms: [{ email: taken.mail }, { email: free.mail, name: 'Harbour' }], required: true },
    });
    return { ws, id, free };
  }

  it('books the first free room: a resource attendee of the Outlook event, its name the location; the room accepts', async () => {
    const { ws, id, free } = await takenThenFreeRoom();
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: id, start: night(1), guest })
      .expect(201);
    expect(res.body.room).toEqual({ email: free.mail.toLowerCase(), name: 'Harbour' });
    expect(res.body.calendar.syncStatus).toBe('synced');
    const resource = () =>
      outlookEvent(emu, res.body.calendar.eventId).attendees.find((a) => a.type === 'resource');
    expect(outlookEvent(emu, res.body.calendar.eventId).location.displayName).toBe('Harbour');
    expect(resource()?.emailAddress.address).toBe(free.mail.toLowerCase());
    await eventually(() => expect(resource()?.status.response).toBe('accepted'));
    const stored = await t.http().get(`/v1/bookings/${res.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(stored.body).toMatchObject({ room: { name: 'Harbour' }, warnings: [] });
  });

  it('a hold keeps the first free room, and the booking made from it (as the booking page does) takes it', async () => {
    const { ws, id, free } = await takenThenFreeRoom();
    const held = await t
      .http()
      .post('/v1/holds')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: id, start: night(1) })
      .expect(201);
    expect(held.body.room).toEqual({ email: free.mail.toLowerCase(), name: 'Harbour' });
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ holdId: held.body.id, guest })
      .expect(201);
    expect(res.body.room).toEqual({ email: free.mail.toLowerCase(), name: 'Harbour' });
    expect(outlookEvent(emu, res.body.calendar.eventId).location.displayName).toBe('Harbour');
  });

  /** Two hosts with an event type each on one pool (`rooms`, in order, required unless said). */
  async function twoTypesOnOnePool(rooms: { email: string; name?: string }[], required = true) {
    const ws = await t.workspace();
    const types: string[] = [];
    for (let i = 0; i < 2; i++) {
      const hostId = await emptyHost(t, emu, ws.apiKey);
      types.push((await createEventType(t, ws.apiKey, [hostId], { rooms: { rooms, required } })).id);
    }
    const slots = async (id: string) =>
      (
        (
          await t
            .http()
            .get(`/v1/event-types/${id}/slots?start=${night(0)}&end=${night(6)}`)
            .set(auth(ws.apiKey))
            .expect(200)
        ).body.slots as { start: string }[]
      ).map((s) => s.start);
    const book = (eventTypeId: string, start: string) =>
      t.http().post('/v1/bookings').set(auth(ws.apiKey)).send({ eventTypeId, start, guest });
    const explain = async (id: string, at: string) =>
      (await t.http().get(`/v1/event-types/${id}/slots/explain?at=${at}`).set(auth(ws.apiKey)).expect(200))
        .body;
    return { ws, a: types[0]!, b: types[1]!, slots, book, explain };
  }

  it('explains a start of a required pool with no free room (reason room, what takes each room), and agrees with /slots', async () => {
    const room = aRoom(emu, [[night(1), night(2)]]);
    const { a, b, slots, explain } = await twoTypesOnOnePool([{ email: room.mail, name: 'Attic' }]);
    const taken = await explain(a, night(1));
    expect(taken).toMatchObject({ offered: false, room: null });
    expect(taken.hosts[0].reasons).toEqual([
      {
        code: 'room',
        message: expect.stringContaining(room.mail.toLowerCase()),
        rooms: [
          {
            email: room.mail.toLowerCase(),
            unreadable: false,
            busy: [{ start: night(1), end: night(2), bookingId: null }],
          },
        ],
      },
    ]);
    expect(await explain(a, night(3))).toMatchObject({
      offered: true,
      room: { email: room.mail.toLowerCase(), name: 'Attic' },
      hosts: [{ offered: true, reasons: [] }],
    });
    // Every half hour of the night: explain offers exactly what /slots offers.
    const offered = await slots(b);
    for (let m = 0; m < 6 * 60; m += 30) {
      const at = night(Math.floor(m / 60), m % 60);
      expect({ at, offered: (await explain(b, at)).offered }).toEqual({ at, offered: offered.includes(at) });
    }
  });

  it('no longer offers a start whose only room kailenty just booked, while the room read is still cached', async () => {
    const room = aRoom(emu);
    const { a, b, slots, book, explain } = await twoTypesOnOnePool([{ email: room.mail }]);
    // B's slots read the room now: the read is kept for 30 s.
    expect(await slots(b)).toContain(night(2));
    const booked = await book(a, night(2)).expect(201);
    expect(await slots(b)).not.toContain(night(2));
    expect(await slots(b)).toContain(night(3));
    const reasons = (await explain(b, night(2))).hosts[0].reasons;
    expect(reasons).toEqual([
      expect.objectContaining({
        code: 'room',
        rooms: [
          expect.objectContaining({
            busy: [{ start: night(2), end: night(2, 30), bookingId: booked.body.id }],
          }),
        ],
      }),
    ]);
    await book(b, night(2)).expect(409);
  });

  it('a reschedule keeps its room where free, else takes the first free one: the Outlook event’s resource and location follow', async () => {
    const first = aRoom(emu, [[night(4), night(5)]]);
    const second = aRoom(emu);
    const { ws, a, b, book } = await twoTypesOnOnePool([
      { email: first.mail, name: 'First' },
      { email: second.mail, name: 'Second' },
    ]);
    const booked = await book(a, night(1)).expect(201);
    expect(booked.body.room.name).toBe('First');
    const reschedule = (start: string) =>
      t.http().post(`/v1/bookings/${booked.body.id}/reschedule`).set(auth(ws.apiKey)).send({ start });
    const resources = () =>
      outlookEvent(emu, booked.body.calendar.eventId)
        .attendees.filter((x) => x.type === 'resource')
        .map((x) => x.emailAddress.address.toLowerCase());
    // First is taken 04:00–05:00: Second takes its place, in the event too.
    const moved = await reschedule(night(4)).expect(200);
    expect(moved.body.room).toEqual({ email: second.mail.toLowerCase(), name: 'Second' });
    await eventually(async () => {
      const stored = await t.http().get(`/v1/bookings/${booked.body.id}`).set(auth(ws.apiKey)).expect(200);
      expect(stored.body.calendar.syncStatus).toBe('synced');
      expect(resources()).toEqual([second.mail.toLowerCase()]);
    });
    expect(outlookEvent(emu, booked.body.calendar.eventId).location.displayName).toBe('Second');
    const resource = () =>
      outlookEvent(emu, booked.body.calendar.eventId).attendees.find((x) => x.type === 'resource');
    await eventually(() => expect(resource()?.status.response).toBe('accepted'));
    // Both are free 02:00–03:00: the booking keeps Second.
    expect((await reschedule(night(2)).expect(200)).body.room.name).toBe('Second');
    // Another booking takes Second 04:00–05:00 (First is taken there in Outlook): a move there is refused.
    expect((await book(b, night(4)).expect(201)).body.room.name).toBe('Second');
    const refused = await reschedule(night(4)).expect(409);
    expect(refused.body.code).toBe('SLOT_UNAVAILABLE');
    const kept = await t.http().get(`/v1/bookings/${booked.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(kept.body).toMatchObject({ start: night(2), room: { name: 'Second' } });
  });

  it('a reschedule of an optional pool with no free room moves without one and takes the room off the Outlook event', async () => {
    const only = aRoom(emu, [[night(4), night(5)]]);
    const { ws, a, book } = await twoTypesOnOnePool([{ email: only.mail, name: 'Only' }], false);
    const booked = await book(a, night(1)).expect(201);
    expect(booked.body.room.name).toBe('Only');
    const moved = await t
      .http()
      .post(`/v1/bookings/${booked.body.id}/reschedule`)
      .set(auth(ws.apiKey))
      .send({ start: night(4) })
      .expect(200);
    expect(moved.body.room).toBeUndefined();
    await eventually(() => {
      const event = outlookEvent(emu, booked.body.calendar.eventId);
      expect(event.attendees.filter((x) => x.type === 'resource')).toEqual([]);
      expect(event.location.displayName).not.toBe('Only');
      expect(event.attendees.map((x) => x.emailAddress.address)).toContain(guest.email);
    });
  });

  it('a hold keeps its room from other bookings and holds until it is released', async () => {
    const room = aRoom(emu);
    const { ws, a, b, slots, book, explain } = await twoTypesOnOnePool([{ email: room.mail, name: 'Attic' }]);
    const held = await t
      .http()
      .post('/v1/holds')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: a, start: night(2) })
      .expect(201);
    expect(held.body.room).toEqual({ email: room.mail.toLowerCase(), name: 'Attic' });
    // Outlook knows nothing of the hold: only kailenty keeps the room.
    expect(await slots(b)).not.toContain(night(2));
    expect((await explain(b, night(2))).hosts[0].reasons[0].rooms[0].busy[0].bookingId).toBe(held.body.id);
    await book(b, night(2)).expect(409);
    await t
      .http()
      .post('/v1/holds')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: b, start: night(2) })
      .expect(409);
    await t.http().delete(`/v1/holds/${held.body.id}`).set(auth(ws.apiKey)).expect(204);
    expect(await slots(b)).toContain(night(2));
    expect((await book(b, night(2)).expect(201)).body.room.name).toBe('Attic');
  });
});

describeOnPostgres(
  'the last free room raced across two service instances (PostgreSQL)',
  'PGlite serves one connection in one process, so two service instances cannot share it',
  () => {
    let race: TwoInstances;
    beforeAll(async () => {
      race = await startTwoInstances();
    }, TIMEOUT_MS);
    afterAll(async () => race?.close());

    it(
      'hosts of ten event types want the one room at one time: one booking gets it, the others are refused',
      async () => {
        const { a, b, emu, db } = race;
        const { ws, room, types } = await tenTypesOfOneRoom(a, emu);
        const results = await Promise.all(
          types.map((eventTypeId, i) =>
            (i % 2 === 0 ? a : b)
              .http()
              .post('/v1/bookings')
              .set(auth(ws.apiKey))
              .send({ eventTypeId, start: night(2), guest }),
          ),
        );
        // The room's calendar may show the winner already: later requests are refused from the read, earlier
        // ones by the database. Either way one booking holds the room.
        expect(results.map((r) => r.status).sort()).toEqual([201, ...Array.from({ length: 9 }, () => 409)]);
        for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe('SLOT_UNAVAILABLE');
        expect(await roomClaims(db, room.mail)).toHaveLength(1);
      },
      TIMEOUT_MS,
    );

    it(
      'holds and bookings of ten hosts want the one room at one time: one gets it; once the hold goes, a booking does',
      async () => {
        const { a, b, emu, db } = race;
        const { ws, room, types } = await tenTypesOfOneRoom(a, emu);
        // Half hold, half book, across both instances: Outlook never shows a hold, so only the database decides.
        const results = await Promise.all(
          types.map((eventTypeId, i) =>
            (i % 2 === 0 ? a : b)
              .http()
              .post(i % 4 < 2 ? '/v1/holds' : '/v1/bookings')
              .set(auth(ws.apiKey))
              .send({ eventTypeId, start: night(4), ...(i % 4 < 2 ? {} : { guest }) }),
          ),
        );
        expect(results.map((r) => r.status).sort()).toEqual([201, ...Array.from({ length: 9 }, () => 409)]);
        for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe('SLOT_UNAVAILABLE');
        expect(await roomClaims(db, room.mail)).toHaveLength(1);
        const winner = results.find((r) => r.status === 201)!;
        if (winner.body.expiresAt) {
          // The hold: released on one instance, its room goes to a booking on the other.
          await a.http().delete(`/v1/holds/${winner.body.id}`).set(auth(ws.apiKey)).expect(204);
          const loser = types[results.indexOf(results.find((r) => r.status === 409)!)]!;
          const booked = await b
            .http()
            .post('/v1/bookings')
            .set(auth(ws.apiKey))
            .send({ eventTypeId: loser, start: night(4), guest })
            .expect(201);
          expect(booked.body.room.email).toBe(room.mail.toLowerCase());
          expect(await roomClaims(db, room.mail)).toHaveLength(1);
        }
      },
      TIMEOUT_MS,
    );
  },
);
