// The README's key rotation, done for real on PostgreSQL: the service (`dist/src/main.js`, production
// configuration, its jobs on) seals token caches, webhook secrets and idempotent responses under K1; it is
// restarted with "K2,K1"; `keys:rotate` (the compiled CLI) re-seals everything while that service keeps
// serving writes; then a service with K2 alone reads every record: the members' calendars, the signing
// secrets (webhooks verified with the secrets shown at creation) and the stored responses.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { keyIdOf } from '@adapters/crypto/sealed-box.js';
import { verifyKailentySignature } from '@adapters/webhooks/kailenty-signature.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { DEMO, nightsOnlyPolicy } from '../support/microsoft.js';

const describeOnPostgres = usingPostgres ? describe : describe.skip;
if (!usingPostgres) {
  console.info('keys-rotate.int-spec: skipped — needs DATABASE_URL (instances and the CLI share a server).');
}

// Built apart from dist/, so that other tests building or running dist/ at the same time are not disturbed.
const BUILD = join('dist', 'test-builds', 'keys-rotate');
const OPERATOR_TOKEN = `op-${randomBytes(16).toString('hex')}`;
const K1 = randomBytes(32);
const K2 = randomBytes(32);
const b64 = (...keys: Buffer[]) => keys.map((k) => k.toString('base64')).join(',');

let emu: Emulator;
let db: TestDatabase;
let port: number;
let env: NodeJS.ProcessEnv;
let service: ChildProcess | null = null;
let output = '';
let receiver: Server;
const received: { body: string; signature: string }[] = [];

const base = () => `http://127.0.0.1:${port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return p;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- service output ---\n${output}`);
    await sleep(100);
  }
}

async function startService(keys: string): Promise<void> {
  service = spawn(process.execPath, [join(BUILD, 'src/main.js')], {
    env: { ...env, TOKEN_ENCRYPTION_KEY: keys },
  });
  service.stdout!.on('data', (d) => (output += d));
  service.stderr!.on('data', (d) => (output += d));
  await until('the service to be healthy', async () => (await fetch(`${base()}/health`)).ok, 60_000);
}

async function stopService(): Promise<void> {
  const proc = service!;
  service = null;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

async function api(method: string, path: string, key: string, body?: unknown, idempotencyKey?: string) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

function rotate(args: string[] = [], keys = b64(K2, K1)) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(BUILD, 'src/adapters/persistence/rotate-keys.cli.js'), ...args],
      { env: { ...env, TOKEN_ENCRYPTION_KEY: keys } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  if (!usingPostgres) return;
  await promisify(execFile)(
    'npx',
    ['swc', 'src', 'config', 'emulator', '-d', BUILD, '--copy-files', '--quiet'],
    {
      env: process.env,
    },
  );
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
  receiver = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['kailenty-signature']),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'kailenty-keys-'));
  writeFileSync(join(dir, 'emulator-ca.pem'), emu.caPem);
  env = {
    PATH: process.env.PATH,
    PORT: String(port),
    PUBLIC_URL: base(),
    DATABASE_URL: db.url!,
    DATA_DIR: dir,
    OPERATOR_TOKEN,
    MICROSOFT_CLIENT_ID: DEMO.clientId,
    MICROSOFT_CLIENT_SECRET: DEMO.clientSecret,
    MICROSOFT_AUTHORITY_HOST: emu.url,
    MICROSOFT_GRAPH_URL: emu.url,
    NODE_EXTRA_CA_CERTS: join(dir, 'emulator-ca.pem'),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    LOG_LEVEL: 'warn',
  };
}, 180_000);

afterAll(async () => {
  if (service) await stopService();
  await db?.close();
  await emu?.close();
  await new Promise((r) => receiver?.close(r));
});

interface Workspace {
  key: string;
  memberId: string;
  eventTypeId: string;
  endpoints: { id: string; secret: string }[];
  creates: { idempotencyKey: string; body: unknown; response: unknown }[];
}

/** A workspace with a connected host (its token cache), an event type, and endpoints made idempotently. */
async function workspace(name: string, user: { mail: string }, endpoints: number): Promise<Workspace> {
  const ws = await api('POST', '/v1/workspaces', OPERATOR_TOKEN, {
    name,
    returnUrl: 'https://product.example.com/r',
  });
  expect(ws.status).toBe(201);
  const key: string = ws.body.apiKey;
  const member = await api('POST', '/v1/members', key, {
    email: user.mail,
    displayName: name,
    role: 'member',
  });
  await api('PATCH', `/v1/members/${member.body.id}`, key, { status: 'active' });
  const started = await api('POST', `/v1/members/${member.body.id}/microsoft-connection`, key, {});
  const callback = new URL(await emu.control.signIn(started.body.authorizeUrl));
  const back = await fetch(`${base()}${callback.pathname}${callback.search}`, { redirect: 'manual' });
  expect(new URL(back.headers.get('location')!).searchParams.get('result')).toBe('connected');
  expect(
    (await api('PUT', `/v1/members/${member.body.id}/availability`, key, nightsOnlyPolicy())).status,
  ).toBe(200);
  const type = await api('POST', '/v1/event-types', key, {
    slug: 'intro',
    title: 'Intro call',
    durationMinutes: 30,
    location: { kind: 'in_person', value: 'Room 1' },
    hostIds: [member.body.id],
    assignment: 'single',
  });
  expect(type.status).toBe(201);
  const result: Workspace = {
    key,
    memberId: member.body.id,
    eventTypeId: type.body.id,
    endpoints: [],
    creates: [],
  };
  for (let i = 0; i < endpoints; i++) await createEndpoint(result, `${name}-${i}`);
  return result;
}

