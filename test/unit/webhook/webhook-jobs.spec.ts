// The webhook jobs' scheduling: timers only when enabled, no overlapping runs within an instance, runOnce
// for tests, dispatch in batches, and a shutdown that stops the timers and waits for the run in flight.
import { jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { WebhookJobs, WebhookJobsOptions } from '@adapters/jobs/webhook-jobs.js';
import type { DispatchWebhookEvents } from '@application/webhook/dispatch-webhook-events.use-case.js';
import type { SendDueWebhooks } from '@application/webhook/send-due-webhooks.use-case.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(options: Partial<WebhookJobsOptions> = {}, dispatchMs = 0, batches: number[] = []) {
  const stats = { dispatches: 0, sends: 0, running: 0, maxRunning: 0 };
  const dispatch = {
    async execute({ limit }: { limit: number }) {
      stats.dispatches++;
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      await sleep(dispatchMs);
      stats.running--;
      const events = batches.shift() ?? 0;
      return { events: Math.min(events, limit), deliveries: events };
    },
  } as unknown as DispatchWebhookEvents;
  const send = {
    async execute() {
      stats.sends++;
      return { attempted: 0, succeeded: 0, failed: 0, retrying: 0 };
    },
  } as unknown as SendDueWebhooks;
  const registry = new SchedulerRegistry();
  const jobs = new WebhookJobs(dispatch, send, Object.assign(new WebhookJobsOptions(), options), registry);
  return { jobs, registry, stats };
}

describe('WebhookJobs', () => {
  // On Jest's fake clock, as the tests of the loops' timing below: the time that passes is the test's, not
  // what a busy machine leaves it.
  it('starts no timer when disabled; runOnce still does a full turn', async () => {
    const { jobs, registry, stats } = setup({ enabled: false });
    jest.useFakeTimers();
    try {
      jobs.onApplicationBootstrap();
      expect(registry.getIntervals()).toEqual([]);
      await jest.advanceTimersByTimeAsync(5_000); // five of the default 1 s intervals
      expect(stats).toMatchObject({ dispatches: 0, sends: 0 });
    } finally {
      jest.useRealTimers();
    }
    await jobs.runOnce();
    expect(stats).toMatchObject({ dispatches: 1, sends: 1 });
  });

  it('runs both loops on their intervals when enabled, never overlapping a run with itself', async () => {
    jest.useFakeTimers();
    try {
      const { jobs, registry, stats } = setup({ intervalMs: 10 }, 60);
      jobs.onApplicationBootstrap();
      expect(registry.getIntervals().sort()).toEqual(['webhooks.dispatch', 'webhooks.send']);
      // 25 ticks of 10 ms. A send ends at once: one per tick. Dispatches of 60 ms one after the other: the
      // first at 10 ms, then one on the tick the last one ends on or the next (10, 70 or 80, …).
      await jest.advanceTimersByTimeAsync(250);
      expect(stats.sends).toBe(25);
      expect(stats.dispatches).toBeGreaterThanOrEqual(4);
      expect(stats.dispatches).toBeLessThanOrEqual(5);
      expect(stats.maxRunning).toBe(1);
      expect(stats.running).toBe(1); // a dispatch is in flight at 250 ms

      let stopped = false;
      const shutdown = jobs.beforeApplicationShutdown().then(() => (stopped = true));
      expect(registry.getIntervals()).toEqual([]);
      await jest.advanceTimersByTimeAsync(30);
      expect(stopped).toBe(false); // still waiting for the dispatch in flight
      await jest.advanceTimersByTimeAsync(60);
      expect(stopped).toBe(true); // once it ended: no tick had queued another behind it
      await shutdown;
      expect(stats.running).toBe(0);
      const after = { ...stats };
      await jest.advanceTimersByTimeAsync(100);
      expect(stats).toEqual(after); // no timer left
    } finally {
      jest.useRealTimers();
    }
  });

  it('makes runOnce wait for a run in flight, then run afresh', async () => {
    const { jobs, stats } = setup({}, 40);
    const first = jobs.dispatchOnce();
    const second = jobs.dispatchOnce();
    await Promise.all([first, second]);
    expect(stats.dispatches).toBe(2);
    expect(stats.maxRunning).toBe(1);
  });

  it('dispatches batch after batch while they come back full, up to maxBatches', async () => {
    const { jobs, stats } = setup({ batchSize: 5, maxBatches: 3 }, 0, [5, 5, 2]);
    expect(await jobs.dispatchOnce()).toEqual({ events: 12, deliveries: 12 });
    expect(stats.dispatches).toBe(3);
    const capped = setup({ batchSize: 5, maxBatches: 2 }, 0, [5, 5, 5]);
    expect((await capped.jobs.dispatchOnce()).events).toBe(10);
    expect(capped.stats.dispatches).toBe(2);
  });
});
