// Row locks for the in-memory repositories (findForUpdate), held until the caller's transaction ends.
import { currentInMemoryTransaction, type InMemoryTransaction } from './in-memory-transaction.js';

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