async function createEndpoint(ws: Workspace, idempotencyKey: string): Promise<void> {
  const body = {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/${idempotencyKey}`,
    events: ['*'],
  };
  const res = await api('POST', '/v1/webhook-endpoints', ws.key, body, idempotencyKey);
  expect(res.status).toBe(201);
  ws.endpoints.push({ id: res.body.id, secret: res.body.secret });
  ws.creates.push({ idempotencyKey, body, response: res.body });
}

function slotsOf(ws: Workspace) {
  const from = new Date(Date.now() + 2 * 86_400_000);
  from.setUTCHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 86_400_000);
  return api(
    'GET',
    `/v1/event-types/${ws.eventTypeId}/slots?start=${from.toISOString()}&end=${to.toISOString()}`,
    ws.key,
  );
}

async function health() {
  return (await fetch(`${base()}/health`)).json() as Promise<{
    encryption: { keys: string[]; recordsUnderOlderKeys: number; recordsUnderMissingKeys: number };
  }>;
}

describeOnPostgres('rotating TOKEN_ENCRYPTION_KEY from K1 to K2 while the service runs', () => {
  it('re-seals everything under K2, after which a service with K2 alone reads every record', async () => {
    // 1. Everything sealed under K1.
    await startService(b64(K1));
    const adele = await workspace('adele', DEMO.users.adele, 6);
    const megan = await workspace('megan', DEMO.users.megan, 6);
    await stopService();

    // 2. Every instance gets "K2,K1": new records are sealed under K2, old ones still open.
    await startService(b64(K2, K1));
    const before = (await health()).encryption;
    expect(before).toMatchObject({ keys: [keyIdOf(K2), keyIdOf(K1)], recordsUnderMissingKeys: 0 });
    // 12 secrets and 12 responses, and the 2 token caches unless the service's jobs already re-sealed them.
    expect(before.recordsUnderOlderKeys).toBeGreaterThanOrEqual(24);

    // 3. keys:rotate while the service keeps taking writes that seal (stored responses, token caches).
    let busy = true;
    let writes = 0;
    const traffic = (async () => {
      while (busy) {
        const n = writes++;
        const type = await api(
          'POST',
          '/v1/event-types',
          adele.key,
          {
            slug: `during-${n}`,
            title: 'During',
            durationMinutes: 30,
            location: { kind: 'phone', value: '+1 555 0100' },
            hostIds: [adele.memberId],
            assignment: 'single',
          },
          `during-${n}`,
        );
        expect(type.status).toBe(201);
        expect((await slotsOf(megan)).status).toBe(200);
      }
    })();
    await until('some traffic first', async () => writes >= 2);
    const run = await rotate(['--batch-size=3']);
    busy = false;
    await traffic;
    if (run.code !== 0) throw new Error(`keys:rotate failed:\n${run.stdout}\n${run.stderr}`);
    expect(run.stdout).toContain(`Re-sealing under ${keyIdOf(K2)} what is sealed under ${keyIdOf(K1)}`);
    expect(run.stdout).toMatch(/webhook signing secrets: 3 re-sealed\n/);
    expect(run.stdout).toContain(
      `the older keys (${keyIdOf(K1)}) can now be removed from TOKEN_ENCRYPTION_KEY.`,
    );
    expect((await health()).encryption).toMatchObject({
      recordsUnderOlderKeys: 0,
      recordsUnderMissingKeys: 0,
    });
    // Resumable: a second run finds nothing left.
    const again = await rotate(['--batch-size=3']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      'Re-sealed: 0 Microsoft token caches, 0 webhook signing secrets, 0 stored idempotent responses.',
    );
    await stopService();

    // 4. K1 removed.
    await startService(b64(K2));
    expect((await health()).encryption).toEqual({
      keys: [keyIdOf(K2)],
      recordsUnderOlderKeys: 0,
      recordsUnderMissingKeys: 0,
      missingKeys: [],
    });
    for (const ws of [adele, megan]) {
      // The stored responses replay.
      for (const create of ws.creates) {
        const replay = await api('POST', '/v1/webhook-endpoints', ws.key, create.body, create.idempotencyKey);
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(replay.body).toEqual(create.response);
      }
      // The token caches open: the calendar is read, nothing is revoked.
      const slots = await slotsOf(ws);
      expect(slots.status).toBe(200);
      expect(slots.body.warnings).toEqual([]);
      const member = await api('GET', `/v1/members/${ws.memberId}`, ws.key);
      expect(member.body.microsoft.connection).toBe('connected');
    }
    // The signing secrets open: a booking's webhook reaches every endpoint of Megan's workspace, signed
    // with the secret each was given under K1.
    const slots = await slotsOf(megan);
    const booked = await api('POST', '/v1/bookings', megan.key, {
      eventTypeId: megan.eventTypeId,
      start: slots.body.slots[0].start,
      guest: { name: 'Jordan Lee', email: 'jordan@example.com' },
    });
    expect(booked.status).toBe(201);
    const created = () => received.filter((r) => r.body.includes('"booking.created"'));
    await until(
      'the booking to reach every endpoint',
      async () => created().length >= megan.endpoints.length,
    );
    for (const r of created()) {
      expect(
        megan.endpoints.some((e) => verifyKailentySignature(e.secret, r.signature, r.body, 300, new Date())),
      ).toBe(true);
    }
  }, 240_000);

  it('refuses to run without a key, or with a batch size it cannot use', async () => {
    const none = await rotate([], '');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('TOKEN_ENCRYPTION_KEY is required');
    const bad = await rotate(['--batch-size=lots']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--batch-size must be a whole number from 1 to 10000 (not "lots").');
  });
});
