// Lists a workspace's webhook endpoints, a page at a time.
import type { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { WebhookEndpointRepository } from '../ports/webhook-endpoint.repository.js';
import type { Page, PageRequest } from '../shared/page.js';

export class ListWebhookEndpoints {
  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  execute(input: { workspaceId: string; page: PageRequest }): Promise<Page<WebhookEndpoint>> {
    return this.endpoints.list(input.workspaceId, input.page);
  }
}
