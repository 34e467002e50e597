// The rooms a new booking may take: those of the event type's pool free for its meeting, in pool order, from
// a fresh getSchedule read through a connected host's token. The database has the last word (RoomTaken):
// a booking that loses its room to a racing one tries the next.
import type { Booking, BookingRoom } from '@domain/booking/booking.js';
import type { EventType } from '@domain/event-type/event-type.js';
import { freeRoomsAt } from '@domain/availability/room-filter.js';
import { roomsToTry } from '@domain/event-type/room-pool.js';
import { RoomCalendars } from '../availability/room-calendars.js';
import type { LoadedHost } from '../availability/host-calendars.js';
import { RoomTaken, SlotTaken } from '../ports/booking.repository.js';

/**
 * The free rooms for [start, end), in pool order, as the booking stores them; null when the event type has no
 * rooms. `hosts` are the event type's hosts as loaded for the booking: those that could be read lend their token.
 */
export async function freeRoomsFor(
  rooms: RoomCalendars,
  eventType: EventType,
  hosts: readonly Pick<LoadedHost, 'hostId' | 'problem'>[],
  start: number,
  end: number,
  now: Date,
  /** A booking being rescheduled: its own meeting and room do not keep it from its new time. */
  own?: Parameters<RoomCalendars['load']>[0]['own'],
): Promise<BookingRoom[] | null> {
  const pool = eventType.rooms;
  if (!pool) return null;
  const loaded = await rooms.load({
    workspaceId: eventType.workspaceId,
    pool,
    readers: hosts.filter((h) => h.problem === null).map((h) => h.hostId),
    start,
    end,
    now,
    fresh: true,
    own,
  });
  const free = new Set(freeRoomsAt(loaded.rooms, start, end));
  return pool.rooms.filter((r) => free.has(r.email)).map((r) => ({ email: r.email, name: r.name }));
}

/**
 * The rooms a booking tries, in order (roomsToTry): the free ones of the pool (`keep` first when it is among
 * them), then none at all for an optional pool; `[null]` (no room) when the event type has no pool. Empty: a
 * required pool with no room free.
 */
export function roomCandidates(
  eventType: EventType,
  free: BookingRoom[] | null,
  keep: string | null = null,
): (BookingRoom | null)[] {
  const pool = eventType.rooms;
  if (free === null || !pool) return [null];
  return roomsToTry(
    pool,
    free.map((r) => r.email),
    keep,
  );
}

/**
 * The booking `write` made with the first of `candidates` the database lets it have: a room a racing booking
 * took (RoomTaken) passes to the next. Null when the time itself was taken (SlotTaken); `none()`'s error when
 * every room went meanwhile (or there was none to try).
 */
export async function bookedWithFirstFreeRoom<T = Booking>(
  candidates: readonly (BookingRoom | null)[],
  write: (room: BookingRoom | null) => Promise<T>,
  none: () => Error,
): Promise<T | null> {
  for (const room of candidates) {
    try {
      return await write(room);
    } catch (error) {
      if (error instanceof RoomTaken) continue;
      if (error instanceof SlotTaken) return null;
      throw error;
    }
  }
  throw none();
}
