// One database transaction around a use case's writes; repositories join it through MikroORM's context.
import type { EntityManager } from '@mikro-orm/core';
import { UnitOfWork } from '@application/ports/unit-of-work.js';

export class MikroOrmUnitOfWork extends UnitOfWork {
  constructor(private readonly em: EntityManager) {
    super();
  }

  transactional<T>(work: () => Promise<T>): Promise<T> {
    return this.em.transactional(() => work());
  }
}
