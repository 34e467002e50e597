// `npm run bench:scale`: do the hot paths stay flat as the data grows? The same requests against two
// databases on the PostgreSQL server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres):
// one holding only the measured workspace, and one that also holds 10,000 members, 1,000,000 bookings and
// 100,000 webhook deliveries (seeded with set-based SQL, bench/seed.ts). Both apps run in this process with
// jobs off, and take turns path by path (A B B A …) so that both see the same machine. The ratio seeded /
// empty of the median and p99 latency per path goes to the scale section of BENCHMARKS.md. Then every
// statement those paths sent is EXPLAINed on the seeded database: a Seq Scan of a large table fails the run.
// The seeded database is kept for the next run with BENCH_SCALE_KEEP=1 (seeding takes minutes); otherwise
// both are dropped at the end. Knobs: BENCH_SCALE_ROUNDS (4), BENCH_SCALE_SLICE (25 requests per turn).
import { loadavg } from 'node:os';
import pg from 'pg';
import { MikroOrmBookingRepository } from '@adapters/persistence/mikro-orm-booking.repository.js';
import { MikroOrmWebhookDeliveryRepository } from '@adapters/persistence/mikro-orm-webhook-delivery.repository.js';
import { captureStatements, explainAll, shortSql, type PlanReport } from './plans.js';
import { seedBookings, seedDeliveries, seedMembers, seedWorkspaces, settle, type Targets } from './seed.js';
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
  type Bench,
} from './support.js';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const KEEP = process.env.BENCH_SCALE_KEEP === '1';
const ROUNDS = intEnv('BENCH_SCALE_ROUNDS', 4);
const SLICE = intEnv('BENCH_SCALE_SLICE', 25);
const EMPTY_DB = 'kailenty_scale_empty';
const SEEDED_DB = 'kailenty_scale_seeded';
const BULK_NAME = 'Scale seed';
const BENCH_NAME = 'Bench scale';
const DAY = 86_400_000;
/** Tables from this many rows count as large: a hot path must reach them through an index. */
const LARGE_ROWS = 5_000;

// The shape of the data: the measured workspace (100 members, its own 2,000 bookings around now and 300
// deliveries, on both databases), and on the seeded one 99 more workspaces of 100 members, 10,000 bookings
// and 1,000 deliveries each, plus 10,000 older and later bookings and 1,000 deliveries in the measured one.
const OWN = { members: 99, bookings: 2_000, deliveries: 300 };
const BULK = { workspaces: 99, members: 100, bookings: 10_000, deliveries: 1_000 };

interface Side {
  label: 'empty' | 'seeded';
  url: string;
  bench: Bench;
  apiKey: string;
  eventTypeId: string;
  endpointId: string;
  free: string[];
  taken: string[];
  bookingId: string;
  laterPage: string;
  latencies: Map<string, number[]>;
}

interface Path {
  key: string;
  label: string;
  run(side: Side): Promise<number>;
}

const loadBefore = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const started = performance.now();
const from = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) + DAY;
const listStart = new Date().toISOString();
const slotsPath = (eventTypeId: string, days: number) =>
  `/v1/event-types/${eventTypeId}/slots?start=${new Date(from).toISOString()}&end=${new Date(from + days * DAY).toISOString()}`;
