// Hot reads from the process (WorkspaceReadCache): a warm slots query, an event type and a booking are answered
// without the database on PostgreSQL, and yet a read on any instance right after another instance's write was
// answered shows that write — an event type changed or deleted, a booking made or cancelled, a member disabled,
// an availability changed. An instance that is not listening (its connection lost, or PGlite, which has no
// other instance to hear from) reads the database on every request, as without the cache.
import { randomUUID } from 'node:crypto';
import { WorkspaceReadCache } from '@adapters/persistence/workspace-read-cache.js';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { describeOnPostgres, usingPostgres, type TestDatabase } from '../support/database.js';
import {
  activeMember,
  connectMember,
  DEMO,
  microsoftConfig,
  nightsOnlyPolicy,
  startTestEmulator,
} from '../support/microsoft.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import type { Emulator } from '../../emulator/emulator.js';

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const day = new Date(Date.now() + 3 * 86_400_000);
day.setUTCHours(0, 0, 0, 0);
const at = (h: number, m = 0) => new Date(day.getTime() + (h * 60 + m) * 60_000).toISOString();
const slot = (h: number, m = 0) => at(h, m).replace('.000Z', 'Z');

/** Runs `work` with these tables out of reach: only a cached read can answer meanwhile. */
async function withoutTables(db: TestDatabase, tables: string[], work: () => Promise<void>): Promise<void> {
  const sql = (q: string) => db.orm.em.getConnection().execute(q);
  for (const table of tables) await sql(`alter table ${table} rename to ${table}_away`);
  try {
    await work();
  } finally {
    for (const table of tables) await sql(`alter table ${table}_away rename to ${table}`);
  }
}

/** A connected host (nights-only hours) with a single-host event type, made on `app`. */
async function bookableHost(app: TestApp, emu: Emulator, mail: string) {
  const ws = await app.workspace();
  const hostId = await activeMember(app, ws.apiKey, mail);
  expect((await connectMember(app, emu, ws.apiKey, hostId)).location!.searchParams.get('result')).toBe(
    'connected',
  );
  await app
    .http()
    .put(`/v1/members/${hostId}/availability`)
    .set(auth(ws.apiKey))
    .send(nightsOnlyPolicy())
    .expect(200);
  const created = await app
    .http()
    .post('/v1/event-types')
    .set(auth(ws.apiKey))
    .send({
      slug: `cached-${randomUUID().slice(0, 8)}`,
      title: 'Intro call',
      durationMinutes: 30,
      location: { kind: 'in_person', value: 'Room 1' },
      hostIds: [hostId],
      assignment: 'single',
    });
  expect(created.status).toBe(201);
  return { ws, hostId, eventTypeId: created.body.id as string };
}

async function startsOn(app: TestApp, apiKey: string, eventTypeId: string): Promise<string[]> {
  const res = await app
    .http()
    .get(`/v1/event-types/${eventTypeId}/slots?start=${at(0)}&end=${at(6)}`)
    .set(auth(apiKey));
  expect(res.status).toBe(200);
  return (res.body.slots as { start: string }[]).map((s) => s.start);
}

describe('hot reads, one instance', () => {
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

  it(
    usingPostgres
      ? 'answers warm event type, booking and slots reads without the database, and its own writes at once'
      : 'reads the database on every request on PGlite (no listener), as without a cache',
    async () => {
      const { ws, eventTypeId } = await bookableHost(t, emu, DEMO.users.adele.mail);
      const booked = await t
        .http()
        .post('/v1/bookings')
        .set(auth(ws.apiKey))
        .send({ eventTypeId, start: at(1), guest: { name: 'Jordan Lee', email: 'jordan@example.com' } });
      expect(booked.status).toBe(201);
      const reads = [
        `/v1/event-types/${eventTypeId}`,
        `/v1/bookings/${booked.body.id}`,
        `/v1/event-types/${eventTypeId}/slots?start=${at(0)}&end=${at(6)}`,
      ];
      const warm: unknown[] = [];
      for (const path of reads) warm.push((await t.http().get(path).set(auth(ws.apiKey)).expect(200)).body);
      await withoutTables(t.db, ['event_types', 'bookings'], async () => {
        for (const [i, path] of reads.entries()) {
          const res = await t.http().get(path).set(auth(ws.apiKey));
          if (usingPostgres) {
            expect(res.status).toBe(200);
            expect(res.body).toEqual(warm[i]);
          } else {
            expect(res.status).toBe(500);
          }
        }
      });
      expect(t.app.get(WorkspaceReadCache).serving).toBe(usingPostgres);

      const renamed = await t
        .http()
        .patch(`/v1/event-types/${eventTypeId}`)
        .set(auth(ws.apiKey))
        .send({ title: 'Renamed' });
      expect(renamed.status).toBe(200);
      expect((await t.http().get(reads[0]!).set(auth(ws.apiKey))).body.title).toBe('Renamed');
      await t.http().post(`/v1/bookings/${booked.body.id}/cancel`).set(auth(ws.apiKey)).send({}).expect(200);
      expect((await t.http().get(reads[1]!).set(auth(ws.apiKey))).body.status).toBe('cancelled');
      expect(await startsOn(t, ws.apiKey, eventTypeId)).toContain(slot(1));
    },
  );
});

