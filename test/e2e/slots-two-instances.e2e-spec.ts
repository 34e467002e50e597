// Warm slots on one instance are current with what another instance did: a booking made on A is gone from
// B's very next answer, and a calendar change A learnt of (its calendar version bumped) makes B read
// Microsoft 365 again, though B had that host's free/busy cached; a booking's new Outlook event needs no new
// read (the booking blocks its time), but its cancel on A gives the time back at B's next query. What B keeps
// in process (free/busy, the read model's rows) is judged by what the database says, or has notified it of.
import { CalendarVersions } from '@application/ports/calendar-versions.js';
import { createOrm } from '@adapters/persistence/orm.js';
import { WorkspaceReadCache } from '@adapters/persistence/workspace-read-cache.js';
import type { Emulator } from '../../emulator/emulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';
import {
  activeMember,
  connectMember,
  DEMO,
  microsoftConfig,
  nightsOnlyPolicy,
  startTestEmulator,
} from '../support/microsoft.js';

const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });
const day = new Date(Date.now() + 3 * 86_400_000);
day.setUTCHours(0, 0, 0, 0);
const at = (h: number, m = 0) => new Date(day.getTime() + (h * 60 + m) * 60_000).toISOString();

describeOnPostgres(
  'warm slots across two instances',
  'two service instances need a PostgreSQL server (PGlite serves one connection in one process)',
  () => {
    let emu: Emulator;
    let db: TestDatabase;
    let second: TestDatabase;
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      emu = await startTestEmulator({ weeks: 1 });
      db = await createTestDatabase();
      const orm = await createOrm({ kind: 'postgres', url: db.url! });
      second = { ...db, orm, close: () => orm.close() };
      a = await startTestApp(microsoftConfig(emu), db);
      b = await startTestApp(microsoftConfig(emu), second);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await second?.close();
      await db?.close();
      await emu?.close();
    });

    async function startsOn(app: TestApp, apiKey: string, eventTypeId: string): Promise<string[]> {
      const res = await app
        .http()
        .get(`/v1/event-types/${eventTypeId}/slots?start=${at(0)}&end=${at(6)}`)
        .set(auth(apiKey));
      expect(res.status).toBe(200);
      return (res.body.slots as { start: string }[]).map((s) => s.start);
    }

    const schedules = () => emu.control.requests().filter((q) => /getSchedule/i.test(q.path)).length;

    it('drops from B at once a slot booked on A, and reads Microsoft again on B once A bumped the calendar', async () => {
      const ws = await a.workspace();
      const adele = await activeMember(a, ws.apiKey, DEMO.users.adele.mail);
      expect((await connectMember(a, emu, ws.apiKey, adele)).location!.searchParams.get('result')).toBe(
        'connected',
      );
      await a.http().put(`/v1/members/${adele}/availability`).set(auth(ws.apiKey)).send(nightsOnlyPolicy());
      const created = await a
        .http()
        .post('/v1/event-types')
        .set(auth(ws.apiKey))
        .send({
          slug: 'two-instances',
          title: 'Intro call',
          durationMinutes: 30,
          location: { kind: 'in_person', value: 'Room 1' },
          hostIds: [adele],
          assignment: 'single',
        });
      expect(created.status).toBe(201);
      const eventTypeId = created.body.id as string;

      // B's cache is warm: its second answer makes no Graph call.
      const before = await startsOn(b, ws.apiKey, eventTypeId);
      expect(before).toContain(at(1).replace('.000Z', 'Z'));
      const calls = schedules();
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before);
      expect(schedules()).toBe(calls);

      const booked = await a
        .http()
        .post('/v1/bookings')
        .set(auth(ws.apiKey))
        .send({
          eventTypeId,
          start: at(1),
          guest: { name: 'Jordan Lee', email: 'jordan@example.com' },
        });
      expect(booked.status).toBe(201);
      const after = await startsOn(b, ws.apiKey, eventTypeId);
      expect(after).not.toContain(at(1).replace('.000Z', 'Z'));
      expect(after).toEqual(before.filter((s) => s !== at(1).replace('.000Z', 'Z')));

      // An Outlook change B cannot see in its cache: A hears of it (here: bumps the version itself).
      const warm = await startsOn(b, ws.apiKey, eventTypeId);
      await emu.control.addEvent({
        userId: DEMO.users.adele.id,
        subject: 'Dentist',
        start: at(3),
        end: at(3, 30),
        showAs: 'busy',
        notify: false,
      });
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(warm);
      await a.app.get(CalendarVersions).bump(ws.id, adele);
      // A job's write reaches B with its notification (no request was answered to wait for it).
      await a.app.get(WorkspaceReadCache).settled();
      const calls2 = schedules();
      const changed = await startsOn(b, ws.apiKey, eventTypeId);
      expect(schedules()).toBe(calls2 + 1);
      expect(changed).toEqual(warm.filter((s) => s !== at(3).replace('.000Z', 'Z')));
    });

    it('keeps B current when A books (no new Microsoft read), when A hears of an Outlook change, and when A cancels', async () => {
      const ws = await a.workspace();
      const megan = await activeMember(a, ws.apiKey, DEMO.users.megan.mail);
      expect((await connectMember(a, emu, ws.apiKey, megan)).location!.searchParams.get('result')).toBe(
        'connected',
      );
      await a.http().put(`/v1/members/${megan}/availability`).set(auth(ws.apiKey)).send(nightsOnlyPolicy());
      const created = await a
        .http()
        .post('/v1/event-types')
        .set(auth(ws.apiKey))
        .send({
          slug: 'two-instances-echo',
          title: 'Intro call',
          durationMinutes: 30,
          location: { kind: 'in_person', value: 'Room 1' },
          hostIds: [megan],
          assignment: 'single',
        });
      expect(created.status).toBe(201);
      const eventTypeId = created.body.id as string;
      const slot = (h: number) => at(h).replace('.000Z', 'Z');
      const before = await startsOn(b, ws.apiKey, eventTypeId);
      expect(before).toEqual(expect.arrayContaining([slot(1), slot(3)]));
      const booked = await a
        .http()
        .post('/v1/bookings')
        .set(auth(ws.apiKey))
        .send({ eventTypeId, start: at(1), guest: { name: 'Jordan Lee', email: 'jordan@example.com' } });
      expect(booked.status).toBe(201);
      // The new Outlook event adds busy time only where the booking already blocks: B's warm free/busy stands.
      const calls = schedules();
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before.filter((s) => s !== slot(1)));
      expect(schedules()).toBe(calls);

      // The host adds an event in Outlook and A hears of it (here: bumps the version itself, as a notification
      // would): B reads Microsoft again, and its cache now holds our event too.
      await emu.control.addEvent({
        userId: DEMO.users.megan.id,
        subject: 'Dentist',
        start: at(3),
        end: at(3, 30),
        showAs: 'busy',
        notify: false,
      });
      await a.app.get(CalendarVersions).bump(ws.id, megan);
      await a.app.get(WorkspaceReadCache).settled();
      const withDentist = await startsOn(b, ws.apiKey, eventTypeId);
      expect(schedules()).toBe(calls + 1);
      expect(withDentist).toEqual(before.filter((s) => s !== slot(1) && s !== slot(3)));

      // Cancelled on A: B's cached free/busy holds our event, yet the time is back at B's next query.
      const cancelled = await a
        .http()
        .post(`/v1/bookings/${booked.body.id}/cancel`)
        .set(auth(ws.apiKey))
        .send({ reason: 'Plans changed' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.calendar.syncStatus).toBe('synced');
      expect(await startsOn(b, ws.apiKey, eventTypeId)).toEqual(before.filter((s) => s !== slot(3)));
    });
  },
);
