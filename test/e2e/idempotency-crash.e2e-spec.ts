// An Idempotency-Key survives a crashed instance: two instances of the real service (child processes, as
// `npm start` runs them) on one PostgreSQL database. The one running a booking request is killed with
// SIGKILL once the booking committed, while its calendar write is in flight (Graph slowed to 2.5 s). The
// client's retry on the other instance is told to wait while the dead request's lease runs, then gets 201
// with the booking that request committed, within seconds of the lease running out: never
// SLOT_UNAVAILABLE for its own time. And a request that is alive keeps its key past one lease.
import { randomBytes } from 'node:crypto';
import type { Emulator } from '../../emulator/emulator.js';
import { IDEMPOTENCY_LEASE_MS } from '@domain/idempotency/idempotency-key.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { DEMO } from '../support/microsoft.js';
import {
  ServiceProcess,
  bookableHost,
  buildService,
  deploymentEnv,
  freePort,
  sleep,
  startServiceEmulator,
  type ApiAnswer,
} from '../support/service-process.js';

// Two processes share the data, and one dies: an embedded in-memory PGlite lives in one process only.
const describeOnPostgres = usingPostgres ? describe : describe.skip;
if (!usingPostgres) {
  console.info(
    'idempotency-crash.e2e-spec: skipped — needs DATABASE_URL (one database for two service processes).',
  );
}

const OPERATOR_TOKEN = `op-${randomBytes(16).toString('hex')}`;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

let emu: Emulator;
let db: TestDatabase;
let one: ServiceProcess;
let two: ServiceProcess;

const sql = <T>(query: string, params: unknown[] = []) =>
  db.orm.em.getConnection().execute<T[]>(query, params);

