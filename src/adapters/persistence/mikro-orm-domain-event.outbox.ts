// Domain events written in the same transaction as the change that caused them. A booking's facts carry
// their number; the unique index on (booking_id, sequence) refuses a second fact N of one booking.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { DomainEventOutbox, type DomainEvent } from '@application/ports/domain-event.outbox.js';
import { WriteConflict } from '@application/ports/booking.repository.js';
import { executeWithNext, insertList } from './sql.js';
import { isWriteConflict } from './write-conflict.js';

export class MikroOrmDomainEventOutbox extends DomainEventOutbox {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async record(event: DomainEvent): Promise<void> {
    try {
      // Plain SQL: a fact is written on every booking change, and the ORM's insert cost ~5× the CPU. Its answer
      // is not read, so in a transaction it goes with the next statement or the commit, whose opener tells a
      // fact number taken apart as a write conflict as this catch does when it is sent at once.
      const row = insertList({
        id: { value: randomUUID() },
        workspace_id: { value: event.workspaceId },
        type: { value: event.type },
        data: { value: JSON.stringify(event.data), cast: 'jsonb' },
        occurred_at: { value: event.occurredAt },
        booking_id: { value: event.booking?.id ?? null },
        sequence: { value: event.booking?.sequence ?? null },
      });
      await executeWithNext(
        this.em,
        `insert into domain_events (${row.names}) values (${row.placeholders})`,
        row.values,
      );
    } catch (error) {
      // Another writer told this fact number first: this one worked on a stale booking.
      if (isWriteConflict(error)) throw new WriteConflict();
      throw error;
    }
  }
}
