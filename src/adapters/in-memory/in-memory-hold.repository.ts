// In-memory holds, kept beside the in-memory bookings (as one database keeps both tables), with the
// database's rule: a hold is refused when a confirmed booking or a live hold of its host overlaps it, or, for
// a hold that keeps a room, when a confirmed booking or a live hold has that room at an overlapping time.
import { Hold } from '@domain/hold/hold.js';
import { HoldRepository } from '@application/ports/hold.repository.js';
import { RoomTaken, SlotTaken } from '@application/ports/booking.repository.js';
import type { InMemoryBookingRepository } from './in-memory-booking.repository.js';
import { InMemoryRowLocks } from './in-memory-row-locks.js';
import { currentInMemoryTransaction } from './in-memory-transaction.js';

export class InMemoryHoldRepository extends HoldRepository {
  private readonly locks = new InMemoryRowLocks();

  constructor(private readonly bookings: InMemoryBookingRepository) {
    super();
  }

  async add(hold: Hold): Promise<void> {
    const blocked = hold.blocked;
    const s = hold.toSnapshot();
    const taken =
      this.bookings.bookedOverlapping(s.hostId, blocked) ||
      this.bookings.heldOverlapping(s.hostId, blocked, s.createdAt);
    if (taken) throw new SlotTaken();
    if (
      s.room &&
      (this.bookings.roomBookedOverlapping(s.workspaceId, s.room.email, s) ||
        this.bookings.roomHeldOverlapping(s.workspaceId, s.room.email, s, s.createdAt))
    )
      throw new RoomTaken();
    this.bookings.holds.set(s.id, s);
  }

  async findById(workspaceId: string, id: string): Promise<Hold | null> {
    const row = this.bookings.holds.get(id);
    return row && row.workspaceId === workspaceId ? Hold.fromSnapshot(row) : null;
  }

  async findLiveByHolder(workspaceId: string, holder: string, now: Date): Promise<Hold[]> {
    return [...this.bookings.holds.values()]
      .filter((s) => s.workspaceId === workspaceId && s.holder === holder)
      .map((s) => Hold.fromSnapshot(s))
      .filter((h) => h.isLiveAt(now))
      .sort((a, b) => a.toSnapshot().createdAt.getTime() - b.toSnapshot().createdAt.getTime());
  }

  async findForUpdate(workspaceId: string, id: string): Promise<Hold | null> {
    if (!currentInMemoryTransaction()) throw new Error('findForUpdate outside a transaction locks nothing');
    await this.locks.lock(id);
    return this.findById(workspaceId, id);
  }

  async save(hold: Hold): Promise<void> {
    const row = this.bookings.holds.get(hold.id);
    if (!row || row.workspaceId !== hold.workspaceId) return;
    this.bookings.holds.set(hold.id, hold.toSnapshot());
  }

  async deleteExpired(expiredUpTo: Date): Promise<number> {
    let deleted = 0;
    for (const [id, row] of this.bookings.holds) {
      if (row.expiresAt <= expiredUpTo) deleted += Number(this.bookings.holds.delete(id));
    }
    return deleted;
  }
}