describeOnPostgres(
  'hot reads across two instances',
  'two service instances need a PostgreSQL server (PGlite serves one connection in one process)',
  () => {
    let two: TwoInstances;
    beforeAll(async () => {
      two = await startTwoInstances();
    });
    afterAll(async () => two?.close());

    it("shows on B, at B's very next read, each change A answered: event type, booking, member, availability", async () => {
      const { a, b, emu } = two;
      const { ws, hostId, eventTypeId } = await bookableHost(a, emu, DEMO.users.megan.mail);
      const bearer = auth(ws.apiKey);
      for (let round = 0; round < 5; round++) {
        // B is warm, and answers from its cache (the table is away).
        await b.http().get(`/v1/event-types/${eventTypeId}`).set(bearer).expect(200);
        await withoutTables(two.db, ['event_types'], async () => {
          await b.http().get(`/v1/event-types/${eventTypeId}`).set(bearer).expect(200);
        });
        await a
          .http()
          .patch(`/v1/event-types/${eventTypeId}`)
          .set(bearer)
          .send({ title: `Round ${round}` })
          .expect(200);
        expect((await b.http().get(`/v1/event-types/${eventTypeId}`).set(bearer)).body.title).toBe(
          `Round ${round}`,
        );

        const before = await startsOn(b, ws.apiKey, eventTypeId);
        expect(before).toContain(slot(1, 30));
        const booked = await a
          .http()
          .post('/v1/bookings')
          .set(bearer)
          .send({
            eventTypeId,
            start: at(1, 30),
            guest: { name: 'Jordan Lee', email: 'jordan@example.com' },
          });
        expect(booked.status).toBe(201);
        expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before.filter((s) => s !== slot(1, 30)));
        expect((await b.http().get(`/v1/bookings/${booked.body.id}`).set(bearer)).body.status).toBe(
          'confirmed',
        );
        await a.http().post(`/v1/bookings/${booked.body.id}/cancel`).set(bearer).send({}).expect(200);
        expect((await b.http().get(`/v1/bookings/${booked.body.id}`).set(bearer)).body.status).toBe(
          'cancelled',
        );
        expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before);
      }

      // Availability changed on A: B's next slots follow the new hours.
      await a
        .http()
        .put(`/v1/members/${hostId}/availability`)
        .set(bearer)
        .send(
          nightsOnlyPolicy({
            weekly: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => ({
              day: d,
              intervals: [{ start: '02:00', end: '03:00' }],
            })),
          }),
        )
        .expect(200);
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual([slot(2), slot(2, 30)]);

      // Disabled on A: B no longer offers the member's time.
      await a.http().patch(`/v1/members/${hostId}`).set(bearer).send({ status: 'disabled' }).expect(200);
      const refused = await b
        .http()
        .get(`/v1/event-types/${eventTypeId}/slots?start=${at(0)}&end=${at(6)}`)
        .set(bearer);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_NOT_ACTIVE');
    });

    it("follows a change A's background work committed (an Outlook change's calendar version) once its notification is in", async () => {
      const { a, b, emu } = two;
      const { ws, hostId, eventTypeId } = await bookableHost(a, emu, DEMO.users.adele.mail);
      const before = await startsOn(b, ws.apiKey, eventTypeId);
      expect(before).toContain(slot(3));
      await emu.control.addEvent({
        userId: DEMO.users.adele.id,
        subject: 'Dentist',
        start: at(3),
        end: at(3, 30),
        showAs: 'busy',
        notify: false,
      });
      await a.app.get(CalendarVersions).bump(ws.id, hostId);
      // No request was answered: the jobs' writes reach B with their notification, which settled() waits for.
      await a.app.get(WorkspaceReadCache).settled();
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before.filter((s) => s !== slot(3)));
    });

    it('reads the database while its listening connection is lost, and serves from the cache once it is back', async () => {
      const { a, b, emu } = two;
      const { ws, eventTypeId } = await bookableHost(a, emu, DEMO.users.adele.mail);
      const path = `/v1/event-types/${eventTypeId}`;
      await b.http().get(path).set(auth(ws.apiKey)).expect(200);
      await two.db.orm.em
        .getConnection()
        .execute(
          `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kailenty-workspace-changes' and datname = current_database()`,
        );
      await new Promise((r) => setTimeout(r, 200));
      expect(b.app.get(WorkspaceReadCache).serving).toBe(false);
      await withoutTables(two.db, ['event_types'], async () => {
        expect((await b.http().get(path).set(auth(ws.apiKey))).status).toBe(500);
      });
      // Listening again within the retry (1 s); what it read before is not trusted, what it reads now is.
      await new Promise((r) => setTimeout(r, 1500));
      expect(b.app.get(WorkspaceReadCache).serving).toBe(true);
      await b.http().get(path).set(auth(ws.apiKey)).expect(200);
      await withoutTables(two.db, ['event_types'], async () => {
        await b.http().get(path).set(auth(ws.apiKey)).expect(200);
      });
      await a.http().delete(path).set(auth(ws.apiKey)).expect(204);
      expect((await b.http().get(path).set(auth(ws.apiKey))).status).toBe(404);
    });
  },
);
