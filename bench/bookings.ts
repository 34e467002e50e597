// `npm run bench:bookings`: bookings per second end to end, and how fast a refused booking (409) answers
// under that load, written to the bookings section of BENCHMARKS.md (other sections are kept).
// The app runs in this process on loopback, the Microsoft 365 emulator in a worker thread of the same process
// (Microsoft's CPU is not the service's: its Graph routes, its side of TLS and its change notifications took a
// large share of the app's thread when they shared it); every booking re-reads the host's free/busy from the
// emulator (getSchedule), commits the booking and its outbox row, and waits for the first calendar write
// (POST /me/events with a Teams meeting) before answering.
// Knobs: BENCH_HOSTS (8), BENCH_BOOKINGS (200), BENCH_IN_FLIGHT (12), BENCH_CLIENT (`worker`, the default: the
// client in a worker thread as bench:http's is; `inline`: in the app's thread, as the bench was until 2026-12-06),
// BENCH_EMULATOR (`thread`, the default: the emulator in a worker thread of its own; `inline`: in the app's
// thread, sharing its event loop, as the bench was until 2026-12-07).
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  availability,
  command,
  DEMO,
  expectStatus,
  fmtMs,
  machine,
  percentile,
  startBench,
  writeSection,
} from './support.js';
import type { Bench, Reply } from './support.js';
import type { EmulatorMode } from './emulator-handle.js';
import type { BookingAnswer, BookingLoad } from './booking-client.js';

const HOSTS = intEnv('BENCH_HOSTS', 8);
const BOOKINGS = intEnv('BENCH_BOOKINGS', 200);
const IN_FLIGHT = intEnv('BENCH_IN_FLIGHT', 12);
const SEQUENTIAL = 30;
/** The client runs in a worker thread unless BENCH_CLIENT=inline (the bench as it was until 2026-12-06). */
const CLIENT_IN_WORKER = process.env.BENCH_CLIENT !== 'inline';
/** The emulator runs in a worker thread unless BENCH_EMULATOR=inline (the bench as it was until 2026-12-07). */
const EMULATOR = emulatorMode(process.env.BENCH_EMULATOR);
const WARMUP = 24;
const DAY = 86_400_000;

const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

interface Target {
  eventTypeId: string;
  start: string;
}

interface Phase {
  label: string;
  requests: number;
  inFlight: number;
  wallMs: number;
  created: number[];
  refused: number[];
  other: Reply[];
  pending: number;
  statements: number | null;
  roundTrips: number | null;
  /** CPU time of the main thread (the app, and the emulator when inline; not the workers) per request, in ms. */
  cpuMs: number;
}