const guest = { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' };

await ensureDatabase(EMPTY_DB, true);
const reused = await ensureDatabase(SEEDED_DB, !KEEP);
const sides: Side[] = [];
let failed = false;
try {
  for (const label of ['empty', 'seeded'] as const) {
    const url = dbUrl(label === 'empty' ? EMPTY_DB : SEEDED_DB);
    const bench = await startBench({ jobs: false, databaseUrl: url, connections: 4 });
    sides.push(await prepare(label, url, bench));
  }
  const counts = await tableCounts(sides[1]!.url);
  process.stdout.write(`seeded database: ${JSON.stringify(counts)}\n`);

  const paths: Path[] = [
    {
      key: 'slots',
      label: '`GET /v1/event-types/{id}/slots`, 1 host, 7 days, warm',
      run: async (s) => timed(s, 'GET', slotsPath(s.eventTypeId, 7), 200),
    },
    {
      key: 'book',
      label: '`POST /v1/bookings` (a free start: fresh free/busy read, commit, calendar write)',
      run: async (s) => {
        const start = s.free.shift();
        if (!start) throw new Error(`${s.label}: no free start left`);
        const res = await s.bench.request('POST', '/v1/bookings', {
          apiKey: s.apiKey,
          body: { eventTypeId: s.eventTypeId, start, guest },
        });
        expectStatus(res, 201, `${s.label}: booking`);
        s.taken.push(start);
        return res.ms;
      },
    },
    {
      key: 'refused',
      label: '`POST /v1/bookings` refused (409: the start is taken)',
      run: async (s) => {
        const start = s.taken[s.taken.length - 1]!;
        const res = await s.bench.request('POST', '/v1/bookings', {
          apiKey: s.apiKey,
          body: { eventTypeId: s.eventTypeId, start, guest },
        });
        expectStatus(res, 409, `${s.label}: refused booking`);
        return res.ms;
      },
    },
    {
      key: 'list',
      label: '`GET /v1/bookings?start=now&limit=50` (first page)',
      run: (s) => timed(s, 'GET', `/v1/bookings?start=${encodeURIComponent(listStart)}&limit=50`, 200),
    },
    {
      key: 'page',
      label: '`GET /v1/bookings?start=now&limit=50&cursor=…` (sixth page)',
      run: (s) =>
        timed(
          s,
          'GET',
          `/v1/bookings?start=${encodeURIComponent(listStart)}&limit=50&cursor=${encodeURIComponent(s.laterPage)}`,
          200,
        ),
    },
    {
      key: 'byId',
      label: '`GET /v1/bookings/{id}`',
      run: (s) => timed(s, 'GET', `/v1/bookings/${s.bookingId}`, 200),
    },
    {
      key: 'deliveries',
      label: '`GET /v1/webhook-endpoints/{id}/deliveries?limit=50`',
      run: (s) => timed(s, 'GET', `/v1/webhook-endpoints/${s.endpointId}/deliveries?limit=50`, 200),
    },
    {
      key: 'reminders',
      label: 'Reminder claim (`lockDueReminders(now, 25)`, rolled back)',
      run: (s) => inRollback(s, (em) => new MikroOrmBookingRepository(em).lockDueReminders(new Date(), 25)),
    },
    {
      key: 'webhooks',
      label: 'Webhook delivery claim (`claimDue(now, 50)`, rolled back)',
      run: (s) => inRollback(s, (em) => new MikroOrmWebhookDeliveryRepository(em).claimDue(new Date(), 50)),
    },
  ];

  // Warm-up: each path a few times on both sides (JIT, prepared statements, caches).
  for (const side of sides) for (const path of paths) for (let i = 0; i < 3; i++) await path.run(side);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const path of paths) {
      for (const side of order) {
        for (let i = 0; i < SLICE; i++) push(side.latencies, path.key, await path.run(side));
      }
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
  }

  // Every statement the paths send, EXPLAINed on the seeded database.
  const capture = captureStatements();
  try {
    for (const path of paths) await path.run(sides[1]!);
  } finally {
    capture.stop();
  }
  const plans = await explainAll(sides[1]!.url, capture.statements(), LARGE_ROWS);
  const seqScans = plans.filter((p) => p.seqScansOfLargeTables.length > 0);
  failed = seqScans.length > 0;

  const stats = (side: Side, key: string) => {
    const sorted = [...(side.latencies.get(key) ?? [])].sort((x, y) => x - y);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
  };
  const rows = paths.map((path) => {
    const e = stats(sides[0]!, path.key);
    const s = stats(sides[1]!, path.key);
    return { path, e, s, ratio50: s.p50 / e.p50, ratio99: s.p99 / e.p99 };
  });
  const m = machine();
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  writeSection('scale', [
    '## Scale: hot paths on an empty and on a seeded database',
    '',
    `\`${command('bench:scale')}\` — ${m.date}, Node ${m.node}, ${m.nproc} cores by nproc, ${m.cpu}.`,
    `Database: ${sides[1]!.bench.database}. Two databases on one server: **empty** (the measured workspace`,
    `only: ${OWN.members + 1} members, ${OWN.bookings.toLocaleString('en')} bookings around now, ${OWN.deliveries} webhook deliveries) and **seeded**`,
    `(the same, and ${BULK.workspaces} more workspaces; in all ${counts.members.toLocaleString('en')} members, ${counts.bookings.toLocaleString('en')} bookings over`,
    `${Math.round((BULK.bookings / BULK.members) * 10)} days, a tenth cancelled, and ${counts.webhook_deliveries.toLocaleString('en')} webhook deliveries, 80 % succeeded, 10 % failed, 10 %`,
    'pending a retry; seeded with set-based SQL, bench/seed.ts, then ANALYZE). Each database has its own app',
    '(createApp, jobs off) and Microsoft 365 emulator in this process; the measured host (Megan, demo tenant)',
    'is connected by the real sign-in on both. Requests one at a time, client-side latency in ms; the two',
    `sides take turns path by path (A B B A …), ${ROUNDS} rounds of ${SLICE} requests per path and side. The claims`,
    'are the repository methods the jobs call, in a transaction rolled back; nothing seeded is due (the steady',
    'state of a running service), so they measure finding due work among the backlog.',
    `Load average when the run started: ${loadBefore} (on ${m.nproc} cores; other work was running on the machine).`,
    `${reused ? 'The seeded database was kept from an earlier run (BENCH_SCALE_KEEP=1).' : 'Both databases were created and seeded by this run.'} The run took ${minutes} minutes.`,
    '',
    '| Path | Empty p50 / p99 | Seeded p50 / p99 | Seeded / empty p50 | p99 |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.path.label} | ${fmtMs(r.e.p50)} / ${fmtMs(r.e.p99)} | ${fmtMs(r.s.p50)} / ${fmtMs(r.s.p99)} | **${r.ratio50.toFixed(2)}** | ${r.ratio99.toFixed(2)} |`,
    ),
    '',
    `**EXPLAIN on the seeded database**: ${plans.length} distinct statements sent by these paths (captured at`,
    'the node-postgres client), each planned with its own parameters. ' +
      (failed
        ? `**${seqScans.length} would scan a large table sequentially**: ${seqScans.map((p) => `\`${shortSql(p.statement.text, 80)}\` (${p.seqScansOfLargeTables.join(', ')})`).join('; ')}.`
        : `None scans a table of ${LARGE_ROWS.toLocaleString('en')} rows or more sequentially. The scans of the large tables:`),
    '',
    ...largeScans(plans),
  ]);
  for (const r of rows) {
    process.stdout.write(
      `${r.path.key}: empty ${fmtMs(r.e.p50)}/${fmtMs(r.e.p99)} ms, seeded ${fmtMs(r.s.p50)}/${fmtMs(r.s.p99)} ms, ratio ${r.ratio50.toFixed(2)} / ${r.ratio99.toFixed(2)}\n`,
    );
  }
  for (const p of plans) {
    process.stdout.write(
      `${p.seqScansOfLargeTables.length ? 'SEQ SCAN ' : ''}${shortSql(p.statement.text)}\n   ${p.scans.join('; ')}\n`,
    );
  }
} finally {
  for (const side of sides) await side.bench.close();
  await dropDatabase(EMPTY_DB);
  if (!KEEP) await dropDatabase(SEEDED_DB);
}
if (failed) {
  process.stderr.write('bench:scale: a hot-path statement scans a large table sequentially (see above)\n');
  process.exitCode = 1;
}

/** Sets up the measured workspace through the app, then seeds around it (and, on the seeded side, the bulk). */
async function prepare(label: Side['label'], url: string, bench: Bench): Promise<Side> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Bench workspaces of earlier runs (a kept seeded database): their bookings first (hosts are restricted).
    await client.query(
      `delete from bookings where workspace_id in (select id from workspaces where name like $1 || '%')`,
      [BENCH_NAME],
    );
    await client.query(`delete from workspaces where name like $1 || '%'`, [BENCH_NAME]);
    const { id: workspaceId, apiKey } = await bench.workspace(`${BENCH_NAME} ${label}`);
    const memberId = await bench.connectedMember(apiKey, DEMO.users.megan.mail);
    const hours = availability('09:00', '17:00', 'Europe/Berlin');
    hours.weekly = hours.weekly.filter((w) => w.day !== 'sat' && w.day !== 'sun');
    expectStatus(
      await bench.request('PUT', `/v1/members/${memberId}/availability`, { apiKey, body: hours }),
      200,
      'availability',
    );
    const eventType = await bench.request('POST', '/v1/event-types', {
      apiKey,
      body: {
        slug: 'bench-scale',
        title: 'Bench call',
        durationMinutes: 30,
        location: { kind: 'teams' },
        hostIds: [memberId],
        assignment: 'single',
      },
    });
    expectStatus(eventType, 201, 'event type');
    const endpoint = await bench.request('POST', '/v1/webhook-endpoints', {
      apiKey,
      body: { url: 'http://127.0.0.1:9/bench-scale', events: ['booking.created'] },
    });
    expectStatus(endpoint, 201, 'webhook endpoint');
    const own: Targets = [{ workspaceId, endpointId: endpoint.body.id }];
    await seedMembers(client, own, OWN.members, 'own');
    await seedBookings(client, own, {
      perWorkspace: OWN.bookings,
      hosts: OWN.members,
      hostTag: 'own',
      tag: 'own',
      pastHours: 10 * 24,
      spacingHours: 24,
      minute: 30,
    });
    await seedDeliveries(client, own, { perWorkspace: OWN.deliveries, tag: 'own', daysAgo: 0 });
    if (label === 'seeded') await seedBulk(client, own);
    process.stdout.write(`${label}: analyze\n`);
    await client.query('analyze');

    const slots = await bench.request('GET', slotsPath(eventType.body.id, 30), { apiKey });
    expectStatus(slots, 200, 'slots');
    const free = (slots.body.slots as { start: string }[]).map((s) => s.start);
    // The sixth page of the list, and a booking of the first, for the paged and the by-id reads.
    let cursor: string | null = null;
    let bookingId = '';
    for (let page = 0; page < 5; page++) {
      const res = await bench.request(
        'GET',
        `/v1/bookings?start=${encodeURIComponent(listStart)}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { apiKey },
      );
      expectStatus(res, 200, 'bookings list');
      if (page === 0) bookingId = res.body.data[0].id;
      cursor = res.body.nextCursor;
      if (!cursor) throw new Error(`${label}: the bookings list ends before its sixth page`);
    }
    return {
      label,
      url,
      bench,
      apiKey,
      eventTypeId: eventType.body.id,
      endpointId: endpoint.body.id,
      free,
      taken: [],
      bookingId,
      laterPage: cursor!,
      latencies: new Map(),
    };
  } finally {
    await client.end();
  }
}

