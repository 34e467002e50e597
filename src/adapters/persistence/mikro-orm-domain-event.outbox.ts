// Domain events written in the same transaction as the change that caused them. A booking's facts carry
// their number; the unique index on (booking_id, sequence) refuses a second fact N of one booking.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { DomainEventOutbox, type DomainEvent } from '@application/ports/domain-event.outbox.js';
import { WriteConflict } from '@application/ports/booking.repository.js';
import { execute, insertList } from './sql.js';

function isSequenceTaken(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  return (
    (e?.code === '23505' || e?.cause?.code === '23505' || /unique/i.test(e?.message ?? '')) &&
    /domain_events_booking_sequence_uq/.test(e?.message ?? '')
  );
}

export class MikroOrmDomainEventOutbox extends DomainEventOutbox {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async record(event: DomainEvent): Promise<void> {
    try {
      // Plain SQL: a fact is written on every booking change, and the ORM's insert cost ~5× the CPU.
      const row = insertList({
        id: { value: randomUUID() },
        workspace_id: { value: event.workspaceId },
        type: { value: event.type },
        data: { value: JSON.stringify(event.data), cast: 'jsonb' },
        occurred_at: { value: event.occurredAt },
        booking_id: { value: event.booking?.id ?? null },
        sequence: { value: event.booking?.sequence ?? null },
      });
      await execute(
        this.em,
        `insert into domain_events (${row.names}) values (${row.placeholders})`,
        row.values,
      );
    } catch (error) {
      // Another writer told this fact number first: this one worked on a stale booking.
      if (isSequenceTaken(error)) throw new WriteConflict();
      throw error;
    }
  }
}