const loadBefore = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const b = await startBench({ jobs: true, connections: IN_FLIGHT, emulator: EMULATOR });
try {
  process.stdout.write(`database: ${b.database}\n`);
  const { apiKey } = await b.workspace('Bench bookings');
  const hosts = await prepareHosts(b, apiKey);
  process.stdout.write(
    `${hosts.length} hosts connected, ${hosts.reduce((n, h) => n + h.free.length, 0)} free starts\n`,
  );

  // Each host's free starts in turn, so that consecutive requests spread over the hosts.
  const fresh: Target[] = [];
  for (let k = 0; fresh.length < SEQUENTIAL + WARMUP + BOOKINGS * 2; k++) {
    const round = hosts
      .filter((h) => k < h.free.length)
      .map((h) => ({ eventTypeId: h.eventTypeId, start: h.free[k]! }));
    if (round.length === 0) throw new Error(`not enough free starts: ${fresh.length}`);
    fresh.push(...round);
  }
  const take = (n: number) => fresh.splice(0, n);

  await phase(b, apiKey, 'warm-up', take(WARMUP), IN_FLIGHT);
  const sequential = await phase(b, apiKey, 'Unloaded: one at a time', take(SEQUENTIAL), 1);
  const load = await phase(b, apiKey, 'Distinct free starts', take(BOOKINGS), IN_FLIGHT);
  // Every other request asks again for a start that the previous phase booked.
  const taken = load.targets;
  const mixedTargets: Target[] = [];
  const newOnes = take(BOOKINGS / 2);
  for (let i = 0; i < BOOKINGS / 2; i++) mixedTargets.push(newOnes[i]!, taken[(i * 7) % taken.length]!);
  const mixed = await phase(b, apiKey, 'Mixed: every other start already taken', mixedTargets, IN_FLIGHT);

  const m = machine();
  const row = (p: Phase) => {
    const wallS = p.wallMs / 1000;
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    const c = sorted(p.created);
    const r = sorted(p.refused);
    const lat = (xs: number[]) =>
      xs.length ? `${fmtMs(percentile(xs, 50))} / ${fmtMs(percentile(xs, 99))}` : '–';
    const others = p.other.length
      ? `, **${p.other.length} other (${[...new Set(p.other.map((o) => o.status))].join(', ')})**`
      : '';
    return `| ${p.label} | ${p.requests} | ${p.inFlight} | ${wallS.toFixed(2)} | **${(p.created.length / wallS).toFixed(1)}** | ${p.refused.length ? (p.refused.length / wallS).toFixed(1) : '–'} | ${lat(c)} | ${lat(r)} | ${p.statements === null ? '–' : p.statements.toFixed(1)} | ${p.roundTrips === null ? '–' : p.roundTrips.toFixed(1)} | ${p.cpuMs.toFixed(2)} | ${p.created.length} × 201, ${p.refused.length} × 409${others}; ${p.pending} answered \`pending\` |`;
  };
  writeSection('bookings', [
    '## Bookings end to end',
    '',
    `\`${command('bench:bookings')}\` — ${m.date}, Node ${m.node}, ${m.nproc} cores by nproc, ${m.cpu}.`,
    `Database: ${b.database}. The app (createApp, background jobs **on** as in production: calendar-sync`,
    'worker, reminders, webhook delivery) listens on loopback in the benchmark process; the Microsoft 365',
    ...(EMULATOR === 'thread'
      ? [
          'emulator (HTTPS, demo tenant) runs in a worker thread of its own, as Microsoft’s CPU is not the service’s',
          '(`BENCH_EMULATOR=inline`: in the app’s thread, sharing its event loop); the client (undici Pool,',
        ]
      : [
          'emulator (HTTPS, demo tenant) runs in the app’s thread and shares its event loop (`BENCH_EMULATOR=inline`,',
          'the bench as it was until 2026-12-07); the client (undici Pool,',
        ]),
    CLIENT_IN_WORKER
      ? 'keep-alive) runs in a worker thread of it, as bench:http’s does (`BENCH_CLIENT=inline`: in the app’s thread).'
      : 'keep-alive) runs in the app’s thread too (`BENCH_CLIENT=inline`, the bench as it was until 2026-12-06).',
    `${HOSTS} hosts in the Contoso tenant (UTC mailboxes with 3 busy`,
    'items each weekday, Teams licence), each connected by the real sign-in and the only host of its own',
    '30-minute Teams event type, open weekdays 08:00–18:00 UTC. A request is a `POST /v1/bookings` of an offered',
    'start, spread over the hosts in turn. **These are end-to-end numbers**: every booking re-reads the host’s',
    'free/busy from the emulator (a fresh getSchedule over HTTPS), commits the booking and its outbox row, and',
    'waits for the first calendar write (`POST /me/events` with the Teams meeting) before answering 201; a',
    'refused booking (409 `SLOT_UNAVAILABLE`) is refused from the database read alone: kailenty booked the start.',
    `${WARMUP} warm-up bookings first (not counted). Latencies are client-side, in ms. Load average when the`,
    `run started: ${loadBefore} (on ${m.nproc} cores; other work was running on the machine).`,
    '',
    '| Phase | Requests | In flight | Wall (s) | Bookings/s | Refusals/s | 201 p50 / p99 | 409 p50 / p99 | SQL / request | Round trips / request | CPU ms / request | Outcome |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    row(sequential),
    row(load),
    row(mixed),
    '',
    '“SQL / request”: statements this process sent to PostgreSQL during the phase, divided by its requests',
    '(the background jobs’ polling included; – on PGlite); “Round trips / request”: the round trips they took (a',
    'transaction’s begin, and its writes at commit, go joined to a neighbour). “CPU ms / request”: CPU time of the process’s main',
    EMULATOR === 'thread'
      ? 'thread (the app and its jobs; not the emulator’s thread nor the client’s worker) during the phase, divided'
      : 'thread (the app, its jobs and the emulator, which share it; not the client’s worker) during the phase, divided',
    'by its requests: it moves less than the rates when other work shares the machine.',
    ...([sequential, load, mixed].some((p) => p.pending > 0)
      ? [
          '“answered `pending`”: 201 with `calendar.syncStatus: pending` and no Teams link: the first calendar write',
          'did not end within the 5 s a request waits for it (the calendar-sync worker writes it later and',
          '`booking.updated` follows). The request claims its booking’s calendar work at commit, so no worker takes',
          'it first.',
        ]
      : []),
  ]);
  for (const p of [sequential, load, mixed]) process.stdout.write(`${row(p)}\n`);
} finally {
  await b.close();
}

