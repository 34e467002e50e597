// Domain events recorded in memory, for fast tests of use cases.
import { WriteConflict } from '@application/ports/booking.repository.js';
import { DomainEventOutbox, type DomainEvent } from '@application/ports/domain-event.outbox.js';

export class InMemoryDomainEventOutbox extends DomainEventOutbox {
  readonly events: DomainEvent[] = [];

  async record(event: DomainEvent): Promise<void> {
    // As the database's unique index on (booking_id, sequence): one fact N per booking.
    const b = event.booking;
    if (b && this.events.some((e) => e.booking?.id === b.id && e.booking.sequence === b.sequence))
      throw new WriteConflict();
    this.events.push(structuredClone(event));
  }
}
