// Holds over HTTP against the Microsoft 365 emulator: a hold takes its start out of the slots, becomes the
// booking (written to Outlook) without another free/busy race, gives the time back when it expires (409
// HOLD_EXPIRED for the booking) or is released, and replays its Idempotency-Key. On PostgreSQL, holds and
// bookings race for one start across two service instances: exactly one wins.
import type { Emulator } from '../../emulator/emulator.js';
import { Clock } from '@application/ports/clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { describeTwoInstances } from '../support/two-instances.js';
import { microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { createEventType, emptyHost, night } from '../support/bookable.js';
import { eventually } from '../support/eventually.js';

const TIMEOUT_MS = 60_000;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

describe('holds through HTTP', () => {
  let emu: Emulator;
  let t: TestApp;
  const shift = { ms: 0 };

  beforeAll(async () => {
    emu = await startTestEmulator({ weeks: 1 });
    t = await startTestApp(microsoftConfig(emu), undefined, {
      // The app's clock follows real time plus a shift the tests control (a hold's expiry).
      beforeInit: (app) => {
        app.get(Clock).now = () => new Date(Date.now() + shift.ms);
      },
    });
  }, TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    await emu?.close();
  });
  afterEach(() => {
    shift.ms = 0;
  });

  const offered = async (apiKey: string, eventTypeId: string): Promise<string[]> => {
    const res = await t
      .http()
      .get(`/v1/event-types/${eventTypeId}/slots?start=${night(0)}&end=${night(6)}`)
      .set(auth(apiKey));
    expect(res.status).toBe(200);
    return (res.body.slots as { start: string }[]).map((s) => s.start);
  };
  const hold = (apiKey: string, body: Record<string, unknown>, key?: string) => {
    const req = t.http().post('/v1/holds').set(auth(apiKey));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const book = (apiKey: string, body: Record<string, unknown>) =>
    t
      .http()
      .post('/v1/bookings')
      .set(auth(apiKey))
      .send({ guest, ...body });

  async function setup() {
    const ws = await t.workspace();
    const host = await emptyHost(t, emu, ws.apiKey, 'holds');
    const { id } = await createEventType(t, ws.apiKey, [host.id]);
    return { ws, host, eventTypeId: id };
  }

  it('takes the start out of the slots and turns into the booking, written to Outlook', async () => {
    const { ws, host, eventTypeId } = await setup();
    const start = night(1);
    expect(await offered(ws.apiKey, eventTypeId)).toContain(start);

    const created = await hold(ws.apiKey, { eventTypeId, start, expiresInSeconds: 120 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      eventTypeId,
      hostId: host.id,
      start,
      end: new Date(Date.parse(start) + 30 * 60_000).toISOString().replace('.000Z', 'Z'),
      expiresAt: expect.any(String),
      status: 'held',
      bookingId: null,
    });
    const expiresIn = Date.parse(created.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(100_000);
    expect(expiresIn).toBeLessThanOrEqual(120_000);
    expect(await offered(ws.apiKey, eventTypeId)).not.toContain(start);
    // Neither a booking nor another hold can take the held time.
    expect((await book(ws.apiKey, { eventTypeId, start })).body.code).toBe('SLOT_UNAVAILABLE');
    expect((await hold(ws.apiKey, { eventTypeId, start: night(1, 15) })).body.code).toBe('SLOT_UNAVAILABLE');

    const booked = await book(ws.apiKey, { holdId: created.body.id, note: 'From a hold' });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      status: 'confirmed',
      eventTypeId,
      hostId: host.id,
      start: created.body.start,
      note: 'From a hold',
      calendar: { syncStatus: 'synced' },
    });
    expect(
      emu.control
        .events(host.mailbox)
        .filter((e) => !e.isCancelled && (e.subject as string).startsWith('Intro call')),
    ).toHaveLength(1);
    const read = await t.http().get(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(read.body).toMatchObject({ status: 'booked', bookingId: booked.body.id });
    expect(await offered(ws.apiKey, eventTypeId)).not.toContain(start);
    // A hold becomes one booking; booking it again says so.
    expect((await book(ws.apiKey, { holdId: created.body.id })).body).toMatchObject({
      code: 'HOLD_EXPIRED',
      detail: expect.stringContaining('has already been booked'),
    });
  });

  it('gives the time back at its expiry: the slot is offered again and booking the hold is 409 HOLD_EXPIRED', async () => {
    const { ws, eventTypeId } = await setup();
    const start = night(2);
    const created = await hold(ws.apiKey, { eventTypeId, start, expiresInSeconds: 60 });
    expect(created.status).toBe(201);
    expect(await offered(ws.apiKey, eventTypeId)).not.toContain(start);

    shift.ms = 60_000;
    expect(await offered(ws.apiKey, eventTypeId)).toContain(start);
    const read = await t.http().get(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey)).expect(200);
    expect(read.body.status).toBe('expired');
    const late = await book(ws.apiKey, { holdId: created.body.id });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'HOLD_EXPIRED' });
    expect((await book(ws.apiKey, { eventTypeId, start })).status).toBe(201);
  });

  it('gives the time back at once when released (204), and answers 404 in another workspace', async () => {
    const { ws, eventTypeId } = await setup();
    const other = await t.workspace();
    const start = night(3);
    const created = await hold(ws.apiKey, { eventTypeId, start });
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(290_000);
    await t.http().get(`/v1/holds/${created.body.id}`).set(auth(other.apiKey)).expect(404);
    await t.http().delete(`/v1/holds/${created.body.id}`).set(auth(other.apiKey)).expect(404);
    expect(await offered(ws.apiKey, eventTypeId)).not.toContain(start);

    await t.http().delete(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey)).expect(204);
    expect(await offered(ws.apiKey, eventTypeId)).toContain(start);
    expect((await t.http().get(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey))).body.status).toBe(
      'released',
    );
    expect((await book(ws.apiKey, { holdId: created.body.id })).body.code).toBe('HOLD_EXPIRED');
    await t.http().delete(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey)).expect(204);
  });

  it('replays an Idempotency-Key: one hold', async () => {
    const { ws, eventTypeId } = await setup();
    const body = { eventTypeId, start: night(4) };
    const first = await hold(ws.apiKey, body, 'hold-key-1');
    const again = await hold(ws.apiKey, body, 'hold-key-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await hold(ws.apiKey, { ...body, expiresInSeconds: 10 }, 'hold-key-1')).body.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('refuses bad input naming the field, and holds nothing', async () => {
    const { ws, eventTypeId } = await setup();
    const start = night(5);
    const fieldsOf = async (res: Promise<{ status: number; body: { errors?: { field: string }[] } }>) => {
      const r = await res;
      expect(r.status).toBe(400);
      return r.body.errors!.map((e) => e.field).sort();
    };
    expect(await fieldsOf(hold(ws.apiKey, { eventTypeId, start, expiresInSeconds: 0 }))).toEqual([
      'expiresInSeconds',
    ]);
    expect(await fieldsOf(hold(ws.apiKey, { eventTypeId, start, expiresInSeconds: 901 }))).toEqual([
      'expiresInSeconds',
    ]);
    expect(await fieldsOf(hold(ws.apiKey, { eventTypeId: 'x', start: 'soon' }))).toEqual([
      'eventTypeId',
      'start',
    ]);
    expect(await offered(ws.apiKey, eventTypeId)).toContain(start);

    const created = await hold(ws.apiKey, { eventTypeId, start });
    expect(await fieldsOf(book(ws.apiKey, { holdId: created.body.id, eventTypeId, start }))).toEqual([
      'eventTypeId',
      'start',
    ]);
    expect(await fieldsOf(book(ws.apiKey, { holdId: 'nope' }))).toEqual(['holdId']);
    expect(await fieldsOf(book(ws.apiKey, {}))).toEqual(['eventTypeId', 'start']);
    expect((await t.http().get(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey))).body.status).toBe(
      'held',
    );
  });
});

