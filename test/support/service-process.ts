// The real service as `npm start` runs it (dist/src/main.js, production configuration, its jobs on), in
// child processes that a test can kill with SIGKILL: against this test process's Microsoft 365 emulator
// (trusted through NODE_EXTRA_CA_CERTS) and a PostgreSQL database that outlives them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import type { TestDatabase } from './database.js';
import { DEMO, nightsOnlyPolicy } from './microsoft.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds dist/ as `npm start` does. */
export async function buildService(): Promise<void> {
  await promisify(execFile)('npm', ['run', '-s', 'build'], { env: process.env });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Polls `probe` (errors count as "not yet") until it gives something truthy. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 20_000,
  context: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await sleep(100);
  }
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A base URL for an emulator whose redirect URIs admit every given service port. */
export async function startServiceEmulator(ports: number[]): Promise<Emulator> {
  return startEmulator({
    demo: {
      redirectUris: ports.flatMap((p) => [
        `http://127.0.0.1:${p}/oauth/microsoft/callback`,
        `http://127.0.0.1:${p}/oauth/microsoft/admin-consent/callback`,
      ]),
      weeks: 2,
    },
  });
}

/** What every instance of one deployment shares: database, secrets, Microsoft. */
export function deploymentEnv(emu: Emulator, db: TestDatabase, operatorToken: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'kailenty-service-'));
  writeFileSync(join(dir, 'emulator-ca.pem'), emu.caPem);
  return {
    PATH: process.env.PATH,
    DATABASE_URL: db.url!,
    DATA_DIR: dir,
    OPERATOR_TOKEN: operatorToken,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    MICROSOFT_CLIENT_ID: DEMO.clientId,
    MICROSOFT_CLIENT_SECRET: DEMO.clientSecret,
    MICROSOFT_AUTHORITY_HOST: emu.url,
    MICROSOFT_GRAPH_URL: emu.url,
    NODE_EXTRA_CA_CERTS: join(dir, 'emulator-ca.pem'),
    LOG_LEVEL: 'warn',
  };
}

/** One instance of the service on its own port. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  output = '';

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const env = { ...this.env, PORT: String(this.port), PUBLIC_URL: this.url };
    const child = spawn(
      process.execPath,
      // As `npm start` runs it (package.json).
      ['--enable-source-maps', '--experimental-async-context-frame', 'dist/src/main.js'],
      { env },
    );
    this.child = child;
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    await this.until('the service to be healthy', async () => (await fetch(`${this.url}/health`)).ok, 60_000);
  }

  async kill(): Promise<void> {
    const proc = this.child;
    if (!proc) return;
    this.child = null;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
    return until(what, probe, ms, () => `--- service output (port ${this.port}) ---\n${this.output}`);
  }

  async api(
    method: string,
    path: string,
    key: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'manual',
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  }
}

export interface BookableHost {
  apiKey: string;
  memberId: string;
  eventTypeId: string;
  /** The first start offered two days from now. */
  start: string;
}

/**
 * A workspace whose member Megan signed in through the real redirects, with nights-only availability and
 * a single-host Teams event type, set up through `service`.
 */
export async function bookableHost(
  service: ServiceProcess,
  emu: Emulator,
  operatorToken: string,
): Promise<BookableHost> {
  const ws = await service.api('POST', '/v1/workspaces', operatorToken, {
    name: 'Crash test',
    returnUrl: 'https://product.example.com/return',
  });
  expect(ws.status).toBe(201);
  const apiKey: string = ws.body.apiKey;
  const member = await service.api('POST', '/v1/members', apiKey, {
    email: DEMO.users.megan.mail,
    displayName: 'Megan',
    role: 'member',
  });
  await service.api('PATCH', `/v1/members/${member.body.id}`, apiKey, { status: 'active' });
  const started = await service.api('POST', `/v1/members/${member.body.id}/microsoft-connection`, apiKey, {});
  expect(started.status).toBe(201);
  const callback = new URL(await emu.control.signIn(started.body.authorizeUrl));
  const back = await fetch(`${service.url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
  expect(new URL(back.headers.get('location')!).searchParams.get('result')).toBe('connected');
  const open = await service.api(
    'PUT',
    `/v1/members/${member.body.id}/availability`,
    apiKey,
    nightsOnlyPolicy(),
  );
  expect(open.status).toBe(200);
  const type = await service.api('POST', '/v1/event-types', apiKey, {
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
  const slots = await service.api(
    'GET',
    `/v1/event-types/${type.body.id}/slots?start=${from.toISOString()}&end=${to.toISOString()}`,
    apiKey,
  );
  return { apiKey, memberId: member.body.id, eventTypeId: type.body.id, start: slots.body.slots[0].start };
}
