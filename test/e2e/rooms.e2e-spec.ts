// Rooms through HTTP, against the Microsoft 365 emulator over HTTPS: an event type's room pool set, shown and
// refused (naming the field) when it is not 1 to 20 distinct room addresses; /slots of a required pool
// offering only starts with a free room (rooms read with getSchedule through the host's token).
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { connectedMember, createEventType } from '../support/bookable.js';

const TIMEOUT_MS = 60_000;
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

/** A night three days ahead, UTC, at hh:mm, written as the API writes times. */
function night(hh: number, mm = 0): string {
  const d = new Date(Date.now() + 3 * 86_400_000);
  d.setUTCHours(hh, mm, 0, 0);
  return d.toISOString().replace('.000Z', 'Z');
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
});
