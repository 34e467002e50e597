// GRAPH_SCHEDULES_PER_CALL reaches the free/busy adapter: a host with extra calendars is read in calls of
// that many schedules.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  activeMember,
  connectMember,
  DEMO,
  microsoftConfig,
  startTestEmulator,
} from '../support/microsoft.js';

let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  const base = microsoftConfig(emu);
  t = await startTestApp({ ...base, microsoft: { ...base.microsoft!, schedulesPerCall: 2 } });
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

it('reads a host and its extra calendars in getSchedule calls of the configured size', async () => {
  const { apiKey } = await t.workspace();
  const auth = { Authorization: `Bearer ${apiKey}` };
  const adele = await activeMember(t, apiKey, DEMO.users.adele.mail);
  expect((await connectMember(t, emu, apiKey, adele)).location!.searchParams.get('result')).toBe('connected');
  await t
    .http()
    .put(`/v1/members/${adele}/availability`)
    .set(auth)
    .send({
      timeZone: 'UTC',
      weekly: [{ day: 'mon', intervals: [{ start: '09:00', end: '17:00' }] }],
      overrides: [],
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      maxDaysAhead: null,
      busyStatuses: ['busy'],
      extraCalendars: [DEMO.users.room.mail, DEMO.users.shared.mail],
    })
    .expect(200);
  const eventType = await t
    .http()
    .post('/v1/event-types')
    .set(auth)
    .send({
      slug: 'adele',
      title: 'Adele',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds: [adele],
      assignment: 'single',
    })
    .expect(201);
  emu.control.clearRequests();
  const start = new Date(Date.now() + 86_400_000).toISOString();
  const end = new Date(Date.now() + 8 * 86_400_000).toISOString();
  await t
    .http()
    .get(`/v1/event-types/${eventType.body.id}/slots?start=${start}&end=${end}`)
    .set(auth)
    .expect(200);
  const batches = emu.control
    .requests({ pathPrefix: '/v1.0/me/calendar/getSchedule', method: 'POST' })
    .map((r) => (r.body as { schedules: string[] }).schedules);
  expect(batches).toEqual([[DEMO.users.adele.mail, DEMO.users.room.mail], [DEMO.users.shared.mail]]);
});
