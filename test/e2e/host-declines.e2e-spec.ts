// A co-host who declines a collective booking's meeting in Outlook, end to end against the Microsoft 365
// emulator, which really calls the test server: the co-host answers the organiser's meeting as Graph's decline
// does, the organiser's event changes (the co-host's `status.response`), Graph notifies kailenty, and the booking
// says HOST_DECLINED naming the host, once, with one booking.updated; it stays confirmed and keeps blocking the
// host; the guest's manage page says it in a sentence that names the host.
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

/** A person of the demo tenant with an empty calendar, connected to the workspace (subscribed to on connect). */
async function person(apiKey: string, displayName: string) {
  const tag = Math.random().toString(36).slice(2, 8);
  const user = emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `team.${tag}@${DEMO.tenantDomain}`,
    displayName,
    timeZone: 'UTC',
    teamsLicence: true,
  });
  return { user, id: await connectedMember(t, emu, apiKey, { mail: user.mail, displayName }) };
}

/** Lets the emulator's notifications land, follows them, and runs the calendar sync, until nothing is left to do. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    await emu.control.idle();
    await t.app.get(ChangeNotificationJobs).processOnce();
    while ((await t.app.get(SyncBookingCalendar).runOnce()) !== 'nothing');
  }
}

const updates = async (bookingId: string) =>
  (
    await sql<{ type: string }>(
      `select type from domain_events where data->>'id' = ? and type = 'booking.updated' order by occurred_at, id`,
      [bookingId],
    )
  ).length;

describe('a co-host who declines a collective booking in Outlook', () => {
  it('warns HOST_DECLINED naming the host, with booking.updated once; the booking stays and keeps blocking', async () => {
    const ws = await t.workspace();
    const organiser = await person(ws.apiKey, 'Noor Haddad');
    const coHost = await person(ws.apiKey, 'Ravi Patel');
    const team = await createEventType(t, ws.apiKey, [organiser.id, coHost.id], { assignment: 'collective' });
    const created = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: team.id, start: night(1), guest })
      .expect(201);
    await settle();
    const eventId = created.body.calendar.eventId as string;
    const before = await updates(created.body.id);

    await emu.control.respondToEvent(eventId, coHost.user.mail, 'declined');
    await settle();

    const after = await t.http().get(`/v1/bookings/${created.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(after.body).toMatchObject({
      status: 'confirmed',
      hostIds: [organiser.id, coHost.id],
      warnings: [{ code: 'HOST_DECLINED', hostId: coHost.id }],
    });
    expect(await updates(created.body.id)).toBe(before + 1);
    const [last] = await sql<{ data: { warnings: unknown[] } }>(
      `select data from domain_events where data->>'id' = ? and type = 'booking.updated' order by occurred_at desc, id desc limit 1`,
      [created.body.id],
    );
    expect(last!.data.warnings).toEqual([{ code: 'HOST_DECLINED', hostId: coHost.id }]);

    // Later notifications of the same event (the organiser edits it in Outlook) say nothing new.
    await emu.control.updateEvent(eventId, { subject: 'Intro call (agenda attached)' });
    await settle();
    expect(await updates(created.body.id)).toBe(before + 1);

    // The guest's manage page says it, naming the host.
    const token = new URL(after.body.manageUrl).pathname.split('/').pop();
    const manage = await t.http().get(`/v1/public/manage/${token}`).expect(200);
    expect(manage.body.warnings).toEqual([
      { code: 'HOST_DECLINED', message: expect.stringMatching(/^Ravi Patel declined this meeting/) },
    ]);

    // The co-host is still booked at that time: a type of theirs alone does not offer it.
    const alone = await createEventType(t, ws.apiKey, [coHost.id]);
    const refused = await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: alone.id, start: night(1), guest })
      .expect(409);
    expect(refused.body.code).toBe('SLOT_UNAVAILABLE');
  });
});
