// A service process killed between the booking's commit and the end of its calendar write (issue 6: "A
// process killed between commit and write finishes the write after restart, exactly once"). This runs the
// real service as a child process (`dist/src/main.js`, production configuration, its jobs on) against the
// Microsoft 365 emulator of this test process, trusted through NODE_EXTRA_CA_CERTS, and a PostgreSQL
// database; kills it with SIGKILL once Microsoft has written the event but before the service heard of
// it, starts it again and checks that the booking completes with exactly one Outlook event.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import {
  createTestDatabase,
  describeOnPostgres,
  usingPostgres,
  type TestDatabase,
} from '../support/database.js';
import { DEMO, nightsOnlyPolicy } from '../support/microsoft.js';

const OPERATOR_TOKEN = `op-${randomBytes(16).toString('hex')}`;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

let emu: Emulator;
let db: TestDatabase;
let port: number;
let env: NodeJS.ProcessEnv;
let child: ChildProcess | null = null;
let output = '';

const base = () => `http://127.0.0.1:${port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return p;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- service output ---\n${output}`);
    await sleep(100);
  }
}

async function startService(): Promise<void> {
  child = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], { env });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await until('the service to be healthy', async () => (await fetch(`${base()}/health`)).ok, 60_000);
}

async function kill(): Promise<void> {
  const proc = child!;
  child = null;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

async function api(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  if (!usingPostgres) return;
  // The service as `npm start` runs it.
  await promisify(execFile)('npm', ['run', '-s', 'build'], { env: process.env });
  port = await freePort();
  emu = await startEmulator({
    demo: {
      redirectUris: [
        `${base()}/oauth/microsoft/callback`,
        `${base()}/oauth/microsoft/admin-consent/callback`,
      ],
      weeks: 2,
    },
  });
  db = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'kailenty-crash-'));
  writeFileSync(join(dir, 'emulator-ca.pem'), emu.caPem);
  env = {
    PATH: process.env.PATH,
    PORT: String(port),
    PUBLIC_URL: base(),
    DATABASE_URL: db.url!,
    DATA_DIR: dir,
    OPERATOR_TOKEN,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    MICROSOFT_CLIENT_ID: DEMO.clientId,
    MICROSOFT_CLIENT_SECRET: DEMO.clientSecret,
    MICROSOFT_AUTHORITY_HOST: emu.url,
    MICROSOFT_GRAPH_URL: emu.url,
    NODE_EXTRA_CA_CERTS: join(dir, 'emulator-ca.pem'),
    LOG_LEVEL: 'warn',
  };
  await startService();
}, 120_000);

afterAll(async () => {
  if (child) await kill();
  await db?.close();
  await emu?.close();
});

describeOnPostgres(
  'a service process killed mid-write',
  // The restarted process must find the first one's data: an embedded in-memory PGlite dies with it.
  'the restarted process must find the data of the killed one, and an in-memory PGlite dies with its process',
  () => {
    it('finishes the calendar write after restart, exactly once, with the same Teams link', async () => {
      // A workspace, Megan signed in through the real redirects, nights-only availability, a Teams event type.
      const ws = await api('POST', '/v1/workspaces', OPERATOR_TOKEN, {
        name: 'Crash test',
        returnUrl: 'https://product.example.com/return',
      });
      expect(ws.status).toBe(201);
      const key: string = ws.body.apiKey;
      const member = await api('POST', '/v1/members', key, {
        email: DEMO.users.megan.mail,
        displayName: 'Megan',
        role: 'member',
      });
      await api('PATCH', `/v1/members/${member.body.id}`, key, { status: 'active' });
      const started = await api('POST', `/v1/members/${member.body.id}/microsoft-connection`, key, {});
      expect(started.status).toBe(201);
      const callback = new URL(await emu.control.signIn(started.body.authorizeUrl));
      const back = await fetch(`${base()}${callback.pathname}${callback.search}`, { redirect: 'manual' });
      expect(new URL(back.headers.get('location')!).searchParams.get('result')).toBe('connected');
      const open = await api('PUT', `/v1/members/${member.body.id}/availability`, key, nightsOnlyPolicy());
      expect(open.status).toBe(200);
      const type = await api('POST', '/v1/event-types', key, {
        slug: 'intro',
        title: 'Intro call',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [member.body.id],
        assignment: 'single',
      });
      expect(type.status).toBe(201);
      const from = new Date(Date.now() + 2 * 86_400_000);
      from.setUTCHours(0, 0, 0, 0);
      const to = new Date(from.getTime() + 86_400_000);
      const slots = await api(
        'GET',
        `/v1/event-types/${type.body.id}/slots?start=${from.toISOString()}&end=${to.toISOString()}`,
        key,
      );
      const start: string = slots.body.slots[0].start;

      // Microsoft writes the event, then its answer is held: the service dies before it hears of it.
      emu.control.injectFault({
        match: { method: 'POST', pathPrefix: '/v1.0/me/events', userId: DEMO.users.megan.id },
        latencyMs: 3_000,
        afterHandler: true,
      });
      const eventsOfMegan = () =>
        emu.control.events(DEMO.users.megan.id).filter((e) => (e.subject as string).startsWith('Intro call'));
      const answer = api('POST', '/v1/bookings', key, { eventTypeId: type.body.id, start, guest }).catch(
        (error: Error) => error,
      );
      await until('Microsoft to write the event', async () => eventsOfMegan().length === 1);
      await kill();
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
      await startService();
      const booking = await until('the booking to be synced by the restarted service', async () => {
        const list = await api('GET', '/v1/bookings', key);
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
