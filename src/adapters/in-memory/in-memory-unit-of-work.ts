// Runs the work as is: the in-memory repositories have nothing to roll back to, so tests of
// all-or-nothing behaviour belong to the database-backed suites.
import { UnitOfWork } from '@application/ports/unit-of-work.js';

export class InMemoryUnitOfWork extends UnitOfWork {
  transactional<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
