// `npm run bench:http`: throughput of the warm slots endpoint (one host, 7 and 30 days, free/busy cached after
// the first call) as a ratio to a bare NestJS endpoint (GET /v1/permissions: public, static), measured in the
// same run with the same client; GET /health (one database query) for reference. Written to the http
// section of BENCHMARKS.md (other sections are kept).
// The app runs in this process on loopback; the load generator (undici Pool, keep-alive, 32 in flight,
// like autocannon) runs in a worker thread so that it does not share the app's event loop.
import { loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const IN_FLIGHT = 32;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS) || 5_000;
const WARMUP_MS = 500;
const ROUNDS = 2;
const DAY = 86_400_000;

interface LoadSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
  warmupMs: number;
}

interface LoadResult {
  requests: number;
  non2xx: number;
  errors: number;
  elapsedMs: number;
  latencies: number[];
}

if (isMainThread) {
  await main();
} else {
  parentPort!.postMessage(await load(workerData as LoadSpec));
}

async function main(): Promise<void> {
  const { availability, command, DEMO, expectStatus, fmtMs, machine, startBench, writeSection } =
    await import('./support.js');
  const m = machine();
  const loadBefore = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const b = await startBench({ jobs: true, weeks: 6 });
  try {
    process.stdout.write(`database: ${b.database}\n`);
    const { apiKey } = await b.workspace('Bench http');
    // Megan (demo tenant, W. Europe): six weeks of seeded meetings, a daily stand-up, a day out of office.
    const memberId = await b.connectedMember(apiKey, DEMO.users.megan.mail);
    const hours = availability('09:00', '17:00', 'Europe/Berlin');
    hours.weekly = hours.weekly.filter((w) => w.day !== 'sat' && w.day !== 'sun');
    expectStatus(
      await b.request('PUT', `/v1/members/${memberId}/availability`, { apiKey, body: hours }),
      200,
      'availability',
    );
    const eventTypeBody = {
      slug: 'bench-http',
      title: 'Bench call',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds: [memberId],
      assignment: 'single',
    };
    const created = await b.request('POST', '/v1/event-types', { apiKey, body: eventTypeBody });
    expectStatus(created, 201, 'event type');
    const today = new Date();
    const from = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + DAY;
    const slotsFor = (days: number) =>
      `/v1/event-types/${created.body.id}/slots?start=${new Date(from).toISOString()}&end=${new Date(from + days * DAY).toISOString()}`;
    const slotsPath = slotsFor(30);

    const cold = await b.request('GET', slotsPath, { apiKey });
    expectStatus(cold, 200, 'slots');
    const slotCount = (cold.body.slots as unknown[]).length;
    const week = await b.request('GET', slotsFor(7), { apiKey });
    expectStatus(week, 200, 'slots (7 days)');
    const weekSlotCount = (week.body.slots as unknown[]).length;
    const busyItems = (await b.emulator.control.events(DEMO.users.megan.id)).filter(
      (e) => !e.isCancelled && e.showAs !== 'free',
    ).length;
    process.stdout.write(`slots: ${slotCount} over 30 days, first call ${fmtMs(cold.ms)} ms\n`);
    // The booking read: a booking of another host (Adele), so that its Outlook event and the change notification
    // it brings leave Megan's cached free/busy alone.
    const otherId = await b.connectedMember(apiKey, DEMO.users.adele.mail);
    expectStatus(
      await b.request('PUT', `/v1/members/${otherId}/availability`, { apiKey, body: hours }),
      200,
      'availability (booking host)',
    );
    const other = await b.request('POST', '/v1/event-types', {
      apiKey,
      body: { ...eventTypeBody, slug: 'bench-http-booking', hostIds: [otherId] },
    });
    expectStatus(other, 201, 'event type (booking host)');
    const offered = await b.request(
      'GET',
      `/v1/event-types/${other.body.id}/slots?start=${new Date(from).toISOString()}&end=${new Date(from + 7 * DAY).toISOString()}`,
      { apiKey },
    );
    expectStatus(offered, 200, 'slots (booking host)');
    const booked = await b.request('POST', '/v1/bookings', {
      apiKey,
      body: {
        eventTypeId: other.body.id,
        start: (offered.body.slots as { start: string }[])[0]!.start,
        guest: { name: 'Bench Guest', email: 'guest@example.com', timeZone: 'Europe/Berlin' },
      },
    });
    expectStatus(booked, 201, 'booking');

    const authed = { authorization: `Bearer ${apiKey}` };
    const targets: { label: string; path: string; headers: Record<string, string> }[] = [
      { label: '`GET /v1/permissions` (bare: public, static)', path: '/v1/permissions', headers: {} },
      {
        label: '`GET /v1/event-types/{id}/slots`, 1 host, 7 days, warm',
        path: slotsFor(7),
        headers: authed,
      },
      {
        label: '`GET /v1/event-types/{id}/slots`, 1 host, 30 days, warm',
        path: slotsPath,
        headers: authed,
      },
      { label: '`GET /health` (one database query)', path: '/health', headers: {} },
      {
        label: '`GET /v1/event-types/{id}` (API key, a read: authenticated baseline)',
        path: `/v1/event-types/${created.body.id}`,
        headers: authed,
      },
      {
        label: '`GET /v1/bookings/{id}` (API key, a read)',
        path: `/v1/bookings/${booked.body.id}`,
        headers: authed,
      },
    ];
    await b.emulator.control.clearRequests();
    // The machine may be busy with other work: the endpoints take turns in slices (A B C D E F F E D C B A …) so
    // that each sees the same conditions, and each slice has its own warm-up.
    const slices: LoadResult[][] = targets.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      const order = targets.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        slices[i]!.push(
          await runLoad({
            origin: b.baseUrl,
            path: targets[i]!.path,
            headers: targets[i]!.headers,
            connections: IN_FLIGHT,
            durationMs: DURATION_MS / ROUNDS,
            warmupMs: WARMUP_MS,
          }),
        );
      }
    }
    const results = slices.map(merge);
    results.forEach((r, i) =>
      process.stdout.write(
        `${targets[i]!.path.slice(0, 40)}: ${rps(r).toFixed(0)} req/s, p50 ${fmtMs(r.p50)} ms, p99 ${fmtMs(r.p99)} ms, ${r.non2xx} non-2xx, ${r.errors} errors\n`,
      ),
    );
    const schedules = (await b.emulator.control.requests()).filter((q) => /getSchedule/i.test(q.path)).length;
    // Round trips to the database per request: 50 sequential requests, each charged with the statements sent
    // on its behalf before it answered (background jobs are not).
    const perRequest = async (path: string, headers: Record<string, string>) => {
      const counts = await b.statementsPerRequest(async () => {
        for (let i = 0; i < 50; i++) expectStatus(await b.request('GET', path, { headers }), 200, path);
      });
      if (counts === null) return null;
      return { mean: counts.reduce((n, c) => n + c, 0) / counts.length, max: Math.max(...counts) };
    };
    const statements: ({ mean: number; max: number } | null)[] = [];
    for (const t of targets) statements.push(await perRequest(t.path, t.headers));
    const fmtStatements = (s: { mean: number; max: number } | null) =>
      s === null ? '–' : s.max === s.mean ? String(s.max) : `${s.mean.toFixed(2)} (max ${s.max})`;
    const bare = rps(results[0]!);
    const slots7 = rps(results[1]!);
    const slots = rps(results[2]!);
    writeSection('http', [
      '## HTTP: warm slots endpoint against a bare endpoint',
      '',
      `\`${command('bench:http')}\` — ${m.date}, Node ${m.node}, ${m.nproc} cores by nproc, ${m.cpu}.`,
      `Database: ${b.database}. The app (createApp: Fastify, pino with \`LOG_LEVEL=silent\`, background`,
      'jobs on) listens on loopback in the benchmark process with the Microsoft 365 emulator in-process; the',
      `client is an autocannon-like loop in a worker thread: an undici Pool with keep-alive, ${IN_FLIGHT} connections,`,
      `${IN_FLIGHT} requests in flight; ${DURATION_MS / 1000} s measured per endpoint, in ${ROUNDS} slices of ${DURATION_MS / ROUNDS / 1000} s (each after`,
      `${WARMUP_MS / 1000} s of warm-up) taken in turns A B C D E F F E D C B A, so that all endpoints see the same machine.`,
      `Load average when the run started: ${loadBefore} (on ${m.nproc} cores; other work was running on the machine).`,
      `Slots: one host (Megan, demo tenant, ${busyItems} busy items seeded over six weeks, a daily stand-up),`,
      `weekdays 09:00–17:00 Europe/Berlin, 30-minute event: 7 days → ${weekSlotCount} slots, ${(JSON.stringify(week.body).length / 1024).toFixed(0)} KiB of JSON; 30 days → ${slotCount} slots, ${(JSON.stringify(cold.body).length / 1024).toFixed(0)} KiB.`,
      `The first (cold) call read free/busy from the emulator in ${fmtMs(cold.ms)} ms; during the measured runs the`,
      `app made ${schedules} getSchedule call(s): the warm endpoint serves cached free/busy, computes the slots and`,
      'renders them on every request. “SQL statements / request”: over 50 further sequential requests of each',
      'endpoint, the statements this process sent to PostgreSQL on behalf of each request before it answered',
      '(each request runs in an AsyncLocalStorage scope of its own; – on PGlite): background jobs and the rate',
      'limiter’s batched writes are not counted. The API key comes from the in-process key cache.',
      '',
      '| Endpoint | Requests/s | p50 (ms) | p99 (ms) | Non-2xx | SQL statements / request | Ratio to bare |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...targets.map((t, i) => {
        const r = results[i]!;
        return `| ${t.label} | ${rps(r).toFixed(0)} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} | ${r.non2xx + r.errors} | ${fmtStatements(statements[i]!)} | ${(rps(r) / bare).toFixed(2)} |`;
      }),
      '',
      `**Warm slots / bare: 7 days ${(slots7 / bare).toFixed(2)}, 30 days ${(slots / bare).toFixed(2)}** (${slots7.toFixed(0)} and ${slots.toFixed(0)} against ${bare.toFixed(0)} requests/s);`,
      `p99 against bare p99: 7 days ${(results[1]!.p99 / results[0]!.p99).toFixed(1)}×, 30 days ${(results[2]!.p99 / results[0]!.p99).toFixed(1)}×.`,
      `**Authenticated reads / bare: event type ${(rps(results[4]!) / bare).toFixed(2)}, booking ${(rps(results[5]!) / bare).toFixed(2)}**.`,
    ]);
  } finally {
    await b.close();
  }
}

