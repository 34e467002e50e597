// A newly connected member's default availability is their Outlook working hours (mailboxSettings:
// days, start, end, zone), read at sign-in through the real Graph adapter against the emulator, and
// followed by the slots; a stored policy wins, and a new sign-in brings Outlook's changes.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  activeMember,
  connectMember,
  DEMO,
  microsoftConfig,
  nightsOnlyPolicy,
  startTestEmulator,
} from '../support/microsoft.js';

let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp(microsoftConfig(emu));
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

const DAY = 86_400_000;
/** The first Tuesday at least three days ahead, as a Tokyo date (Tokyo has no daylight saving time). */
function nextTokyoTuesday(): string {
  for (let d = 3; ; d++) {
    const date = new Date(Date.now() + 9 * 3600_000 + d * DAY);
    if (date.getUTCDay() === 2) return date.toISOString().slice(0, 10);
  }
}

describe('the default availability of a member who just connected', () => {
  it("is their Outlook working hours in the hours' zone, and the slots follow them", async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'lena.fischer@contoso.com',
      displayName: 'Lena Fischer',
      timeZone: 'W. Europe Standard Time',
      workingHours: {
        daysOfWeek: ['tuesday', 'wednesday', 'thursday'],
        startTime: '07:00',
        endTime: '15:30',
        timeZone: 'Tokyo Standard Time',
      },
    });
    const ws = await t.workspace();
    const auth = { Authorization: `Bearer ${ws.apiKey}` };
    const id = await activeMember(t, ws.apiKey, user.mail);
    expect((await connectMember(t, emu, ws.apiKey, id)).location!.searchParams.get('result')).toBe(
      'connected',
    );

    const availability = await t.http().get(`/v1/members/${id}/availability`).set(auth);
    expect(availability.status).toBe(200);
    expect(availability.body).toMatchObject({
      isDefault: true,
      timeZone: 'Asia/Tokyo',
      weekly: ['tue', 'wed', 'thu'].map((day) => ({ day, intervals: [{ start: '07:00', end: '15:30' }] })),
    });

    const eventType = await t
      .http()
      .post('/v1/event-types')
      .set(auth)
      .send({
        slug: 'lena-call',
        title: 'Call with Lena',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [id],
        assignment: 'single',
      });
    expect(eventType.status).toBe(201);
    const tuesday = nextTokyoTuesday();
    const monday = new Date(Date.parse(`${tuesday}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    const slots = async (date: string) => {
      const res = await t
        .http()
        .get(`/v1/event-types/${eventType.body.id}/slots`)
        .query({ start: `${date}T00:00:00+09:00`, end: `${date}T23:59:00+09:00`, timeZone: 'Asia/Tokyo' })
        .set(auth);
      expect(res.status).toBe(200);
      return (res.body.slots as { start: string }[]).map((s) => s.start);
    };
    expect(await slots(monday)).toEqual([]);
    const offered = await slots(tuesday);
    expect(offered[0]).toBe(`${tuesday}T07:00:00+09:00`);
    expect(offered.at(-1)).toBe(`${tuesday}T15:00:00+09:00`);
    expect(offered).toHaveLength(17);

    // A stored policy wins over Outlook's hours.
    await t.http().put(`/v1/members/${id}/availability`).set(auth).send(nightsOnlyPolicy()).expect(200);
    expect((await t.http().get(`/v1/members/${id}/availability`).set(auth)).body).toMatchObject({
      isDefault: false,
      timeZone: 'UTC',
    });
  });

  it('follows Outlook when the hours change and the member signs in again', async () => {
    const user = emu.control.addUser({
      tenantId: DEMO.tenantId,
      mail: 'omar.haddad@contoso.com',
      displayName: 'Omar Haddad',
      timeZone: 'Eastern Standard Time',
    });
    const ws = await t.workspace();
    const auth = { Authorization: `Bearer ${ws.apiKey}` };
    const id = await activeMember(t, ws.apiKey, user.mail);
    await connectMember(t, emu, ws.apiKey, id);
    // The emulator's default: Monday to Friday 08:00–17:00 in the mailbox's zone.
    expect((await t.http().get(`/v1/members/${id}/availability`).set(auth)).body).toMatchObject({
      timeZone: 'America/New_York',
      weekly: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({
        day,
        intervals: [{ start: '08:00', end: '17:00' }],
      })),
    });

    emu.control.updateUser(user.id, {
      workingHours: { daysOfWeek: ['monday'], startTime: '12:00', endTime: '00:00' },
    });
    expect((await connectMember(t, emu, ws.apiKey, id)).location!.searchParams.get('result')).toBe(
      'connected',
    );
    expect((await t.http().get(`/v1/members/${id}/availability`).set(auth)).body).toMatchObject({
      isDefault: true,
      timeZone: 'America/New_York',
      weekly: [{ day: 'mon', intervals: [{ start: '12:00', end: '24:00' }] }],
    });
  });
});
