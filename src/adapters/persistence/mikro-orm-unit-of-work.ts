// One database transaction around a use case's writes; repositories join it through MikroORM's context.
import { TransactionPropagation, type EntityManager } from '@mikro-orm/core';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { WriteConflict } from '@application/ports/booking.repository.js';
import { isWriteConflict } from './write-conflict.js';

export class MikroOrmUnitOfWork extends UnitOfWork {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async transactional<T>(work: () => Promise<T>): Promise<T> {
    try {
      // Inside another unit of work this one joins it (no savepoint): the outer one commits or rolls back all.
      return await this.em.transactional(() => work(), { propagation: TransactionPropagation.REQUIRED });
    } catch (error) {
      // A write sent with the commit (executeWithNext) fails there, past the repository that would have told
      // a write conflict apart: told here, so the use case starts again from a fresh read as it would have.
      if (isWriteConflict(error)) throw new WriteConflict();
      throw error;
    }
  }
}
