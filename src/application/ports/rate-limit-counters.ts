// Request counters of the HTTP rate limits, kept where every instance of the service sees them: the HTTP
// adapter adds the requests it counted (in batches), the maintenance purge clears the windows that are over.
export interface RateLimitHit {
  /** Requests counted in the key's current window, these included. */
  count: number;
  /** Milliseconds until the current window ends and the count starts again from zero. */
  resetsInMs: number;
}

/** Requests to add to one key's window. */
export interface RateLimitIncrement {
  key: string;
  count: number;
}

export abstract class RateLimitCounters {
  /**
   * Adds each key's requests to its fixed window, all keys at once (a key named twice gets the sum); a window
   * over starts a new one of `windowMs` holding just these. Answers each key's count after the addition.
   */
  abstract add(
    increments: readonly RateLimitIncrement[],
    windowMs: number,
  ): Promise<Map<string, RateLimitHit>>;
  /** Deletes the counters whose window ended at or before `now`; returns how many went. */
  abstract purgeExpired(now: Date): Promise<number>;

  /** Counts one request for `key`. */
  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const hit = (await this.add([{ key, count: 1 }], windowMs)).get(key);
    if (!hit) throw new Error(`the counters did not answer for ${key}`);
    return hit;
  }
}

/** The increments with each key once, counts summed, in key order (the order rows are locked in). */
export function mergeIncrements(increments: readonly RateLimitIncrement[]): RateLimitIncrement[] {
  const sums = new Map<string, number>();
  for (const { key, count } of increments) sums.set(key, (sums.get(key) ?? 0) + count);
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, count]) => ({ key, count }));
}
