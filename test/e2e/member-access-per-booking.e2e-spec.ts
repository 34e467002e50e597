// One booking request is one unit of work for its host's Microsoft access: the connection and consent are read
// once for the booking's fresh getSchedule and its first calendar write (a reschedule's too), by the booking's
// fresh slots read that brings them with the rest of its hosts' rows (no statement of their own), and read again
// by the next request, which is refused when the consent was revoked before it started.
import { jest } from '@jest/globals';
import type { Emulator } from '../../emulator/emulator.js';
import { TenantConsentRepository } from '@application/ports/tenant-consent.repository.js';
import { TenantConsent } from '@domain/consent/tenant-consent.js';
import { ServerStatements, type ServerStatement } from '@adapters/persistence/server-statements.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { bookableWorkspace, night } from '../support/bookable.js';

let emu: Emulator;
let t: TestApp;
const statements = jest.spyOn(ServerStatements.prototype, 'rows');

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  t = await startTestApp(microsoftConfig(emu));
});
afterAll(async () => {
  statements.mockRestore();
  await t?.close();
  await emu?.close();
});

const guest = { name: 'Jordan Lee', email: 'jordan@example.com' };

/**
 * The statements `work` sent that read this member's access (on the server or through the ORM alike), by name:
 * the member access statement, or a slots read that brings it (by event type, or by hosts).
 */
async function accessReads(memberId: string, work: () => Promise<void>): Promise<string[]> {
  statements.mockClear();
  await work();
  return statements.mock.calls
    .filter(([statement, params]) =>
      (statement as ServerStatement).name === 'kailenty_member_access'
        ? params[1] === memberId
        : (statement as ServerStatement).name.startsWith('kailenty_slots_'),
    )
    .map(([statement]) => (statement as ServerStatement).name);
}

/** What the request sent to Graph for the host, as `METHOD path`. */
const graphCalls = () =>
  emu.control
    .requests()
    .filter((r) => r.path.startsWith('/v1.0/'))
    .map((r) => `${r.method} ${r.path.replace(/\/events\/[^/]+$/, '/events/{id}')}`);

it('reads the host’s access once for a booking and once for a reschedule, each with its Graph read and write', async () => {
  const { ws, hostId, eventTypeId } = await bookableWorkspace(t, emu, { mail: DEMO.users.megan.mail });
  const bearer = { Authorization: `Bearer ${ws.apiKey}` };
  let id = '';
  emu.control.clearRequests();
  const booked = await accessReads(hostId, async () => {
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(bearer)
      .send({ eventTypeId, start: night(1), guest })
      .expect(201);
    expect(res.body.calendar.syncStatus).toBe('synced');
    id = res.body.id;
  });
  expect(graphCalls()).toEqual(['POST /v1.0/me/calendar/getSchedule', 'POST /v1.0/me/events']);
  expect(booked).toEqual(['kailenty_slots_event_type']);

  emu.control.clearRequests();
  const moved = await accessReads(hostId, async () => {
    const res = await t
      .http()
      .post(`/v1/bookings/${id}/reschedule`)
      .set(bearer)
      .send({ start: night(2) })
      .expect(200);
    expect(res.body.calendar.syncStatus).toBe('synced');
  });
  expect(graphCalls()).toEqual(['POST /v1.0/me/calendar/getSchedule', 'PATCH /v1.0/me/events/{id}']);
  expect(moved).toEqual(['kailenty_slots_hosts']);
});

it('a booking that starts after the consent was revoked reads it again and is refused without calling Graph', async () => {
  const { ws, hostId, eventTypeId } = await bookableWorkspace(t, emu, { mail: DEMO.users.alex.mail });
  const bearer = { Authorization: `Bearer ${ws.apiKey}` };
  await t
    .http()
    .post('/v1/bookings')
    .set(bearer)
    .send({ eventTypeId, start: night(1), guest })
    .expect(201);
  // Recorded as another instance would: only the next read of the consent can tell.
  const consents = t.app.get(TenantConsentRepository);
  const consent = (await consents.find(ws.id)) ?? TenantConsent.none(ws.id, new Date());
  consent.revoke('the administrator removed the app', new Date());
  await consents.save(ws.id, consent);

  emu.control.clearRequests();
  let refused: { status: number; body: { code?: string } } = { status: 0, body: {} };
  const reads = await accessReads(hostId, async () => {
    refused = await t
      .http()
      .post('/v1/bookings')
      .set(bearer)
      .send({ eventTypeId, start: night(2), guest });
  });
  expect(refused.status).toBe(409);
  expect(refused.body.code).toBe('CONSENT_REVOKED');
  expect(reads).toEqual(['kailenty_slots_event_type']);
  expect(graphCalls()).toEqual([]);
});
