// Domain events recorded in memory, for fast tests of use cases.
import { DomainEventOutbox, type DomainEvent } from '@application/ports/domain-event.outbox.js';

export class InMemoryDomainEventOutbox extends DomainEventOutbox {
  readonly events: DomainEvent[] = [];

  async record(event: DomainEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }
}
