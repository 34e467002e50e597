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
  booking_id: string | null;
  sequence: number | null;
}

export class MikroOrmDomainEventFeed extends DomainEventFeed {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async claimUndispatched(limit: number): Promise<WebhookEvent[]> {
    // `execute` runs in the unit of work's transaction, which holds the row locks until it ends. A
    // booking's event waits while an earlier one of it is undispatched: also when another dispatcher holds
    // that one (locked, not yet committed), so its deliveries can never be added after this one's.
    const rows = await (this.em as unknown as SqlEntityManager).execute<EventRow[]>(
      `select e.id, e.workspace_id, e.type, e.data, e.occurred_at, e.booking_id, e.sequence from domain_events e
       where e.dispatched_at is null
         and (e.booking_id is null or not exists (select 1 from domain_events p
           where p.booking_id = e.booking_id and p.sequence < e.sequence and p.dispatched_at is null))
       order by e.occurred_at, e.id limit ? for update skip locked`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      type: row.type,
      data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data,
      occurredAt: new Date(row.occurred_at),
      ...(row.booking_id === null ? {} : { booking: { id: row.booking_id, sequence: Number(row.sequence) } }),
    }));
  }

  async markDispatched(eventIds: string[], now: Date): Promise<void> {
    if (eventIds.length === 0) return;
    await this.em.nativeUpdate(DomainEventSchema, { id: { $in: eventIds } }, { dispatchedAt: now });
  }
}
