// Turns recorded domain events into one delivery per subscribed endpoint of their workspace. Claiming the
// events, adding the deliveries and marking the events dispatched is one transaction, so an event is
// dispatched once however many instances run this.
import { WebhookDelivery } from '@domain/webhook/webhook-delivery.js';
import type { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { Clock } from '../ports/clock.js';
import { DomainEventFeed } from '../ports/domain-event.feed.js';
import { IdGenerator } from '../ports/id-generator.js';
import { UnitOfWork } from '../ports/unit-of-work.js';
import { WebhookDeliveryRepository } from '../ports/webhook-delivery.repository.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';

export class DispatchWebhookEvents {
  constructor(
    private readonly feed: DomainEventFeed,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {}

  /** Dispatches one batch; returns how many events and deliveries it handled (0 events: nothing to do). */
  execute(input: { limit: number }): Promise<{ events: number; deliveries: number }> {
    return this.uow.transactional(async () => {
      const events = await this.feed.claimUndispatched(input.limit);
      if (events.length === 0) return { events: 0, deliveries: 0 };
      const now = this.clock.now();
      const subscribers = new Map<string, WebhookEndpoint[]>();
      const deliveries: WebhookDelivery[] = [];
      for (const event of events) {
        const key = `${event.workspaceId} ${event.type}`;
        let endpoints = subscribers.get(key);
        if (!endpoints) {
          endpoints = await this.endpoints.subscribedTo(event.workspaceId, event.type);
          subscribers.set(key, endpoints);
        }
        for (const endpoint of endpoints) {
          deliveries.push(
            WebhookDelivery.schedule({ id: this.ids.next(), endpointId: endpoint.id, event, now }),
          );
        }
      }
      await this.deliveries.addMany(deliveries);
      await this.feed.markDispatched(
        events.map((e) => e.id),
        now,
      );
      return { events: events.length, deliveries: deliveries.length };
    });
  }
}
