// The rate-limit counters in the database, on PGlite (and on PostgreSQL when DATABASE_URL is set): counts
// per key in fixed windows, a new window once one is over, atomic under concurrent hits, and shared by
// two adapters (on PostgreSQL each with its own MikroORM and pool, as two service instances).
import { setTimeout as sleep } from 'node:timers/promises';
import type { MikroORM } from '@mikro-orm/core';
import { createOrm } from '@adapters/persistence/orm.js';
import { MikroOrmRateLimitCounters } from '@adapters/persistence/mikro-orm-rate-limit-counters.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let secondOrm: MikroORM | null = null;
let one: MikroOrmRateLimitCounters;
let two: MikroOrmRateLimitCounters;

beforeAll(async () => {
  db = await createTestDatabase();
  // PGlite is one embedded connection: the second adapter shares it. A server gets a second pool.
  if (db.url) secondOrm = await createOrm({ kind: 'postgres', url: db.url });
  one = new MikroOrmRateLimitCounters(db.orm.em);
  two = new MikroOrmRateLimitCounters((secondOrm ?? db.orm).em);
});
afterAll(async () => {
  await secondOrm?.close();
  await db.close();
});

const MINUTE = 60_000;
let n = 0;
const aKey = () => `addr:test-${++n}`;

describe(`MikroOrmRateLimitCounters on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('counts the hits of a key in its window, and says when the window ends', async () => {
    const key = aKey();
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await one.hit(key, MINUTE));
    expect(hits.map((h) => h.count)).toEqual([1, 2, 3, 4]);
    for (const h of hits) {
      expect(h.resetsInMs).toBeGreaterThan(MINUTE - 5_000);
      expect(h.resetsInMs).toBeLessThanOrEqual(MINUTE);
    }
    // The window's end is fixed at the first hit: later hits only see it come closer.
    expect(hits[3]!.resetsInMs).toBeLessThanOrEqual(hits[0]!.resetsInMs);
    expect((await one.hit(aKey(), MINUTE)).count).toBe(1);
  });

  // Only the wait for the short window to end is timed, and a slow machine only waits longer: two hits
  // inside a window of 300 ms would be a race with the database's clock.
  it('starts a new window at 1 once the last one is over', async () => {
    const key = aKey();
    expect((await one.add([{ key, count: 2 }], 100)).get(key)?.count).toBe(2);
    await sleep(150);
    const fresh = await one.hit(key, MINUTE);
    expect(fresh.count).toBe(1);
    expect(fresh.resetsInMs).toBeGreaterThan(MINUTE - 5_000); // the new window's own length
    expect((await one.hit(key, MINUTE)).count).toBe(2);
  });

  it('shares the counts between two adapters, and never gives two concurrent hits the same count', async () => {
    const key = aKey();
    const counts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).hit(key, MINUTE).then((h) => h.count)),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await two.hit(key, MINUTE)).count).toBe(41);
    expect((await one.hit(key, MINUTE)).count).toBe(42);
  });

  it('adds a batch of keys in one statement, a key named twice counting its sum, racing batches included', async () => {
    const [k1, k2] = [aKey(), aKey()];
    const first = await one.add(
      [
        { key: k2, count: 3 },
        { key: k1, count: 2 },
        { key: k2, count: 1 },
      ],
      MINUTE,
    );
    expect(first.get(k1)?.count).toBe(2);
    expect(first.get(k2)?.count).toBe(4);
    expect(first.get(k1)?.resetsInMs).toBeGreaterThan(MINUTE - 5_000);
    // Two adapters writing both keys at once (in opposite orders): no deadlock, nothing lost.
    const batches = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? one : two).add(
          i % 2 === 0
            ? [
                { key: k1, count: 1 },
                { key: k2, count: 10 },
              ]
            : [
                { key: k2, count: 10 },
                { key: k1, count: 1 },
              ],
          MINUTE,
        ),
      ),
    );
    expect(Math.max(...batches.map((b) => b.get(k1)!.count))).toBe(12);
    expect(Math.max(...batches.map((b) => b.get(k2)!.count))).toBe(104);
    expect((await one.add([], MINUTE)).size).toBe(0);
  });

  it('purges the counters whose window is over and keeps the live ones', async () => {
    const over = aKey();
    const live = aKey();
    await one.hit(over, 100);
    await one.hit(live, MINUTE);
    await sleep(150);
    const purged = await one.purgeExpired(new Date());
    expect(purged).toBeGreaterThanOrEqual(1);
    const rows = (await db.orm.em
      .getConnection()
      .execute(`select key, count from rate_limit_counters where key in (?, ?)`, [over, live])) as {
      key: string;
      count: number;
    }[];
    expect(rows).toEqual([{ key: live, count: 1 }]);
    expect(await one.purgeExpired(new Date())).toBe(0);
  });
});
