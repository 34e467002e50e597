// What a hold looks like from outside at a given instant: `expired` is the time passing, not a stored state.
import type { Hold, HoldStatus } from '@domain/hold/hold.js';

export interface HoldView {
  id: string;
  eventTypeId: string;
  hostId: string;
  start: Date;
  end: Date;
  expiresAt: Date;
  status: HoldStatus;
  /** The booking the hold became (status `booked`); null otherwise. */
  bookingId: string | null;
  /** The room it keeps (an event type with rooms); null for none. */
  room: { email: string; name: string } | null;
}

export function holdView(hold: Hold, now: Date): HoldView {
  return {
    id: hold.id,
    eventTypeId: hold.eventTypeId,
    hostId: hold.hostId,
    start: hold.start,
    end: hold.end,
    expiresAt: hold.expiresAt,
    status: hold.statusAt(now),
    bookingId: hold.bookingId,
    room: hold.room,
  };
}
