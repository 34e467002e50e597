// Where holds are kept. A hold and the host's bookings share one guarantee: the store writes a hold only
// when no confirmed booking and no live hold of the host overlaps its blocked time, and writes a confirmed
// booking only when no live hold overlaps it (BookingRepository.add/save), both under the host's lock, so
// racing requests of any number of instances see each other one after the other.
import type { Hold } from '@domain/hold/hold.js';

export abstract class HoldRepository {
  /**
   * Inside a UnitOfWork transaction: takes the host's write lock (the one bookings take), then inserts the
   * hold. Throws SlotTaken when a confirmed booking, or a hold live at the hold's creation, overlaps its
   * blocked time (an expired hold never blocks), and WriteConflict when the database aborted the transaction.
   */
  abstract add(hold: Hold): Promise<void>;
  abstract findById(workspaceId: string, id: string): Promise<Hold | null>;
  /** The holds of this holder (a booking page's session) live at `now`, oldest first. */
  abstract findLiveByHolder(workspaceId: string, holder: string, now: Date): Promise<Hold[]>;
  /**
   * Inside a UnitOfWork transaction: takes the host's write lock, then locks the hold's row until the
   * transaction ends (the order bookings take them), so that a release and a booking from the hold see
   * each other's write.
   */
  abstract findForUpdate(workspaceId: string, id: string): Promise<Hold | null>;
  /** Writes the hold's state (released, booked). */
  abstract save(hold: Hold): Promise<void>;
  /** Deletes the holds whose expiry is at or before `expiredUpTo`, whatever their state; returns how many. */
  abstract deleteExpired(expiredUpTo: Date): Promise<number>;
}
