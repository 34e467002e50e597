// Shared by the service's benchmarks (bench:bookings, bench:http, bench:pool…): the real application (createApp)
// in this process on loopback with the Microsoft 365 emulator (demo tenant) in the app's thread or, with
// `emulator: 'thread'`, in a worker thread of its own (bench/emulator-thread.ts), driven either way through the
// same async control (bench/emulator-handle.ts), a fresh database
// (PostgreSQL when DATABASE_URL is set, a new database dropped afterwards; else in-memory PGlite), members
// connected by walking the real sign-in, and the bits every benchmark writes (machine, percentiles, its
// section of BENCHMARKS.md). Not under test/: bench/ is compiled into dist, test/ is not.
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { statementsOf } from '@adapters/persistence/joined-statements-client.js';
import { Pool } from 'undici';
import { DEFAULT_POOL_SIZE, type AppConfig } from '@config/env.schema.js';
import { createApp } from '@adapters/nest/create-app.js';
import { createOrm, migrate, type Orm } from '@adapters/persistence/orm.js';
import { BookingJobsOptions } from '@adapters/jobs/booking-jobs.js';
import { WebhookJobsOptions } from '@adapters/jobs/webhook-jobs.js';
import { DEMO } from '../emulator/index.js';
import { startBenchEmulator, type BenchEmulator, type EmulatorMode } from './emulator-handle.js';

export { DEMO };

const OPERATOR_TOKEN = 'bench-operator-token-0123456789';

export interface BenchOptions {
  /** Background jobs (calendar-sync worker, reminders, webhook delivery): on as in production by default. */
  jobs?: boolean;
  /** Weeks of demo busy time seeded for the demo people (default 6). */
  weeks?: number;
  /** Connections of the client pool (default 32). */
  connections?: number;
  /** An existing PostgreSQL database to run on as it is (migrated, kept afterwards), instead of a fresh one. */
  databaseUrl?: string;
  /**
   * Where the Microsoft 365 emulator runs: `inline` (the default), in the app's thread and sharing its event
   * loop; `thread`, in a worker thread of its own, so that its CPU is not counted as the app's.
   */
  emulator?: EmulatorMode;
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
}

export interface Bench {
  app: NestFastifyApplication;
  /** The emulator's URL, CA and control (every method answers a Promise, in either mode). */
  emulator: BenchEmulator;
  orm: Orm;
  baseUrl: string;
  /** "PostgreSQL 15.x (DATABASE_URL)" or "PGlite (in memory)". */
  database: string;
  jobs: boolean;
  request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    options?: { apiKey?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  workspace(name: string): Promise<{ id: string; apiKey: string }>;
  /** SQL statements sent to the PostgreSQL server so far by this process (null on PGlite). */
  sqlStatements(): number | null;
  /** Round trips to the PostgreSQL server so far by this process (null on PGlite): statements sent joined count once. */
  sqlRoundTrips(): number | null;
  /**
   * Runs `work` and answers, for each HTTP request the app finished meanwhile, the statements sent to
   * PostgreSQL on that request's behalf before its response was written (null on PGlite): background jobs
   * and work a request leaves behind after answering are not counted.
   */
  statementsPerRequest(work: () => Promise<void>): Promise<number[] | null>;
  /** Adds an active member for `mail` (a mailbox of the emulator) and connects it by the real sign-in. */
  connectedMember(apiKey: string, mail: string): Promise<string>;
  close(): Promise<void>;
}

export async function startBench(options: BenchOptions = {}): Promise<Bench> {
  const jobs = options.jobs ?? true;
  // The service's public URL must be known before it starts (redirect URIs, notification URLs): take a
  // free port first so that Graph change notifications from the emulator reach this very app.
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const emulator = await startBenchEmulator(options.emulator ?? 'inline', {
    demo: {
      redirectUris: [
        `${publicUrl}/oauth/microsoft/callback`,
        `${publicUrl}/oauth/microsoft/admin-consent/callback`,
      ],
      weeks: options.weeks ?? 6,
    },
  });
  try {
    return await startApp(options, jobs, port, publicUrl, emulator);
  } catch (e) {
    // A thread left running would keep the process alive after the benchmark failed.
    await emulator.close();
    throw e;
  }
}

async function startApp(
  options: BenchOptions,
  jobs: boolean,
  port: number,
  publicUrl: string,
  emulator: BenchEmulator,
): Promise<Bench> {
  const db = options.databaseUrl ? await existingDatabase(options.databaseUrl) : await openDatabase();
  const config: AppConfig = {
    port,
    publicUrl,
    dataDir: 'memory://',
    database: db.target,
    operatorToken: OPERATOR_TOKEN,
    tokenEncryptionKeys: [randomBytes(32)],
    sandbox: false,
    webhookAllowPrivateNetworks: true,
    // Tests play the proxy: each names its client address in X-Forwarded-For.
    trustProxy: true,
    logLevel: 'silent',
    // The limiter runs as in production (its cost is part of what is measured) but never throttles the
    // load generator, which sends thousands of requests a second with one key from one address.
    rateLimit: { enabled: true, apiPerMinute: 1_000_000, publicPerMinute: 1_000_000 },
    http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000 },
    microsoft: {
      clientId: DEMO.clientId,
      clientSecret: DEMO.clientSecret,
      authorityHost: emulator.url,
      graphUrl: emulator.url,
      extraCaPem: emulator.caPem,
    },
  };
  const app = await createApp({
    config,
    orm: db.orm,
    swaggerUi: false,
    beforeInit: (app) => {
      app.get(WebhookJobsOptions).enabled = jobs;
      app.get(BookingJobsOptions).enabled = jobs;
    },
  });
  countRequestStatements(app);
  await app.listen({ port, host: '127.0.0.1' });
  const pool = new Pool(publicUrl, {
    connections: options.connections ?? 32,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });

  const request: Bench['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const started = performance.now();
    const res = await pool.request({ method, path, headers, body });
    const text = await res.body.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    if ((res.headers['content-type'] ?? '').toString().includes('json') && text) parsed = JSON.parse(text);
    return { status: res.statusCode, body: parsed, ms };
  };

  const bench: Bench = {
    app,
    emulator,
    orm: db.orm,
    baseUrl: publicUrl,
    database: db.label,
    jobs,
    request,
    sqlStatements: () => (db.target.kind === 'postgres' ? sqlCounter.count : null),
    sqlRoundTrips: () => (db.target.kind === 'postgres' ? sqlCounter.roundTrips : null),
    async statementsPerRequest(work) {
      if (db.target.kind !== 'postgres') return null;
      const counts: number[] = [];
      sqlCounter.finished = counts;
      try {
        await work();
      } finally {
        sqlCounter.finished = null;
      }
      return counts;
    },
    async workspace(name) {
      const res = await request('POST', '/v1/workspaces', {
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
        body: { name, returnUrl: 'https://product.example.com/return' },
      });
      expectStatus(res, 201, 'workspace');
      return { id: res.body.id, apiKey: res.body.apiKey };
    },
    async connectedMember(apiKey, mail) {
      const created = await request('POST', '/v1/members', {
        apiKey,
        body: { email: mail, displayName: mail, role: 'member' },
      });
      expectStatus(created, 201, `member ${mail}`);
      const id = created.body.id as string;
      expectStatus(
        await request('PATCH', `/v1/members/${id}`, { apiKey, body: { status: 'active' } }),
        200,
        'activate member',
      );
      const started = await request('POST', `/v1/members/${id}/microsoft-connection`, { apiKey, body: {} });
      expectStatus(started, 201, 'start connection');
      const entraRedirect = new URL(await emulator.control.signIn(started.body.authorizeUrl));
      const callback = await request('GET', entraRedirect.pathname + entraRedirect.search);
      if (callback.status !== 302 && callback.status !== 303) {
        throw new Error(`sign-in callback for ${mail}: ${callback.status} ${JSON.stringify(callback.body)}`);
      }
      const member = await request('GET', `/v1/members/${id}`, { apiKey });
      if (member.body?.microsoft?.connection !== 'connected') {
        throw new Error(`${mail} not connected: ${JSON.stringify(member.body)}`);
      }
      return id;
    },
    async close() {
      await pool.close();
      await app.close();
      await db.close();
      await emulator.close();
    },
  };
  return bench;
}

export function expectStatus(res: Reply, status: number, what: string): void {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** A weekly availability: every day, these UTC hours, no buffers, no notice, no horizon. */
export function availability(start = '00:00', end = '24:00', timeZone = 'UTC') {
  return {
    timeZone,
    weekly: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
      day,
      intervals: [{ start, end }],
    })),
    overrides: [],
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    maxDaysAhead: null,
    busyStatuses: ['busy', 'oof', 'tentative'],
    extraCalendars: [],
  };
}

