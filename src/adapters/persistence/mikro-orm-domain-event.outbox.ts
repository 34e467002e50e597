// Domain events written in the same transaction as the change that caused them.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { DomainEventOutbox, type DomainEvent } from '@application/ports/domain-event.outbox.js';
import { DomainEventSchema } from './schemas/microsoft.schema.js';

export class MikroOrmDomainEventOutbox extends DomainEventOutbox {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async record(event: DomainEvent): Promise<void> {
    await this.em.insert(DomainEventSchema, {
      id: randomUUID(),
      workspaceId: event.workspaceId,
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt,
      dispatchedAt: null,
    });
  }
}
