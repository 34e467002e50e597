// Deletes a webhook endpoint: nothing more is sent to it, and its delivery log goes with it.
import { DomainError } from '@domain/shared/domain-error.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';

export class DeleteWebhookEndpoint {
  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  async execute(input: { workspaceId: string; endpointId: string }): Promise<void> {
    if (!(await this.endpoints.delete(input.workspaceId, input.endpointId))) {
      throw DomainError.notFound('Webhook endpoint');
    }
  }
}
