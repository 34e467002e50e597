// Bookings racing across two service instances on one PostgreSQL database, against one Microsoft 365
// emulator: however many requests and instances race for a start, a host is never booked twice for
// overlapping times — one 201 per free host, SLOT_UNAVAILABLE for everyone else, one Outlook event per
// booking. Each instance has its own MikroORM (own connection pool), as two deployed replicas would.
//
// Writes of one host's bookings take a per-host transaction lock, so racing inserts meet the exclusion
// constraint one after the other (a clean SLOT_UNAVAILABLE); a deadlock that still happens elsewhere is a
// WriteConflict, retried. Every request ends 201 or 409, never 500, and winners answer synced.
import type { Emulator } from '../../emulator/emulator.js';
import { createOrm } from '@adapters/persistence/orm.js';
import { BookingJobs } from '@adapters/jobs/booking-jobs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../support/database.js';
import { DEMO, microsoftConfig, startTestEmulator } from '../support/microsoft.js';
import { connectedMember, createEventType } from '../support/bookable.js';

const REQUESTS = 50;
const TIMEOUT_MS = 60_000;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };
const auth = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

let emu: Emulator;
let db: TestDatabase;
let second: TestDatabase;
let a: TestApp;
let b: TestApp;

// PGlite is one embedded connection in one process: two instances cannot share it, so the race this
// file is about (two pools, two processes' worth of transactions) only exists on a PostgreSQL server.
describeOnPostgres(
  'bookings racing across two service instances (PostgreSQL)',
  'PGlite serves one connection in one process, so two service instances cannot share it',
  () => {
    beforeAll(async () => {
      emu = await startTestEmulator({ weeks: 1 });
      const overrides = { ...microsoftConfig(emu), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' };
      db = await createTestDatabase();
      // The second instance: its own MikroORM and pool on the same fresh database (already migrated).
      const orm = await createOrm({ kind: 'postgres', url: db.url! });
      second = { ...db, orm, close: () => orm.close() };
      a = await startTestApp(overrides, db);
      b = await startTestApp(overrides, second);
    }, TIMEOUT_MS);
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await second?.close();
      await db?.close();
      await emu?.close();
    });

    const sql = async <T>(query: string, params: unknown[] = []): Promise<T[]> =>
      (await db.orm.em.getConnection().execute(query, params)) as T[];

    /**
     * Hosts in the emulator's Contoso tenant with empty calendars in UTC (the demo people have seeded
     * meetings and out-of-office days), signed in through instance A, open every night UTC 00:00–06:00.
     */
    async function setup(hostCount: number, options: { slotIntervalMinutes?: number } = {}) {
      const ws = await a.workspace();
      const hostIds: string[] = [];
      const mailboxes: string[] = [];
      for (let i = 0; i < hostCount; i++) {
        const tag = Math.random().toString(36).slice(2, 8);
        const user = emu.control.addUser({
          tenantId: DEMO.tenantId,
          mail: `race.${tag}@${DEMO.tenantDomain}`,
          displayName: `Race host ${tag}`,
          timeZone: 'UTC',
          teamsLicence: true,
        });
        const id = await connectedMember(a, emu, ws.apiKey, { mail: user.mail });
        hostIds.push(id);
        mailboxes.push(user.id);
      }
      const eventType = await createEventType(a, ws.apiKey, hostIds, {
        slug: `race-${Math.random().toString(36).slice(2, 8)}`,
        title: 'Race call',
        ...(options.slotIntervalMinutes ? { slotIntervalMinutes: options.slotIntervalMinutes } : {}),
        assignment: hostCount > 1 ? 'round_robin' : 'single',
      });
      return { ws, hostIds, mailboxes, eventTypeId: eventType.id };
    }

    /** A night two days ahead, UTC, at hh:mm, written as the API writes times. */
    function night(hh: number, mm = 0): string {
      const d = new Date(Date.now() + 2 * 86_400_000);
      d.setUTCHours(hh, mm, 0, 0);
      return d.toISOString().replace('.000Z', 'Z');
    }

    /** Fires all bodies at once, alternating between the two instances. */
    async function race(apiKey: string, bodies: Record<string, unknown>[]) {
      const responses = await Promise.all(
        bodies.map((body, i) =>
          (i % 2 === 0 ? a : b).http().post('/v1/bookings').set(auth(apiKey)).send(body),
        ),
      );
      return responses.map((r) => ({ status: r.status, body: r.body }));
    }

    const statuses = (rs: { status: number }[]) =>
      rs.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

    /** The host's Outlook events created by kailenty for this event type, as the emulator holds them. */
    const outlookEvents = (mailbox: string) =>
      emu.control
        .events(mailbox)
        .filter((e) => (e.subject as string).startsWith('Race call') && !e.isCancelled)
        .map((e) => ({
          start: Date.parse(`${(e.start as { dateTime: string }).dateTime}Z`),
          end: Date.parse(`${(e.end as { dateTime: string }).dateTime}Z`),
        }));

    /** Pairs of confirmed bookings of one host whose times (or blocked ranges) overlap: must be none. */
    const overlappingPairs = (workspaceId: string) =>
      sql<{ a: string; b: string }>(
        `select x.id as a, y.id as b
         from bookings x join bookings y
           on x.host_id = y.host_id and x.id < y.id
        where x.workspace_id = ? and y.workspace_id = ?
          and x.status = 'confirmed' and y.status = 'confirmed'
          and (tstzrange(x.start_at, x.end_at) && tstzrange(y.start_at, y.end_at) or x.blocked && y.blocked)`,
        [workspaceId, workspaceId],
      );

    /** A 409 is never a lie: at every start some request was refused, every host is booked over that start. */
    async function expectRefusedStartsFull(
      workspaceId: string,
      hostIds: string[],
      bodies: { start: string }[],
      results: { status: number }[],
    ) {
      const rows = await sql<{ host_id: string; start_at: Date; end_at: Date }>(
        `select host_id, start_at, end_at from bookings where workspace_id = ? and status = 'confirmed'`,
        [workspaceId],
      );
      const refused = new Set(bodies.filter((_, i) => results[i]!.status === 409).map((b) => b.start));
      for (const start of refused) {
        const from = Date.parse(start);
        const to = from + 30 * 60_000;
        const free = hostIds.filter(
          (h) =>
            !rows.some(
              (r) =>
                r.host_id === h && new Date(r.start_at).getTime() < to && new Date(r.end_at).getTime() > from,
            ),
        );
        expect({ start, free }).toEqual({ start, free: [] });
      }
    }

    /**
     * A winner's answer carries its calendar write. Regression check: the save after the Outlook write
     * (`update bookings … calendar_event_id = …`) writes a new row version into the bookings_no_overlap index
     * and is checked again against the losers' uncommitted inserts for the same host and time; PostgreSQL can
     * abort it with 40P01. Before ce3dc11 that save was not retried and the API answered 201 `pending` with
     * no event id, though the event existed in Outlook. Checked last, after the invariants above.
     */
    async function expectWinnersSynced(
      won: { id: string; calendar: { syncStatus: string; eventId: string | null; lastError?: string } }[],
      options: { underLoad?: boolean } = {},
    ) {
      let pending = won.filter((w) => w.calendar.syncStatus !== 'synced' || !w.calendar.eventId);
      if (options.underLoad && pending.length > 0) {
        // API.md allows `pending` when the first write takes longer than 5 s (a machine saturated by dozens of
        // racing requests, or by other tests): the booking must then complete on its own — wait and check.
        const deadline = Date.now() + 15_000;
        while (pending.length > 0 && Date.now() < deadline) {
          const rows = await sql<{ id: string; calendar: unknown }>(
            `select id, calendar from bookings where id in (${pending.map(() => '?').join(',')})`,
            pending.map((p) => p.id),
          );
          const synced = new Set(
            rows
              .map((r) => ({
                id: r.id,
                c: (typeof r.calendar === 'string' ? JSON.parse(r.calendar) : r.calendar) as {
                  syncStatus: string;
                  eventId: string | null;
                },
              }))
              .filter((r) => r.c.syncStatus === 'synced' && r.c.eventId)
              .map((r) => r.id),
          );
          pending = pending.filter((p) => !synced.has(p.id));
          if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      if (pending.length > 0) {
        throw new Error(
          `${pending.length} of ${won.length} winning bookings answered 201 with syncStatus ` +
            `"${pending[0]!.calendar.syncStatus}" and no event id, though Microsoft 365 was healthy ` +
            `(last errors: ${JSON.stringify(pending.map((p) => p.calendar.lastError ?? null))})`,
        );
      }
    }

    /** Every racing request ends 201 or 409 SLOT_UNAVAILABLE: a deadlock victim is retried, never a 500. */
    function expectOnlyCreatedOrRefused(results: { status: number; body: { code?: string } }[]) {
      const errors = results.filter((r) => r.status !== 201 && r.status !== 409);
      if (errors.length > 0) {
        throw new Error(
          `${errors.length} of ${results.length} racing bookings answered ` +
            `${[...new Set(errors.map((r) => `${r.status} ${r.body.code ?? ''}`))].join(', ')} instead of ` +
            '201/409 (a write conflict must be retried, a taken slot refused)',
        );
      }
      for (const r of results.filter((r) => r.status === 409)) expect(r.body.code).toBe('SLOT_UNAVAILABLE');
    }

    it(
      `${REQUESTS} simultaneous bookings of one single-host start: one 201, the rest SLOT_UNAVAILABLE, one row, one Outlook event`,
      async () => {
        const { ws, hostIds, mailboxes, eventTypeId } = await setup(1);
        const start = night(1);
        const bodies = Array.from({ length: REQUESTS }, (_, i) => ({
          eventTypeId,
          start,
          guest: { ...guest, email: `guest${i}@example.com` },
        }));
        const results = await race(ws.apiKey, bodies);
        expect(results.filter((r) => r.status === 201)).toHaveLength(1);
        const won = results.find((r) => r.status === 201)!.body;
        expect(won).toMatchObject({
          hostId: hostIds[0],
          start,
          status: 'confirmed',
        });
        const rows = await sql<{ id: string }>('select id from bookings where workspace_id = ?', [ws.id]);
        expect(rows.map((r) => r.id)).toEqual([won.id]);
        expect(outlookEvents(mailboxes[0]!)).toEqual([
          { start: Date.parse(start), end: Date.parse(start) + 30 * 60_000 },
        ]);
        // Both instances agree afterwards.
        for (const t of [a, b]) {
          const again = await t
            .http()
            .post('/v1/bookings')
            .set(auth(ws.apiKey))
            .send({ eventTypeId, start, guest });
          expect(again.body.code).toBe('SLOT_UNAVAILABLE');
        }
        expectOnlyCreatedOrRefused(results);
        expect(statuses(results)).toEqual({ 201: 1, 409: REQUESTS - 1 });
        await expectWinnersSynced([won]);
      },
      TIMEOUT_MS,
    );

    it(
      `${REQUESTS} simultaneous bookings of one start of a 3-host round robin: exactly three 201, three different hosts`,
      async () => {
        const { ws, hostIds, mailboxes, eventTypeId } = await setup(3);
        const start = night(2);
        const bodies = Array.from({ length: REQUESTS }, (_, i) => ({
          eventTypeId,
          start,
          guest: { ...guest, email: `guest${i}@example.com` },
        }));
        const results = await race(ws.apiKey, bodies);
        expect(results.filter((r) => r.status === 201)).toHaveLength(3);
        const won = results.filter((r) => r.status === 201).map((r) => r.body);
        expect(new Set(won.map((w) => w.hostId))).toEqual(new Set(hostIds));
        const [count] = await sql<{ n: number }>(
          'select count(*)::int as n from bookings where workspace_id = ?',
          [ws.id],
        );
        expect(count!.n).toBe(3);
        for (const mailbox of mailboxes) expect(outlookEvents(mailbox)).toHaveLength(1);
        expect(await overlappingPairs(ws.id)).toEqual([]);
        await expectRefusedStartsFull(ws.id, hostIds, bodies, results);
        expectOnlyCreatedOrRefused(results);
        expect(statuses(results)).toEqual({ 201: 3, 409: REQUESTS - 3 });
        await expectWinnersSynced(won, { underLoad: true });
      },
      TIMEOUT_MS,
    );

    it(
      'overlapping 30-minute starts (:00, :15, :30, :45) racing on a 3-host pool never give a host two overlapping bookings',
      async () => {
        const { ws, hostIds, mailboxes, eventTypeId } = await setup(3, { slotIntervalMinutes: 15 });
        // Round 1: :00 against :15 — the two starts overlap, so the pool holds exactly three bookings.
        const bodies1 = Array.from({ length: REQUESTS }, (_, i) => ({
          eventTypeId,
          start: night(3, i % 2 === 0 ? 0 : 15),
          guest: { ...guest, email: `guest${i}@example.com` },
        }));
        const round1 = await race(ws.apiKey, bodies1);
        expect(round1.filter((r) => r.status === 201)).toHaveLength(3);
        expect(new Set(round1.filter((r) => r.status === 201).map((r) => r.body.hostId))).toEqual(
          new Set(hostIds),
        );
        expect(await overlappingPairs(ws.id)).toEqual([]);
        await expectRefusedStartsFull(ws.id, hostIds, bodies1, round1);

        // Round 2: a denser mix, ten requests at each quarter hour from 04:00 to 05:30.
        const starts = Array.from({ length: 7 }, (_, q) => night(4 + Math.floor(q / 4), (q % 4) * 15));
        const bodies2 = Array.from({ length: 70 }, (_, i) => ({
          eventTypeId,
          start: starts[i % starts.length]!,
          guest: { ...guest, email: `late${i}@example.com` },
        }));
        const round2 = await race(ws.apiKey, bodies2);
        const created2 = round2.filter((r) => r.status === 201).length;
        // 04:00–06:00 holds at most four 30-minute bookings per host. And every start was asked for more
        // often than there are hosts, so no host is left with a free start: a booking blocks at most three
        // of the seven starts (its own and its neighbours), hence at least three bookings per host.
        expect(created2).toBeGreaterThanOrEqual(9);
        expect(created2).toBeLessThanOrEqual(12);
        expect(await overlappingPairs(ws.id)).toEqual([]);
        await expectRefusedStartsFull(ws.id, hostIds, bodies2, round2);

        // The database and Outlook agree: one event per confirmed booking, none overlapping per host.
        const rows = await sql<{ host_id: string; start_at: Date; end_at: Date }>(
          `select host_id, start_at, end_at from bookings where workspace_id = ? and status = 'confirmed'`,
          [ws.id],
        );
        expect(rows).toHaveLength(3 + created2);
        hostIds.forEach((hostId, i) => {
          const booked = rows
            .filter((r) => r.host_id === hostId)
            .map((r) => ({ start: new Date(r.start_at).getTime(), end: new Date(r.end_at).getTime() }))
            .sort((x, y) => x.start - y.start);
          const events = outlookEvents(mailboxes[i]!).sort((x, y) => x.start - y.start);
          expect(events).toEqual(booked);
          expect(booked.filter((x) => x.start >= Date.parse(night(4))).length).toBeGreaterThanOrEqual(3);
          for (let k = 1; k < events.length; k++)
            expect(events[k]!.start).toBeGreaterThanOrEqual(events[k - 1]!.end);
        });
        expectOnlyCreatedOrRefused([...round1, ...round2]);
        await expectWinnersSynced(
          [...round1, ...round2].filter((r) => r.status === 201).map((r) => r.body),
          { underLoad: true },
        );
      },
      TIMEOUT_MS,
    );

    /**
     * Regression check: the API's first calendar attempt claims the new booking's outbox row; when a
     * calendar-sync worker (this instance's timer or another instance's) claimed it first, the API answered
     * at once with `syncStatus: pending` and `joinUrl: null` though Microsoft 365 was healthy (before
     * ce3dc11; seen on 7 of 200 bookings in `npm run bench:bookings` on a loaded machine). Now it waits for
     * that write. Here instance B's worker polls continuously to make the race likely.
     */
    it(
      'a booking on one instance while the other instance’s calendar-sync worker polls still answers synced with its Teams link',
      async () => {
        const { ws, mailboxes, eventTypeId } = await setup(1);
        let polling = true;
        const worker = (async () => {
          while (polling) {
            await b.app.get(BookingJobs).syncOnce();
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        })();
        const answers: {
          status: number;
          body: { calendar: { syncStatus: string }; location: { joinUrl: string | null } };
        }[] = [];
        try {
          for (let k = 0; k < 12; k++) {
            const res = await a
              .http()
              .post('/v1/bookings')
              .set(auth(ws.apiKey))
              .send({ eventTypeId, start: night(Math.floor(k / 2), (k % 2) * 30), guest });
            answers.push({ status: res.status, body: res.body });
          }
        } finally {
          polling = false;
          await worker;
        }
        expect(answers.map((r) => r.status)).toEqual(Array(12).fill(201));
        // Nothing is lost: every booking ends synced, with exactly one Outlook event each.
        await b.app.get(BookingJobs).syncOnce();
        const rows = await sql<{ calendar: { syncStatus: string } | string }>(
          `select calendar from bookings where workspace_id = ?`,
          [ws.id],
        );
        expect(
          rows.map((r) => (typeof r.calendar === 'string' ? JSON.parse(r.calendar) : r.calendar).syncStatus),
        ).toEqual(Array(12).fill('synced'));
        expect(outlookEvents(mailboxes[0]!)).toHaveLength(12);
        // But the answers should already carry the write: Microsoft 365 was healthy throughout.
        const pending = answers.filter(
          (r) => r.body.calendar.syncStatus !== 'synced' || !r.body.location.joinUrl,
        );
        if (pending.length > 0) {
          throw new Error(
            `${pending.length} of ${answers.length} bookings answered 201 with syncStatus ` +
              `"${pending[0]!.body.calendar.syncStatus}" and joinUrl ${pending[0]!.body.location.joinUrl} although ` +
              'Microsoft 365 was healthy (did the API give up because a worker had claimed the write first?).',
          );
        }
      },
      TIMEOUT_MS,
    );

    it(
      'a collective booking racing single bookings of its co-host on two instances, 10 requests at once: exactly one 201',
      async () => {
        const { ws, hostIds, mailboxes } = await setup(2);
        const team = await createEventType(a, ws.apiKey, hostIds, {
          slug: `race-team-${Math.random().toString(36).slice(2, 8)}`,
          title: 'Race call',
          assignment: 'collective',
        });
        const coHostAlone = await createEventType(a, ws.apiKey, [hostIds[1]!], {
          slug: `race-solo-${Math.random().toString(36).slice(2, 8)}`,
          title: 'Race call',
        });
        const start = night(3);
        const bodies = Array.from({ length: 10 }, (_, i) => ({
          // Half the team's type, half the co-host's own, each half spread over both instances.
          eventTypeId: i % 4 < 2 ? team.id : coHostAlone.id,
          start,
          guest: { ...guest, email: `guest${i}@example.com` },
        }));
        const results = await race(ws.apiKey, bodies);
        expectOnlyCreatedOrRefused(results);
        expect(statuses(results)).toEqual({ 201: 1, 409: 9 });
        const won = results.find((r) => r.status === 201)!.body;
        // Whoever won, the co-host is booked once at that time, in the table that guards every host.
        const taken = await sql<{ host_id: string }>(
          'select host_id from booking_hosts where workspace_id = ? order by organiser desc',
          [ws.id],
        );
        expect(taken.map((r) => r.host_id)).toEqual(won.hostIds);
        const events = outlookEvents(mailboxes[1]!).filter((e) => e.start === Date.parse(start));
        // The co-host has one event at that time: their own booking's, or their copy of the team's invitation.
        expect(events).toHaveLength(1);
        await expectWinnersSynced([won]);
      },
      TIMEOUT_MS,
    );
  },
);
