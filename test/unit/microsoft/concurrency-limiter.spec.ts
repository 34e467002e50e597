// The per-mailbox limiter behind every Graph call: never more than its limit in flight for a key, even
// when a new caller arrives between a release and the queued caller resuming.
import { ConcurrencyLimiter } from '@adapters/microsoft/graph/graph-clients.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('ConcurrencyLimiter', () => {
  it('a caller arriving right after a release does not join the waiter it woke (limit + 1)', async () => {
    // The gap between a release and the queued caller resuming is a few microtasks long: try a late
    // caller at every microtask after the release.
    for (let ticks = 0; ticks < 12; ticks++) {
      const limiter = new ConcurrencyLimiter(4);
      let inFlight = 0;
      let peak = 0;
      const gates = Array.from({ length: 6 }, gate);
      const task = (i: number) =>
        limiter.run('m', async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await gates[i]!.opened;
          inFlight--;
        });
      const running = [0, 1, 2, 3, 4].map(task);
      await Promise.resolve();
      expect(inFlight).toBe(4);
      gates[0]!.open();
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      running.push(task(5));
      await new Promise((resolve) => setImmediate(resolve));
      expect({ ticks, peak, counted: limiter.inFlight('m') }).toEqual({ ticks, peak: 4, counted: 4 });
      for (const g of gates) g.open();
      await Promise.all(running);
      expect(limiter.inFlight('m')).toBe(0);
    }
  });

  it('serves waiters in order, keys independently, and frees the slot when work throws', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const order: string[] = [];
    const a = gate();
    const first = limiter.run('m', async () => {
      await a.opened;
      throw new Error('boom');
    });
    const second = limiter.run('m', async () => void order.push('second'));
    const third = limiter.run('m', async () => void order.push('third'));
    await limiter.run('other', async () => void order.push('other'));
    a.open();
    await expect(first).rejects.toThrow('boom');
    await Promise.all([second, third]);
    expect(order).toEqual(['other', 'second', 'third']);
    expect(limiter.inFlight('m')).toBe(0);
  });
});
