// A room that declines a booking's meeting, end to end against the Microsoft 365 emulator, which really calls
// the test server: the room's calendar processing answers the host's event, Graph notifies kailenty of that
// event's update, and the booking follows: the next free room is invited in its place (and accepts), or with
// none left the booking stays confirmed without a room, with ROOM_UNAVAILABLE and booking.updated.
import type { Emulator } from '../../emulator/emulator.js';
import { ChangeNotificationJobs } from '@adapters/jobs/change-notification-jobs.js';
import { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import type { TestApp } from '../support/test-app.js';
import { DEMO } from '../support/microsoft.js';
import { connectedMember, createEventType, night } from '../support/bookable.js';
import { startNotifiedApp } from '../support/notifications.js';

const TIMEOUT_MS = 60_000;
let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  ({ emu, t } = await startNotifiedApp());
}, TIMEOUT_MS);
afterAll(async () => {
  await t?.close();
});

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const sql = <T>(query: string, params: unknown[] = []) =>
  t.db.orm.em.getConnection().execute<T[]>(query, params);

function aRoom(roomPolicy: 'autoAccept' | 'declineAll', displayName: string) {
  const tag = Math.random().toString(36).slice(2, 8);
  return emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `room.${tag}@${DEMO.tenantDomain}`,
    displayName,
    kind: 'room',
    roomPolicy,
  });
}

/** A workspace, a connected host (subscribed to on connect) with an empty calendar, and a type with these rooms. */
async function bookable(rooms: { email: string; name: string }[]) {
  const ws = await t.workspace();
  const tag = Math.random().toString(36).slice(2, 8);
  const user = emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `declines.${tag}@${DEMO.tenantDomain}`,
    displayName: `Host ${tag}`,
    timeZone: 'UTC',
    teamsLicence: true,
  });
  const hostId = await connectedMember(t, emu, ws.apiKey, { mail: user.mail });
  const { id } = await createEventType(t, ws.apiKey, [hostId], { rooms: { rooms, required: true } });
  return { ws, eventTypeId: id };
}

/**
 * Lets the emulator's answers and notifications land, follows them, and runs the calendar sync, until
 * nothing is left to do.
 */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await emu.control.idle();
    await t.app.get(ChangeNotificationJobs).processOnce();
    while ((await t.app.get(SyncBookingCalendar).runOnce()) !== 'nothing');
  }
}

interface GraphAttendee {
  type: string;
  emailAddress: { address: string };
  status: { response: string };
}
const outlook = (eventId: string) =>
  emu.control.event(eventId) as unknown as { location: { displayName: string }; attendees: GraphAttendee[] };

const updates = async (bookingId: string) =>
  (
    await sql<{ type: string }>(
      `select type from domain_events where data->>'id' = ? order by occurred_at, id`,
      [bookingId],
    )
  ).map((e: { type: string }) => e.type);

describe('a room that declines a booking', () => {
  it('hands the meeting to the next free room, which the event then invites and which accepts', async () => {
    const strict = aRoom('declineAll', 'Boardroom');
    const open = aRoom('autoAccept', 'Harbour');
    const { ws, eventTypeId } = await bookable([
      { email: strict.mail, name: 'Boardroom' },
      { email: open.mail, name: 'Harbour' },
    ]);
    const created = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: night(1), guest })
      .expect(201);
    expect(created.body.room.name).toBe('Boardroom');
    await settle();

    const after = await t.http().get(`/v1/bookings/${created.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(after.body).toMatchObject({ status: 'confirmed', room: { name: 'Harbour' }, warnings: [] });
    const event = outlook(created.body.calendar.eventId);
    expect(event.location.displayName).toBe('Harbour');
    expect(event.attendees.map((a) => [a.type, a.emailAddress.address, a.status.response])).toEqual([
      ['required', guest.email, 'none'],
      ['resource', open.mail.toLowerCase(), 'accepted'],
    ]);
    expect(await updates(created.body.id)).toContain('booking.updated');
  });

  it('with no free room left keeps the booking, without a room, with ROOM_UNAVAILABLE and booking.updated', async () => {
    const first = aRoom('declineAll', 'Attic');
    const second = aRoom('declineAll', 'Cellar');
    const { ws, eventTypeId } = await bookable([
      { email: first.mail, name: 'Attic' },
      { email: second.mail, name: 'Cellar' },
    ]);
    const created = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: night(2), guest })
      .expect(201);
    await settle();

    const after = await t.http().get(`/v1/bookings/${created.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(after.body.status).toBe('confirmed');
    expect(after.body.room).toBeUndefined();
    expect(after.body.warnings).toEqual([{ code: 'ROOM_UNAVAILABLE' }]);
    expect(
      (await updates(created.body.id)).filter((type: string) => type === 'booking.updated').length,
    ).toBeGreaterThanOrEqual(2);
    const [last] = await sql<{ data: { warnings: { code: string }[] } }>(
      `select data from domain_events where data->>'id' = ? and type = 'booking.updated' order by occurred_at desc, id desc limit 1`,
      [created.body.id],
    );
    expect(last!.data.warnings).toEqual([{ code: 'ROOM_UNAVAILABLE' }]);
  });
});
