// The rooms a new booking may take: those of the event type's pool free for its meeting, in pool order, from
// a fresh getSchedule read through a connected host's token. The database has the last word (RoomTaken):
// a booking that loses its room to a racing one tries the next.
import type { BookingRoom } from '@domain/booking/booking.js';
import type { EventType } from '@domain/event-type/event-type.js';
import { freeRoomsAt } from '@domain/availability/room-filter.js';
import { RoomCalendars } from '../availability/room-calendars.js';
import type { LoadedHost } from '../availability/host-calendars.js';

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
  });
  const free = new Set(freeRoomsAt(loaded.rooms, start, end));
  return pool.rooms.filter((r) => free.has(r.email)).map((r) => ({ email: r.email, name: r.name }));
}
