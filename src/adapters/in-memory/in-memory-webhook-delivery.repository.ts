// In-memory webhook deliveries for fast tests; same rules as the database (one delivery per endpoint and
// event, claims that start an attempt, outcomes only for the current attempt, a booking's deliveries to an
// endpoint in the booking's order).
import {
  WebhookDelivery,
  waitsForEarlier,
  type WebhookDeliverySnapshot,
} from '@domain/webhook/webhook-delivery.js';
import { WebhookDeliveryRepository } from '@application/ports/webhook-delivery.repository.js';
import { type Page, type PageRequest } from '@application/shared/page.js';
import { pageOf } from './keyset-page.js';

export class InMemoryWebhookDeliveryRepository extends WebhookDeliveryRepository {
  private readonly rows = new Map<string, WebhookDeliverySnapshot>();

  async addMany(deliveries: WebhookDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      const s = delivery.toSnapshot();
      const exists = [...this.rows.values()].some(
        (r) => r.endpointId === s.endpointId && r.eventId === s.eventId,
      );
      if (!exists) this.rows.set(s.id, s);
    }
  }

  async claimDue(now: Date, limit: number): Promise<WebhookDelivery[]> {
    const all = [...this.rows.values()];
    const due = all
      .filter((r) => !waitsForEarlier(r, all))
      .map((r) => WebhookDelivery.fromSnapshot(r))
      .filter((d) => d.isDue(now))
      .sort((a, b) => a.toSnapshot().nextAttemptAt!.getTime() - b.toSnapshot().nextAttemptAt!.getTime())
      .slice(0, limit);
    for (const delivery of due) {
      delivery.startAttempt(now);
      this.rows.set(delivery.id, delivery.toSnapshot());
    }
    return due;
  }

  async saveOutcome(delivery: WebhookDelivery): Promise<boolean> {
    const row = this.rows.get(delivery.id);
    if (!row || row.status !== 'pending' || row.attempts !== delivery.attempts) return false;
    this.rows.set(delivery.id, delivery.toSnapshot());
    return true;
  }

  async listByEndpoint(
    workspaceId: string,
    endpointId: string,
    page: PageRequest,
  ): Promise<Page<WebhookDelivery>> {
    const rows = [...this.rows.values()].filter(
      (r) => r.workspaceId === workspaceId && r.endpointId === endpointId,
    );
    return pageOf(rows, page, (r) => WebhookDelivery.fromSnapshot(r), { order: 'desc' });
  }

  /** What the database's cascade does when an endpoint is deleted. */
  deleteByEndpoint(endpointId: string): void {
    for (const [id, row] of this.rows) if (row.endpointId === endpointId) this.rows.delete(id);
  }
}
