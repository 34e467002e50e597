// Request counters of the HTTP rate limits, kept where every instance of the service sees them: the HTTP
// adapter counts each request, the maintenance purge clears the windows that are over.
export interface RateLimitHit {
  /** Requests counted in the key's current window, this one included. */
  count: number;
  /** Milliseconds until the current window ends and the count starts again from zero. */
  resetsInMs: number;
}

export abstract class RateLimitCounters {
  /** Counts one request for `key` in its fixed window; a window over starts a new one of `windowMs`. */
  abstract hit(key: string, windowMs: number): Promise<RateLimitHit>;
  /** Deletes the counters whose window ended at or before `now`; returns how many went. */
  abstract purgeExpired(now: Date): Promise<number>;
}