/** The bulk of the seeded database, once (kept between runs), and the measured workspace's share of it. */
async function seedBulk(client: pg.Client, own: Targets): Promise<void> {
  const existing = await client.query<{ id: string; endpoint_id: string }>(
    `select w.id, e.id as endpoint_id from workspaces w join webhook_endpoints e on e.workspace_id = w.id
      where w.name like $1 || ' %'`,
    [BULK_NAME],
  );
  let bulk: Targets = existing.rows.map((r) => ({ workspaceId: r.id, endpointId: r.endpoint_id }));
  const t0 = performance.now();
  const say = (what: string) =>
    process.stdout.write(`seeded: ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  if (bulk.length !== BULK.workspaces) {
    if (bulk.length > 0) throw new Error(`${SEEDED_DB} holds a partial seed: drop it and run again`);
    bulk = await seedWorkspaces(client, BULK_NAME, BULK.workspaces);
    await seedMembers(client, bulk, BULK.members, 'bulk');
    say(`${BULK.workspaces * BULK.members} members`);
    await seedBookings(
      client,
      bulk,
      {
        perWorkspace: BULK.bookings,
        hosts: BULK.members,
        hostTag: 'bulk',
        tag: 'bulk',
        pastHours: 700 * 24,
        spacingHours: 240,
        minute: 0,
      },
      (n) => say(`${n.toLocaleString('en')} bookings`),
    );
    await seedDeliveries(client, bulk, { perWorkspace: BULK.deliveries, tag: 'bulk', daysAgo: 1 });
    say(`${BULK.workspaces * BULK.deliveries} webhook deliveries`);
  } else {
    await settle(
      client,
      bulk.map((b) => b.workspaceId),
    );
    say('bulk kept from an earlier run');
  }
  // The measured workspace's older and later bookings (on the hour, its own ones on the half hour).
  await seedBookings(client, own, {
    perWorkspace: BULK.bookings,
    hosts: OWN.members,
    hostTag: 'own',
    tag: 'bulk',
    pastHours: 700 * 24,
    spacingHours: 240,
    minute: 0,
  });
  await seedDeliveries(client, own, { perWorkspace: BULK.deliveries, tag: 'bulk', daysAgo: 1 });
  say('the measured workspace’s share');
}

async function timed(side: Side, method: 'GET', path: string, status: number): Promise<number> {
  const res = await side.bench.request(method, path, { apiKey: side.apiKey });
  expectStatus(res, status, `${side.label}: ${path}`);
  return res.ms;
}

/** Runs a claim in a transaction that is rolled back, so that every run finds the same rows. */
async function inRollback(
  side: Side,
  claim: (em: Side['bench']['orm']['em']) => Promise<unknown>,
): Promise<number> {
  const em = side.bench.orm.em.fork();
  const t = performance.now();
  await em.begin();
  try {
    await claim(em);
  } finally {
    await em.rollback();
  }
  return performance.now() - t;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** The scans of large tables, by statement, as a list for the report. */
function largeScans(plans: PlanReport[]): string[] {
  const large = /\bon (bookings|members|webhook_deliveries)$/;
  return plans
    .map((p) => ({ p, scans: [...new Set(p.scans.filter((s) => large.test(s)))] }))
    .filter((x) => x.scans.length > 0)
    .map((x) => `- \`${shortSql(x.p.statement.text, 90)}\`: ${x.scans.join('; ')}`);
}

async function tableCounts(
  url: string,
): Promise<Record<'members' | 'bookings' | 'webhook_deliveries', number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ members: number; bookings: number; webhook_deliveries: number }>(
      `select (select count(*) from members)::int as members, (select count(*) from bookings)::int as bookings,
              (select count(*) from webhook_deliveries)::int as webhook_deliveries`,
    );
    return res.rows[0]!;
  } finally {
    await client.end();
  }
}

function dbUrl(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the database (dropping it first when `fresh`); answers whether an existing one was kept. */
async function ensureDatabase(name: string, fresh: boolean): Promise<boolean> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    if (fresh) await client.query(`drop database if exists "${name}" with (force)`);
    const exists = (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
    if (!exists) await client.query(`create database "${name}"`);
    return exists;
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
