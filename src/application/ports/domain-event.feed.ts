// The reading side of the domain-event outbox: events not yet turned into webhook deliveries.
import type { WebhookEvent } from '@domain/webhook/webhook-delivery.js';

export abstract class DomainEventFeed {
  /**
   * Up to `limit` undispatched events, oldest first, locked until the surrounding unit of work ends; events
   * another instance holds are skipped, not waited for. Call inside `UnitOfWork.transactional`.
   */
  abstract claimUndispatched(limit: number): Promise<WebhookEvent[]>;
  abstract markDispatched(eventIds: string[], now: Date): Promise<void>;
}
