// In-memory calendar-sync outbox with the database's claim, lease and generation rules.
import { CalendarSyncQueue, type CalendarSyncClaim } from '@application/ports/calendar-sync.queue.js';

interface Entry {
  workspaceId: string;
  dueAt: number;
  attempts: number;
  generation: number;
  lockedUntil: number | null;
  lastError: string | null;
}

export class InMemoryCalendarSyncQueue extends CalendarSyncQueue {
  readonly entries = new Map<string, Entry>();

  async enqueue(workspaceId: string, bookingId: string, now: Date): Promise<void> {
    const e = this.entries.get(bookingId);
    if (e) Object.assign(e, { dueAt: now.getTime(), attempts: 0, generation: e.generation + 1 });
    else
      this.entries.set(bookingId, {
        workspaceId,
        dueAt: now.getTime(),
        attempts: 0,
        generation: 0,
        lockedUntil: null,
        lastError: null,
      });
  }

  async enqueueClaimed(
    workspaceId: string,
    bookingId: string,
    now: Date,
    leaseMs: number,
  ): Promise<CalendarSyncClaim> {
    if (this.entries.has(bookingId)) throw new Error(`booking ${bookingId} is queued already`);
    const t = now.getTime();
    this.entries.set(bookingId, {
      workspaceId,
      dueAt: t,
      attempts: 1,
      generation: 0,
      lockedUntil: t + leaseMs,
      lastError: null,
    });
    return { bookingId, workspaceId, attempts: 1, generation: 0 };
  }

  async claim(now: Date, leaseMs: number, bookingId?: string): Promise<CalendarSyncClaim | null> {
    const t = now.getTime();
    const free = (e: Entry) => e.lockedUntil === null || e.lockedUntil < t;
    let id: string | undefined;
    if (bookingId) {
      const e = this.entries.get(bookingId);
      id = e && e.dueAt <= t && free(e) ? bookingId : undefined;
    } else
      id = [...this.entries.entries()]
        .filter(([, e]) => e.dueAt <= t && free(e))
        .sort(([, a], [, b]) => a.dueAt - b.dueAt)[0]?.[0];
    if (!id) return null;
    const e = this.entries.get(id)!;
    e.lockedUntil = t + leaseMs;
    e.attempts += 1;
    return { bookingId: id, workspaceId: e.workspaceId, attempts: e.attempts, generation: e.generation };
  }

  async complete(claim: CalendarSyncClaim): Promise<void> {
    const e = this.entries.get(claim.bookingId);
    if (!e) return;
    if (e.generation === claim.generation) this.entries.delete(claim.bookingId);
    else e.lockedUntil = null;
  }

  async retryAt(claim: CalendarSyncClaim, at: Date, error: string): Promise<void> {
    const e = this.entries.get(claim.bookingId);
    if (!e) return;
    e.lockedUntil = null;
    e.lastError = error;
    if (e.generation === claim.generation) e.dueAt = at.getTime();
  }

  async underway(workspaceId: string, bookingId: string, now: Date): Promise<boolean> {
    const e = this.entries.get(bookingId);
    const t = now.getTime();
    return e?.workspaceId === workspaceId && ((e.lockedUntil !== null && e.lockedUntil >= t) || e.dueAt <= t);
  }
}
