// Booking limits and slot freshness through HTTP, against the Microsoft 365 emulator over HTTPS: limits set on
// an event type (and refused, naming the field, when out of range), the starts a gap and a day's limit take
// away from /slots, a booking refused at the limit as an unavailable start, explain naming `limit`, and
// `asOf` — the time of a cold read, then the same time from the cache. On PostgreSQL, two instances race for
// the last booking a host may take that day: one gets it.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { describeOnPostgres } from '../support/database.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { connectedMember, createEventType } from '../support/bookable.js';

const TIMEOUT_MS = 60_000;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

/** A night three days ahead, UTC, at hh:mm, written as the API writes times. */
function night(hh: number, mm = 0): string {
  const d = new Date(Date.now() + 3 * 86_400_000);
  d.setUTCHours(hh, mm, 0, 0);
  return d.toISOString().replace('.000Z', 'Z');
}

/** A host in the emulator's Contoso tenant with an empty calendar in UTC, open every night 00:00–06:00. */
async function emptyHost(app: TestApp, emu: Emulator, apiKey: string): Promise<string> {
  const tag = Math.random().toString(36).slice(2, 8);
  const user = emu.control.addUser({
    tenantId: DEMO.tenantId,
    mail: `limits.${tag}@${DEMO.tenantDomain}`,
    displayName: `Limits host ${tag}`,
    timeZone: 'UTC',
    teamsLicence: true,
  });
  return connectedMember(app, emu, apiKey, { mail: user.mail });
}

