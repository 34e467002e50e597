// The extent of an in-memory transaction: what it holds (row locks) is released when it ends, as a
// database's transaction releases its locks at commit or rollback.
import { AsyncLocalStorage } from 'node:async_hooks';

export class InMemoryTransaction {
  private readonly onEnd: (() => void)[] = [];

  whenEnded(release: () => void): void {
    this.onEnd.push(release);
  }

  end(): void {
    for (const release of this.onEnd.splice(0)) release();
  }
}

export const inMemoryTransactions = new AsyncLocalStorage<InMemoryTransaction>();

/** The in-memory transaction the caller runs in, if any. */
export function currentInMemoryTransaction(): InMemoryTransaction | undefined {
  return inMemoryTransactions.getStore();
}
