// Slots from real Microsoft 365 free/busy: the Graph getSchedule adapter against the emulator over HTTPS,
// for one host and for a pool, with Outlook statuses handled as each policy says, a room calendar that
// blocks, a host that is not connected, and a range too large.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  activeMember,
  connectMember,
  DEMO,
  microsoftConfig,
  startTestEmulator,
  nightsOnlyPolicy,
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

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const day = new Date(Date.now() + 3 * 86_400_000);
day.setUTCHours(0, 0, 0, 0);
const at = (h: number, m = 0) => new Date(day.getTime() + (h * 60 + m) * 60_000).toISOString();

const policy = nightsOnlyPolicy;

async function starts(apiKey: string, eventTypeId: string) {
  const res = await t
    .http()
    .get(`/v1/event-types/${eventTypeId}/slots?start=${at(0)}&end=${at(6)}`)
    .set(auth(apiKey));
  expect(res.status).toBe(200);
  return res.body as {
    slots: { start: string; hostIds: string[] }[];
    warnings: { code: string; memberId: string }[];
  };
}

describe('slots from Microsoft 365 free/busy', () => {
  let apiKey: string;
  let adele: string;
  let megan: string;
  let single: string;

  beforeAll(async () => {
    const ws = await t.workspace();
    apiKey = ws.apiKey;
    adele = await activeMember(t, apiKey, DEMO.users.adele.mail);
    megan = await activeMember(t, apiKey, DEMO.users.megan.mail);
    for (const id of [adele, megan]) {
      expect((await connectMember(t, emu, apiKey, id)).location!.searchParams.get('result')).toBe(
        'connected',
      );
    }
    const a = DEMO.users.adele.id;
    for (const [h, showAs] of [
      [0, 'busy'],
      [1, 'tentative'],
      [2, 'oof'],
      [3, 'free'],
    ] as const) {
      await emu.control.addEvent({
        userId: a,
        subject: `Outlook ${showAs}`,
        start: at(h),
        end: at(h, 30),
        showAs,
        notify: false,
      });
    }
    await emu.control.addEvent({
      userId: DEMO.users.room.id,
      subject: 'Board',
      start: at(4),
      end: at(4, 30),
      showAs: 'busy',
      notify: false,
    });
    await t
      .http()
      .put(`/v1/members/${adele}/availability`)
      .set(auth(apiKey))
      .send(policy({ extraCalendars: [DEMO.users.room.mail] }))
      .expect(200);
    await t.http().put(`/v1/members/${megan}/availability`).set(auth(apiKey)).send(policy()).expect(200);
    single = (
      await t
        .http()
        .post('/v1/event-types')
        .set(auth(apiKey))
        .send({
          slug: 'adele',
          title: 'Adele',
          durationMinutes: 30,
          location: { kind: 'teams' },
          hostIds: [adele],
          assignment: 'single',
        })
    ).body.id;
  });

  it('blocks busy, tentative and oof by default, not free, and the room’s busy time', async () => {
    const offered = (await starts(apiKey, single)).slots.map((s) => new Date(s.start).toISOString());
    for (const blocked of [at(0), at(1), at(2), at(4)]) expect(offered).not.toContain(blocked);
    for (const open of [at(0, 30), at(3), at(5)]) expect(offered).toContain(open);
  });

  it('lets tentative and oof through when the policy blocks only busy', async () => {
    await t
      .http()
      .put(`/v1/members/${adele}/availability`)
      .set(auth(apiKey))
      .send(policy({ busyStatuses: ['busy'], extraCalendars: [DEMO.users.room.mail] }))
      .expect(200);
    const offered = (await starts(apiKey, single)).slots.map((s) => new Date(s.start).toISOString());
    expect(offered).toEqual(expect.arrayContaining([at(1), at(2), at(3)]));
    expect(offered).not.toContain(at(0));
    expect(offered).not.toContain(at(4));
    await t
      .http()
      .put(`/v1/members/${adele}/availability`)
      .set(auth(apiKey))
      .send(policy({ extraCalendars: [DEMO.users.room.mail] }))
      .expect(200);
  });

  it('offers a pool start when any host offers it, naming the hosts; an unconnected host is a warning', async () => {
    const alex = await activeMember(t, apiKey, DEMO.users.alex.mail);
    const pool = (
      await t
        .http()
        .post('/v1/event-types')
        .set(auth(apiKey))
        .send({
          slug: 'pool',
          title: 'Pool',
          durationMinutes: 30,
          location: { kind: 'teams' },
          hostIds: [adele, megan, alex],
          assignment: 'round_robin',
        })
    ).body.id;
    const res = await starts(apiKey, pool);
    const byStart = new Map(res.slots.map((s) => [new Date(s.start).toISOString(), s.hostIds]));
    expect(byStart.get(at(0))).toEqual([megan]);
    expect(byStart.get(at(5))).toEqual([adele, megan]);
    expect(res.warnings).toEqual([{ code: 'MICROSOFT_NOT_CONNECTED', memberId: alex }]);
  });

  it('a single host that is not connected is a 409, and a range over 62 days is refused', async () => {
    const alex = await activeMember(t, apiKey, 'someone.else@contoso.com');
    const lonely = (
      await t
        .http()
        .post('/v1/event-types')
        .set(auth(apiKey))
        .send({
          slug: 'lonely',
          title: 'Lonely',
          durationMinutes: 30,
          location: { kind: 'teams' },
          hostIds: [alex],
          assignment: 'single',
        })
    ).body.id;
    const res = await t
      .http()
      .get(`/v1/event-types/${lonely}/slots?start=${at(0)}&end=${at(6)}`)
      .set(auth(apiKey));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('MICROSOFT_NOT_CONNECTED');
    const end = new Date(day.getTime() + 62 * 86_400_000 + 1).toISOString();
    const big = await t
      .http()
      .get(`/v1/event-types/${single}/slots?start=${day.toISOString()}&end=${end}`)
      .set(auth(apiKey));
    expect(big.status).toBe(400);
    expect(big.body.code).toBe('RANGE_TOO_LARGE');
  });

  it('serves a warm query from the cache with no Graph call', async () => {
    await starts(apiKey, single);
    emu.control.clearRequests();
    await starts(apiKey, single);
    expect(emu.control.requests({ pathPrefix: '/v1.0' })).toEqual([]);
  });

  it('reads a calendar the host cannot read as unavailable, never as free', async () => {
    // A mailbox getSchedule cannot answer for: a per-schedule error inside a 200.
    await t
      .http()
      .put(`/v1/members/${megan}/availability`)
      .set(auth(apiKey))
      .send(policy({ extraCalendars: ['nobody@contoso.com'] }))
      .expect(200);
    const pool = (
      await t
        .http()
        .post('/v1/event-types')
        .set(auth(apiKey))
        .send({
          slug: 'pool2',
          title: 'Pool 2',
          durationMinutes: 30,
          location: { kind: 'teams' },
          hostIds: [megan, adele],
          assignment: 'round_robin',
        })
    ).body.id;
    const res = await starts(apiKey, pool);
    expect(res.warnings).toEqual([{ code: 'MICROSOFT_UNAVAILABLE', memberId: megan }]);
    expect(res.slots.length).toBeGreaterThan(0);
    expect(res.slots.every((s) => !s.hostIds.includes(megan))).toBe(true);
  });
});
