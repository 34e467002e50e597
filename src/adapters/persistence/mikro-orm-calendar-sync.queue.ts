// The calendar-sync outbox in PostgreSQL: claims use `for update skip locked` and a lease, so several
// instances share the work, and a worker that dies mid-write leaves the booking to be retried (the
// event POST carries a transactionId, so the retry does not duplicate it).
import type { EntityManager } from '@mikro-orm/core';
import { CalendarSyncQueue, type CalendarSyncClaim } from '@application/ports/calendar-sync.queue.js';
import { execute, executeWithNext, leaseClaim } from './sql.js';

interface Row {
  booking_id: string;
  workspace_id: string;
  attempts: number;
  generation: number;
}

export class MikroOrmCalendarSyncQueue extends CalendarSyncQueue {
  constructor(private readonly em: EntityManager) {
    super();
  }

  private sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return execute<T>(this.em, query, params);
  }

  async enqueue(workspaceId: string, bookingId: string, now: Date): Promise<void> {
    await this.sql(
      `insert into calendar_sync_queue (booking_id, workspace_id, due_at, attempts, generation) values (?, ?, ?, 0, 0)
       on conflict (booking_id) do update set due_at = excluded.due_at, attempts = 0,
         generation = calendar_sync_queue.generation + 1`,
      [bookingId, workspaceId, now],
    );
  }

  async enqueueClaimed(
    workspaceId: string,
    bookingId: string,
    now: Date,
    leaseMs: number,
  ): Promise<CalendarSyncClaim> {
    // Its answer is known (a new entry): the insert goes with the commit. A booking queued already would be a
    // caller's bug, and fails the commit on the primary key.
    await executeWithNext(
      this.em,
      `insert into calendar_sync_queue (booking_id, workspace_id, due_at, attempts, generation, locked_until)
       values (?, ?, ?, 1, 0, ?)`,
      [bookingId, workspaceId, now, new Date(now.getTime() + leaseMs)],
    );
    return { bookingId, workspaceId, attempts: 1, generation: 0 };
  }

  async claim(now: Date, leaseMs: number, bookingId?: string): Promise<CalendarSyncClaim | null> {
    const free = 'due_at <= ? and (locked_until is null or locked_until < ?)';
    const rows = await this.sql<Row>(
      leaseClaim({
        table: 'calendar_sync_queue',
        key: 'booking_id',
        set: 'locked_until = ?, attempts = attempts + 1',
        due: bookingId ? `booking_id = ? and ${free}` : free,
        orderBy: 'due_at',
        returning: 'booking_id, workspace_id, attempts, generation',
      }),
      [new Date(now.getTime() + leaseMs), ...(bookingId ? [bookingId] : []), now, now, 1],
    );
    const row = rows[0];
    return row ? toClaim(row) : null;
  }

  async complete(claim: CalendarSyncClaim): Promise<void> {
    // Gone when it is still the work claimed; queued again while we worked (a newer generation): left due,
    // unlocked, for the next run. One statement whose answer is not read: it goes with the commit.
    await executeWithNext(
      this.em,
      `with done as (delete from calendar_sync_queue where booking_id = ? and generation = ? returning 1)
       update calendar_sync_queue set locked_until = null
        where booking_id = ? and generation <> ? and not exists (select 1 from done)`,
      [claim.bookingId, claim.generation, claim.bookingId, claim.generation],
    );
  }

  async retryAt(claim: CalendarSyncClaim, at: Date, error: string): Promise<void> {
    await this.sql(
      `update calendar_sync_queue set locked_until = null, last_error = ?,
         due_at = case when generation = ? then ? else due_at end where booking_id = ?`,
      [error.slice(0, 2000), claim.generation, at, claim.bookingId],
    );
  }

  async underway(workspaceId: string, bookingId: string, now: Date): Promise<boolean> {
    const rows = await this.sql(
      `select 1 from calendar_sync_queue where workspace_id = ? and booking_id = ?
         and (locked_until >= ? or due_at <= ?)`,
      [workspaceId, bookingId, now, now],
    );
    return rows.length > 0;
  }
}

function toClaim(row: Row): CalendarSyncClaim {
  return {
    bookingId: row.booking_id,
    workspaceId: row.workspace_id,
    attempts: row.attempts,
    generation: row.generation,
  };
}
