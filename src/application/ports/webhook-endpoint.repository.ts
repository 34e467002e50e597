// Where product teams' webhook endpoints are kept (with their signing secrets); scoped to a workspace.
import type { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import type { Page, PageRequest } from '../shared/page.js';

export abstract class WebhookEndpointRepository {
  /**
   * Adds the endpoint unless the workspace already has `limit` of them (then VALIDATION_FAILED), checked
   * atomically: two concurrent creates never go past the limit.
   */
  abstract add(endpoint: WebhookEndpoint, limit: number): Promise<void>;
  abstract findById(workspaceId: string, id: string): Promise<WebhookEndpoint | null>;
  /** Oldest first, paged over (createdAt, id). */
  abstract list(workspaceId: string, page: PageRequest): Promise<Page<WebhookEndpoint>>;
  /** The workspace's endpoints that subscribe to this event type. */
  abstract subscribedTo(workspaceId: string, eventType: string): Promise<WebhookEndpoint[]>;
  /** Deletes the endpoint and its deliveries; false when there was nothing to delete. */
  abstract delete(workspaceId: string, id: string): Promise<boolean>;
}

export const tooManyEndpoints = (limit: number) => ({
  field: 'url',
  message: `a workspace has at most ${limit} webhook endpoints`,
});
