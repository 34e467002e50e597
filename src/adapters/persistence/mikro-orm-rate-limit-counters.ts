// Rate-limit counters in PostgreSQL: one atomic upsert per request, so that instances on the same server
// count together and two racing requests never both read the same count. The window's times come from
// the database's clock, the one clock all instances share.
import type { EntityManager } from '@mikro-orm/core';
import { RateLimitCounters, type RateLimitHit } from '@application/ports/rate-limit-counters.js';
import { execute } from './sql.js';

export class MikroOrmRateLimitCounters extends RateLimitCounters {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    // A window that is over restarts at 1 with a new end; otherwise the count goes up and the end stays.
    const [row] = await execute<{ count: number; resets_in_ms: string | number }>(
      this.em,
      `insert into rate_limit_counters as c (key, count, window_ends_at)
       values (?, 1, now() + ? * interval '1 millisecond')
       on conflict (key) do update set
         count = case when c.window_ends_at <= now() then 1 else c.count + 1 end,
         window_ends_at = case when c.window_ends_at <= now() then excluded.window_ends_at else c.window_ends_at end
       returning count, ceil(extract(epoch from (window_ends_at - now())) * 1000) as resets_in_ms`,
      [key, Math.trunc(windowMs)],
    );
    if (!row) throw new Error('the rate-limit upsert returned no row');
    return { count: Number(row.count), resetsInMs: Math.max(0, Number(row.resets_in_ms)) };
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
