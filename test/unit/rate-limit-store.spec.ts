// The Fastify store over the shared rate-limit counters counts in the process and writes to the counters in
// batches: a key's first ⌊max / 20⌋ unconfirmed requests are answered at once, the next waits for a write
// and gets the exact count; several instances together admit at most max + (N − 1) × ⌊max / 20⌋. It fails
// open: a failing or hanging database makes the waiting requests pass (the plugin is told of the error and
// skips the limit), with one warning a minute at most while it lasts and a word when the counters are back.
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import {
  RateLimitCounters,
  type RateLimitHit,
  type RateLimitIncrement,
} from '@application/ports/rate-limit-counters.js';
import { InMemoryRateLimitCounters } from '@adapters/in-memory/in-memory-rate-limit-counters.js';
import { isUnlimited, sharedCounterStore } from '@adapters/http/rate-limit.js';
import { localAllowance } from '@adapters/http/rate-limit-sync.js';

/** In-memory counters that can fail or hang, and count the writes they get. */
class FlakyCounters extends RateLimitCounters {
  mode: 'up' | 'down' | 'hang' = 'up';
  writes = 0;
  private readonly inner = new InMemoryRateLimitCounters({ now: () => new Date() });

  add(increments: readonly RateLimitIncrement[], windowMs: number): Promise<Map<string, RateLimitHit>> {
    this.writes++;
    if (this.mode === 'down') return Promise.reject(new Error('connection refused'));
    if (this.mode === 'hang') return new Promise<Map<string, RateLimitHit>>(() => undefined);
    return this.inner.add(increments, windowMs);
  }

  purgeExpired(): Promise<number> {
    return Promise.resolve(0);
  }
}

class RecordingLogger extends Logger {
  readonly lines: string[] = [];
  override warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  override log(message: string): void {
    this.lines.push(`log ${message}`);
  }
}

type Outcome = { error: Error | null; result?: { current: number; ttl: number } };

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function storeOver(counters: RateLimitCounters, logger: Logger, timeoutMs = 50, intervalMs = 20) {
  const Store = sharedCounterStore(counters, {
    timeoutMs,
    intervalMs,
    logger,
    onClose: (stop) => stops.push(stop),
  });
  const store = new Store({});
  return (key: string, max = 10) =>
    new Promise<Outcome>((resolve) =>
      store.incr(key, (error, result) => resolve({ error, result }), 60_000, max),
    );
}

