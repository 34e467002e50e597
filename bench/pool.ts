// `npm run bench:pool`: a large round-robin pool over HTTP — the slots query of one event type whose hosts
// (BENCH_POOL_HOSTS, default the API's maximum) are all connected in one tenant. The cold query counts the
// getSchedule calls it makes (⌈hosts / 20⌉: one host's token reads 20 mailboxes a call); the warm one is
// timed, requests one after another. Written to the pool section of BENCHMARKS.md.
import { loadavg } from 'node:os';
import { MAX_HOSTS } from '@domain/event-type/event-type.js';
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

const HOSTS = Number(process.env.BENCH_POOL_HOSTS) || MAX_HOSTS;
const DAYS = 7;
const WARMUP = 5;
const RUNS = Number(process.env.BENCH_POOL_RUNS) || 40;
const DAY = 86_400_000;
const HOUR = 3_600_000;

const m = machine();
const loadBefore = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const b = await startBench({ jobs: true, weeks: 1 });
try {
  process.stdout.write(`database: ${b.database}\n`);
  const { apiKey } = await b.workspace('Bench pool');
  const today = new Date();
  const from = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + DAY;
  const hours = availability('09:00', '17:00', 'UTC');
  hours.weekly = hours.weekly.filter((w) => w.day !== 'sat' && w.day !== 'sun');
  const started = performance.now();
  const hostIds: string[] = [];
  for (let i = 0; i < HOSTS; i += 10) {
    hostIds.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, HOSTS - i) }, async (_, k) => {
          const n = i + k;
          const mail = `pool${n}@contoso.com`;
          const user = await b.emulator.control.addUser({
            tenantId: DEMO.tenantId,
            mail,
            displayName: `Pool ${n}`,
          });
          // Three busy hours a day, at times that differ from host to host.
          for (let d = 0; d < DAYS; d++) {
            for (const h of [9 + (n % 3), 12 + (n % 2), 15 + (n % 2)]) {
              await b.emulator.control.addEvent({
                userId: user.id,
                subject: 'busy',
                start: new Date(from + d * DAY + h * HOUR).toISOString(),
                end: new Date(from + d * DAY + (h + 1) * HOUR).toISOString(),
                notify: false,
              });
            }
          }
          const id = await b.connectedMember(apiKey, mail);
          expectStatus(
            await b.request('PUT', `/v1/members/${id}/availability`, { apiKey, body: hours }),
            200,
            'availability',
          );
          return id;
        }),
      )),
    );
  }
  process.stdout.write(
    `${HOSTS} hosts connected in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
  const created = await b.request('POST', '/v1/event-types', {
    apiKey,
    body: {
      slug: 'bench-pool',
      title: 'Bench pool',
      durationMinutes: 30,
      location: { kind: 'teams' },
      hostIds,
      assignment: 'round_robin',
    },
  });
  expectStatus(created, 201, 'event type');
  const path = `/v1/event-types/${created.body.id}/slots?start=${new Date(from).toISOString()}&end=${new Date(from + DAYS * DAY).toISOString()}`;

  await b.emulator.control.clearRequests();
  const cold = await b.request('GET', path, { apiKey });
  expectStatus(cold, 200, 'slots');
  const coldCalls = (await b.emulator.control.requests()).filter((q) => /getSchedule/i.test(q.path)).length;
  const slots = (cold.body.slots as unknown[]).length;
  const warnings = (cold.body.warnings as unknown[]).length;
  process.stdout.write(`cold: ${fmtMs(cold.ms)} ms, ${coldCalls} getSchedule calls, ${slots} slots\n`);

  for (let i = 0; i < WARMUP; i++) expectStatus(await b.request('GET', path, { apiKey }), 200, 'warm-up');
  await b.emulator.control.clearRequests();
  const statementsBefore = b.sqlStatements();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const warm = await b.request('GET', path, { apiKey });
    expectStatus(warm, 200, 'warm slots');
    times.push(warm.ms);
  }
  const statements = statementsBefore === null ? null : (b.sqlStatements()! - statementsBefore) / RUNS;
  const warmCalls = (await b.emulator.control.requests()).filter((q) => /getSchedule/i.test(q.path)).length;
  times.sort((x, y) => x - y);
  const median = percentile(times, 50);
  process.stdout.write(
    `warm: median ${fmtMs(median)} ms, p90 ${fmtMs(percentile(times, 90))} ms, ${warmCalls} getSchedule calls, ${statements ?? '–'} SQL statements / request\n`,
  );
  writeSection('pool', [
    `## HTTP: a ${HOSTS}-host round-robin pool`,
    '',
    `\`${command('bench:pool')}\` — ${m.date}, Node ${m.node}, ${m.nproc} cores by nproc, ${m.cpu}.`,
    `Database: ${b.database}. The app (createApp, background jobs on, logging silent) and the Microsoft 365`,
    `emulator in the benchmark process. ${HOSTS} hosts of the demo tenant (the API's maximum per event type is`,
    `${MAX_HOSTS}), each connected by the real sign-in, open weekdays 09:00–17:00 UTC with three busy hours a day;`,
    `one 30-minute round-robin event type, slots over ${DAYS} days → ${slots} slots, ${warnings} warnings,`,
    `${(JSON.stringify(cold.body).length / 1024).toFixed(0)} KiB of JSON. Requests one after another on a keep-alive connection.`,
    `Load average when the run started: ${loadBefore} (on ${m.nproc} cores; other work may be running).`,
    '',
    '| Query | getSchedule calls | Median (ms) | p90 (ms) | SQL statements / request | Target |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| Cold (first query: free/busy read from the emulator) | ${coldCalls} | ${fmtMs(cold.ms)} | – | – | ⌈${HOSTS}/20⌉ = ${Math.ceil(HOSTS / 20)} calls ${coldCalls === Math.ceil(HOSTS / 20) ? '✅' : '❌'} |`,
    `| Warm (${RUNS} queries after ${WARMUP} of warm-up) | ${warmCalls} | ${fmtMs(median)} | ${fmtMs(percentile(times, 90))} | ${statements === null ? '–' : statements.toFixed(1)} | ≤ 150 ms median ${median <= 150 ? '✅' : '❌'} |`,
  ]);
} finally {
  await b.close();
}
