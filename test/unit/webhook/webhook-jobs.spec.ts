// The webhook jobs' scheduling: timers only when enabled, no overlapping runs within an instance, runOnce
// for tests, dispatch in batches, and a shutdown that stops the timers and waits for the run in flight.
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
  it('starts no timer when disabled; runOnce still does a full turn', async () => {
    const { jobs, registry, stats } = setup({ enabled: false });
    jobs.onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual([]);
    await sleep(50);
    expect(stats).toMatchObject({ dispatches: 0, sends: 0 });
    await jobs.runOnce();
    expect(stats).toMatchObject({ dispatches: 1, sends: 1 });
  });

  it('runs both loops on their intervals when enabled, never overlapping a run with itself', async () => {
    const { jobs, registry, stats } = setup({ intervalMs: 10 }, 60);
    jobs.onApplicationBootstrap();
    expect(registry.getIntervals().sort()).toEqual(['webhooks.dispatch', 'webhooks.send']);
    await sleep(250);
    await jobs.beforeApplicationShutdown();
    expect(registry.getIntervals()).toEqual([]);
    expect(stats.sends).toBeGreaterThan(5);
    expect(stats.dispatches).toBeGreaterThan(1);
    expect(stats.dispatches).toBeLessThan(8);
    expect(stats.maxRunning).toBe(1);
    expect(stats.running).toBe(0);
    const after = stats.dispatches;
    await sleep(50);
    expect(stats.dispatches).toBe(after);
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
