// `npm run bench:notifications`: how fast the service acknowledges Graph change notifications — the
// validation-free path Graph calls for every change (`POST /webhooks/microsoft/notifications`: parse, one
// insert into the inbox, 202). 10,000 notifications over loopback HTTP from a pool of keep-alive connections
// with 16 in flight, then one at a time; reports acknowledgements per second, p50/p99 latency, and how long
// the worker then takes to drain the inbox. Written to the notifications section of BENCHMARKS.md (PGlite)
// or notifications-postgresql (DATABASE_URL set); other sections kept.
// BENCH_NOTIFICATIONS=n changes the count; BENCH_IN_FLIGHT=16,1 the concurrencies run (in that order);
// BENCH_WORKER=off stops the worker's timer (to isolate the ack path).
import { loadavg } from 'node:os';
import { MikroORM } from '@mikro-orm/core';
import { Pool } from 'undici';
import { ChangeNotificationJobs } from '@adapters/jobs/change-notification-jobs.js';
import { command, DEMO, fmtMs, machine, percentile, startBench, writeSection } from './support.js';

const TOTAL = Number(process.env.BENCH_NOTIFICATIONS) || 10_000;
const WARMUP = 500;
const IN_FLIGHTS = (process.env.BENCH_IN_FLIGHT ?? '16,1').split(',').map((n) => {
  const value = Number(n);
  if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_IN_FLIGHT: ${n} is not a count`);
  return value;
});

const m = machine();
const b = await startBench({ jobs: true, weeks: 1 });
try {
  process.stdout.write(`database: ${b.database}\n`);
  const { apiKey } = await b.workspace('Bench notifications');
  const memberId = await b.connectedMember(apiKey, DEMO.users.megan.mail);
  if (process.env.BENCH_WORKER === 'off') await b.app.get(ChangeNotificationJobs).beforeApplicationShutdown();
  const orm = b.app.get(MikroORM);
  const sql = <T>(query: string, params: unknown[] = []) =>
    orm.em.fork().getConnection().execute<T[]>(query, params);
  const [row] = await sql<{ subscription_id: string; status: string }>(
    'select subscription_id, status from graph_subscriptions where member_id = ?',
    [memberId],
  );
  if (row?.status !== 'active') throw new Error(`no live subscription: ${JSON.stringify(row)}`);
  const sub = (await b.emulator.control.subscriptions()).find((s) => s.id === row.subscription_id)!;

  // Graph's payload, one change per body as Outlook usually sends them, each with its own id.
  const body = (i: number) =>
    JSON.stringify({
      value: [
        {
          id: `bench-${i}`,
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
          changeType: 'updated',
          resource: `Users/${DEMO.users.megan.id}/Events/bench-event-${i % 50}`,
          resourceData: {
            '@odata.type': '#Microsoft.Graph.Event',
            '@odata.id': `Users/${DEMO.users.megan.id}/Events/bench-event-${i % 50}`,
            '@odata.etag': `W/"bench-${i}"`,
            id: `bench-event-${i % 50}`,
          },
          clientState: sub.clientState,
          tenantId: DEMO.tenantId,
        },
      ],
    });

  const pool = new Pool(b.baseUrl, {
    connections: Math.max(...IN_FLIGHTS),
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  async function run(
    from: number,
    count: number,
    inFlight: number,
  ): Promise<{ latencies: number[]; wallMs: number; non202: number }> {
    const latencies: number[] = [];
    let next = from;
    let non202 = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < from + count) {
          const i = next++;
          const t0 = performance.now();
          const res = await pool.request({
            method: 'POST',
            path: '/webhooks/microsoft/notifications',
            headers: { 'content-type': 'application/json' },
            body: body(i),
          });
          await res.body.dump();
          latencies.push(performance.now() - t0);
          if (res.statusCode !== 202) non202++;
        }
      }),
    );
    return { latencies: latencies.sort((x, y) => x - y), wallMs: performance.now() - started, non202 };
  }

  /** Waits until the worker (on, as in production) has processed everything; answers how long that took. */
  async function drained(): Promise<number> {
    const started = performance.now();
    for (;;) {
      const [left] = await sql<{ n: string }>(
        'select count(*) as n from graph_notification_inbox where processed_at is null',
      );
      if (Number(left!.n) === 0) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error(`inbox not drained: ${left!.n} left`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const rows: string[] = [];
  let offset = 0;
  const count = async () =>
    Number(
      (
        await sql<{ n: string }>(
          'select count(*) as n from graph_notification_inbox where subscription_id = ?',
          [sub.id],
        )
      )[0]!.n,
    );
  const loadBefore = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  for (const inFlight of IN_FLIGHTS) {
    await run(offset, WARMUP, inFlight);
    offset += WARMUP;
    const before = await count();
    const measured = await run(offset, TOTAL, inFlight);
    const perSecond = TOTAL / (measured.wallMs / 1000);
    const p50 = percentile(measured.latencies, 50);
    const p99 = percentile(measured.latencies, 99);
    process.stdout.write(
      `${TOTAL} notifications, ${inFlight} in flight: ${perSecond.toFixed(0)}/s, p50 ${fmtMs(p50)} ms, p99 ${fmtMs(p99)} ms, non-202 ${measured.non202}\n`,
    );
    const stored = (await count()) - before;
    const drainMs = process.env.BENCH_WORKER === 'off' ? Number.NaN : await drained();
    offset += TOTAL;
    rows.push(
      `| ${TOTAL} | ${inFlight} | ${(measured.wallMs / 1000).toFixed(2)} | **${perSecond.toFixed(0)}** | ${fmtMs(p50)} | ${fmtMs(p99)} | ${measured.non202} | ${stored} | ${Number.isNaN(drainMs) ? 'worker off' : `${(drainMs / 1000).toFixed(1)} s`} |`,
    );
  }
  await pool.close();

  const table = [
    '| Notifications | In flight | Wall (s) | Acknowledged/s | p50 (ms) | p99 (ms) | Non-202 | Stored | Worker drained the rest in |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
  const header = `\`${command('bench:notifications')}\` — ${m.date}, Node ${m.node}, ${m.nproc} cores by nproc, ${m.cpu}, load average ${loadBefore} at the start.`;
  if (b.database.startsWith('PGlite')) {
    writeSection('notifications', [
      '## Graph change notifications: acknowledgement',
      '',
      header,
      `Database: ${b.database}. The app (createApp: Fastify, pino with \`LOG_LEVEL=silent\`, background jobs on`,
      'as in production, the notification worker included) listens on loopback in the benchmark process; one',
      'member is connected by the real sign-in, so a real subscription exists (validated by the in-process',
      'Microsoft 365 emulator). The client (undici Pool, keep-alive, in the same process and event loop) posts',
      "Graph's payload, one change per body with its own id and the right clientState, to",
      '`POST /webhooks/microsoft/notifications`; each answer is a 202 once its items are in the inbox (no Graph',
      'call in the request; the item is parsed, its dedupe key is its subscription and notification ids, and',
      'requests that arrive while an insert runs are written together by the next one: a single statement per',
      `batch). ${WARMUP} warm-up notifications before each row (not counted). Latencies are client-side. On PGlite`,
      'the database runs on the same thread (WASM) as the server, the client and the worker, which bounds the rate.',
      '',
      ...table,
    ]);
  } else {
    writeSection('notifications-postgresql', [
      '### The same on PostgreSQL',
      '',
      header,
      `Database: ${b.database}, the rest as above.`,
      '',
      ...table,
    ]);
  }
} finally {
  await b.close();
}
