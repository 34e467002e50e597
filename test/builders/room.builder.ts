// The room pool the unit tests share: two rooms of Contoso, in pool order, required or optional.
import type { BookingRoom } from '@domain/booking/booking.js';

export const ROOM_ONE: BookingRoom = { email: 'room-1@contoso.com', name: 'One' };
export const ROOM_TWO: BookingRoom = { email: 'room-2@contoso.com', name: 'Two' };

/** An event type's `rooms` field (as the API takes it) with these rooms, ROOM_ONE and ROOM_TWO by default. */
export function roomPool(required: boolean, rooms: BookingRoom[] = [ROOM_ONE, ROOM_TWO]) {
  return { rooms: { rooms: rooms.map((r) => ({ ...r })), required } };
}