function rps(r: LoadResult): number {
  return (r.requests / r.elapsedMs) * 1000;
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: spec });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** The worker: `connections` loops, each sending the next request as soon as the previous one answered. */
async function load(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.origin, {
    connections: spec.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const latencies: number[] = [];
  let requests = 0;
  let non2xx = 0;
  let errors = 0;
  let measuring = false;
  const loop = async (until: () => boolean) => {
    while (!until()) {
      const started = performance.now();
      try {
        const res = await pool.request({ method: 'GET', path: spec.path, headers: spec.headers });
        await res.body.arrayBuffer();
        if (measuring) {
          latencies.push(performance.now() - started);
          requests++;
          if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
        }
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const warmEnd = performance.now() + spec.warmupMs;
  await Promise.all(Array.from({ length: spec.connections }, () => loop(() => performance.now() >= warmEnd)));
  measuring = true;
  const started = performance.now();
  const end = started + spec.durationMs;
  await Promise.all(Array.from({ length: spec.connections }, () => loop(() => performance.now() >= end)));
  const elapsedMs = performance.now() - started;
  await pool.close();
  return { requests, non2xx, errors, elapsedMs, latencies };
}

/** Sums the slices of one endpoint. */
function merge(slices: LoadResult[]): LoadResult & { p50: number; p99: number } {
  const latencies = slices.flatMap((r) => r.latencies).sort((x, y) => x - y);
  const pick = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  return {
    requests: slices.reduce((n, r) => n + r.requests, 0),
    non2xx: slices.reduce((n, r) => n + r.non2xx, 0),
    errors: slices.reduce((n, r) => n + r.errors, 0),
    elapsedMs: slices.reduce((n, r) => n + r.elapsedMs, 0),
    latencies,
    p50: pick(50),
    p99: pick(99),
  };
}
