// The rate-limit counts of one instance, kept in the process and written to the shared counters in batches:
// a request is decided on the count this instance last read from the database plus its own requests not yet
// written there, so most requests cost no round trip at all, and every instance still meets the same limit.
//
// The bound. Each instance decides on its own at most `localAllowance(max)` = ⌊max / 20⌋ requests of a key
// that the database has not confirmed yet; past that a request waits for the next write (which answers the
// exact count). The only requests an instance does not know about are the other instances' unconfirmed
// ones, so N instances sharing a limit admit at most max + (N − 1) × ⌊max / 20⌋ requests of one key in one
// window (5 % more per further instance; exactly `max` below a limit of 20, and with one instance).
// Writes go every `SYNC_INTERVAL_MS` while there is something to write, and at once when a request waits.
// When the database fails or does not answer within the timeout the waiting requests pass (fail open) and
// the requests of that write are not counted, as before.
import type { RateLimitCounters, RateLimitHit } from '@application/ports/rate-limit-counters.js';

/** How often an instance writes its new requests to the shared counters (and reads everyone's back). */
export const SYNC_INTERVAL_MS = 200;

/** Requests of one key an instance may admit before the database has confirmed them: 5 % of the limit. */
export function localAllowance(max: number): number {
  return Math.floor(max / 20);
}

const SWEEP_MS = 5_000;

export type CountCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface Waiter {
  /** Its place among the key's requests of the write it goes with (1 = the first). */
  position: number;
  callback: CountCallback;
}

interface KeyState {
  /** The key's count in the database when this instance last wrote or read it (everyone's requests). */
  known: number;
  /** When the window of `known` ends, by this process's clock; 0 while unknown. */
  endsAt: number;
  /** Requests counted here and not yet sent. */
  unsent: number;
  /** Requests in the write under way. */
  sending: number;
  /** Requests among `unsent` waiting for the database's count. */
  waiters: Waiter[];
}

interface Outage {
  failed(error: unknown): void;
  over(): void;
}

export interface CounterSyncOptions {
  windowMs: number;
  /** How long a write may take before its waiting requests pass uncounted. */
  timeoutMs: number;
  outage: Outage;
  intervalMs?: number;
  now?: () => number;
}

export class CounterSync {
  private readonly keys = new Map<string, KeyState>();
  /** Keys with unsent requests. */
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private writing = false;
  private sweptAt = 0;
  private closed = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly counters: RateLimitCounters,
    private readonly options: CounterSyncOptions,
  ) {
    this.intervalMs = options.intervalMs ?? SYNC_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Counts one request of `key` and answers its count (`current` > `max`: refused) now, or after the next write. */
  incr(key: string, max: number, callback: CountCallback): void {
    const now = this.now();
    let state = this.keys.get(key);
    if (!state) {
      state = { known: 0, endsAt: 0, unsent: 0, sending: 0, waiters: [] };
      this.keys.set(key, state);
    } else if (state.endsAt !== 0 && state.endsAt <= now) {
      // The window is over: the next one starts from nothing (the database agrees when it next answers).
      state.known = 0;
      state.endsAt = 0;
    }
    state.unsent++;
    this.dirty.add(key);
    if (state.unsent + state.sending <= localAllowance(max)) {
      const ttl = state.endsAt === 0 ? this.options.windowMs : state.endsAt - now;
      callback(null, { current: state.known + state.sending + state.unsent, ttl });
      this.schedule();
      return;
    }
    state.waiters.push({ position: state.unsent, callback });
    void this.write();
  }

  /** Stops the timer; unsent requests are not written (at most one interval's worth). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Sends every unsent request in one batch; one write at a time, the next one right after if needed. */
  private async write(): Promise<void> {
    if (this.writing) return;
    const batch: { key: string; state: KeyState; count: number; waiters: Waiter[] }[] = [];
    for (const key of this.dirty) {
      const state = this.keys.get(key)!;
      batch.push({ key, state, count: state.unsent, waiters: state.waiters });
      state.sending = state.unsent;
      state.unsent = 0;
      state.waiters = [];
    }
    this.dirty.clear();
    if (batch.length === 0) return;
    this.writing = true;
    let hits: Map<string, RateLimitHit> | null = null;
    let failure: Error | null = null;
    try {
      hits = await withTimeout(
        this.counters.add(
          batch.map(({ key, count }) => ({ key, count })),
          this.options.windowMs,
        ),
        this.options.timeoutMs,
      );
      this.options.outage.over();
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      this.options.outage.failed(failure);
    }
    const now = this.now();
    for (const { key, state, count, waiters } of batch) {
      state.sending = 0;
      const hit = hits?.get(key);
      if (!hit) {
        // Not counted (fail open): the waiting requests pass.
        for (const w of waiters) w.callback(failure ?? new Error(`no count for ${key}`));
        continue;
      }
      state.known = hit.count;
      state.endsAt = now + hit.resetsInMs;
      for (const w of waiters)
        w.callback(null, { current: hit.count - count + w.position, ttl: hit.resetsInMs });
    }
    this.writing = false;
    this.forgetEndedWindows(now);
    if (this.dirty.size === 0) return;
    // Requests came in during the write: those waiting go now, the others with the interval.
    if ([...this.dirty].some((key) => this.keys.get(key)!.waiters.length > 0)) void this.write();
    else this.schedule();
  }

  /** Drops the keys whose window is over, every few seconds at most (a walk over all keys). */
  private forgetEndedWindows(now: number): void {
    if (now - this.sweptAt < SWEEP_MS) return;
    this.sweptAt = now;
    for (const [key, state] of this.keys) {
      if (state.endsAt !== 0 && state.endsAt <= now && state.unsent === 0 && state.sending === 0) {
        this.keys.delete(key);
      }
    }
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}
