// Rate-limit counters in memory, for fast tests of the purge and of anything that counts requests.
import type { Clock } from '@application/ports/clock.js';
import { RateLimitCounters, type RateLimitHit } from '@application/ports/rate-limit-counters.js';

export class InMemoryRateLimitCounters extends RateLimitCounters {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly clock: Clock) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = this.clock.now().getTime();
    const current = this.windows.get(key);
    const window =
      current && current.endsAt > now
        ? { count: current.count + 1, endsAt: current.endsAt }
        : { count: 1, endsAt: now + windowMs };
    this.windows.set(key, window);
    return { count: window.count, resetsInMs: window.endsAt - now };
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
