// One database transaction around a use case's writes; repositories join it through MikroORM's context.
import { TransactionPropagation, type EntityManager } from '@mikro-orm/core';
import { UnitOfWork } from '@application/ports/unit-of-work.js';

export class MikroOrmUnitOfWork extends UnitOfWork {
  constructor(private readonly em: EntityManager) {
    super();
  }

  transactional<T>(work: () => Promise<T>): Promise<T> {
    // Inside another unit of work this one joins it (no savepoint): the outer one commits or rolls back all.
    return this.em.transactional(() => work(), { propagation: TransactionPropagation.REQUIRED });
  }
}