async function prepareHosts(bench: Bench, apiKey: string) {
  const from = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) + DAY;
  const hosts: { memberId: string; eventTypeId: string; free: string[] }[] = [];
  for (let i = 0; i < HOSTS; i++) {
    const mail = `bench.host${i + 1}@${DEMO.tenantDomain}`;
    const user = await bench.emulator.control.addUser({
      tenantId: DEMO.tenantId,
      mail,
      displayName: `Bench host ${i + 1}`,
      timeZone: 'UTC',
      teamsLicence: true,
    });
    for (let d = 0; d < 35; d++) {
      const day = from + d * DAY;
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      for (const [h, len] of [
        [9 + ((d + i) % 2), 60],
        [12, 30],
        [14 + ((d * 3 + i) % 3), 90],
      ] as const) {
        const start = day + h * 3_600_000;
        await bench.emulator.control.addEvent({
          userId: user.id,
          subject: 'Busy',
          start: new Date(start).toISOString(),
          end: new Date(start + len * 60_000).toISOString(),
          showAs: 'busy',
          notify: false,
        });
      }
    }
    const memberId = await bench.connectedMember(apiKey, mail);
    const weekdays = availability('08:00', '18:00');
    weekdays.weekly = weekdays.weekly.filter((w) => w.day !== 'sat' && w.day !== 'sun');
    expectStatus(
      await bench.request('PUT', `/v1/members/${memberId}/availability`, { apiKey, body: weekdays }),
      200,
      'availability',
    );
    const created = await bench.request('POST', '/v1/event-types', {
      apiKey,
      body: {
        slug: `bench-${i + 1}`,
        title: 'Bench call',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [memberId],
        assignment: 'single',
      },
    });
    expectStatus(created, 201, 'event type');
    const slots = await bench.request(
      'GET',
      `/v1/event-types/${created.body.id}/slots?start=${new Date(from).toISOString()}&end=${new Date(from + 30 * DAY).toISOString()}`,
      { apiKey },
    );
    expectStatus(slots, 200, 'slots');
    hosts.push({
      memberId,
      eventTypeId: created.body.id,
      free: (slots.body.slots as { start: string }[]).map((s) => s.start),
    });
  }
  return hosts;
}

async function phase(
  bench: Bench,
  apiKey: string,
  label: string,
  targets: Target[],
  inFlight: number,
): Promise<Phase & { targets: Target[] }> {
  const result: Phase & { targets: Target[] } = {
    label,
    requests: targets.length,
    inFlight,
    wallMs: 0,
    created: [],
    refused: [],
    other: [],
    pending: 0,
    statements: null,
    roundTrips: null,
    cpuMs: 0,
    targets: [],
  };
  const statementsBefore = bench.sqlStatements();
  const roundTripsBefore = bench.sqlRoundTrips();
  const cpuBefore = process.threadCpuUsage();
  const started = performance.now();
  const answers = CLIENT_IN_WORKER
    ? await inWorker({ origin: bench.baseUrl, apiKey, inFlight, guest, targets })
    : await inline(bench, apiKey, targets, inFlight);
  for (const a of answers) {
    const body = typeof a.body === 'string' ? {} : a.body;
    if (a.status === 201) {
      result.created.push(a.ms);
      result.targets.push(targets[a.target]!);
      if (body.calendar?.syncStatus !== 'synced') result.pending++;
    } else if (a.status === 409 && body.code === 'SLOT_UNAVAILABLE') {
      result.refused.push(a.ms);
    } else {
      result.other.push({ status: a.status, body: a.body, ms: a.ms });
    }
  }
  result.wallMs = performance.now() - started;
  const cpu = process.threadCpuUsage(cpuBefore);
  result.cpuMs = (cpu.user + cpu.system) / 1000 / targets.length;
  const statementsAfter = bench.sqlStatements();
  const roundTripsAfter = bench.sqlRoundTrips();
  if (statementsBefore !== null && statementsAfter !== null) {
    result.statements = (statementsAfter - statementsBefore) / targets.length;
  }
  if (roundTripsBefore !== null && roundTripsAfter !== null) {
    result.roundTrips = (roundTripsAfter - roundTripsBefore) / targets.length;
  }
  for (const o of result.other.slice(0, 3)) {
    process.stderr.write(`${label}: unexpected ${o.status} ${JSON.stringify(o.body)}\n`);
  }
  process.stdout.write(
    `${label}: ${result.created.length} × 201, ${result.refused.length} × 409, ${result.other.length} other in ${(result.wallMs / 1000).toFixed(2)} s\n`,
  );
  return result;
}

/** The phase's requests from a worker thread (the default), answered in the order they finished. */
function inWorker(load: BookingLoad): Promise<BookingAnswer[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./booking-client.js', import.meta.url), { workerData: load });
    worker.once('message', (answers: BookingAnswer[]) => {
      resolve(answers);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** The phase's requests from this thread, sharing the app's event loop (`BENCH_CLIENT=inline`). */
async function inline(bench: Bench, apiKey: string, targets: Target[], inFlight: number) {
  const answers: BookingAnswer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < targets.length) {
        const target = next++;
        const { eventTypeId, start } = targets[target]!;
        const res = await bench.request('POST', '/v1/bookings', {
          apiKey,
          body: { eventTypeId, start, guest },
        });
        answers.push({ target, status: res.status, ms: res.ms, body: res.body });
      }
    }),
  );
  return answers;
}

function emulatorMode(value: string | undefined): EmulatorMode {
  if (value === undefined || value === '' || value === 'thread') return 'thread';
  if (value === 'inline') return 'inline';
  throw new Error(`BENCH_EMULATOR is thread (the default) or inline, not ${value}`);
}

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
