// Booking limits and slot freshness through HTTP, against the Microsoft 365 emulator over HTTPS: limits set on
// an event type (and refused, naming the field, when out of range), the starts a gap and a day's limit take
// away from /slots, a booking refused at the limit as an unavailable start, explain naming `limit`, and
// `asOf` — the time of a cold read, then the same time from the cache. A live hold counts as a booking of the
// type. On PostgreSQL, two instances race for the last booking a host may take that day, with bookings and
// with holds: one gets it.
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { describeTwoInstances } from '../support/two-instances.js';
import { microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { createEventType, emptyHost, night } from '../support/bookable.js';

const TIMEOUT_MS = 60_000;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

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
    const { id: hostId } = await emptyHost(t, emu, ws.apiKey, 'limits');
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
    const { id: hostId } = await emptyHost(t, emu, ws.apiKey, 'limits');
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

  it('counts a live hold as a booking of the type: the day’s last start leaves /slots, explain counts it, and it books once', async () => {
    const ws = await t.workspace();
    const { id: hostId } = await emptyHost(t, emu, ws.apiKey, 'limits');
    const { id } = await createEventType(t, ws.apiKey, [hostId], { limits: { perDay: 2 } });
    expect((await book(ws.apiKey, id, night(1))).status).toBe(201);
    const held = await t
      .http()
      .post('/v1/holds')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: id, start: night(3) })
      .expect(201);
    expect((await slots(ws.apiKey, id)).slots).toEqual([]);
    const explained = await t
      .http()
      .get(`/v1/event-types/${id}/slots/explain?at=${night(5)}`)
      .set(auth(ws.apiKey))
      .expect(200);
    expect(explained.body.hosts[0].reasons).toEqual([
      expect.objectContaining({ code: 'limit', limit: 'perDay', value: 2, count: 2 }),
    ]);
    const full = await book(ws.apiKey, id, night(5));
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('SLOT_UNAVAILABLE');
    const another = await t
      .http()
      .post('/v1/holds')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: id, start: night(5) });
    expect(another.status).toBe(409);

    // The booking made from the hold takes its place: counted once, so it is made.
    await t
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ holdId: held.body.id, guest })
      .expect(201);
    expect((await slots(ws.apiKey, id)).slots).toEqual([]);
  });

  it('gives the day back when the hold that filled it is released', async () => {
    const ws = await t.workspace();
    const { id: hostId } = await emptyHost(t, emu, ws.apiKey, 'limits');
    const { id } = await createEventType(t, ws.apiKey, [hostId], { limits: { perDay: 1 } });
    const held = await t
      .http()
      .post('/v1/holds')
      .set(auth(ws.apiKey))
      .send({ eventTypeId: id, start: night(2) })
      .expect(201);
    expect((await slots(ws.apiKey, id)).slots).toEqual([]);
    await t.http().delete(`/v1/holds/${held.body.id}`).set(auth(ws.apiKey)).expect(204);
    expect((await slots(ws.apiKey, id)).slots).toHaveLength(12);
    expect((await book(ws.apiKey, id, night(5))).status).toBe(201);
  });

  it('says asOf: the time of a cold read, then that same time while the read is served from the cache', async () => {
    const ws = await t.workspace();
    const { id: hostId } = await emptyHost(t, emu, ws.apiKey, 'limits');
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

describeTwoInstances('the last booking of a day raced across two service instances (PostgreSQL)', (race) => {
  it.each([
    ['bookings', () => false],
    ['holds and bookings', (i: number) => i % 4 < 2],
  ])(
    'one booking of the day left: of %s for different free starts, one gets it, the rest are refused',
    async (_, isHold) => {
      const { a, b, emu, db } = race();
      const ws = await a.workspace();
      const { id: hostId } = await emptyHost(a, emu, ws.apiKey, 'limits');
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
      const starts = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5].map((h) => night(Math.floor(h), (h % 1) * 60));
      const results = await Promise.all(
        starts.map((start, i) =>
          (i % 2 === 0 ? a : b)
            .http()
            .post(isHold(i) ? '/v1/holds' : '/v1/bookings')
            .set(auth(ws.apiKey))
            .send(isHold(i) ? { eventTypeId: id, start } : { eventTypeId: id, start, guest }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array.from({ length: 9 }, () => 409)]);
      for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe('SLOT_UNAVAILABLE');

      // A live hold counts as one of the day's bookings: two in all.
      const [taken] = (await db.orm.em.getConnection().execute(
        `select (select count(*) from bookings where host_id = ? and status = 'confirmed')::int
              + (select count(*) from holds where host_id = ? and state = 'held')::int as n`,
        [hostId, hostId],
      )) as { n: number }[];
      expect(taken!.n).toBe(2);
    },
    TIMEOUT_MS,
  );
});
