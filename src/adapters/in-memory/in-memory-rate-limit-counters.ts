// Rate-limit counters in memory, for fast tests of the purge and of anything that counts requests.
import type { Clock } from '@application/ports/clock.js';
import {
  mergeIncrements,
  RateLimitCounters,
  type RateLimitHit,
  type RateLimitIncrement,
} from '@application/ports/rate-limit-counters.js';

export class InMemoryRateLimitCounters extends RateLimitCounters {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly clock: Clock) {
    super();
  }

  async add(increments: readonly RateLimitIncrement[], windowMs: number): Promise<Map<string, RateLimitHit>> {
    const now = this.clock.now().getTime();
    const hits = new Map<string, RateLimitHit>();
    for (const { key, count } of mergeIncrements(increments)) {
      const current = this.windows.get(key);
      const window =
        current && current.endsAt > now
          ? { count: current.count + count, endsAt: current.endsAt }
          : { count, endsAt: now + windowMs };
      this.windows.set(key, window);
      hits.set(key, { count: window.count, resetsInMs: window.endsAt - now });
    }
    return hits;
  }

  async purgeExpired(now: Date): Promise<number> {
    let gone = 0;
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now.getTime()) {
        this.windows.delete(key);
        gone++;
      }
    }
    return gone;
  }
}