// Database ------------------------------------------------------------------------------------------

// Counts the statements this process sends through node-postgres (MikroORM's PostgreSQL driver uses it), and
// the round trips they take (the server's client sends a transaction's begin, and its writes at commit, joined
// to a neighbour: joined-statements-client.ts), to say what a request costs the database. Instrumentation of the
// benchmark only. Each HTTP request runs in an AsyncLocalStorage scope of its own, so a statement is charged to
// the request whose work sent it; the count is taken when the response is finished.
const sqlCounter: { count: number; roundTrips: number; finished: number[] | null } = {
  count: 0,
  roundTrips: 0,
  finished: null,
};
const requestScope = new AsyncLocalStorage<{ statements: number }>();
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const statements = typeof args[0] === 'string' ? statementsOf(args[0]).length : 1;
  sqlCounter.count += statements;
  sqlCounter.roundTrips++;
  const scope = requestScope.getStore();
  if (scope) scope.statements += statements;
  return originalQuery.apply(this, args);
} as typeof pg.Client.prototype.query;

/** Wraps the HTTP server's request listeners (Fastify's) so that each request gets its own counting scope. */
function countRequestStatements(app: NestFastifyApplication): void {
  const server = app.getHttpServer() as Server;
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  for (const listener of listeners) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const scope = { statements: 0 };
      res.once('finish', () => sqlCounter.finished?.push(scope.statements));
      requestScope.run(scope, () => listener.call(server, req, res));
    });
  }
}

interface OpenDatabase {
  orm: Orm;
  target: AppConfig['database'];
  label: string;
  close(): Promise<void>;
}

async function openDatabase(): Promise<OpenDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const orm = await createOrm({ kind: 'pglite', dataDir: 'memory://' });
    await migrate(orm);
    return {
      orm,
      target: { kind: 'pglite', dataDir: 'memory://' },
      label: 'PGlite (embedded, in memory; DATABASE_URL unset)',
      close: () => orm.close(),
    };
  }
  const name = `kailenty_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const version = await admin(serverUrl, `create database "${name}"`).then(() =>
    admin(serverUrl, 'show server_version'),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await createOrm({ kind: 'postgres', url: url.toString() });
  await migrate(orm);
  return {
    orm,
    target: { kind: 'postgres', url: url.toString() },
    label: `PostgreSQL ${String(version ?? '').split(' ')[0]} on ${new URL(serverUrl).host} (DATABASE_URL; fresh database, pool of ${DEFAULT_POOL_SIZE})`,
    close: async () => {
      await orm.close();
      await admin(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

async function existingDatabase(url: string): Promise<OpenDatabase> {
  const orm = await createOrm({ kind: 'postgres', url });
  await migrate(orm);
  const version = await admin(url, 'show server_version');
  return {
    orm,
    target: { kind: 'postgres', url },
    label: `PostgreSQL ${String(version ?? '').split(' ')[0]} on ${new URL(url).host} (database ${new URL(url).pathname.slice(1)}, pool of ${DEFAULT_POOL_SIZE})`,
    close: () => orm.close(),
  };
}

async function admin(serverUrl: string, sql: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const res = await client.query<Record<string, string>>(sql);
    const row = res.rows?.[0];
    return row ? Object.values(row)[0] : undefined;
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// Figures and reporting -----------------------------------------------------------------------------

/** The command that ran this benchmark, with DATABASE_URL (password hidden) when it was set. */
export function command(script: string): string {
  const raw = process.env.DATABASE_URL;
  if (!raw) return `npm run ${script}`;
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return `DATABASE_URL=${url.toString()} npm run ${script}`;
}

/** The p-th percentile (0–100) of already sorted numbers, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function fmtMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

/** Node version, cores by nproc, CPU model, and the date, for the header of a section. */
export function machine(): { node: string; nproc: string; cpu: string; date: string } {
  let cpu = 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpu = line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  let nproc = '?';
  try {
    nproc = execSync('nproc').toString().trim();
  } catch {
    // no coreutils
  }
  return {
    node: process.version,
    nproc,
    cpu,
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}

/** Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` of BENCHMARKS.md (or appends it). */
export function writeSection(name: string, lines: string[]): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = [start, ...lines, end].join('\n');
  const file = 'BENCHMARKS.md';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + section + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  process.stdout.write(`wrote the ${name} section of ${file}\n`);
}
