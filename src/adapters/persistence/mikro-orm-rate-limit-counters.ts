// Rate-limit counters in PostgreSQL: one atomic upsert per batch of keys, so that instances on the same
// server count together and two racing batches never both read the same count. The window's times come
// from the database's clock, the one clock all instances share; rows are locked in key order, so two
// instances' batches cannot deadlock.
import type { EntityManager } from '@mikro-orm/core';
import {
  mergeIncrements,
  RateLimitCounters,
  type RateLimitHit,
  type RateLimitIncrement,
} from '@application/ports/rate-limit-counters.js';
import { execute } from './sql.js';

export class MikroOrmRateLimitCounters extends RateLimitCounters {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(increments: readonly RateLimitIncrement[], windowMs: number): Promise<Map<string, RateLimitHit>> {
    const merged = mergeIncrements(increments);
    const hits = new Map<string, RateLimitHit>();
    if (merged.length === 0) return hits;
    // A window that is over restarts at the batch's count with a new end; otherwise the count goes up and
    // the end stays.
    const rows = await execute<{ key: string; count: number; resets_in_ms: string | number }>(
      this.em,
      `insert into rate_limit_counters as c (key, count, window_ends_at)
       select t.key, t.count, now() + ? * interval '1 millisecond'
       from jsonb_to_recordset(cast(? as jsonb)) as t(key text, count integer)
       order by t.key
       on conflict (key) do update set
         count = case when c.window_ends_at <= now() then excluded.count else c.count + excluded.count end,
         window_ends_at = case when c.window_ends_at <= now() then excluded.window_ends_at else c.window_ends_at end
       returning key, count, ceil(extract(epoch from (window_ends_at - now())) * 1000) as resets_in_ms`,
      [Math.trunc(windowMs), JSON.stringify(merged)],
    );
    for (const row of rows) {
      hits.set(row.key, { count: Number(row.count), resetsInMs: Math.max(0, Number(row.resets_in_ms)) });
    }
    if (hits.size !== merged.length) throw new Error('the rate-limit upsert did not answer for every key');
    return hits;
  }

  async purgeExpired(now: Date): Promise<number> {
    const [gone] = await execute<{ n: number }>(
      this.em,
      'with gone as (delete from rate_limit_counters where window_ends_at <= ? returning 1) select count(*)::int as n from gone',
      [now],
    );
    return Number(gone?.n ?? 0);
  }
}
