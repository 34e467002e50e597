// The Fastify store over the shared rate-limit counters fails open: a failing or hanging database makes
// the request pass (the plugin is told of the error and skips the limit), with one warning a minute at
// most while it lasts and a word when the counters are back.
import { Logger } from '@nestjs/common';
import { RateLimitCounters, type RateLimitHit } from '@application/ports/rate-limit-counters.js';
import { isUnlimited, sharedCounterStore } from '@adapters/http/rate-limit.js';

class FlakyCounters extends RateLimitCounters {
  mode: 'up' | 'down' | 'hang' = 'up';
  private readonly counts = new Map<string, number>();

  hit(key: string, windowMs: number): Promise<RateLimitHit> {
    if (this.mode === 'down') return Promise.reject(new Error('connection refused'));
    if (this.mode === 'hang') return new Promise<RateLimitHit>(() => undefined);
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return Promise.resolve({ count, resetsInMs: windowMs });
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

function storeOver(counters: RateLimitCounters, logger: Logger, timeoutMs = 50) {
  const Store = sharedCounterStore(counters, timeoutMs, logger);
  const store = new Store({});
  return (key: string) =>
    new Promise<Outcome>((resolve) =>
      store.incr(key, (error, result) => resolve({ error, result }), 60_000, 10),
    );
}

describe('the shared rate-limit store', () => {
  it('hands the counts to the plugin', async () => {
    const incr = storeOver(new FlakyCounters(), new RecordingLogger());
    await incr('k');
    expect(await incr('k')).toEqual({ error: null, result: { current: 2, ttl: 60_000 } });
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
    expect((await incr('k')).result?.current).toBe(1);
    expect(await incr('k')).toMatchObject({ error: null, result: { current: 2 } });
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]).toMatch(/^log Rate-limit counters are back after \d+ s$/);
  });

  it('does not wait for counters that hang', async () => {
    const counters = new FlakyCounters();
    counters.mode = 'hang';
    const logger = new RecordingLogger();
    const started = Date.now();
    const outcome = await storeOver(counters, logger, 50)('k');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome.error?.message).toBe('no answer within 50 ms');
    expect(logger.lines).toHaveLength(1);
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
