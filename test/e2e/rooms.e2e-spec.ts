// Rooms through HTTP, against the Microsoft 365 emulator over HTTPS: an event type's room pool set, shown and
// refused (naming the field) when it is not 1 to 20 distinct room addresses.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { connectedMember, createEventType } from '../support/bookable.js';

const TIMEOUT_MS = 60_000;
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

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
});
