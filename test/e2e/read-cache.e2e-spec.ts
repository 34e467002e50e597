// Hot reads from the process (WorkspaceReadCache): a warm slots query, an event type and a booking are answered
// without the database on PostgreSQL, and yet a read on any instance right after another instance's write was
// answered shows that write — an event type changed or deleted, a booking made or cancelled, a member disabled,
// an availability changed. An instance that is not listening (its connection lost, or PGlite, which has no
// other instance to hear from) reads the database on every request, as without the cache.
import { WorkspaceReadCache } from '@adapters/persistence/workspace-read-cache.js';
import type { PostgresListener } from '@adapters/persistence/postgres-listener.js';
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { describeOnPostgres, usingPostgres, type TestDatabase } from '../support/database.js';
import { DEMO, microsoftConfig, nightsOnlyPolicy, startTestEmulator } from '../support/microsoft.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { bookableWorkspace, night } from '../support/bookable.js';
import { eventually } from '../support/eventually.js';
import type { Emulator } from '../../emulator/emulator.js';

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

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

/**
 * Keeps `app`'s listening connection busy for 300 ms (a statement on it: PostgreSQL hands notifications over
 * only between statements), as a loaded instance would be: what is committed meanwhile reaches it late.
 */
function slowToHear(app: TestApp): Promise<unknown> {
  const cache = app.app.get(WorkspaceReadCache) as unknown as { listener: PostgresListener };
  return cache.listener.query('select pg_sleep(0.3)');
}

async function startsOn(app: TestApp, apiKey: string, eventTypeId: string): Promise<string[]> {
  const res = await app
    .http()
    .get(`/v1/event-types/${eventTypeId}/slots?start=${night(0)}&end=${night(6)}`)
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
      const { ws, eventTypeId } = await bookableWorkspace(t, emu, { mail: DEMO.users.adele.mail });
      const booked = await t
        .http()
        .post('/v1/bookings')
        .set(auth(ws.apiKey))
        .send({ eventTypeId, start: night(1), guest: { name: 'Jordan Lee', email: 'jordan@example.com' } });
      expect(booked.status).toBe(201);
      const reads = [
        `/v1/event-types/${eventTypeId}`,
        `/v1/bookings/${booked.body.id}`,
        `/v1/event-types/${eventTypeId}/slots?start=${night(0)}&end=${night(6)}`,
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
      expect(await startsOn(t, ws.apiKey, eventTypeId)).toContain(night(1));
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
      const { ws, hostId, eventTypeId } = await bookableWorkspace(a, emu, { mail: DEMO.users.megan.mail });
      const bearer = auth(ws.apiKey);
      for (let round = 0; round < 5; round++) {
        // B is warm, and answers from its cache (the table is away).
        await b.http().get(`/v1/event-types/${eventTypeId}`).set(bearer).expect(200);
        await withoutTables(two.db, ['event_types'], async () => {
          await b.http().get(`/v1/event-types/${eventTypeId}`).set(bearer).expect(200);
        });
        // B's listening connection is busy for a moment, so B hears A's change late: A's answer must wait.
        const busy = slowToHear(b);
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
        expect(before).toContain(night(1, 30));
        const booked = await a
          .http()
          .post('/v1/bookings')
          .set(bearer)
          .send({
            eventTypeId,
            start: night(1, 30),
            guest: { name: 'Jordan Lee', email: 'jordan@example.com' },
          });
        expect(booked.status).toBe(201);
        expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before.filter((s) => s !== night(1, 30)));
        expect((await b.http().get(`/v1/bookings/${booked.body.id}`).set(bearer)).body.status).toBe(
          'confirmed',
        );
        await busy;
        const busyAgain = slowToHear(b);
        await a.http().post(`/v1/bookings/${booked.body.id}/cancel`).set(bearer).send({}).expect(200);
        expect((await b.http().get(`/v1/bookings/${booked.body.id}`).set(bearer)).body.status).toBe(
          'cancelled',
        );
        expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before);
        await busyAgain;
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
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual([night(2), night(2, 30)]);

      // Disabled on A: B no longer offers the member's time.
      await a.http().patch(`/v1/members/${hostId}`).set(bearer).send({ status: 'disabled' }).expect(200);
      const refused = await b
        .http()
        .get(`/v1/event-types/${eventTypeId}/slots?start=${night(0)}&end=${night(6)}`)
        .set(bearer);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_NOT_ACTIVE');
    });

    it("follows a change A's background work committed (an Outlook change's calendar version) once its notification is in", async () => {
      const { a, b, emu } = two;
      const { ws, hostId, eventTypeId } = await bookableWorkspace(a, emu, { mail: DEMO.users.adele.mail });
      const before = await startsOn(b, ws.apiKey, eventTypeId);
      expect(before).toContain(night(3));
      await emu.control.addEvent({
        userId: DEMO.users.adele.id,
        subject: 'Dentist',
        start: night(3),
        end: night(3, 30),
        showAs: 'busy',
        notify: false,
      });
      await a.app.get(CalendarVersions).bump(ws.id, hostId);
      // No request was answered: the jobs' writes reach B with their notification, which settled() waits for.
      await a.app.get(WorkspaceReadCache).settled();
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before.filter((s) => s !== night(3)));
    });

    it('reads the database while its listening connection is lost, and serves from the cache once it is back', async () => {
      const { a, b, emu } = two;
      const { ws, eventTypeId } = await bookableWorkspace(a, emu, { mail: DEMO.users.adele.mail });
      const path = `/v1/event-types/${eventTypeId}`;
      await b.http().get(path).set(auth(ws.apiKey)).expect(200);
      await two.db.orm.em
        .getConnection()
        .execute(
          `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kailenty-workspace-changes' and datname = current_database()`,
        );
      // B notices (pg_terminate_backend only signals the server process: it ends in its own time).
      await eventually(() => expect(b.app.get(WorkspaceReadCache).serving).toBe(false));
      await withoutTables(two.db, ['event_types'], async () => {
        expect((await b.http().get(path).set(auth(ws.apiKey))).status).toBe(500);
      });
      // Listening again after the retry (1 s); what it read before is not trusted, what it reads now is.
      await eventually(() => expect(b.app.get(WorkspaceReadCache).serving).toBe(true));
      await b.http().get(path).set(auth(ws.apiKey)).expect(200);
      await withoutTables(two.db, ['event_types'], async () => {
        await b.http().get(path).set(auth(ws.apiKey)).expect(200);
      });
      await a.http().delete(path).set(auth(ws.apiKey)).expect(204);
      expect((await b.http().get(path).set(auth(ws.apiKey))).status).toBe(404);
    });
  },
);