describe('booking limits and asOf through HTTP', () => {
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

  const slots = async (apiKey: string, eventTypeId: string) => {
    const res = await t
      .http()
      .get(`/v1/event-types/${eventTypeId}/slots?start=${night(0)}&end=${night(6)}`)
      .set(auth(apiKey));
    expect(res.status).toBe(200);
    return res.body as { asOf: string; slots: { start: string }[] };
  };
  const book = (apiKey: string, eventTypeId: string, start: string) =>
    t.http().post('/v1/bookings').set(auth(apiKey)).send({ eventTypeId, start, guest });

  it('sets limits on create and update, shows them, and refuses ones out of range naming the field', async () => {
    const ws = await t.workspace();
    const hostId = await emptyHost(t, emu, ws.apiKey);
    const created = await createEventType(t, ws.apiKey, [hostId], {
      limits: { perDay: 2, perWeek: 8 },
      minimumGapMinutes: 30,
    });
    expect(created).toMatchObject({ limits: { perDay: 2, perWeek: 8 }, minimumGapMinutes: 30 });
    const plain = await createEventType(t, ws.apiKey, [hostId]);
    expect(plain).toMatchObject({ limits: {}, minimumGapMinutes: 0 });

    const patched = await t
      .http()
      .patch(`/v1/event-types/${created.id}`)
      .set(auth(ws.apiKey))
      .send({ limits: { perWeek: 3 } })
      .expect(200);
    expect(patched.body).toMatchObject({ limits: { perWeek: 3 }, minimumGapMinutes: 30 });
    expect(patched.body.limits).not.toHaveProperty('perDay');

    for (const [body, field] of [
      [{ limits: { perDay: 0 } }, 'limits.perDay'],
      [{ limits: { perWeek: 501 } }, 'limits.perWeek'],
      [{ minimumGapMinutes: 1441 }, 'minimumGapMinutes'],
      [{ minimumGapMinutes: -1 }, 'minimumGapMinutes'],
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
    const unchanged = await t.http().get(`/v1/event-types/${created.id}`).set(auth(ws.apiKey)).expect(200);
    expect(unchanged.body).toMatchObject({ limits: { perWeek: 3 }, minimumGapMinutes: 30 });
  });

  it('takes the gap and a full day out of /slots, refuses a booking at the limit, and explain says limit', async () => {
    const ws = await t.workspace();
    const hostId = await emptyHost(t, emu, ws.apiKey);
    const { id } = await createEventType(t, ws.apiKey, [hostId], {
      limits: { perDay: 2 },
      minimumGapMinutes: 30,
    });
    const all = (await slots(ws.apiKey, id)).slots.map((s) => s.start);
    expect(all).toHaveLength(12);

    expect((await book(ws.apiKey, id, night(1))).status).toBe(201);
    // 01:00–01:30 booked: 00:30 and 01:30 are closer than 30 minutes to it; 00:00 and 02:00 touch the gap.
    const afterOne = (await slots(ws.apiKey, id)).slots.map((s) => s.start);
    expect(afterOne).toEqual(all.filter((s) => ![night(0, 30), night(1), night(1, 30)].includes(s)));

    const gap = await book(ws.apiKey, id, night(1, 30));
    expect(gap.status).toBe(409);
    expect(gap.body.code).toBe('SLOT_UNAVAILABLE');

    expect((await book(ws.apiKey, id, night(3))).status).toBe(201);
    expect((await slots(ws.apiKey, id)).slots).toEqual([]);
    const full = await book(ws.apiKey, id, night(5));
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('SLOT_UNAVAILABLE');

    const explained = await t
      .http()
      .get(`/v1/event-types/${id}/slots/explain?at=${night(5)}`)
      .set(auth(ws.apiKey))
      .expect(200);
    expect(explained.body.offered).toBe(false);
    expect(explained.body.hosts[0].reasons).toEqual([
      expect.objectContaining({ code: 'limit', limit: 'perDay', value: 2, count: 2, bookingId: null }),
    ]);
    const tooClose = await t
      .http()
      .get(`/v1/event-types/${id}/slots/explain?at=${night(3, 30)}`)
      .set(auth(ws.apiKey))
      .expect(200);
    expect(tooClose.body.hosts[0].reasons.map((r: { limit: string }) => r.limit).sort()).toEqual([
      'minimumGapMinutes',
      'perDay',
    ]);
  });

  it('says asOf: the time of a cold read, then that same time while the read is served from the cache', async () => {
    const ws = await t.workspace();
    const hostId = await emptyHost(t, emu, ws.apiKey);
    const { id } = await createEventType(t, ws.apiKey, [hostId]);
    const before = Date.now();
    const cold = await slots(ws.apiKey, id);
    const after = Date.now();
    expect(Date.parse(cold.asOf)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(cold.asOf)).toBeLessThanOrEqual(after);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const warm = await slots(ws.apiKey, id);
    expect(warm.asOf).toBe(cold.asOf);
    expect(warm.slots).toEqual(cold.slots);

    // The public booking page's slots carry it too.
    await t
      .http()
      .patch(`/v1/event-types/${id}`)
      .set(auth(ws.apiKey))
      .send({ bookingPage: { enabled: true } })
      .expect(200);
    const page = await t
      .http()
      .get(`/v1/public/booking-pages/${id}/slots?start=${night(0)}&end=${night(6)}`)
      .expect(200);
    expect(page.body.asOf).toBe(cold.asOf);
  });
});

// PGlite is one embedded connection in one process: two instances cannot share it.
describeOnPostgres(
  'the last booking of a day raced across two service instances (PostgreSQL)',
  'PGlite serves one connection in one process, so two service instances cannot share it',
  () => {
    let race: TwoInstances;
    beforeAll(async () => {
      race = await startTwoInstances();
    }, TIMEOUT_MS);
    afterAll(async () => race?.close());

    it(
      'one booking of the day left: of requests for different free starts, one gets it, the rest are refused',
      async () => {
        const { a, b, emu, db } = race;
        const ws = await a.workspace();
        const hostId = await emptyHost(a, emu, ws.apiKey);
        const { id } = await createEventType(a, ws.apiKey, [hostId], { limits: { perDay: 2 } });
        expect(
          (
            await a
              .http()
              .post('/v1/bookings')
              .set(auth(ws.apiKey))
              .send({ eventTypeId: id, start: night(0), guest })
          ).status,
        ).toBe(201);

        // Ten different starts of the same night, none overlapping another: only the limit separates them.
        const starts = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5].map((h) =>
          night(Math.floor(h), (h % 1) * 60),
        );
        const results = await Promise.all(
          starts.map((start, i) =>
            (i % 2 === 0 ? a : b)
              .http()
              .post('/v1/bookings')
              .set(auth(ws.apiKey))
              .send({ eventTypeId: id, start, guest }),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([201, ...Array.from({ length: 9 }, () => 409)]);
        for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe('SLOT_UNAVAILABLE');

        const rows = (await db.orm.em
          .getConnection()
          .execute(`select start_at from bookings where host_id = ? and status = 'confirmed'`, [
            hostId,
          ])) as unknown[];
        expect(rows).toHaveLength(2);
      },
      TIMEOUT_MS,
    );
  },
);