describeTwoInstances('holds and bookings racing across two service instances (PostgreSQL)', (race) => {
  it(
    'of holds and bookings sent at once for one start, exactly one wins; the rest are SLOT_UNAVAILABLE',
    async () => {
      const { a, b, emu, db } = race();
      const ws = await a.workspace();
      const host = await emptyHost(a, emu, ws.apiKey, 'holds');
      const { id: eventTypeId } = await createEventType(a, ws.apiKey, [host.id]);
      const start = night(2);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? a : b)
            .http()
            .post(i % 4 < 2 ? '/v1/holds' : '/v1/bookings')
            .set(auth(ws.apiKey))
            .send(i % 4 < 2 ? { eventTypeId, start } : { eventTypeId, start, guest }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array.from({ length: 11 }, () => 409)]);
      for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe('SLOT_UNAVAILABLE');
      const [taken] = (await db.orm.em.getConnection().execute(
        `select (select count(*) from bookings where host_id = ? and status = 'confirmed')::int
                + (select count(*) from holds where host_id = ? and state = 'held')::int as n`,
        [host.id, host.id],
      )) as { n: number }[];
      expect(taken!.n).toBe(1);
    },
    TIMEOUT_MS,
  );

  it(
    'a hold committed while a booking of the same start re-reads Outlook: the booking is refused under the lock',
    async () => {
      const { a, b, emu } = race();
      const ws = await a.workspace();
      const host = await emptyHost(a, emu, ws.apiKey, 'holds');
      const { id: eventTypeId } = await createEventType(a, ws.apiKey, [host.id]);
      const start = night(4);
      // The booking's fresh read of the host's calendar is held back: its database read saw the time free,
      // and the hold (on the other instance) is committed before the booking writes. The hold is sent once
      // that read has reached Graph, and has 3 s to commit, ample on a loaded machine.
      const read = emu.control.injectFault({
        match: { method: 'POST', pathPrefix: '/v1.0/me/calendar/getSchedule', userId: host.mailbox },
        latencyMs: 3_000,
      });
      const booking = a.http().post('/v1/bookings').set(auth(ws.apiKey)).send({ eventTypeId, start, guest });
      const booked = booking.then((r) => r);
      await eventually(() => expect(read.hits).toBe(1));
      const held = await b.http().post('/v1/holds').set(auth(ws.apiKey)).send({ eventTypeId, start });
      expect(held.status).toBe(201);
      const refused = await booked;
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('SLOT_UNAVAILABLE');
    },
    TIMEOUT_MS,
  );

  it(
    'a booking from a hold and its release racing: one of them happens, never both',
    async () => {
      const { a, b, emu } = race();
      const ws = await a.workspace();
      const host = await emptyHost(a, emu, ws.apiKey, 'holds');
      const { id: eventTypeId } = await createEventType(a, ws.apiKey, [host.id]);
      const created = await a
        .http()
        .post('/v1/holds')
        .set(auth(ws.apiKey))
        .send({ eventTypeId, start: night(3) });
      expect(created.status).toBe(201);
      const [booked, released] = await Promise.all([
        a.http().post('/v1/bookings').set(auth(ws.apiKey)).send({ holdId: created.body.id, guest }),
        b.http().delete(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey)),
      ]);
      const status = (await a.http().get(`/v1/holds/${created.body.id}`).set(auth(ws.apiKey))).body.status;
      if (booked.status === 201) {
        expect(released.status).toBe(409);
        expect(status).toBe('booked');
      } else {
        expect(booked.body.code).toBe('HOLD_EXPIRED');
        expect(released.status).toBe(204);
        expect(status).toBe('released');
      }
    },
    TIMEOUT_MS,
  );
});
