// The event type's limits counted under the host's lock, for whatever is about to take a host's time for the
// type (a booking, a hold): its live holds of the type count as bookings, so that racing bookings and holds
// of one host are counted one after the other and none slips past the last booking of a day.
import {
  LIMIT_REACH_MS,
  LimitCheck,
  hasLimits,
  type BookingLimits,
} from '@domain/availability/booking-limits.js';
import { BookingRepository, SlotTaken } from '../ports/booking.repository.js';

/** What is about to take the host's time: its own id is not counted (a booking saved again, moved). */
export interface LimitedWrite {
  id: string;
  workspaceId: string;
  hostId: string;
  eventTypeId: string;
  start: Date;
  end: Date;
  /** The instant of the write: holds live then count. */
  at: Date;
}

/**
 * Inside a UnitOfWork transaction: takes the host's write lock and throws SlotTaken when the host's other
 * bookings and live holds of the type leave no room for `write` under `limits`, counted in `timeZone`.
 */
export async function refuseOverLimits(
  bookings: BookingRepository,
  write: LimitedWrite,
  { limits, timeZone }: { limits: BookingLimits; timeZone: string },
): Promise<void> {
  if (!hasLimits(limits)) return;
  const slot = { start: write.start.getTime(), end: write.end.getTime() };
  const others = await bookings.lockHostBookings(
    write.workspaceId,
    write.hostId,
    write.eventTypeId,
    { start: new Date(slot.start - LIMIT_REACH_MS), end: new Date(slot.end + LIMIT_REACH_MS) },
    write.at,
  );
  const counted = others
    .filter((b) => b.id !== write.id)
    .map((b) => ({ id: b.id, start: b.start.getTime(), end: b.end.getTime() }));
  if (!LimitCheck.around(limits, timeZone, slot, counted).allows(slot.start, slot.end)) throw new SlotTaken();
}
