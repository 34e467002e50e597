// Reads one webhook endpoint of a workspace; another workspace's is simply not found.
import type { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';

export class GetWebhookEndpoint {
  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  async execute(input: { workspaceId: string; endpointId: string }): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findById(input.workspaceId, input.endpointId);
    if (!endpoint) throw DomainError.notFound('Webhook endpoint');
    return endpoint;
  }
}
