// Runs the work as is: the in-memory repositories have nothing to roll back to, so tests of
// all-or-nothing behaviour belong to the database-backed suites. What it does keep is the transaction's
// extent, so that row locks taken by the in-memory repositories (findForUpdate) last until its end, as a
// database's do.
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import {
  InMemoryTransaction,
  currentInMemoryTransaction,
  inMemoryTransactions,
} from './in-memory-transaction.js';

export class InMemoryUnitOfWork extends UnitOfWork {
  async transactional<T>(work: () => Promise<T>): Promise<T> {
    if (currentInMemoryTransaction()) return work();
    const tx = new InMemoryTransaction();
    try {
      return await inMemoryTransactions.run(tx, work);
    } finally {
      tx.end();
    }
  }
}
