// In-memory webhook endpoints for fast tests; same rules as the database (a limit per workspace, deletes
// that take the endpoint's deliveries along).
import { WebhookEndpoint, type WebhookEndpointSnapshot } from '@domain/webhook/webhook-endpoint.js';
import { DomainError } from '@domain/shared/domain-error.js';
import {
  WebhookEndpointRepository,
  tooManyEndpoints,
} from '@application/ports/webhook-endpoint.repository.js';
import { type Page, type PageRequest } from '@application/shared/page.js';
import { pageOf } from './keyset-page.js';
import type { InMemoryWebhookDeliveryRepository } from './in-memory-webhook-delivery.repository.js';

export class InMemoryWebhookEndpointRepository extends WebhookEndpointRepository {
  private readonly rows = new Map<string, WebhookEndpointSnapshot>();

  constructor(private readonly deliveries?: InMemoryWebhookDeliveryRepository) {
    super();
  }

  async add(endpoint: WebhookEndpoint, limit: number): Promise<void> {
    const count = [...this.rows.values()].filter((r) => r.workspaceId === endpoint.workspaceId).length;
    if (count >= limit) throw DomainError.validation([tooManyEndpoints(limit)]);
    this.rows.set(endpoint.id, endpoint.toSnapshot());
  }

  async findById(workspaceId: string, id: string): Promise<WebhookEndpoint | null> {
    const row = this.rows.get(id);
    return row && row.workspaceId === workspaceId ? WebhookEndpoint.fromSnapshot(row) : null;
  }

  async list(workspaceId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    return pageOf(this.ordered(workspaceId), page, (r) => WebhookEndpoint.fromSnapshot(r));
  }

  async subscribedTo(workspaceId: string, eventType: string): Promise<WebhookEndpoint[]> {
    return this.ordered(workspaceId)
      .map((r) => WebhookEndpoint.fromSnapshot(r))
      .filter((e) => e.subscribesTo(eventType));
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.workspaceId !== workspaceId) return false;
    this.rows.delete(id);
    this.deliveries?.deleteByEndpoint(id);
    return true;
  }

  private ordered(workspaceId: string): WebhookEndpointSnapshot[] {
    return [...this.rows.values()]
      .filter((r) => r.workspaceId === workspaceId)
      .sort(
        (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
  }
}
