// A service process killed between the booking's commit and the end of its calendar write (issue 6: "A
// process killed between commit and write finishes the write after restart, exactly once"). This runs the
// real service as a child process (`dist/src/main.js`, production configuration, its jobs on) against the
// Microsoft 365 emulator of this test process, trusted through NODE_EXTRA_CA_CERTS, and a PostgreSQL
// database; kills it with SIGKILL once Microsoft has written the event but before the service heard of
// it, starts it again and checks that the booking completes with exactly one Outlook event.
import { randomBytes } from 'node:crypto';
import type { Emulator } from '../../emulator/emulator.js';
import {
  createTestDatabase,
  describeOnPostgres,
  usingPostgres,
  type TestDatabase,
} from '../support/database.js';
import { DEMO } from '../support/microsoft.js';
import {
  ServiceProcess,
  bookableHost,
  buildService,
  deploymentEnv,
  freePort,
  startServiceEmulator,
} from '../support/service-process.js';

const OPERATOR_TOKEN = `op-${randomBytes(16).toString('hex')}`;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

let emu: Emulator;
let db: TestDatabase;
let service: ServiceProcess;

beforeAll(async () => {
  if (!usingPostgres) return;
  await buildService();
  const port = await freePort();
  emu = await startServiceEmulator([port]);
  db = await createTestDatabase();
  service = new ServiceProcess(port, deploymentEnv(emu, db, OPERATOR_TOKEN));
  await service.start();
}, 120_000);

afterAll(async () => {
  await service?.kill();
  await db?.close();
  await emu?.close();
});

describeOnPostgres(
  'a service process killed mid-write',
  'the restarted process must find the data of the killed one, and an in-memory PGlite dies with its process',
  () => {
    it('finishes the calendar write after restart, exactly once, with the same Teams link', async () => {
      const { apiKey: key, eventTypeId, start } = await bookableHost(service, emu, OPERATOR_TOKEN);

      // Microsoft writes the event, then its answer is held: the service dies before it hears of it.
      emu.control.injectFault({
        match: { method: 'POST', pathPrefix: '/v1.0/me/events', userId: DEMO.users.megan.id },
        latencyMs: 3_000,
        afterHandler: true,
      });
      const eventsOfMegan = () =>
        emu.control.events(DEMO.users.megan.id).filter((e) => (e.subject as string).startsWith('Intro call'));
      const answer = service
        .api('POST', '/v1/bookings', key, { eventTypeId, start, guest })
        .catch((error: Error) => error);
      await service.until('Microsoft to write the event', async () => eventsOfMegan().length === 1);
      await service.kill();
      expect(await answer).not.toHaveProperty('status'); // the client never got an answer, only a reset
      emu.control.clearFaults();
      const [written] = eventsOfMegan();

      // The booking was committed with its outbox job; its lease (one minute) has not run out yet.
      const [job] = await db.orm.em
        .getConnection()
        .execute<{ leased: boolean }[]>('select locked_until > now() as leased from calendar_sync_queue');
      expect(job!.leased).toBe(true);
      // A minute passes: the dead process's lease runs out.
      await db.orm.em
        .getConnection()
        .execute(`update calendar_sync_queue set locked_until = now() - interval '1 second'`);

      const restartedAt = Math.max(0, ...emu.control.requests({}).map((r) => r.seq));
      await service.start();
      const booking = await service.until('the booking to be synced by the restarted service', async () => {
        const list = await service.api('GET', '/v1/bookings', key);
        const b = list.body.data?.[0];
        return b?.calendar.syncStatus === 'synced' ? b : null;
      });
      expect(booking).toMatchObject({ status: 'confirmed', start: expect.any(String) });
      expect(Date.parse(booking.start)).toBe(Date.parse(start));

      // The restarted worker POSTed again with the same transactionId and Microsoft answered with the event
      // it had already made: one event, the booking pointing at it, the same Teams link.
      const retried = emu.control
        .requests({ pathPrefix: '/v1.0/me/events', method: 'POST' })
        .filter((p) => p.userId === DEMO.users.megan.id && p.seq > restartedAt);
      expect(retried.map((p) => p.status)).toEqual([201]);
      expect(eventsOfMegan()).toHaveLength(1);
      expect(eventsOfMegan()[0]!.id).toBe(written!.id);
      expect(booking.calendar.eventId).toBe(written!.id);
      expect(booking.location.joinUrl).toBe(
        (written!.onlineMeeting as { joinUrl: string } | null)?.joinUrl ?? null,
      );
      expect(booking.location.joinUrl).toMatch(/^https:\/\//);
    }, 90_000);
  },
);
