// Object mothers for webhook endpoints, events and deliveries.
import { randomUUID } from 'node:crypto';
import { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { WebhookDelivery, type WebhookEvent } from '@domain/webhook/webhook-delivery.js';

export function anEndpoint(
  overrides: Partial<{
    id: string;
    workspaceId: string;
    url: string;
    events: string[];
    secret: string;
    now: Date;
    policy: { allowPrivateNetworks: boolean };
  }> = {},
): WebhookEndpoint {
  return WebhookEndpoint.register({
    id: randomUUID(),
    workspaceId: randomUUID(),
    url: 'https://hooks.contoso.test/kailenty',
    events: ['booking.created', 'booking.cancelled'],
    secret: `whsec_${randomUUID()}`,
    now: new Date('2026-12-01T08:00:00Z'),
    policy: { allowPrivateNetworks: true },
    ...overrides,
  });
}

export function anEvent(overrides: Partial<WebhookEvent> = {}): WebhookEvent {
  return {
    id: randomUUID(),
    workspaceId: randomUUID(),
    type: 'booking.created',
    data: { id: randomUUID(), status: 'confirmed' },
    occurredAt: new Date('2026-12-01T08:00:00Z'),
    ...overrides,
  };
}

export function aDelivery(
  endpoint: WebhookEndpoint,
  overrides: Partial<{ event: WebhookEvent; now: Date; id: string }> = {},
): WebhookDelivery {
  const now = overrides.now ?? new Date('2026-12-01T08:00:00Z');
  return WebhookDelivery.schedule({
    id: overrides.id ?? randomUUID(),
    endpointId: endpoint.id,
    event: overrides.event ?? anEvent({ workspaceId: endpoint.workspaceId, occurredAt: now }),
    now,
  });
}