function expectProblem(answer: ApiAnswer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

beforeAll(async () => {
  if (!usingPostgres) return;
  await buildService();
  const ports = [await freePort(), await freePort()];
  emu = await startServiceEmulator(ports);
  db = await createTestDatabase();
  const env = deploymentEnv(emu, db, OPERATOR_TOKEN);
  one = new ServiceProcess(ports[0]!, env);
  two = new ServiceProcess(ports[1]!, env);
  await Promise.all([one.start(), two.start()]);
}, 120_000);

afterAll(async () => {
  await one?.kill();
  await two?.kill();
  await db?.close();
  await emu?.close();
});

describeOnPostgres('an Idempotency-Key across two instances', () => {
  it('a retry after the instance died mid-request gets 201 with the booking that request committed', async () => {
    const { apiKey, eventTypeId, start } = await bookableHost(one, emu, OPERATOR_TOKEN);
    const body = { eventTypeId, start, guest };
    const withKey = { 'idempotency-key': 'K-crash' };
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/events', userId: DEMO.users.megan.id },
      latencyMs: 2_500,
      afterHandler: true,
    });
    const eventsOfMegan = () =>
      emu.control.events(DEMO.users.megan.id).filter((e) => (e.subject as string).startsWith('Intro call'));

    // Instance two commits the booking and is writing its event when it is killed.
    const answer = two.api('POST', '/v1/bookings', apiKey, body, withKey).catch((error: Error) => error);
    await two.until('the booking’s calendar write to be under way', async () => eventsOfMegan().length === 1);
    await two.kill();
    expect(await answer).not.toHaveProperty('status'); // the client never got an answer, only a reset
    const [committed] = await sql<{ id: string }>('select id from bookings');
    expect(committed).toBeDefined();

    // The retry, on instance one, is told to wait while the dead request's lease runs…
    const first = await one.api('POST', '/v1/bookings', apiKey, body, withKey);
    expectProblem(first, 409, 'IDEMPOTENCY_KEY_IN_USE');
    const wait = Number(first.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(IDEMPOTENCY_LEASE_MS / 1000);
    // …and, retrying as told, gets its own booking once the lease ran out: never SLOT_UNAVAILABLE.
    let retry = first;
    let toldToWait = 0;
    while (retry.status === 409 && retry.body.code === 'IDEMPOTENCY_KEY_IN_USE') {
      const seconds = Number(retry.headers.get('retry-after'));
      toldToWait += seconds;
      await sleep(seconds * 1000);
      retry = await one.api('POST', '/v1/bookings', apiKey, body, withKey);
    }
    expect(retry.status).toBe(201);
    // Within seconds of the lease running out. Counted in the waits the service asked for, whole seconds
    // rounded up, and not on the clock: a loaded machine's slow requests only shorten the waits.
    expect(toldToWait).toBeLessThanOrEqual(IDEMPOTENCY_LEASE_MS / 1000 + 2);
    expect(retry.body).toMatchObject({ id: committed!.id, status: 'confirmed', eventTypeId });
    expect(Date.parse(retry.body.start)).toBe(Date.parse(start));

    // That answer is now the key's: replayed; another body with the key is another request.
    const replay = await one.api('POST', '/v1/bookings', apiKey, body, withKey);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(committed!.id);
    const other = { ...body, guest: { ...guest, name: 'Someone Else' } };
    expectProblem(
      await one.api('POST', '/v1/bookings', apiKey, other, withKey),
      409,
      'IDEMPOTENCY_KEY_REUSED',
    );
    // Another request for that time is refused: the time is taken, by this one booking.
    expectProblem(
      await one.api('POST', '/v1/bookings', apiKey, body, { 'idempotency-key': 'K-other' }),
      409,
      'SLOT_UNAVAILABLE',
    );
    expect(await sql<{ n: number }>('select count(*)::int as n from bookings')).toEqual([{ n: 1 }]);

    // The dead instance's calendar job is finished by instance one once its lease (a minute) runs out:
    // one Outlook event, the booking pointing at it.
    emu.control.clearFaults();
    await sql(`update calendar_sync_queue set locked_until = now() - interval '1 second'`);
    const synced = await one.until('the booking to be synced', async () => {
      const got = await one.api('GET', `/v1/bookings/${committed!.id}`, apiKey);
      return got.body?.calendar?.syncStatus === 'synced' ? got.body : null;
    });
    expect(eventsOfMegan()).toHaveLength(1);
    expect(synced.calendar.eventId).toBe(eventsOfMegan()[0]!.id);
  }, 120_000);

  it('a request still running on another instance keeps its key past one lease: its retries wait', async () => {
    await two.start();
    const { apiKey, eventTypeId, start } = await bookableHost(one, emu, OPERATOR_TOKEN);
    const body = { eventTypeId, start, guest };
    const withKey = { 'idempotency-key': 'K-slow' };
    // The booking's fresh read of Megan's calendar takes longer than a lease.
    emu.control.injectFault({
      match: { method: 'POST', pathPrefix: '/v1.0/me/calendar/getSchedule', userId: DEMO.users.megan.id },
      latencyMs: IDEMPOTENCY_LEASE_MS + 4_000,
    });
    const answer = two.api('POST', '/v1/bookings', apiKey, body, withKey);
    const [claimed] = await two.until('the key to be claimed', () =>
      sql<{ created_at: Date }>(`select created_at from idempotency_keys where key = 'K-slow'`).then(
        (rows) => rows.length > 0 && rows,
      ),
    );
    await sleep(new Date(claimed!.created_at).getTime() + IDEMPOTENCY_LEASE_MS + 1_500 - Date.now());

    // Past its first lease, the request is alive and has renewed it: the retry waits.
    const [held] = await sql<{ renewed: boolean }>(
      `select leased_until > created_at + make_interval(secs => ?) as renewed from idempotency_keys where key = 'K-slow'`,
      [IDEMPOTENCY_LEASE_MS / 1000],
    );
    expect(held!.renewed).toBe(true);
    const meanwhile = await one.api('POST', '/v1/bookings', apiKey, body, withKey);
    expectProblem(meanwhile, 409, 'IDEMPOTENCY_KEY_IN_USE');
    expect(Number(meanwhile.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const created = await answer;
    expect(created.status).toBe(201);
    const replay = await one.api('POST', '/v1/bookings', apiKey, body, withKey);
    expect(replay).toMatchObject({ status: 201, body: { id: created.body.id } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  }, 120_000);
});