describe('the shared rate-limit store', () => {
  it('lets an instance answer 5 % of a limit on its own, rounded down', () => {
    expect([1, 19, 20, 120, 1200].map(localAllowance)).toEqual([0, 0, 1, 6, 60]);
  });

  it('below a limit of 20, waits for the database on every request and hands its exact count to the plugin', async () => {
    const counters = new FlakyCounters();
    const incr = storeOver(counters, new RecordingLogger());
    expect((await incr('k')).result?.current).toBe(1);
    const second = await incr('k');
    expect(second.error).toBeNull();
    expect(second.result?.current).toBe(2);
    expect(second.result?.ttl).toBeGreaterThan(59_000);
    expect(counters.writes).toBe(2);
    // Concurrent requests go in one write, each with its own count.
    const counts = await Promise.all([incr('k'), incr('k'), incr('k')]);
    expect(counts.map((c) => c.result?.current).sort()).toEqual([3, 4, 5]);
    expect(counters.writes).toBeLessThanOrEqual(4);
  });

  it("answers a key's first ⌊max / 20⌋ unconfirmed requests at once, then waits for one write of them all", async () => {
    const counters = new FlakyCounters();
    const incr = storeOver(counters, new RecordingLogger(), 50, 60_000);
    const first = await Promise.all(Array.from({ length: 5 }, () => incr('k', 100)));
    expect(first.map((o) => o.result?.current)).toEqual([1, 2, 3, 4, 5]);
    expect(counters.writes).toBe(0);
    // The sixth is past the allowance: it waits for the database, which gets the six at once.
    expect((await incr('k', 100)).result?.current).toBe(6);
    expect(counters.writes).toBe(1);
    expect((await counters.hit('k', 60_000)).count).toBe(7);
  });

  it('writes what it counted every interval, in one batch for all keys', async () => {
    const counters = new FlakyCounters();
    const incr = storeOver(counters, new RecordingLogger(), 50, 20);
    for (const key of ['a', 'b', 'a']) await incr(key, 1000);
    expect(counters.writes).toBe(0);
    await sleep(100);
    expect(counters.writes).toBe(1);
    expect((await counters.hit('a', 60_000)).count).toBe(3);
    expect((await counters.hit('b', 60_000)).count).toBe(2);
  });

  it('keeps two instances within max + ⌊max / 20⌋ of one key, and at max at least', async () => {
    const counters = new FlakyCounters();
    const max = 200;
    const one = storeOver(counters, new RecordingLogger(), 1000, 5);
    const two = storeOver(counters, new RecordingLogger(), 1000, 5);
    let admitted = 0;
    // 40 clients, 25 requests each, on either instance in turn.
    await Promise.all(
      Array.from({ length: 40 }, async (_, c) => {
        for (let i = 0; i < 25; i++) {
          const outcome = await ((c + i) % 2 === 0 ? one : two)('k', max);
          if (outcome.error) throw outcome.error;
          if (outcome.result!.current <= max) admitted++;
          if (i % 5 === 0) await sleep(1);
        }
      }),
    );
    expect(admitted).toBeGreaterThanOrEqual(max);
    expect(admitted).toBeLessThanOrEqual(max + localAllowance(max));
    expect(counters.writes).toBeLessThan(1000 / 2);
  });

  it('reports an error (the request passes) when the counters fail, warning once, and says when they are back', async () => {
    const counters = new FlakyCounters();
    const logger = new RecordingLogger();
    const incr = storeOver(counters, logger);
    counters.mode = 'down';
    for (let i = 0; i < 5; i++) expect((await incr('k')).error?.message).toBe('connection refused');
    expect(logger.lines).toEqual([
      'warn Rate-limit counters unavailable, requests pass without a limit: connection refused',
    ]);
    counters.mode = 'up';
    // The requests of the failed writes were not counted.
    expect((await incr('k')).result?.current).toBe(1);
    expect(await incr('k')).toMatchObject({ error: null, result: { current: 2 } });
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]).toMatch(/^log Rate-limit counters are back after \d+ s$/);
  });

  // On Jest's fake clock: the answer comes at 50 ms of the test's time, whatever a busy machine does to the
  // real one (the default timeout is 1 s).
  it('does not wait for counters that hang', async () => {
    jest.useFakeTimers();
    try {
      const counters = new FlakyCounters();
      counters.mode = 'hang';
      const logger = new RecordingLogger();
      let outcome: Outcome | null = null;
      void storeOver(counters, logger, 50)('k').then((o) => (outcome = o));
      await jest.advanceTimersByTimeAsync(49);
      expect(outcome).toBeNull();
      await jest.advanceTimersByTimeAsync(1);
      expect(outcome).toMatchObject({ error: { message: 'no answer within 50 ms' } });
      expect(logger.lines).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('the routes never limited', () => {
  it("are Graph's notification endpoints and /health, and nothing that only starts like them", () => {
    expect(isUnlimited('/webhooks/microsoft/notifications')).toBe(true);
    expect(isUnlimited('/webhooks/microsoft/lifecycle')).toBe(true);
    expect(isUnlimited('/health')).toBe(true);
    for (const path of [
      '/healthz',
      '/webhooks/microsoftx',
      '/v1/webhook-endpoints',
      '/oauth/microsoft/callback',
      '/sandbox/connect/:memberId',
      '/docs-json',
    ]) {
      expect(isUnlimited(path)).toBe(false);
    }
  });
});
