// The background loops' shared scheduling (IntervalJobs), seen through BookingJobs: timers only when
// enabled, a loop never overlapping itself, errors logged without stopping the loop, and a shutdown that
// stops the timers and waits for the runs in flight.
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { BookingJobs, BookingJobsOptions } from '@adapters/jobs/booking-jobs.js';
import type { SyncBookingCalendar } from '@application/booking/sync-booking-calendar.use-case.js';
import type { SendDueReminders } from '@application/booking/send-due-reminders.use-case.js';
import type { PurgeExpiredRecords } from '@application/maintenance/purge-expired-records.use-case.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(options: Partial<BookingJobsOptions>, reminderMs = 0, failReminders = false) {
  const stats = { syncs: 0, reminders: 0, running: 0, maxRunning: 0, finished: 0 };
  const sync = { runOnce: async () => (stats.syncs++, 'nothing') } as unknown as SyncBookingCalendar;
  const reminders = {
    async runOnce() {
      stats.reminders++;
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      await sleep(reminderMs);
      stats.running--;
      stats.finished++;
      if (failReminders) throw new Error('database down');
      return 0;
    },
  } as unknown as SendDueReminders;
  const purge = { execute: async () => ({}) } as unknown as PurgeExpiredRecords;
  const registry = new SchedulerRegistry();
  const all = { syncIntervalMs: 60_000, reminderIntervalMs: 60_000, purgeIntervalMs: 60_000, ...options };
  const settings = Object.assign(new BookingJobsOptions(), all);
  const jobs = new BookingJobs(sync, reminders, settings, registry, purge, { settled: async () => {} });
  return { jobs, registry, stats, settings };
}

describe('IntervalJobs (through BookingJobs)', () => {
  it('starts no timer when disabled', async () => {
    const { jobs, registry } = setup({ enabled: false });
    jobs.onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual([]);
  });

  it('starts loops held back at bootstrap once enabled, and only once', async () => {
    const { jobs, registry, settings } = setup({ enabled: false });
    jobs.onApplicationBootstrap();
    jobs.start();
    expect(registry.getIntervals()).toEqual([]);
    settings.enabled = true;
    jobs.start();
    jobs.start();
    expect(registry.getIntervals().sort()).toEqual([
      'bookings.calendar-sync',
      'bookings.reminders',
      'housekeeping.purge',
    ]);
    await jobs.beforeApplicationShutdown();
  });

  // On Jest's fake clock: the loops' timers and the runs' sleeps advance only when the test says, so
  // what is counted does not depend on how busy the machine is.
  it('never overlaps a loop with itself, and the shutdown waits for the run in flight', async () => {
    jest.useFakeTimers();
    try {
      const { jobs, registry, stats } = setup({ reminderIntervalMs: 10 }, 60);
      jobs.onApplicationBootstrap();
      expect(registry.getIntervals().sort()).toEqual([
        'bookings.calendar-sync',
        'bookings.reminders',
        'housekeeping.purge',
      ]);
      // 20 ticks of 10 ms; runs of 60 ms one after the other: the first at 10 ms, then at most every 60 ms
      await jest.advanceTimersByTimeAsync(200);
      expect(stats.maxRunning).toBe(1);
      expect(stats.reminders).toBeGreaterThanOrEqual(3);
      expect(stats.reminders).toBeLessThanOrEqual(4);
      expect(stats.running).toBe(1); // a run is in flight at 200 ms

      let stopped = false;
      const shutdown = jobs.beforeApplicationShutdown().then(() => (stopped = true));
      expect(registry.getIntervals()).toEqual([]);
      await jest.advanceTimersByTimeAsync(30);
      expect(stopped).toBe(false); // still waiting for the run in flight
      await jest.advanceTimersByTimeAsync(60);
      await shutdown;
      expect(stats.finished).toBe(stats.reminders); // none cut off by the shutdown
      const after = stats.reminders;
      await jest.advanceTimersByTimeAsync(100);
      expect(stats.reminders).toBe(after); // no timer left
    } finally {
      jest.useRealTimers();
    }
  });

  it('logs a failed run and keeps the loop going', async () => {
    const logged: string[] = [];
    const original = Logger.prototype.error;
    Logger.prototype.error = (message: unknown) => void logged.push(String(message));
    jest.useFakeTimers();
    const { jobs, stats } = setup({ reminderIntervalMs: 10 }, 0, true);
    try {
      jobs.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(80);
      const shutdown = jobs.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(10); // the run in flight, if any, ends
      await shutdown;
    } finally {
      jest.useRealTimers();
      Logger.prototype.error = original;
    }
    expect(stats.reminders).toBeGreaterThanOrEqual(4); // every tick at 10 ms but the ones a failing run was still on
    expect(logged).toContain('bookings.reminders failed: Error: database down');
  });
});
