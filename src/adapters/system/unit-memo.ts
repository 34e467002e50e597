// Answers kept for one unit of work (a booking request and the work it waits for), scoped with Node's
// AsyncLocalStorage: whatever the unit's calls run, however deep, shares the unit's answers; outside a unit
// every read loads afresh.
import { AsyncLocalStorage } from 'node:async_hooks';

/** An answer offered to the unit, made only if the unit reads it (most offers are never read). */
class Offered<V> {
  constructor(readonly make: () => V) {}
}

export class UnitMemo<V> {
  private readonly scope = new AsyncLocalStorage<Map<string, Promise<V> | Offered<V>>>();

  /** Runs `work` in a unit of its own (nested in another unit too: a new one). */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.scope.run(new Map(), work);
  }

  /**
   * The unit's answer for `key`, loaded on its first read (concurrent reads share that load); a load that
   * fails is not kept. Outside a unit: `load()`.
   */
  read(key: string, load: () => Promise<V>): Promise<V> {
    const kept = this.scope.getStore();
    if (!kept) return load();
    let answer = kept.get(key);
    if (answer instanceof Offered) {
      answer = Promise.resolve(answer.make());
      kept.set(key, answer);
    }
    if (!answer) {
      const loading = load();
      answer = loading;
      kept.set(key, loading);
      loading.catch(() => {
        if (kept.get(key) === loading) kept.delete(key);
      });
    }
    return answer;
  }

  /**
   * Keeps what `make` returns as the unit's answer for `key` unless it has one already (a read made with other
   * rows, that the unit's first `read` of `key` would otherwise make again); `make` runs at that first read, if
   * any. Outside a unit: nothing.
   */
  offer(key: string, make: () => V): void {
    const kept = this.scope.getStore();
    if (kept && !kept.has(key)) kept.set(key, new Offered(make));
  }

  /** The unit's next read of `key` loads again. */
  forget(key: string): void {
    this.scope.getStore()?.delete(key);
  }
}
