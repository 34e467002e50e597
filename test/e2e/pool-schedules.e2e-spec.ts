// A 100-host round-robin pool of one tenant, each host connected by the real sign-in: a cold slots query
// reads their free/busy in ⌈100/20⌉ = 5 getSchedule calls (one connected host's delegated token reads 20
// mailboxes of the tenant per call), each host's busy time still blocking only that host; a warm one makes
// none.
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

const HOSTS = 100;
const PATH = '/v1.0/me/calendar/getSchedule';

let emu: Emulator;
let t: TestApp;

beforeAll(async () => {
  emu = await startTestEmulator({ weeks: 1 });
  // Graph's documented limit: a call of more than 20 schedules is refused with a 400.
  emu.control.setLimits({ maxSchedulesPerRequest: 20 });
  t = await startTestApp(microsoftConfig(emu));
});
afterAll(async () => {
  await t?.close();
  await emu?.close();
});

const day = new Date(Date.now() + 3 * 86_400_000);
day.setUTCHours(0, 0, 0, 0);
const at = (h: number, m = 0) => new Date(day.getTime() + (h * 60 + m) * 60_000).toISOString();
const getSchedules = () => emu.control.requests({ pathPrefix: PATH, method: 'POST' });

it(`reads a cold ${HOSTS}-host pool in ${HOSTS / 20} getSchedule calls, and a warm one in none`, async () => {
  const { apiKey } = await t.workspace();
  const auth = { Authorization: `Bearer ${apiKey}` };
  const hostIds: string[] = [];
  for (let i = 0; i < HOSTS; i += 10) {
    // Ten at a time: each is a mailbox of the demo tenant, an active member and a real sign-in.
    hostIds.push(
      ...(await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const mail = `pool${i + k}@contoso.com`;
          const user = emu.control.addUser({ tenantId: DEMO.tenantId, mail, displayName: `Pool ${i + k}` });
          // Host n is busy 00:00–01:00 on the day when n is even: only the odd hosts offer that hour.
          if ((i + k) % 2 === 0)
            await emu.control.addEvent({
              userId: user.id,
              subject: 'busy',
              start: at(0),
              end: at(1),
              notify: false,
            });
          const id = await activeMember(t, apiKey, mail);
          const connected = await connectMember(t, emu, apiKey, id);
          expect(connected.location!.searchParams.get('result')).toBe('connected');
          await t.http().put(`/v1/members/${id}/availability`).set(auth).send(nightsOnlyPolicy()).expect(200);
          return id;
        }),
      )),
    );
  }
  const eventType = await t
    .http()
    .post('/v1/event-types')
    .set(auth)
    .send({
      slug: 'big-pool',
      title: 'Big pool',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds,
      assignment: 'round_robin',
    })
    .expect(201);
  const slotsPath = `/v1/event-types/${eventType.body.id}/slots?start=${at(0)}&end=${at(6)}`;

  emu.control.clearRequests();
  const cold = await t.http().get(slotsPath).set(auth).expect(200);
  const calls = getSchedules();
  expect(calls.map((c) => [c.status, (c.body as { schedules: string[] }).schedules.length])).toEqual(
    Array(HOSTS / 20).fill([200, 20]),
  );
  // Every host's mailbox read exactly once, each call with the token of a host whose mailbox is in it.
  const read = calls.flatMap((c) => (c.body as { schedules: string[] }).schedules);
  expect(new Set(read).size).toBe(HOSTS);
  expect(cold.body.warnings).toEqual([]);
  const byStart = new Map<string, string[]>(
    (cold.body.slots as { start: string; hostIds: string[] }[]).map((s) => [
      new Date(s.start).toISOString(),
      s.hostIds,
    ]),
  );
  // Each host's busy hour blocks that host only.
  expect(byStart.get(at(0))).toEqual(hostIds.filter((_, n) => n % 2 === 1));
  expect(byStart.get(at(2))).toEqual(hostIds);

  emu.control.clearRequests();
  await t.http().get(slotsPath).set(auth).expect(200);
  expect(getSchedules()).toHaveLength(0);
  // A hundred real sign-ins take most of this: on a loaded 2-core machine, well over the default minute.
}, 240_000);
