// Rooms answering meeting requests as Exchange's calendar processing does (AutomateProcessing AutoAccept,
// AllowConflicts off; or a policy that declines everything), seen through the real Graph client: Graph's
// answer to the POST shows the room as `none`; a moment later the organizer's event shows `accepted` or
// `declined` under a new change key, and only an accepted room keeps the meeting in its calendar.
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { connect, graphClient, msalFor, REDIRECT } from './helpers.js';

let emu: Emulator;
let megan: Client;

const at = (hhmm: string) => ({ dateTime: `2026-12-09T${hhmm}:00`, timeZone: 'UTC' });

beforeAll(async () => {
  emu = await startEmulator({
    demo: { redirectUris: [REDIRECT], from: new Date('2026-12-01T00:00:00Z'), weeks: 2 },
  });
  const cca = msalFor(emu, DEMO.clientId, DEMO.clientSecret);
  const token = (await connect(emu, cca, DEMO.users.megan.mail)).accessToken;
  megan = graphClient(emu, async () => token);
});
afterAll(() => emu.close());

let n = 0;
function room(policy?: 'autoAccept' | 'declineAll') {
  n += 1;
  return emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `room-${n}@contoso.com`,
    displayName: `Room ${n}`,
    kind: 'room',
    ...(policy && { roomPolicy: policy }),
  });
}

const meeting = (rooms: string[], start = '10:00', end = '10:30') => ({
  subject: 'Intro',
  start: at(start),
  end: at(end),
  attendees: rooms.map((address) => ({ emailAddress: { address }, type: 'resource' })),
  location: { displayName: 'somewhere' },
});

/** The organizer's event once every room has answered. */
async function answered(id: string) {
  for (let i = 0; i < 100; i++) {
    const event = await megan.api(`/me/events/${id}`).get();
    if (event.attendees.every((a: { status: { response: string } }) => a.status.response !== 'none'))
      return event;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the rooms never answered');
}

const busyView = async (address: string) =>
  (
    await megan.api('/me/calendar/getSchedule').post({
      schedules: [address],
      startTime: at('09:00'),
      endTime: at('12:00'),
      availabilityViewInterval: 30,
    })
  ).value[0].availabilityView as string;

describe('rooms and their calendar processing', () => {
  it('a free room accepts: the POST shows none, then the event shows accepted under a new change key', async () => {
    const r = room();
    const created = await megan.api('/me/events').post(meeting([r.mail]));
    expect(created.attendees[0].status.response).toBe('none');
    const event = await answered(created.id);
    expect(event.attendees[0]).toMatchObject({ type: 'resource', status: { response: 'accepted' } });
    expect(event['@odata.etag']).not.toBe(created['@odata.etag']);
    expect(await busyView(r.mail)).toBe('002000');
  });

  it('a room that is taken declines a conflicting request and keeps no copy of it', async () => {
    const r = room();
    await answered((await megan.api('/me/events').post(meeting([r.mail]))).id);
    const clash = await megan.api('/me/events').post(meeting([r.mail], '10:15', '11:00'));
    expect((await answered(clash.id)).attendees[0].status.response).toBe('declined');
    expect(await busyView(r.mail)).toBe('002000');
    // Touching the accepted meeting is no conflict.
    const next = await megan.api('/me/events').post(meeting([r.mail], '10:30', '11:00'));
    expect((await answered(next.id)).attendees[0].status.response).toBe('accepted');
  });

  it('a room whose policy declines everything declines; the next room of a PATCH accepts', async () => {
    const strict = room('declineAll');
    const open = room();
    const created = await megan.api('/me/events').post(meeting([strict.mail]));
    expect((await answered(created.id)).attendees[0].status.response).toBe('declined');
    expect(await busyView(strict.mail)).toBe('000000');

    await megan.api(`/me/events/${created.id}`).patch({
      attendees: meeting([open.mail]).attendees,
      location: { displayName: open.displayName },
    });
    const moved = await answered(created.id);
    expect(moved.attendees).toHaveLength(1);
    expect(moved.attendees[0]).toMatchObject({
      emailAddress: { address: open.mail },
      status: { response: 'accepted' },
    });
    expect(moved.location.displayName).toBe(open.displayName);
    expect(await busyView(open.mail)).toBe('002000');
  });
});
