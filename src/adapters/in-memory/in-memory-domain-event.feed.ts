// In-memory domain events for fast tests: recorded like the outbox does, read back like the dispatcher does.
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@application/ports/domain-event.outbox.js';
import { DomainEventFeed } from '@application/ports/domain-event.feed.js';
import type { WebhookEvent } from '@domain/webhook/webhook-delivery.js';

export class InMemoryDomainEventFeed extends DomainEventFeed {
  private readonly events: (WebhookEvent & { dispatchedAt: Date | null })[] = [];

  /** Records an event as `DomainEventOutbox.record` does, and returns its id. */
  add(event: DomainEvent, id: string = randomUUID()): string {
    this.events.push({ ...structuredClone(event), id, dispatchedAt: null });
    return id;
  }

  async claimUndispatched(limit: number): Promise<WebhookEvent[]> {
    const undispatched = this.events.filter((e) => e.dispatchedAt === null);
    // As the database's: a booking's event waits while an earlier one of it is undispatched.
    const waits = (e: WebhookEvent) =>
      !!e.booking &&
      undispatched.some((p) => p.booking?.id === e.booking!.id && p.booking.sequence < e.booking!.sequence);
    return undispatched
      .filter((e) => !waits(e))
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
      .slice(0, limit)
      .map(({ dispatchedAt: _dispatchedAt, ...event }) => structuredClone(event));
  }

  async markDispatched(eventIds: string[], now: Date): Promise<void> {
    for (const event of this.events) if (eventIds.includes(event.id)) event.dispatchedAt = now;
  }

  undispatched(): number {
    return this.events.filter((e) => e.dispatchedAt === null).length;
  }
}
