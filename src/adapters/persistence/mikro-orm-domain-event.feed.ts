// Reads undispatched domain events for the webhook dispatcher, locking them with `for update skip locked`
// so that concurrent dispatchers (several service instances) each take different events.
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { WebhookEvent } from '@domain/webhook/webhook-delivery.js';
import { DomainEventFeed } from '@application/ports/domain-event.feed.js';
import { DomainEventSchema } from './schemas/microsoft.schema.js';

interface EventRow {
  id: string;
  workspace_id: string;
  type: string;
  data: unknown;
  occurred_at: Date | string;
}

export class MikroOrmDomainEventFeed extends DomainEventFeed {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async claimUndispatched(limit: number): Promise<WebhookEvent[]> {
    // `execute` runs in the unit of work's transaction, which holds the row locks until it ends.
    const rows = await (this.em as unknown as SqlEntityManager).execute<EventRow[]>(
      `select id, workspace_id, type, data, occurred_at from domain_events
       where dispatched_at is null order by occurred_at, id limit ? for update skip locked`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      type: row.type,
      data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data,
      occurredAt: new Date(row.occurred_at),
    }));
  }

  async markDispatched(eventIds: string[], now: Date): Promise<void> {
    if (eventIds.length === 0) return;
    await this.em.nativeUpdate(DomainEventSchema, { id: { $in: eventIds } }, { dispatchedAt: now });
  }
}
