// Runs the work as is: the in-memory repositories have nothing to roll back to, so tests of
// all-or-nothing behaviour belong to the database-backed suites. What it does keep is the transaction's
// extent, so that row locks taken by the in-memory repositories (findForUpdate) last until its end, as a
// database's do.
import { AsyncLocalStorage } from 'node:async_hooks';
import { UnitOfWork } from '@application/ports/unit-of-work.js';

export class InMemoryTransaction {
  private readonly onEnd: (() => void)[] = [];

  whenEnded(release: () => void): void {
    this.onEnd.push(release);
  }

  end(): void {
    for (const release of this.onEnd.splice(0)) release();
  }
}

const current = new AsyncLocalStorage<InMemoryTransaction>();

/** The in-memory transaction the caller runs in, if any. */
export function currentInMemoryTransaction(): InMemoryTransaction | undefined {
  return current.getStore();
}

/**
 * Row locks as a database keeps them: held by one transaction until it ends; another transaction asking
 * for a held row waits. A caller outside any transaction waits for the row to be free and keeps no lock.
 */
export class InMemoryRowLocks {
  private readonly held = new Map<string, { owner: InMemoryTransaction; released: Promise<void> }>();

  async lock(key: string): Promise<void> {
    const tx = currentInMemoryTransaction();
    for (let lock = this.held.get(key); lock && lock.owner !== tx; lock = this.held.get(key)) {
      await lock.released;
    }
    if (!tx || this.held.has(key)) return;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held.set(key, { owner: tx, released });
    tx.whenEnded(() => {
      this.held.delete(key);
      release();
    });
  }
}

export class InMemoryUnitOfWork extends UnitOfWork {
  async transactional<T>(work: () => Promise<T>): Promise<T> {
    if (currentInMemoryTransaction()) return work();
    const tx = new InMemoryTransaction();
    try {
      return await current.run(tx, work);
    } finally {
      tx.end();
    }
  }
}
