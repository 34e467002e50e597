// Rate limits across two service instances on one PostgreSQL database: the counters are rows of
// rate_limit_counters, so requests split across the instances meet the limit together — exactly below a
// limit of 20, within ⌊limit / 20⌋ per further instance above (each instance counts in the process and
// writes in batches). And when the counters fail or hang, requests pass (fail open) rather than being
// refused, and counting resumes after.
import pg from 'pg';
import { createOrm } from '@adapters/persistence/orm.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

// PGlite is one embedded connection in one process: two instances cannot share it, and on PGlite the
// counters are kept in the process (one instance is the only deployment there).
const describeOnPostgres = usingPostgres ? describe : describe.skip;
if (!usingPostgres) {
  console.info(
    'rate-limits-shared.e2e-spec: skipped — needs DATABASE_URL (PGlite serves one connection, so two service instances cannot share it, and its counters stay in the process).',
  );
}

const API_LIMIT = 6;
const PUBLIC_LIMIT = 4;
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

let db: TestDatabase;
let second: TestDatabase;
let a: TestApp;
let b: TestApp;

describeOnPostgres('rate limits shared by two service instances (PostgreSQL)', () => {
  beforeAll(async () => {
    const overrides = {
      rateLimit: { enabled: true, apiPerMinute: API_LIMIT, publicPerMinute: PUBLIC_LIMIT },
    };
    db = await createTestDatabase();
    // The second instance: its own MikroORM and pool on the same database (already migrated).
    const orm = await createOrm({ kind: 'postgres', url: db.url! });
    second = { ...db, orm, close: () => orm.close() };
    a = await startTestApp(overrides, db);
    b = await startTestApp(overrides, second);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await second?.close();
    await db?.close();
  });

  const sql = async <T>(query: string): Promise<T[]> =>
    (await db.orm.em.getConnection().execute(query)) as T[];

  it('counts one API key across both instances: the request after the limit is refused by either', async () => {
    const ws = await a.workspace();
    const statuses: number[] = [];
    for (let i = 0; i < API_LIMIT; i++) {
      const res = await (i % 2 === 0 ? a : b).http().get('/v1/members').set(bearer(ws.apiKey));
      statuses.push(res.status);
      expect(res.headers['ratelimit-remaining']).toBe(String(API_LIMIT - 1 - i));
    }
    expect(statuses).toEqual(Array(API_LIMIT).fill(200));
    for (const instance of [a, b]) {
      const res = await instance.http().get('/v1/members').set(bearer(ws.apiKey));
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('RATE_LIMITED');
    }
    // Stored under the key's hash, never the key itself.
    const rows = await sql<{ key: string; count: number }>(`select key, count from rate_limit_counters`);
    expect(rows.some((r) => r.key.includes(ws.apiKey))).toBe(false);
    expect(rows).toContainEqual({ key: expect.stringMatching(/^key:[\w-]{43}$/), count: API_LIMIT + 2 });
  });

  it('counts one client address across both instances, concurrent requests included', async () => {
    const address = { 'X-Forwarded-For': '203.0.113.70' };
    const statuses = await Promise.all(
      Array.from({ length: PUBLIC_LIMIT * 3 }, (_, i) =>
        (i % 2 === 0 ? a : b)
          .http()
          .get('/v1/permissions')
          .set(address)
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(PUBLIC_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(PUBLIC_LIMIT * 2);
  });

  it('lets requests through when the counters fail, and counts again once they are back', async () => {
    const address = { 'X-Forwarded-For': '203.0.113.71' };
    for (let i = 0; i < PUBLIC_LIMIT; i++) await a.http().get('/v1/permissions').set(address);
    expect((await b.http().get('/v1/permissions').set(address)).status).toBe(429);

    await sql('alter table rate_limit_counters rename to rate_limit_counters_away');
    try {
      for (const instance of [a, b, a, b]) {
        expect((await instance.http().get('/v1/permissions').set(address)).status).toBe(200);
      }
    } finally {
      await sql('alter table rate_limit_counters_away rename to rate_limit_counters');
    }
    expect((await a.http().get('/v1/permissions').set(address)).status).toBe(429);
  });

  it('lets a request through when the counters hang, after a short wait', async () => {
    const address = { 'X-Forwarded-For': '203.0.113.72' };
    for (let i = 0; i < PUBLIC_LIMIT; i++) await a.http().get('/v1/permissions').set(address);
    expect((await a.http().get('/v1/permissions').set(address)).status).toBe(429);

    const locker = new pg.Client({ connectionString: db.url! });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table rate_limit_counters in access exclusive mode');
      const started = Date.now();
      const res = await a.http().get('/v1/permissions').set(address);
      const waited = Date.now() - started;
      expect(res.status).toBe(200);
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(5_000);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  });
});

describeOnPostgres('rate limits counted in batches by two instances (PostgreSQL)', () => {
  const LIMIT = 40; // each instance may admit ⌊40 / 20⌋ = 2 requests the database has not confirmed
  let db2: TestDatabase;
  let other: TestDatabase;
  let c: TestApp;
  let d: TestApp;

  beforeAll(async () => {
    const overrides = { rateLimit: { enabled: true, apiPerMinute: LIMIT, publicPerMinute: LIMIT } };
    db2 = await createTestDatabase();
    const orm = await createOrm({ kind: 'postgres', url: db2.url! });
    other = { ...db2, orm, close: () => orm.close() };
    c = await startTestApp(overrides, db2);
    d = await startTestApp(overrides, other);
  });
  afterAll(async () => {
    await d?.close();
    await c?.close();
    await other?.close();
    await db2?.close();
  });

  it('admits between the limit and the limit + 2 of 100 concurrent requests, and the database gets them all', async () => {
    const address = { 'X-Forwarded-For': '203.0.113.80' };
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2 === 0 ? c : d)
          .http()
          .get('/v1/permissions')
          .set(address)
          .then((r) => r.status),
      ),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(LIMIT);
    expect(admitted).toBeLessThanOrEqual(LIMIT + 2);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    // With the next interval's write (200 ms; later on a loaded machine) every request counted in either
    // process is in the shared row.
    await eventually(async () => {
      const [row] = (await db2.orm.em
        .getConnection()
        .execute(`select count from rate_limit_counters where key = 'addr:203.0.113.80'`)) as {
        count: number;
      }[];
      expect(row?.count).toBe(100);
    });
    for (const instance of [c, d]) {
      expect((await instance.http().get('/v1/permissions').set(address)).status).toBe(429);
    }
  });
});
