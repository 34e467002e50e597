// What every background loop shares: timers on the @nestjs/schedule registry (only when enabled; tests
// switch them off and call the loops' *Once methods), a tick skipped while the previous run of that loop
// is still going, errors logged rather than thrown, and a shutdown that stops the timers and waits for the
// runs in flight, so they record their outcome before the database closes.
import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

export abstract class IntervalJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger: Logger;
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly timers: string[] = [];

  protected constructor(
    name: string,
    private readonly registry: SchedulerRegistry,
    private readonly enabled: () => boolean,
  ) {
    this.logger = new Logger(name);
  }

  /** Registers the loops with `every`. */
  protected abstract schedule(): void;

  onApplicationBootstrap(): void {
    if (this.enabled()) this.schedule();
  }

  /** Starts the loops of jobs held back at bootstrap (enabled off then, on now); a no-op once they run. */
  start(): void {
    if (this.timers.length === 0 && this.enabled()) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const name of this.timers.splice(0)) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
    await Promise.all([...this.running.values()].map((p) => p.catch(() => undefined)));
  }

  /** Runs `work` every `intervalMs`; a tick is skipped while `busy()` (by default: this loop's last run). */
  protected every(
    name: string,
    intervalMs: number,
    work: () => Promise<unknown>,
    busy: () => boolean = () => this.running.has(name),
  ): void {
    const timer = setInterval(() => {
      if (busy()) return;
      const run = work()
        .catch((error: unknown) => this.logger.error(`${name} failed: ${String(error)}`))
        .finally(() => this.running.delete(name));
      this.running.set(name, run);
    }, intervalMs);
    this.registry.addInterval(name, timer);
    this.timers.push(name);
  }
}
