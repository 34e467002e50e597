// A booking's story as a webhook consumer sees it: created, rescheduled and cancelled in quick succession
// through the API (real Graph adapter, Microsoft 365 emulator) reach a real receiver over loopback in that
// order, each payload numbered by `sequence` 1..n, the cancel without the Teams link. The receiver is slow
// on the first event and refuses it once, so the later events, due at once, have every chance to overtake
// it: on one instance (PGlite or PostgreSQL), and on PostgreSQL with two instances sending at the same time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../emulator/emulator.js';
import { Clock } from '@application/ports/clock.js';
import { WebhookJobs } from '@adapters/jobs/webhook-jobs.js';
import { createOrm } from '@adapters/persistence/orm.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { bookableWorkspace } from '../support/bookable.js';

const TIMEOUT_MS = 120_000;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
/** The apps' clock: real time plus a shift the test moves to bring a retry due. */
const shift = { ms: 0 };
const steerClock = (app: TestApp['app']) => {
  app.get(Clock).now = () => new Date(Date.now() + shift.ms);
};

interface Hit {
  sequence: number;
  type: string;
  data: { id: string; status: string; location: { kind: string; joinUrl: string | null } };
  status: number;
}

/** A receiver that answers the first request late (300 ms) and with a 500, every later one with a 200. */
async function slowFirstReceiver() {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Hit, 'status'>;
      const status = hits.length === 0 ? 500 : 200;
      hits.push({ ...body, status });
      setTimeout(() => res.writeHead(status).end(), status === 500 ? 300 : 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Books, reschedules and cancels one Teams booking back to back (the calls alternate between `apps`), with
 * a receiver subscribed to everything; then sends webhooks from all `apps` at once, round after round, the
 * clock moved past the retry delay between rounds, and checks what the receiver got.
 */
async function storyArrivesInOrder(apps: TestApp[], emu: Emulator) {
  const [a, b = a] = apps as [TestApp, TestApp?];
  const { ws, eventTypeId } = await bookableWorkspace(a, emu, {
    mail: DEMO.users.adele.mail,
    eventType: { slug: `story-${Math.random().toString(36).slice(2, 8)}`, title: 'Story call' },
  });
  const hook = await slowFirstReceiver();
  try {
    await a
      .http()
      .post('/v1/webhook-endpoints')
      .set(auth(ws.apiKey))
      .send({ url: hook.url, events: ['*'] })
      .expect(201);
    const from = new Date(Date.now() + 2 * 86_400_000);
    from.setUTCHours(0, 0, 0, 0);
    const slots = await a
      .http()
      .get(
        `/v1/event-types/${eventTypeId}/slots?start=${from.toISOString()}&end=${new Date(from.getTime() + 3 * 86_400_000).toISOString()}`,
      )
      .set(auth(ws.apiKey))
      .expect(200);
    const [first, second] = slots.body.slots as { start: string }[];

    const created = await a
      .http()
      .post('/v1/bookings')
      .set(auth(ws.apiKey))
      .send({ eventTypeId, start: first!.start, guest })
      .expect(201);
    const id = created.body.id as string;
    expect(created.body.location.joinUrl).toMatch(/^https:\/\//);
    await b
      .http()
      .post(`/v1/bookings/${id}/reschedule`)
      .set(auth(ws.apiKey))
      .send({ start: second!.start })
      .expect(200);
    const cancelled = await a
      .http()
      .post(`/v1/bookings/${id}/cancel`)
      .set(auth(ws.apiKey))
      .send({ reason: 'Changed plans' })
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', location: { kind: 'teams', joinUrl: null } });
    const [{ n }] = await a.db.orm.em
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from domain_events where booking_id = ?`, [id]);
    const told = Number(n);
    // At least created, rescheduled, cancelled (a calendar write's outcome may add booking.updated).
    expect(told).toBeGreaterThanOrEqual(3);

    const sendEverywhere = () => Promise.all(apps.map((app) => app.app.get(WebhookJobs).runOnce()));
    // Round one: every event is due, but the first is being refused slowly: nothing may overtake it.
    await sendEverywhere();
    expect(hook.hits.map((h) => [h.sequence, h.status])).toEqual([[1, 500]]);
    for (let round = 0; round < 10 && hook.hits.filter((h) => h.status === 200).length < told; round++) {
      shift.ms += 11_000;
      await sendEverywhere();
    }

    const accepted = hook.hits.filter((h) => h.status === 200);
    expect(accepted.map((h) => h.sequence)).toEqual(Array.from({ length: told }, (_, i) => i + 1));
    expect(hook.hits.map((h) => h.sequence)).toEqual([1, ...accepted.map((h) => h.sequence)]);
    expect(new Set(accepted.map((h) => h.data.id))).toEqual(new Set([id]));
    const types = accepted.map((h) => h.type);
    expect(types[0]).toBe('booking.created');
    expect(types.indexOf('booking.rescheduled')).toBeGreaterThan(0);
    expect(types.indexOf('booking.cancelled')).toBeGreaterThan(types.indexOf('booking.rescheduled'));
    expect(accepted[0]!.data.location.joinUrl).toBe(created.body.location.joinUrl);
    // Once booking.cancelled is told, the booking shows cancelled and no link, in it and after it.
    const cancelAt = types.indexOf('booking.cancelled');
    for (const h of accepted.slice(cancelAt)) {
      expect(h.data).toMatchObject({ status: 'cancelled', location: { kind: 'teams', joinUrl: null } });
    }
    for (const h of accepted.slice(0, cancelAt)) expect(h.data.status).toBe('confirmed');
  } finally {
    await hook.close();
  }
}

describe('a booking created, rescheduled and cancelled in quick succession', () => {
  let emu: Emulator;
  let t: TestApp;
  beforeAll(async () => {
    emu = await startTestEmulator({ weeks: 1 });
    t = await startTestApp(
      { ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' },
      undefined,
      { beforeInit: steerClock },
    );
  }, TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    await emu?.close();
  });

  it(
    'reaches the receiver in order, numbered 1..n, the cancel without the Teams link',
    () => storyArrivesInOrder([t], emu),
    TIMEOUT_MS,
  );
});

describeOnPostgres(
  'a booking told by two instances at once (PostgreSQL)',
  'PGlite serves one connection in one process, so two service instances cannot share it',
  () => {
    let emu: Emulator;
    let db: TestDatabase;
    let second: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      emu = await startTestEmulator({ weeks: 1 });
      const overrides = { ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' };
      db = await createTestDatabase();
      // The second instance: its own MikroORM and pool on the same database, as a second replica.
      const orm = await createOrm({ kind: 'postgres', url: db.url! });
      second = { ...db, orm, close: () => orm.close() };
      a = await startTestApp(overrides, db, { beforeInit: steerClock });
      b = await startTestApp(overrides, second, { beforeInit: steerClock });
    }, TIMEOUT_MS);
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await second?.close();
      await db?.close();
      await emu?.close();
    });

    it(
      'reaches the receiver in order while both send, the slow first event overtaken by nothing',
      () => storyArrivesInOrder([a, b], emu),
      TIMEOUT_MS,
    );
  },
);
