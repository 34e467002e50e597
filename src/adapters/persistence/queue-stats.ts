// How much work waits in each queue the service keeps in the database, and for how long the oldest item has
// waited: read in one statement whenever /metrics is scraped.
import type { MikroORM } from '@mikro-orm/core';

export type QueueName = 'calendar_outbox' | 'event_outbox' | 'notification_inbox' | 'webhook_deliveries';

export interface QueueStats {
  queue: QueueName;
  depth: number;
  /** Seconds since the oldest item was queued (the calendar outbox: since it became due); 0 when empty. */
  oldestAgeSeconds: number;
}

// Each part is served by the partial index its worker claims with.
const STATS_SQL = `
  select 'calendar_outbox' as queue, count(*)::int as depth,
         extract(epoch from now() - min(due_at))::float8 as age from calendar_sync_queue
  union all
  select 'event_outbox', count(*)::int, extract(epoch from now() - min(occurred_at))::float8
    from domain_events where dispatched_at is null
  union all
  select 'notification_inbox', count(*)::int, extract(epoch from now() - min(received_at))::float8
    from graph_notification_inbox where processed_at is null
  union all
  select 'webhook_deliveries', count(*)::int, extract(epoch from now() - min(created_at))::float8
    from webhook_deliveries where status = 'pending'`;

interface StatsRow {
  queue: QueueName;
  depth: number | string;
  age: number | string | null;
}

export class QueueStatsReader {
  constructor(private readonly orm: MikroORM) {}

  async read(): Promise<QueueStats[]> {
    const rows = await this.orm.em.getConnection().execute<StatsRow[]>(STATS_SQL);
    return rows.map((row: StatsRow) => ({
      queue: row.queue,
      depth: Number(row.depth),
      // Items not due yet (a retry scheduled later) have not waited at all.
      oldestAgeSeconds: Math.max(0, Number(row.age ?? 0)),
    }));
  }
}
