// The delivery log of one endpoint, newest first: what was sent, how often, and what the receiver answered.
import type { WebhookDelivery } from '@domain/webhook/webhook-delivery.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { WebhookDeliveryRepository } from '../ports/webhook-delivery.repository.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';
import type { Page, PageRequest } from '../shared/page.js';

export class ListWebhookDeliveries {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
  ) {}

  async execute(input: {
    workspaceId: string;
    endpointId: string;
    page: PageRequest;
  }): Promise<Page<WebhookDelivery>> {
    if (!(await this.endpoints.findById(input.workspaceId, input.endpointId))) {
      throw DomainError.notFound('Webhook endpoint');
    }
    return this.deliveries.listByEndpoint(input.workspaceId, input.endpointId, input.page);
  }
}
